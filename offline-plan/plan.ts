/** The offline plan of one stack, in the shape docs/architecture.md gives. */
export interface Plan {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** One resource of a {@link Plan}. */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent, null for children of the stack itself. */
  readonly parent: string | null;
  /** True for provider-managed resources, false for components. */
  readonly custom: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly options: PlannedOptions;
}

/** The resource options that change what `pulumi up` does. */
export interface PlannedOptions {
  readonly ignoreChanges: readonly string[];
  readonly dependsOn: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  /** Names the resource had before (Pulumi's `aliases`): the same resource under a new name. @default none */
  readonly aliases?: readonly string[];
}
