import * as pulumi from "@pulumi/pulumi";
import type { Release } from "../components/deploy/release";
import { laterResources } from "../components/component";
import { BlueGreenService } from "../components/ecs/blue-green-service";
import type { Cluster } from "../components/ecs/cluster";
import { LoadBalancer } from "../components/loadbalancing/load-balancer";
import type { JobPlatform } from "../components/jobs/job-platform";
import type { BackGroupConfig } from "../infra/config/jobs";
import type { Vpc } from "../components/network/vpc";
import type { StackConfig } from "../infra/config/schema";
import { datadogSidecar } from "./datadog";
import type { ServiceConfig } from "../infra/config/services";

/** What a release of a web service needs to know (`pulumi stack output services`). */
export interface ServiceOutputs {
  readonly clusterName: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  /** Under CodeDeploy: its application and deployment group (a service ECS releases has neither). */
  readonly applicationName?: pulumi.Output<string>;
  readonly deploymentGroupName?: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  readonly containerName: string;
  readonly containerPort: number;
  readonly subnetIds: pulumi.Output<string[]>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  /** What `npm run release -- <stack> <service>` and its siblings are given. */
  readonly release: pulumi.Output<Readonly<Record<string, unknown>>>;
}

/**
 * One web service from `infra:services.<key>`: its own load balancer and a blue/green service.
 * Released by ECS, the service rolls only after its release's migration and the workers, which
 * exist later: `rollout` is given them once they do.
 */
export function createWebService(
  config: StackConfig,
  key: string,
  s: ServiceConfig,
  { network, cluster, jobs }: { network: Vpc; cluster: Cluster; jobs: JobPlatform | undefined },
  opts: pulumi.ComponentResourceOptions,
): { service: BlueGreenService; loadBalancer: LoadBalancer; rollout?: (after: pulumi.Resource[]) => void } {
  const coloured = jobs !== undefined && colourGroupsOf(config, key).length > 0;
  const rollout = s.deployment.controller === "ecs" ? laterResources() : undefined;
  const loadBalancer = new LoadBalancer(
    `${key}-lb`,
    {
      vpcId: network.vpcId,
      subnetIds: network.publicSubnetIds,
      certificateArn: s.certificateArn,
      sslPolicy: s.sslPolicy,
      testListener: { port: s.testListener.port, allowedCidrs: s.testListener.allowedCidrs },
      deletionProtection: s.loadBalancer.deletionProtection,
      accessLogRetentionInDays: s.loadBalancer.accessLogRetentionInDays,
      idleTimeoutSeconds: s.loadBalancer.idleTimeoutSeconds,
      protectLogs: config.protectData,
      webAcl: {
        aclName: `${config.name}-${key}`,
        mode: config.waf.mode,
        managedRuleGroups: config.waf.managedRuleGroups,
        rateLimitPer5Minutes: config.waf.rateLimitPer5Minutes,
        logRetentionInDays: config.waf.logRetentionInDays,
      },
    },
    opts,
  );
  const service = new BlueGreenService(
    key,
    {
      serviceName: `${config.name}-${key}`,
      cluster,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      loadBalancer,
      task: {
        family: `${config.name}-${key}`,
        cpu: s.cpu,
        memory: s.memory,
        architecture: s.architecture,
        enableExecuteCommand: s.shell,
        container: {
          image: s.image,
          port: s.port,
          ...(s.command ? { command: s.command } : {}),
          // With a job platform, the service enqueues back jobs: the cache's address, the back
          // namespace and the auth token (as a secret).
          environment: { ...s.environment, ...jobs?.client.environment },
          secrets: { ...s.secrets, ...jobs?.client.secrets },
        },
        ...datadogSidecar(config, s.datadog, key),
        // Followed by blue/green workers: a task definition per colour, enqueuing into its colour's namespace.
        ...(jobs && coloured ? { variants: jobs.colourVariables } : {}),
      },
      ...(s.desiredCount !== undefined ? { desiredCount: s.desiredCount } : {}),
      ...(s.autoscaling ? { autoscaling: s.autoscaling } : {}),
      healthCheck: s.healthCheck,
      deployment: s.deployment,
      ...(rollout ? { rolloutAfter: rollout.resources } : {}),
      ...(jobs ? { extraSecurityGroupIds: [jobs.client.securityGroupId] } : {}),
    },
    opts,
  );
  return { service, loadBalancer, ...(rollout ? { rollout: rollout.resolve } : {}) };
}

/** The blue/green back worker groups that follow a web service's colour, by group. */
export function colourGroupsOf(config: StackConfig, key: string): [string, BackGroupConfig][] {
  return Object.entries(config.jobs?.back ?? {}).filter(([, g]) => g.release === "blueGreen" && g.enqueuedBy.includes(key));
}

/** The outputs a release reads. */
export function serviceOutputs({ service, loadBalancer }: { service: BlueGreenService; loadBalancer: LoadBalancer }, release: Release): ServiceOutputs {
  return {
    clusterName: service.clusterName,
    serviceName: service.serviceName,
    // Under CodeDeploy the outputs stay as they were before the ECS controller existed.
    ...(service.applicationName && service.deploymentGroupName
      ? { applicationName: service.applicationName, deploymentGroupName: service.deploymentGroupName }
      : {}),
    taskDefinitionArn: service.taskDefinitionArn,
    containerName: service.containerName,
    containerPort: service.containerPort,
    subnetIds: service.subnetIds,
    securityGroupId: service.securityGroupId,
    url: pulumi.interpolate`https://${loadBalancer.dnsName}`,
    release: release.target,
  };
}
