import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type LogRetentionDays, retentionProblems } from "../aws-limits";
import { type Problem, throwIfProblems, notOneOf } from "../problems";
import { InfraComponent, type Transform } from "../component";
import { policyJson, serviceTrustPolicy } from "../iam";
import { type AzSubnets, layoutProblem, planSubnets, vpcCidrProblem } from "./cidr";
import {
  FLOW_LOG_TRAFFIC_TYPES,
  type FlowLogTrafficType,
  GATEWAY_ENDPOINT_SERVICES,
  type GatewayEndpointService,
  INTERFACE_ENDPOINT_SERVICES,
  type InterfaceEndpointService,
  NAT_STRATEGIES,
  type NatStrategy,
} from "./vpc-options";

/** Flow log settings of a {@link Vpc}. */
export interface VpcFlowLogsArgs {
  /** Days CloudWatch Logs keeps flow records. @default 90 */
  readonly retentionInDays?: LogRetentionDays;
  /** Which traffic to record. @default "ALL" */
  readonly trafficType?: FlowLogTrafficType;
}

/** Arguments of a {@link Vpc}. */
export interface VpcArgs {
  /** The VPC's IPv4 CIDR block, /16 to /28. Subnets are computed from it. */
  readonly cidrBlock: string;
  /**
   * Availability zones (1 to 6), in the order their subnets are laid out. Appending an AZ keeps
   * every existing subnet; removing or reordering one moves the subnets after it.
   */
  readonly availabilityZones: readonly string[];
  /**
   * Egress for private subnets: a NAT gateway per AZ (an AZ outage takes no other AZ's egress),
   * one shared NAT gateway in the first AZ (cheaper), or none.
   * @default "perAz"
   */
  readonly natStrategy?: NatStrategy;
  /** Gateway endpoints on the private route tables. @default ["s3", "dynamodb"] */
  readonly gatewayEndpoints?: readonly GatewayEndpointService[];
  /** Interface endpoints in the private subnets, reachable on 443 from the VPC only. @default [] */
  readonly interfaceEndpoints?: readonly InterfaceEndpointService[];
  /** Flow logs to CloudWatch Logs; `false` turns them off. @default { retentionInDays: 90, trafficType: "ALL" } */
  readonly flowLogs?: VpcFlowLogsArgs | false;
  /** Tags added to every child (besides the provider's default tags). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}). @default none */
  readonly transform?: VpcTransform;
}

/** The children of a {@link Vpc} a caller may transform; each applies to every child of its kind (every subnet, every route table). */
export interface VpcTransform {
  readonly vpc?: Transform<aws.ec2.VpcArgs>;
  readonly defaultSecurityGroup?: Transform<aws.ec2.DefaultSecurityGroupArgs>;
  readonly internetGateway?: Transform<aws.ec2.InternetGatewayArgs>;
  readonly subnet?: Transform<aws.ec2.SubnetArgs>;
  readonly routeTable?: Transform<aws.ec2.RouteTableArgs>;
  readonly route?: Transform<aws.ec2.RouteArgs>;
  readonly routeTableAssociation?: Transform<aws.ec2.RouteTableAssociationArgs>;
  readonly eip?: Transform<aws.ec2.EipArgs>;
  readonly natGateway?: Transform<aws.ec2.NatGatewayArgs>;
  /** Gateway and interface endpoints. */
  readonly endpoint?: Transform<aws.ec2.VpcEndpointArgs>;
  readonly endpointSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  readonly flowLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
  readonly flowLogRole?: Transform<aws.iam.RoleArgs>;
  readonly flowLogPolicy?: Transform<aws.iam.RolePolicyArgs>;
  readonly flowLog?: Transform<aws.ec2.FlowLogArgs>;
}

interface NormalizedVpcArgs {
  readonly cidrBlock: string;
  readonly layout: readonly AzSubnets[];
  readonly natStrategy: NatStrategy;
  readonly gatewayEndpoints: readonly GatewayEndpointService[];
  readonly interfaceEndpoints: readonly InterfaceEndpointService[];
  readonly flowLogs: Required<VpcFlowLogsArgs> | false;
  readonly tags: Readonly<Record<string, string>>;
  readonly transform: VpcTransform;
}

/** The subnets and route table of one tier in one AZ. */
interface AzTier {
  readonly suffix: string;
  readonly subnet: aws.ec2.Subnet;
}

/**
 * A VPC with public, private and isolated subnets in each AZ.
 *
 * - public: the internet gateway is their default route (load balancers, NAT gateways);
 * - private: default route to a NAT gateway (per AZ or single), S3/DynamoDB gateway endpoints;
 *   one route table per AZ; this is where tasks run;
 * - isolated: no default route at all (databases, caches).
 *
 * Children are named after the AZ's letter (`<name>-private-a`), never after an option, so
 * changing the NAT strategy or the endpoints never replaces a subnet.
 */
export class Vpc extends InfraComponent {
  /** The VPC's id. */
  public readonly vpcId: pulumi.Output<string>;
  /** The VPC's CIDR block. */
  public readonly cidrBlock: string;
  /** The public subnets, one per AZ (load balancers, NAT gateways). */
  public readonly publicSubnetIds: pulumi.Output<string>[];
  /** The private subnets, one per AZ (tasks; out through NAT). */
  public readonly privateSubnetIds: pulumi.Output<string>[];
  /** The isolated subnets, one per AZ (data; no route out). */
  public readonly isolatedSubnetIds: pulumi.Output<string>[];
  /** The private subnets' route tables. */
  public readonly privateRouteTableIds: pulumi.Output<string>[];
  /** The NAT gateways (none with natStrategy none). */
  public readonly natGatewayIds: pulumi.Output<string>[];
  /** The group of the interface endpoints, when there are any. */
  public readonly endpointSecurityGroupId: pulumi.Output<string> | undefined;

  constructor(name: string, args: VpcArgs, opts?: pulumi.ComponentResourceOptions) {
    const normalized = normalizeVpcArgs(name, args);
    super("infra:network:Vpc", name, opts);
    const n = normalized;
    this.cidrBlock = n.cidrBlock;

    const vpc = this.createVpc(n);
    this.vpcId = vpc.id;
    this.lockDefaultSecurityGroup(n, vpc);
    const igw = this.child(aws.ec2.InternetGateway, "igw", { vpcId: vpc.id, tags: this.tags(n, "igw") }, n.transform.internetGateway);

    const publics = this.createTier(n, vpc, "public");
    const privates = this.createTier(n, vpc, "private");
    const isolated = this.createTier(n, vpc, "isolated");
    this.routePublic(n, vpc, igw, publics);
    const nats = this.createNatGateways(n, publics, igw);
    const privateTables = this.routePrivate(n, vpc, privates, nats);
    this.routeIsolated(n, vpc, isolated);
    this.createGatewayEndpoints(n, vpc, privateTables);
    const endpointGroup = this.createInterfaceEndpoints(n, vpc, privates);
    this.createFlowLogs(n, vpc);

    this.publicSubnetIds = publics.map((t) => t.subnet.id);
    this.privateSubnetIds = privates.map((t) => t.subnet.id);
    this.isolatedSubnetIds = isolated.map((t) => t.subnet.id);
    this.privateRouteTableIds = privateTables.map((t) => t.id);
    this.natGatewayIds = nats.map((nat) => nat.id);
    this.endpointSecurityGroupId = endpointGroup?.id;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
    });
  }

  private tags(n: NormalizedVpcArgs, role: string): Record<string, string> {
    return { ...n.tags, Name: this.childName(role) };
  }

  private createVpc(n: NormalizedVpcArgs): aws.ec2.Vpc {
    return this.child(
      aws.ec2.Vpc,
      "vpc",
      // DNS support and hostnames are required for interface endpoints' private DNS.
      { cidrBlock: n.cidrBlock, enableDnsSupport: true, enableDnsHostnames: true, tags: this.tags(n, "vpc") },
      n.transform.vpc,
    );
  }

  /** The default group admits all traffic between its members: strip every rule from it. */
  private lockDefaultSecurityGroup(n: NormalizedVpcArgs, vpc: aws.ec2.Vpc): void {
    this.child(
      aws.ec2.DefaultSecurityGroup,
      "default-sg",
      { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: this.childName("default-sg") } },
      n.transform.defaultSecurityGroup,
    );
  }

  private createTier(n: NormalizedVpcArgs, vpc: aws.ec2.Vpc, tier: "public" | "private" | "isolated"): AzTier[] {
    return n.layout.map((az) => {
      const suffix = azSuffix(az.availabilityZone);
      const subnet = this.child(
        aws.ec2.Subnet,
        `${tier}-${suffix}`,
        {
          vpcId: vpc.id,
          cidrBlock: az[tier],
          availabilityZone: az.availabilityZone,
          // Nothing gets a public IP by accident; load balancers and NAT gateways bring their own.
          mapPublicIpOnLaunch: false,
          tags: { ...this.tags(n, `${tier}-${suffix}`), "infra:tier": tier },
        },
        n.transform.subnet,
      );
      return { suffix, subnet };
    });
  }

  private associate(n: NormalizedVpcArgs, role: string, table: aws.ec2.RouteTable, tier: AzTier): void {
    this.child(
      aws.ec2.RouteTableAssociation,
      `${role}-${tier.suffix}`,
      { routeTableId: table.id, subnetId: tier.subnet.id },
      n.transform.routeTableAssociation,
    );
  }

  private routePublic(n: NormalizedVpcArgs, vpc: aws.ec2.Vpc, igw: aws.ec2.InternetGateway, publics: AzTier[]): void {
    const table = this.child(aws.ec2.RouteTable, "public-rt", { vpcId: vpc.id, tags: this.tags(n, "public-rt") }, n.transform.routeTable);
    this.child(aws.ec2.Route, "public-default", { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, n.transform.route);
    for (const tier of publics) this.associate(n, "public-rta", table, tier);
  }

  /** perAz: one NAT per AZ; single: one NAT, in the first AZ (named after it, so perAz keeps it). */
  private createNatGateways(n: NormalizedVpcArgs, publics: AzTier[], igw: aws.ec2.InternetGateway): aws.ec2.NatGateway[] {
    const hosts = n.natStrategy === "perAz" ? publics : n.natStrategy === "single" ? publics.slice(0, 1) : [];
    return hosts.map((tier) => {
      const eip = this.child(aws.ec2.Eip, `nat-eip-${tier.suffix}`, { domain: "vpc", tags: this.tags(n, `nat-eip-${tier.suffix}`) }, n.transform.eip);
      return this.child(
        aws.ec2.NatGateway,
        `nat-${tier.suffix}`,
        { allocationId: eip.id, subnetId: tier.subnet.id, tags: this.tags(n, `nat-${tier.suffix}`) },
        n.transform.natGateway,
        // A NAT gateway needs the internet gateway attached before it can route.
        { dependsOn: [igw] },
      );
    });
  }

  private routePrivate(n: NormalizedVpcArgs, vpc: aws.ec2.Vpc, privates: AzTier[], nats: aws.ec2.NatGateway[]): aws.ec2.RouteTable[] {
    return privates.map((tier, i) => {
      const table = this.child(
        aws.ec2.RouteTable,
        `private-rt-${tier.suffix}`,
        { vpcId: vpc.id, tags: this.tags(n, `private-rt-${tier.suffix}`) },
        n.transform.routeTable,
      );
      // perAz: the NAT of the same AZ; single: the only NAT; none: no default route.
      const nat = nats.length === 0 ? undefined : (nats[i] ?? nats[0]);
      if (nat) {
        this.child(
          aws.ec2.Route,
          `private-default-${tier.suffix}`,
          { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
          n.transform.route,
        );
      }
      this.associate(n, "private-rta", table, tier);
      return table;
    });
  }

  /** Isolated subnets share one route table with only the VPC's local route. */
  private routeIsolated(n: NormalizedVpcArgs, vpc: aws.ec2.Vpc, isolated: AzTier[]): void {
    const table = this.child(aws.ec2.RouteTable, "isolated-rt", { vpcId: vpc.id, tags: this.tags(n, "isolated-rt") }, n.transform.routeTable);
    for (const tier of isolated) this.associate(n, "isolated-rta", table, tier);
  }

  private createGatewayEndpoints(n: NormalizedVpcArgs, vpc: aws.ec2.Vpc, tables: aws.ec2.RouteTable[]): void {
    const region = aws.getRegionOutput({}, { parent: this }).region;
    for (const service of n.gatewayEndpoints) {
      this.child(
        aws.ec2.VpcEndpoint,
        `endpoint-${service}`,
        {
          vpcId: vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: tables.map((t) => t.id),
          tags: this.tags(n, `endpoint-${service}`),
        },
        n.transform.endpoint,
      );
    }
  }

  private createInterfaceEndpoints(n: NormalizedVpcArgs, vpc: aws.ec2.Vpc, privates: AzTier[]): aws.ec2.SecurityGroup | undefined {
    if (n.interfaceEndpoints.length === 0) return undefined;
    const group = this.child(
      aws.ec2.SecurityGroup,
      "endpoints-sg",
      {
        vpcId: vpc.id,
        description: "Interface endpoints: HTTPS from inside the VPC only",
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [n.cidrBlock], description: "HTTPS from the VPC" }],
        egress: [],
        tags: this.tags(n, "endpoints-sg"),
      },
      n.transform.endpointSecurityGroup,
    );
    const region = aws.getRegionOutput({}, { parent: this }).region;
    for (const service of n.interfaceEndpoints) {
      const role = `endpoint-${service.replace(/\./g, "-")}`;
      this.child(
        aws.ec2.VpcEndpoint,
        role,
        {
          vpcId: vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: privates.map((t) => t.subnet.id),
          securityGroupIds: [group.id],
          tags: this.tags(n, role),
        },
        n.transform.endpoint,
      );
    }
    return group;
  }

  private createFlowLogs(n: NormalizedVpcArgs, vpc: aws.ec2.Vpc): void {
    if (n.flowLogs === false) return;
    const logGroup = this.child(
      aws.cloudwatch.LogGroup,
      "flow-logs",
      { retentionInDays: n.flowLogs.retentionInDays, tags: this.tags(n, "flow-logs") },
      n.transform.flowLogGroup,
    );
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const role = this.child(
      aws.iam.Role,
      "flow-logs-role",
      { assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", account), tags: this.tags(n, "flow-logs-role") },
      n.transform.flowLogRole,
    );
    this.child(
      aws.iam.RolePolicy,
      "flow-logs-policy",
      {
        role: role.id,
        policy: policyJson({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
            },
          ],
        }),
      },
      n.transform.flowLogPolicy,
    );
    this.child(
      aws.ec2.FlowLog,
      "flow-log",
      {
        vpcId: vpc.id,
        trafficType: n.flowLogs.trafficType,
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: this.tags(n, "flow-log"),
      },
      n.transform.flowLog,
    );
  }
}

/** `ap-northeast-1a` → `a`: the part of an AZ name that names its children. */
function azSuffix(az: string): string {
  return az.slice(-1);
}

/** Every problem of a VPC's args at once, each naming the argument. */
export function vpcProblems(args: VpcArgs): Problem[] {
  const problems: Problem[] = [];
  const cidrProblem = vpcCidrProblem(args.cidrBlock);
  if (cidrProblem) problems.push({ field: "cidrBlock", message: cidrProblem });
  // The subnets are laid out only in a valid CIDR.
  const layoutIssue = cidrProblem ? undefined : layoutProblem(args.cidrBlock, args.availabilityZones.length);
  if (layoutIssue) problems.push({ field: "availabilityZones", message: layoutIssue });
  const suffixes = args.availabilityZones.map(azSuffix);
  if (new Set(suffixes).size !== suffixes.length)
    problems.push({ field: "availabilityZones", message: `must be distinct, got ${args.availabilityZones.join(", ")}` });
  const nat = args.natStrategy;
  if (nat !== undefined && !NAT_STRATEGIES.includes(nat)) problems.push({ field: "natStrategy", message: notOneOf(nat, NAT_STRATEGIES) });
  // Typed in TypeScript, but a JavaScript caller or another language (plugin/) passes any string.
  (args.gatewayEndpoints ?? []).forEach((service, i) => {
    if (!GATEWAY_ENDPOINT_SERVICES.includes(service)) problems.push({ field: `gatewayEndpoints[${i}]`, message: notOneOf(service, GATEWAY_ENDPOINT_SERVICES) });
  });
  (args.interfaceEndpoints ?? []).forEach((service, i) => {
    if (!INTERFACE_ENDPOINT_SERVICES.includes(service))
      problems.push({ field: `interfaceEndpoints[${i}]`, message: notOneOf(service, INTERFACE_ENDPOINT_SERVICES) });
  });
  if (args.flowLogs !== false) {
    problems.push(...retentionProblems("flowLogs.retentionInDays", args.flowLogs?.retentionInDays ?? VPC_DEFAULTS.flowLogs.retentionInDays));
    const traffic = args.flowLogs?.trafficType;
    if (traffic !== undefined && !FLOW_LOG_TRAFFIC_TYPES.includes(traffic))
      problems.push({ field: "flowLogs.trafficType", message: notOneOf(traffic, FLOW_LOG_TRAFFIC_TYPES) });
  }
  return problems;
}

/** What a VPC gets when its args leave these unset. */
export const VPC_DEFAULTS = {
  natStrategy: "perAz",
  gatewayEndpoints: ["s3", "dynamodb"],
  interfaceEndpoints: [],
  flowLogs: { retentionInDays: 90, trafficType: "ALL" },
} as const satisfies Required<Omit<VpcArgs, "cidrBlock" | "availabilityZones" | "tags" | "transform">>;

/** Validates every argument before anything is registered (one error listing every problem); fills the defaults. */
export function normalizeVpcArgs(name: string, args: VpcArgs): NormalizedVpcArgs {
  throwIfProblems("Vpc", name, vpcProblems(args));
  const natStrategy = args.natStrategy ?? VPC_DEFAULTS.natStrategy;
  const flowLogs =
    args.flowLogs === false
      ? false
      : {
          retentionInDays: args.flowLogs?.retentionInDays ?? VPC_DEFAULTS.flowLogs.retentionInDays,
          trafficType: args.flowLogs?.trafficType ?? VPC_DEFAULTS.flowLogs.trafficType,
        };
  return {
    cidrBlock: args.cidrBlock,
    layout: planSubnets(args.cidrBlock, args.availabilityZones),
    natStrategy,
    gatewayEndpoints: args.gatewayEndpoints ?? [...VPC_DEFAULTS.gatewayEndpoints],
    interfaceEndpoints: args.interfaceEndpoints ?? [...VPC_DEFAULTS.interfaceEndpoints],
    flowLogs,
    tags: args.tags ?? {},
    transform: args.transform ?? {},
  };
}
