import * as pulumi from "@pulumi/pulumi";

/**
 * Options of a stateful child the stack wants kept (its data matters, as in prd): Pulumi refuses
 * to delete it, and a deletion that goes through anyway leaves it in AWS.
 */
export function keepOnDelete(protect: boolean): pulumi.CustomResourceOptions {
  return protect ? { protect: true, retainOnDelete: true } : {};
}

/**
 * Base of every component of the library. It fixes the two conventions a reader relies on:
 * every child is named `<component name>-<role>` and parented to the component, so the plan
 * tree reads like the architecture and a rename of one component never collides with another.
 */
export abstract class InfraComponent extends pulumi.ComponentResource {
  /** The component's logical name, the prefix of every child's name. */
  readonly logicalName: string;

  protected constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.logicalName = name;
  }

  /** `<name>-<role>`: the logical name of a child. */
  protected childName(role: string): string {
    return `${this.logicalName}-${role}`;
  }

  /** Options of a child: parented to this component, plus any extra option. */
  protected childOpts(extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return { ...extra, parent: this };
  }
}
