import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/**
 * A physical name the component picks itself, unique to this project and stack (two teams'
 * stacks in one account may use the same component names): `<project>-<stack>-<name>` in the
 * characters `allowed` (others become `-`), cut to `maxLength` with a hash of the whole when
 * longer. A caller who wants another name passes it.
 */
export function perStackName(name: string, maxLength: number, allowed: RegExp = /[A-Za-z0-9_-]/): string {
  const full = [pulumi.getProject(), pulumi.getStack(), name]
    .join("-")
    .split("")
    .map((c) => (allowed.test(c) ? c : "-"))
    .join("");
  if (full.length <= maxLength) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, maxLength - hash.length - 1)}-${hash}`;
}

/**
 * `first`, then the caller's `more` as one list: ids a caller gives as a list, or as one Output of
 * the whole list (a `StackReference`'s `requireOutput("privateSubnetIds")`, say).
 */
export function idsWith(first: pulumi.Input<string>, more: pulumi.Input<pulumi.Input<string>[]> | undefined): pulumi.Output<string[]> {
  return pulumi.all([first, pulumi.output(more ?? [])]).apply(([id, rest]) => [id, ...rest]);
}

/**
 * Options of a stateful child the stack wants kept (its data matters, as in prd): Pulumi refuses
 * to delete it, and a deletion that goes through anyway leaves it in AWS.
 */
export function keepOnDelete(protect: boolean): pulumi.CustomResourceOptions {
  return protect ? { protect: true, retainOnDelete: true } : {};
}

/**
 * Resources known only later in a composition, for a `dependsOn` or a `rolloutAfter`: the job
 * services must wait for the releases' migrations, which need the web services, which need the
 * job platform's Redis; an ECS-released web service waits for its own release's migration. The
 * order is given now and filled in once those exist.
 */
export function laterResources(): { readonly resources: pulumi.Output<pulumi.Resource[]>; readonly resolve: (resources: pulumi.Resource[]) => void } {
  let resolve: (resources: pulumi.Resource[]) => void = () => undefined;
  const promise = new Promise<pulumi.Resource[]>((r) => (resolve = r));
  return { resources: pulumi.output(promise), resolve };
}

/**
 * The escape hatch for what a component does not expose: how a caller changes the args or options
 * of one of its children just before it is created. Either a partial of the child's args, merged
 * over what the component computed, or a function that edits the args and options in place (or
 * returns new args). The child stays parented to the component and keeps its name; the
 * component's checks ran before, so what a transform changes is the caller's to get right.
 */
export type Transform<T> = Partial<T> | ((args: T, opts: pulumi.CustomResourceOptions, name: string) => T | void);

/** The args and options a child is created with once `transform` (if any) has had its say. */
export function applyTransform<T extends object>(
  transform: Transform<T> | undefined,
  name: string,
  args: T,
  opts: pulumi.CustomResourceOptions,
): [T, pulumi.CustomResourceOptions] {
  if (transform === undefined) return [args, opts];
  if (typeof transform !== "function") return [{ ...args, ...transform }, opts];
  const edited = { ...args };
  const editedOpts = { ...opts };
  const returned = transform(edited, editedOpts, name);
  // The tree and the names are the component's: a transform changes what a child is, not where.
  return [returned ?? edited, { ...editedOpts, parent: opts.parent }];
}

/**
 * Creates the child `<component name>-<role>` of resource class `Resource` (a provider's resource
 * or another component), parented to the component, after the caller's `transform` of it (see
 * {@link Transform}), and lists it in the component's `nodes`. The one way a library component
 * creates a child: a component's helpers are handed it (`child`) rather than a parent and names.
 */
export type CreateChild = <A extends object, R extends pulumi.Resource>(
  Resource: new (name: string, args: A, opts?: pulumi.CustomResourceOptions) => R,
  role: string,
  args: A,
  transform: Transform<A> | undefined,
  extra?: pulumi.CustomResourceOptions,
) => R;

/**
 * Base of every component of the library. It fixes the two conventions a reader relies on:
 * every child is named `<component name>-<role>` and parented to the component, so the plan
 * tree reads like the architecture and a rename of one component never collides with another.
 */
export abstract class InfraComponent extends pulumi.ComponentResource {
  /** The component's logical name, the prefix of every child's name. */
  readonly logicalName: string;
  readonly #nodes = new Map<string, pulumi.Resource>();

  protected constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.logicalName = name;
  }

  /**
   * Every child the component created, by role (`alb`, `http`, `logs-policy`; the child's name is
   * `<component name>-<role>`): what a caller reaches for when the component exposes no field for
   * it (to depend on it, read an output, or export it).
   */
  get nodes(): Readonly<Record<string, pulumi.Resource>> {
    return Object.fromEntries(this.#nodes);
  }

  /** `<name>-<role>`: the logical name of a child. */
  protected childName(role: string): string {
    return `${this.logicalName}-${role}`;
  }

  /** See {@link CreateChild}; an arrow, so that a helper can be handed `this.child` as it is. */
  protected readonly child: CreateChild = (Resource, role, args, transform, extra = {}) => {
    const name = this.childName(role);
    if (this.#nodes.has(role)) throw new Error(`${name}: a second child with the role ${JSON.stringify(role)}`);
    const [finalArgs, finalOpts] = applyTransform(transform, name, args, { ...extra, parent: this });
    const created = new Resource(name, finalArgs, finalOpts);
    this.#nodes.set(role, created);
    return created;
  };
}
