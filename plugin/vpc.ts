import * as pulumi from "@pulumi/pulumi";
import { Vpc as LibraryVpc, type VpcArgs as LibraryVpcArgs } from "../components/network";
import type { LogRetentionDays } from "../components/aws-limits";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";

/** Flow log settings of a Vpc. */
export interface VpcFlowLogs {
  /** Days CloudWatch Logs keeps flow records (one of CloudWatch's retention values). Default: 90. */
  retentionInDays?: number;
  /** Which traffic to record: ALL, ACCEPT or REJECT. Default: ALL. */
  trafficType?: string;
}

/** Arguments of a Vpc. */
export interface VpcArgs {
  /** The VPC's IPv4 CIDR block, /16 to /28. Subnets are computed from it. */
  cidrBlock: string;
  /** Availability zones (1 to 6), in the order their subnets are laid out; appending one keeps every existing subnet. */
  availabilityZones: string[];
  /** Egress of the private subnets: perAz (a NAT gateway per AZ), single (one, in the first AZ) or none. Default: perAz. */
  natStrategy?: string;
  /** Gateway endpoints on the private route tables: s3, dynamodb. Default: both. */
  gatewayEndpoints?: string[];
  /** Interface endpoints in the private subnets (ecr.api, ecr.dkr, logs, secretsmanager, ssm, ssmmessages, sts, ...), reachable on 443 from the VPC only. Default: none. */
  interfaceEndpoints?: string[];
  /** Whether the VPC's traffic is recorded to CloudWatch Logs. Default: true. */
  flowLogsEnabled?: boolean;
  /** Flow log settings, when flow logs are on. Default: 90 days, ALL traffic. */
  flowLogs?: VpcFlowLogs;
  /** Tags added to every child (besides the provider's default tags). Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a Vpc that the plugin does not take, and why. */
export const VPC_ABSENT_ARGS = absentArgs<LibraryVpcArgs, VpcArgs>({
  transform: TRANSFORM_ABSENT,
});

/** The library's args of a Vpc, from the multi-language ones. */
export function libraryVpcArgs(args: VpcArgs): LibraryVpcArgs {
  const flowLogs = args.flowLogs ?? {};
  return {
    cidrBlock: args.cidrBlock,
    availabilityZones: args.availabilityZones,
    natStrategy: checkedByComponent(args.natStrategy),
    gatewayEndpoints: args.gatewayEndpoints?.map((s) => checkedByComponent(s)),
    interfaceEndpoints: args.interfaceEndpoints?.map((s) => checkedByComponent(s)),
    flowLogs:
      args.flowLogsEnabled === false
        ? false
        : { retentionInDays: flowLogs.retentionInDays as LogRetentionDays | undefined, trafficType: checkedByComponent(flowLogs.trafficType) },
    tags: args.tags,
  };
}

/**
 * A VPC with public, private and isolated subnets in each AZ, NAT gateways, gateway and interface
 * endpoints and flow logs: the library's Vpc, for every Pulumi language.
 */
export class Vpc extends pulumi.ComponentResource {
  /** The VPC's id. */
  vpcId!: pulumi.Output<string>;
  /** The public subnets, one per AZ (load balancers, NAT gateways). */
  publicSubnetIds!: pulumi.Output<string[]>;
  /** The private subnets, one per AZ (tasks; out through NAT). */
  privateSubnetIds!: pulumi.Output<string[]>;
  /** The isolated subnets, one per AZ (data; no route out). */
  isolatedSubnetIds!: pulumi.Output<string[]>;

  constructor(name: string, args: VpcArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:Vpc", name, {}, opts);
    const vpc = new LibraryVpc(name, libraryVpcArgs(args), { parent: this });
    this.registerOutputs(
      publish(this, {
        vpcId: vpc.vpcId,
        publicSubnetIds: pulumi.all(vpc.publicSubnetIds),
        privateSubnetIds: pulumi.all(vpc.privateSubnetIds),
        isolatedSubnetIds: pulumi.all(vpc.isolatedSubnetIds),
      }),
    );
  }
}
