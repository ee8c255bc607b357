// What every adapter of the plugin shares: where the library is, how a string reaches a
// string-literal type, how a component's outputs are set.
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/** The repository's root: the library whose components the plugin adapts, and its release tool. */
export const LIBRARY_ROOT = join(__dirname, "..");

/**
 * A string the component checks against its own list of allowed values. The schema can only
 * carry a plain string where the library has a string-literal type; the library checks each such
 * value at run time, with the message a TypeScript caller gets, so it is passed on as is.
 */
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
  Object.assign(component, outputs);
  return outputs;
}

/** Why no adapter takes the library's `transform`. */
export const TRANSFORM_ABSENT =
  "Changes to the children's args are functions, which a schema cannot carry: a program in another language adjusts the created resources with its own transforms";

/**
 * Why each arg of a library component that its adapter does not take is absent. The keys are
 * exactly the library args the adapter's args lack: a library arg added with neither a
 * counterpart here nor a reason fails to compile at the adapter (`Property '<arg>' is missing`),
 * and a reason for an arg the adapter now takes is an excess property.
 */
export function absentArgs<Library, Plugin>(
  reasons: Record<Exclude<keyof Library, keyof Plugin>, string>,
): Record<Exclude<keyof Library, keyof Plugin>, string> {
  return reasons;
}
