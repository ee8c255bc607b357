import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { MockLocation } from "./arns";
import { PlanMocks } from "./mocks";
import { SECRET_PLACEHOLDER } from "./stack-file";
import type { Plan, PlannedOptions, PlannedResource } from "./plan";

const PROJECT = "infra";
const STACK_TYPE = "pulumi:pulumi:Stack";

/** What a stack transformation sees of a resource: enough to rebuild its URN and options. */
interface Seen {
  readonly type: string;
  readonly name: string;
  readonly parent: pulumi.Resource | undefined;
  readonly opts: pulumi.ResourceOptions;
}

/** Where and as what stack a program is recorded. */
export interface RecordTarget {
  readonly stack: string;
  readonly location: MockLocation & { readonly availabilityZones: readonly string[] };
  /** Config as the CLI hands it to the program: `namespace:key` → string. @default {} */
  readonly config?: Readonly<Record<string, string>>;
  /** The Pulumi project (the namespace of `new pulumi.Config()`). @default "infra" */
  readonly project?: string;
  /** The outputs of each stack the program's `StackReference`s name, by the stack's name. @default none */
  readonly stackOutputs?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * Runs `program` under Pulumi's mocks and returns what it registered. A stack transformation
 * records each resource's parent and options; the mocks record its inputs.
 */
export async function recordProgram(target: RecordTarget, program: () => unknown): Promise<Plan> {
  // Pulumi captures a stack trace for every resource and every internal promise it creates (for
  // the engine's diagnostics and its leak report, which a plan never shows): 60 % of a plan's
  // time, more where source maps are on (tsx, vitest). While the program records, stack traces are
  // off and unmapped. The cost: an error thrown by the program carries its message, not its stack
  // (every error of the program and the config loader is a full sentence). `pulumi up` is untouched.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back as it was
  const saved = { limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace, sourceMaps: process.sourceMapsEnabled };
  Error.stackTraceLimit = 0;
  Reflect.deleteProperty(Error, "prepareStackTrace");
  process.setSourceMapsEnabled(false);
  try {
    return await record(target, program);
  } finally {
    Error.stackTraceLimit = saved.limit;
    if (saved.prepare) Error.prepareStackTrace = saved.prepare;
    process.setSourceMapsEnabled(saved.sourceMaps);
  }
}

async function record(target: RecordTarget, program: () => unknown): Promise<Plan> {
  const mocks = new PlanMocks(target.location, target.stack, target.stackOutputs);
  const config = { ...target.config };
  // A secret of the stack file is a placeholder, secret as the CLI marks it.
  pulumi.runtime.setAllConfig(
    config,
    Object.keys(config).filter((key) => config[key] === SECRET_PLACEHOLDER),
  );
  const project = target.project ?? PROJECT;
  await pulumi.runtime.setMocks(mocks, project, target.stack, false);

  const seen = new Map<pulumi.Resource, Seen>();
  // The program's own error is kept and thrown after the runtime settles: thrown inside the
  // stack's constructor it would also surface as an unhandled rejection of the root stack.
  let failure: { error: unknown } | undefined;
  // A registration that failed rejects every output built on it: one error, the first, is the plan's.
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  // The stack's own outputs fail when a value in them does (a registration the mocks refused).
  let stackFailure: { error: unknown } | undefined;
  const outputs = await pulumi.runtime
    .runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        seen.set(args.resource, { type: args.type, name: args.name, parent: args.opts.parent, opts: args.opts });
        return undefined;
      });
      try {
        return (await program()) as Record<string, unknown>;
      } catch (error) {
        failure = { error };
        return {};
      }
    })
    .catch((error: unknown) => {
      stackFailure = { error };
      return undefined;
    });
  // Registrations finish asynchronously; wait for every one before reading what the mocks saw.
  try {
    await pulumi.runtime.disconnect();
    // Rejections are reported after the turn that made them.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (mocks.problems.length > 0) throw new Error(mocks.problems[0]);
  if (failure) throw failure.error;
  if (stackFailure) throw stackFailure.error;
  if (rejections.length > 0) throw rejections[0];

  const urns = urnsOf(project, target.stack, seen);
  const inputsByKey = new Map(mocks.registered.map((r) => [`${r.type}::${r.name}`, r]));
  const resources: PlannedResource[] = [];
  for (const [resource, s] of seen) {
    const registered = inputsByKey.get(`${s.type}::${s.name}`);
    const dependsOn = await resolveDependsOn(s.opts.dependsOn);
    resources.push({
      urn: urns.get(resource) as string,
      type: s.type,
      name: s.name,
      parent: (s.parent && urns.get(s.parent)) ?? null,
      custom: registered?.custom ?? resource instanceof pulumi.CustomResource,
      inputs: canonical(await assetsByContent(registered?.inputs ?? {})) as Record<string, unknown>,
      options: optionsOf(s.opts, dependsOn, urns),
    });
  }
  resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { project, stack: target.stack, resources, outputs: canonical(outputs ?? {}) as Record<string, unknown> };
}

/** URNs as the engine builds them: the parent's type chain (the stack excluded), then the name. */
function urnsOf(project: string, stack: string, seen: ReadonlyMap<pulumi.Resource, Seen>): Map<pulumi.Resource, string> {
  const chains = new Map<pulumi.Resource, string>();
  const chainOf = (resource: pulumi.Resource): string => {
    const known = chains.get(resource);
    if (known) return known;
    const s = seen.get(resource);
    if (!s) return STACK_TYPE;
    const parentChain = s.parent ? chainOf(s.parent) : STACK_TYPE;
    const chain = parentChain === STACK_TYPE ? s.type : `${parentChain}$${s.type}`;
    chains.set(resource, chain);
    return chain;
  };
  const urns = new Map<pulumi.Resource, string>();
  const taken = new Set<string>();
  for (const [resource, s] of seen) {
    const urn = `urn:pulumi:${stack}::${project}::${chainOf(resource)}::${s.name}`;
    if (taken.has(urn)) throw new Error(`offline plan: two resources share the URN ${urn}`);
    taken.add(urn);
    urns.set(resource, urn);
  }
  return urns;
}

/**
 * The resources of a `dependsOn`, which may be a list, a promise or an output of them (an order
 * known only once other resources exist, as a release's migration before the workers).
 */
async function resolveDependsOn(dependsOn: unknown): Promise<pulumi.Resource[]> {
  if (dependsOn === undefined || dependsOn === null) return [];
  if (Array.isArray(dependsOn)) return (await Promise.all(dependsOn.map(resolveDependsOn))).flat();
  if (dependsOn instanceof Promise) return resolveDependsOn(await dependsOn);
  if (pulumi.Output.isInstance(dependsOn)) {
    const value = await new Promise<unknown>((resolve) => dependsOn.apply((v) => resolve(v)));
    return resolveDependsOn(value);
  }
  return pulumi.Resource.isInstance(dependsOn) ? [dependsOn] : [];
}

function optionsOf(opts: pulumi.ResourceOptions, dependsOn: readonly pulumi.Resource[], urns: ReadonlyMap<pulumi.Resource, string>): PlannedOptions {
  const custom = opts as pulumi.CustomResourceOptions;
  return {
    ignoreChanges: [...(opts.ignoreChanges ?? [])].sort(),
    dependsOn: dependsOn
      .map((d) => (pulumi.Resource.isInstance(d) ? urns.get(d) : undefined))
      .filter((u): u is string => u !== undefined)
      .sort(),
    protect: opts.protect === true,
    retainOnDelete: opts.retainOnDelete === true,
    deleteBeforeReplace: custom.deleteBeforeReplace === true,
    ...aliasesOf(opts),
  };
}

/** The former names a resource carries over (`aliases: [{ name }]`), when it has any: a rename, not a replacement. */
function aliasesOf(opts: pulumi.ResourceOptions): { aliases?: string[] } {
  const names = (opts.aliases ?? []).flatMap((a) => (typeof a === "object" && "name" in a && typeof a.name === "string" ? [a.name] : []));
  return names.length > 0 ? { aliases: names.sort() } : {};
}

/**
 * Assets and archives (a Lambda function's code) as the plan shows them: by what they hold, a
 * SHA-256 of each file or text, never by path (a path differs between machines, the bytes do
 * not), so that a change of the code is a change of the plan.
 */
async function assetsByContent(value: unknown): Promise<unknown> {
  const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
  if (Array.isArray(value)) return Promise.all(value.map(assetsByContent));
  if (pulumi.asset.Asset.isInstance(value)) {
    const a = value as { path?: Promise<string>; text?: Promise<string>; uri?: Promise<string> };
    if (a.path) return { asset: { sha256: sha256(readFileSync(await a.path)) } };
    if (a.text) return { asset: { sha256: sha256(await a.text) } };
    return { asset: { uri: await a.uri } };
  }
  if (pulumi.asset.Archive.isInstance(value)) {
    const a = value as { assets?: Promise<Record<string, unknown>>; path?: Promise<string>; uri?: Promise<string> };
    if (a.assets) {
      const entries = Object.entries(await a.assets);
      return { archive: Object.fromEntries(await Promise.all(entries.map(async ([name, asset]) => [name, await assetsByContent(asset)] as const))) };
    }
    return { archive: a.path ? { file: basename(await a.path) } : { uri: await a.uri } };
  }
  if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value)) {
    const entries = Object.entries(value);
    return Object.fromEntries(await Promise.all(entries.map(async ([key, v]) => [key, await assetsByContent(v)] as const)));
  }
  return value;
}

/** Deep copy with sorted object keys, so the same plan always serializes to the same bytes. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    // A secret arrives wrapped; the plan shows that it is one, never its value.
    if (object[SPECIAL_SIG_KEY] === SECRET_SIG) return "[secret]";
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object).sort()) {
      if (object[key] !== undefined) out[key] = canonical(object[key]);
    }
    return out;
  }
  return value;
}

/** The property Pulumi's serialization marks special values with, and its value for a secret. */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
