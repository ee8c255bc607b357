import * as pulumi from "@pulumi/pulumi";
import { ReleasePlatform as LibraryReleasePlatform, type ReleasePlatformArgs as LibraryReleasePlatformArgs } from "../components/deploy";
import { absentArgs, publish, TRANSFORM_ABSENT } from "./values";

/** Arguments of a ReleasePlatform. */
export interface ReleasePlatformArgs {
  /** Keep the lock table when the stack or the component is deleted. Default: false. */
  protectData?: boolean;
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a ReleasePlatform that the plugin does not take, and why. */
export const RELEASE_PLATFORM_ABSENT_ARGS = absentArgs<LibraryReleasePlatformArgs, ReleasePlatformArgs>({
  transform: TRANSFORM_ABSENT,
});

/**
 * What every release of a stack shares: the lock table that refuses a second release of a service
 * while one runs, and the topic of release events. The library's ReleasePlatform, for every
 * Pulumi language; pass its outputs to each BlueGreenService's `release.platform`.
 */
export class ReleasePlatform extends pulumi.ComponentResource {
  /** The lock table's name. */
  lockTableName!: pulumi.Output<string>;
  /** The lock table's ARN. */
  lockTableArn!: pulumi.Output<string>;
  /** The topic of release events (started, switched, failed, rolled back). */
  topicArn!: pulumi.Output<string>;

  constructor(name: string, args: ReleasePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:ReleasePlatform", name, {}, opts);
    const platform = new LibraryReleasePlatform(name, args, { parent: this });
    this.registerOutputs(publish(this, { lockTableName: platform.lockTableName, lockTableArn: platform.lockTableArn, topicArn: platform.topicArn }));
  }
}
