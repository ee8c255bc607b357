import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ReleaseBot } from "../components/chat/release-bot";
import { Cluster } from "../components/ecs/cluster";
import type { NeighbourReleases } from "../infra/config/neighbours";
import { releaseBotArgs } from "../infra/config/release-bot";
import type { StackConfig } from "../infra/config/schema";
import { type BatchOutputs, createBatches } from "./batches";
import { createJobs } from "./jobs";
import { createMonitoring } from "./monitoring";
import { createNetwork } from "./network";
import { createReleases } from "./releases";
import { laterResources } from "../components/component";
import { createWebService, type ServiceOutputs, serviceOutputs } from "./web";
import { operatorPolicy, workloadOutputs } from "./workloads";
import type { WorkloadTargetInput } from "../release-tool/contract";

/** What a stack exports (`pulumi stack output`). */
export interface StackOutputs {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly isolatedSubnetIds: pulumi.Output<string>[];
  readonly clusterName: pulumi.Output<string>;
  /** What a product team's program needs to place a service in the shared cluster. */
  readonly clusterArn: pulumi.Output<string>;
  readonly services: Readonly<Record<string, ServiceOutputs>>;
  /** Per ECS workload, what `npm run task` and `npm run shell` read. */
  readonly workloads: Readonly<Record<string, pulumi.Output<WorkloadTargetInput>>>;
  /** The IAM policy a person needs to run `npm run task` and `npm run shell` on this stack. */
  readonly operatorPolicy: pulumi.Output<string>;
  /** Absent when the stack has no batch. */
  readonly batches?: BatchOutputs;
  /** The slash command's Request URL, for the Slack app; absent without `infra:releaseBot`. */
  readonly releaseBot?: { readonly url: pulumi.Output<string> };
  /** Absent when the stack has no jobs. */
  readonly jobs?: { readonly redisUrl: pulumi.Output<string>; readonly backNamespace: string; readonly periodicNamespace: string };
}

/**
 * This product's composition: one environment made of the library's components, every value
 * taken from the typed stack config. Nothing here depends on which stack it is; prd and stg
 * differ only by their YAML. `stack` is only a label: the deploy lock's key and the commands a
 * release tells an operator to run.
 */
export function composeStack(config: StackConfig, stack: string, neighbours: NeighbourReleases = {}): StackOutputs {
  // Checked before anything is registered: the stacks the bot answers for exist and have services.
  const botArgs = releaseBotArgs(config, stack, neighbours);
  // One explicit provider, inherited by every component: it refuses to touch any account but
  // the stack's own, and it tags every resource with the stack's tags.
  const provider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    allowedAccountIds: [config.accountId],
    defaultTags: { tags: config.tags },
  });
  const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };
  const network = createNetwork(config, opts);
  const cluster = new Cluster(
    "ecs",
    { clusterName: config.name, containerInsights: config.cluster.containerInsights, execLogRetentionInDays: config.cluster.execLogRetentionInDays },
    opts,
  );
  // Jobs first: web services enqueue back jobs, so they receive the platform's client settings.
  // Their services roll only after the releases' migrations, which exist further down.
  const migrations = laterResources();
  const jobs = createJobs(config, { network, cluster }, opts, migrations.resources);
  const web = Object.fromEntries(Object.entries(config.services).map(([key, s]) => [key, createWebService(config, key, s, { network, cluster, jobs }, opts)]));
  const { releases, platform } = createReleases(config, stack, Object.fromEntries(Object.entries(web).map(([key, w]) => [key, w.service])), jobs, opts);
  migrations.resolve(Object.values(releases).map((r) => r.prepared));
  for (const [key, w] of Object.entries(web)) w.rollout?.([...releases[key]!.rolloutAfter]);
  const services = Object.fromEntries(Object.entries(web).map(([key, w]) => [key, serviceOutputs(w, releases[key]!)]));
  const batches = createBatches(config, { network, cluster }, opts);
  createMonitoring(config, stack, { web, jobs, batches }, opts);
  const bot = botArgs
    ? new ReleaseBot(
        "release-bot",
        {
          ...botArgs,
          protectData: config.protectData === true,
          ...(botArgs.events && platform ? { events: { ...botArgs.events, topicArns: [platform.topicArn] } } : {}),
        },
        opts,
      )
    : undefined;
  const watched = { web: Object.fromEntries(Object.entries(web).map(([key, w]) => [key, w.service])), jobs, batches };
  return {
    ...(bot ? { releaseBot: { url: bot.url } } : {}),
    ...(batches ? { batches: batches.outputs } : {}),
    ...(jobs ? { jobs: { redisUrl: jobs.redis.url, backNamespace: jobs.backNamespace, periodicNamespace: jobs.periodicNamespace } } : {}),
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    isolatedSubnetIds: network.isolatedSubnetIds,
    clusterName: cluster.clusterName,
    clusterArn: cluster.clusterArn,
    services,
    workloads: workloadOutputs(config, stack, cluster, watched),
    operatorPolicy: operatorPolicy(config, cluster, watched),
  };
}
