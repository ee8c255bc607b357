import type * as pulumi from "@pulumi/pulumi";
import { autoName } from "../components/aws-limits";
import { type MockLocation, mockArn, mockArnSuffix, stableSuffix } from "./arns";

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** What the mock saw of one registered resource. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
}

/**
 * Pulumi mocks that answer like AWS would, deterministically: ids and ARNs derive from the
 * resource's name (so a reference in the plan shows what it points at), a missing `name` is
 * generated like Pulumi's autonaming (logical name + 7 characters), and invokes answer from
 * the stack's own config. An invoke nobody taught the mock fails loudly.
 */
export class PlanMocks implements pulumi.runtime.Mocks {
  readonly registered: RegisteredResource[] = [];
  /** What the program asked that the plan cannot answer (a stack reference it has no outputs of): the plan's error, whatever failed after it. */
  readonly problems: string[] = [];

  constructor(
    private readonly where: MockLocation & { readonly availabilityZones: readonly string[] },
    private readonly stack: string,
    /** The outputs of each stack a `StackReference` names (`pulumi stack output --json` of it). @default none */
    private readonly stackOutputs: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = args.inputs as Record<string, unknown>;
    this.registered.push({ type: args.type, name: args.name, custom: args.custom ?? false, inputs });
    if (args.type === STACK_REFERENCE) return this.stackReference(typeof inputs.name === "string" ? inputs.name : (args.id ?? args.name));
    if (!args.custom) return { id: undefined, state: {} };
    const seed = stableSuffix(`${this.stack}:${args.type}:${args.name}`);
    const physical = physicalName(args.type, args.name, inputs, seed);
    // An ECS service's ARN names its cluster (the long ARN format): service/<cluster>/<service>.
    const cluster = args.type === "aws:ecs/service:Service" && typeof inputs.cluster === "string" ? `${inputs.cluster.split("/").pop()}/` : "";
    const arn = mockArn(args.type, `${cluster}${physical}`, this.where, seed);
    const state: Record<string, unknown> = { ...inputs, name: physical, arn };
    if (args.type === "aws:lb/loadBalancer:LoadBalancer" || args.type === "aws:lb/targetGroup:TargetGroup") {
      state.arnSuffix = mockArnSuffix(arn);
    }
    if (args.type === "aws:lb/loadBalancer:LoadBalancer") state.dnsName = `${physical}.${this.where.region}.elb.amazonaws.com`;
    // A bucket's name is its `bucket` property, not `name`.
    if (args.type === "aws:s3/bucket:Bucket" || args.type === "aws:s3/bucketV2:BucketV2") state.bucket = physical;
    // Generated values the provider returns: a password, an integration key (never real ones) and a cache endpoint.
    if (args.type === "random:index/randomPassword:RandomPassword") state.result = `offline-plan-${seed}`;
    if (args.type === "pagerduty:index/serviceIntegration:ServiceIntegration") state.integrationKey = `offline-plan-${seed}`;
    if (args.type === "aws:elasticache/replicationGroup:ReplicationGroup")
      state.primaryEndpointAddress = `master.${physical}.${seed}.${this.where.region}.cache.amazonaws.com`;
    // What a command printed is known once it ran; the plan runs none and says so.
    if (args.type === "command:local:Command") state.stdout = `offline plan: ${args.name} did not run`;
    // An HTTP API is reached by its id: its endpoint, and the ARN a Lambda permission scopes API Gateway's calls to.
    if (args.type === "aws:apigatewayv2/api:Api") {
      state.executionArn = `arn:aws:execute-api:${this.where.region}:${this.where.accountId}:${args.name}-id`;
      state.apiEndpoint = `https://${args.name}-id.execute-api.${this.where.region}.amazonaws.com`;
    }
    if (args.type === "aws:ecs/taskDefinition:TaskDefinition") {
      state.revision = 1;
      state.arnWithoutRevision = arn.replace(/:1$/, "");
    }
    return { id: `${args.name}-id`, state };
  }

  /** A stack reference reads the other stack's outputs, as the engine answers them; a stack the plan was given none of is refused by name. */
  private stackReference(name: string): { id: string; state: Record<string, unknown> } {
    const outputs = this.stackOutputs[name];
    if (!outputs) {
      const given = Object.keys(this.stackOutputs);
      const problem = `StackReference ${JSON.stringify(name)}: the offline plan has no outputs of that stack (${given.length ? `it has ${given.join(", ")}` : "none given"}); give them with --stack-outputs ${name}=<file>, the file written by: pulumi stack output --json --show-secrets -s ${name} > <file>`;
      this.problems.push(problem);
      throw new Error(problem);
    }
    return { id: name, state: { name, outputs, secretOutputNames: [] } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const { accountId, region, availabilityZones } = this.where;
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId, arn: `arn:aws:iam::${accountId}:user/offline-plan`, userId: "offline-plan", id: accountId };
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
      case "aws:index/getAvailabilityZones:getAvailabilityZones":
        return { names: availabilityZones, zoneIds: availabilityZones.map((az) => `${az}-id`), id: region };
      case "pagerduty:index/getVendor:getVendor":
        // The vendor PagerDuty files Datadog under; its real id is looked up by name at deploy time.
        return {
          id: `vendor-${String((args.inputs as { name?: string }).name).toLowerCase()}`,
          name: (args.inputs as { name?: string }).name,
          type: "generic_events_api_inbound_integration",
        };
      default:
        throw new Error(`offline plan: the mock has no answer for invoke ${args.token}`);
    }
  }
}

/** The name AWS knows a resource by: its explicit name, a task definition's family, or Pulumi's autoname. */
function physicalName(type: string, logicalName: string, inputs: Record<string, unknown>, seed: string): string {
  if (typeof inputs.name === "string") return inputs.name;
  if (type === "aws:ecs/taskDefinition:TaskDefinition" && typeof inputs.family === "string") return inputs.family;
  if (type.startsWith("aws:s3/bucket") && typeof inputs.bucket === "string") return inputs.bucket;
  return autoName(logicalName, seed);
}
