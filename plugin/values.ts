import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/** The repository's root: the library whose components the plugin adapts, and its release tool. */
export const LIBRARY_ROOT = join(__dirname, "..");

// What turns a multi-language input into the library's own args: the schema can only carry plain
// strings where the library has string-literal types, and the library checks each of those
// against its list with the message it gives a TypeScript caller; so the value is passed on as is.

/** A string the component checks against its own list of allowed values. */
export function checkedByComponent<T extends string>(value: string): T;
export function checkedByComponent<T extends string>(value: string | undefined): T | undefined;
export function checkedByComponent<T extends string>(value: string | undefined): T | undefined {
  return value as T | undefined;
}

/**
 * Sets a plugin component's outputs and returns them for `registerOutputs`: the class declares
 * each output as a field (the schema's outputs are read from those declarations), and this is
 * where they get their values, each named once.
 */
export function publish<C extends pulumi.ComponentResource, K extends keyof C>(component: C, outputs: Pick<C, K>): Pick<C, K> {
  return Object.assign(component, outputs) && outputs;
}
