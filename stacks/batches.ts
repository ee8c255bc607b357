import type * as pulumi from "@pulumi/pulumi";
import { BatchPlatform } from "../components/batch/batch-platform";
import { CronBatch } from "../components/batch/cron-batch";
import type { Cluster } from "../components/ecs/cluster";
import type { Vpc } from "../components/network/vpc";
import type { StackConfig } from "../infra/config/schema";
import { datadogSidecar } from "./datadog";

/** What the stack exports of its batches. */
export interface BatchOutputs {
  readonly topicArn: pulumi.Output<string>;
  readonly deadLetterQueueName: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  /** The run table: what a product team's own CronBatch on this platform writes its runs to (its `platform`). */
  readonly runTableName: pulumi.Output<string>;
  readonly runTableArn: pulumi.Output<string>;
  readonly stateMachines: Readonly<Record<string, pulumi.Output<string>>>;
}

/** The batches of a stack: the shared platform, each CronBatch by key, and what the stack exports. */
export interface Batches {
  readonly platform: BatchPlatform;
  readonly batches: Readonly<Record<string, CronBatch>>;
  readonly outputs: BatchOutputs;
}

/** The shared batch platform and one CronBatch per `infra:batches` entry (none: nothing is created). */
export function createBatches(
  config: StackConfig,
  { network, cluster }: { network: Vpc; cluster: Cluster },
  opts: pulumi.ComponentResourceOptions,
): Batches | undefined {
  const entries = Object.entries(config.batches);
  if (entries.length === 0) return undefined;
  const batches: Record<string, CronBatch> = {};
  const platform = new BatchPlatform("batch", { protectData: config.protectData }, opts);
  const stateMachines: Record<string, pulumi.Output<string>> = {};
  for (const [key, b] of entries) {
    const batch = new CronBatch(
      `batch-${key}`,
      {
        batchName: `${config.name}-${key}`,
        schedule: b.schedule,
        timezone: b.timezone,
        platform,
        cluster,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        task: {
          family: `${config.name}-${key}`,
          cpu: b.cpu,
          memory: b.memory,
          architecture: b.architecture,
          enableExecuteCommand: b.shell,
          container: { image: b.image, secrets: b.secrets },
          ...datadogSidecar(config, b.datadog, key),
        },
        command: b.command,
        environment: b.environment,
        parameters: b.parameters,
        timeoutSeconds: b.timeoutSeconds,
        ...(b.infrastructureRetry ? { infrastructureRetry: b.infrastructureRetry } : {}),
        ...(b.taskFailureRetry ? { taskFailureRetry: b.taskFailureRetry } : {}),
        overlap: b.overlap,
        enabled: b.enabled,
        description: b.description,
        logRetentionInDays: b.logRetentionInDays,
      },
      opts,
    );
    stateMachines[key] = batch.stateMachineArn;
    batches[key] = batch;
  }
  return {
    platform,
    batches,
    outputs: {
      topicArn: platform.topicArn,
      deadLetterQueueName: platform.deadLetterQueueName,
      deadLetterQueueArn: platform.deadLetterQueueArn,
      runTableName: platform.runTableName,
      runTableArn: platform.runTableArn,
      stateMachines,
    },
  };
}
