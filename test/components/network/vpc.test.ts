import { configProblems, minimalConfig } from "../../helpers/config";
import { describe, expect, it } from "vitest";
import { Vpc, type VpcArgs } from "../../../components/network/vpc";
import { byType, input, jsonInput, named, planOf, planAttempt } from "../../helpers/plan";

const AZS = ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"];
const planVpc = (args: Partial<VpcArgs> = {}) => planOf(() => new Vpc("net", { cidrBlock: "10.50.0.0/16", availabilityZones: AZS, ...args }));

interface Rule {
  protocol: string;
  fromPort: number;
  toPort: number;
  cidrBlocks?: string[];
}

describe("Vpc subnets", () => {
  it("creates a public, a private and an isolated subnet in each AZ, named after the AZ", async () => {
    const plan = await planVpc();
    const subnets = byType(plan, "aws:ec2/subnet:Subnet");
    expect(subnets.map((s) => s.name).sort()).toEqual(
      ["isolated-a", "isolated-c", "isolated-d", "private-a", "private-c", "private-d", "public-a", "public-c", "public-d"].map((n) => `net-${n}`),
    );
    const privateA = named(plan, "net-private-a");
    expect(privateA.inputs).toMatchObject({ cidrBlock: "10.50.0.0/19", availabilityZone: "ap-northeast-1a", vpcId: "net-vpc-id", mapPublicIpOnLaunch: false });
    expect(input<boolean>(named(plan, "net-public-d"), "mapPublicIpOnLaunch")).toBe(false);
  });

  it("parents every child to the component and prefixes its name", async () => {
    const plan = await planVpc();
    const component = named(plan, "net");
    expect(component.type).toBe("infra:network:Vpc");
    for (const r of plan.resources.filter((r) => r !== component)) {
      expect(r.parent).toBe(component.urn);
      expect(r.name.startsWith("net-")).toBe(true);
    }
  });

  it("keeps subnet names and CIDRs when the NAT strategy or endpoints change", async () => {
    const a = await planVpc({ natStrategy: "perAz" });
    const b = await planVpc({ natStrategy: "none", interfaceEndpoints: ["logs"], gatewayEndpoints: [] });
    const subnets = (p: typeof a) => byType(p, "aws:ec2/subnet:Subnet").map((s) => [s.urn, s.inputs.cidrBlock]);
    expect(subnets(b)).toEqual(subnets(a));
  });

  it("strips every rule from the VPC's default security group", async () => {
    const sg = named(await planVpc(), "net-default-sg");
    expect(sg.type).toBe("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(sg.inputs).toMatchObject({ vpcId: "net-vpc-id", ingress: [], egress: [] });
  });

  it("turns on DNS support and hostnames (interface endpoints need them)", async () => {
    expect(named(await planVpc(), "net-vpc").inputs).toMatchObject({ cidrBlock: "10.50.0.0/16", enableDnsSupport: true, enableDnsHostnames: true });
  });
});

describe("Vpc NAT strategies", () => {
  const privateRoutes = (plan: Awaited<ReturnType<typeof planVpc>>) =>
    Object.fromEntries(
      byType(plan, "aws:ec2/route:Route")
        .filter((r) => r.name.startsWith("net-private-default-"))
        .map((r) => [input<string>(r, "routeTableId"), input<string>(r, "natGatewayId")]),
    );

  it("perAz: a NAT gateway and an EIP per AZ; each private table routes to its own AZ's NAT", async () => {
    const plan = await planVpc({ natStrategy: "perAz" });
    const nats = byType(plan, "aws:ec2/natGateway:NatGateway");
    expect(nats.map((n) => [n.name, n.inputs.subnetId, n.inputs.allocationId])).toEqual([
      ["net-nat-a", "net-public-a-id", "net-nat-eip-a-id"],
      ["net-nat-c", "net-public-c-id", "net-nat-eip-c-id"],
      ["net-nat-d", "net-public-d-id", "net-nat-eip-d-id"],
    ]);
    expect(byType(plan, "aws:ec2/eip:Eip")).toHaveLength(3);
    expect(privateRoutes(plan)).toEqual({
      "net-private-rt-a-id": "net-nat-a-id",
      "net-private-rt-c-id": "net-nat-c-id",
      "net-private-rt-d-id": "net-nat-d-id",
    });
    expect(named(plan, "net-nat-a").options.dependsOn).toEqual([named(plan, "net-igw").urn]);
  });

  it("single: one NAT gateway in the first AZ, every private table routes to it", async () => {
    const plan = await planVpc({ natStrategy: "single" });
    expect(byType(plan, "aws:ec2/natGateway:NatGateway").map((n) => n.name)).toEqual(["net-nat-a"]);
    expect(byType(plan, "aws:ec2/eip:Eip").map((n) => n.name)).toEqual(["net-nat-eip-a"]);
    expect(privateRoutes(plan)).toEqual({
      "net-private-rt-a-id": "net-nat-a-id",
      "net-private-rt-c-id": "net-nat-a-id",
      "net-private-rt-d-id": "net-nat-a-id",
    });
  });

  it("none: no NAT gateway, no EIP, no default route from private subnets", async () => {
    const plan = await planVpc({ natStrategy: "none" });
    expect(byType(plan, "aws:ec2/natGateway:NatGateway")).toEqual([]);
    expect(byType(plan, "aws:ec2/eip:Eip")).toEqual([]);
    expect(privateRoutes(plan)).toEqual({});
  });

  it("routes public subnets to the internet gateway and gives isolated subnets no route at all", async () => {
    const plan = await planVpc();
    const routes = byType(plan, "aws:ec2/route:Route");
    expect(named(plan, "net-public-default").inputs).toMatchObject({
      routeTableId: "net-public-rt-id",
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: "net-igw-id",
    });
    expect(routes.filter((r) => r.inputs.routeTableId === "net-isolated-rt-id")).toEqual([]);
    const assoc = byType(plan, "aws:ec2/routeTableAssociation:RouteTableAssociation");
    expect(assoc.filter((a) => a.inputs.routeTableId === "net-isolated-rt-id").map((a) => a.inputs.subnetId)).toEqual([
      "net-isolated-a-id",
      "net-isolated-c-id",
      "net-isolated-d-id",
    ]);
    expect(input<string>(named(plan, "net-private-rta-c"), "routeTableId")).toBe("net-private-rt-c-id");
  });
});

describe("Vpc endpoints", () => {
  it("attaches S3 and DynamoDB gateway endpoints to the private route tables by default", async () => {
    const plan = await planVpc();
    for (const service of ["s3", "dynamodb"]) {
      expect(named(plan, `net-endpoint-${service}`).inputs).toMatchObject({
        serviceName: `com.amazonaws.ap-northeast-1.${service}`,
        vpcEndpointType: "Gateway",
        routeTableIds: ["net-private-rt-a-id", "net-private-rt-c-id", "net-private-rt-d-id"],
      });
    }
  });

  it("creates no interface endpoint nor its group unless asked", async () => {
    const plan = await planVpc();
    expect(byType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface")).toEqual([]);
    expect(byType(plan, "aws:ec2/securityGroup:SecurityGroup")).toEqual([]);
  });

  it("puts interface endpoints in the private subnets behind a group admitting 443 from the VPC only", async () => {
    const plan = await planVpc({ interfaceEndpoints: ["ecr.api", "logs"] });
    const sg = named(plan, "net-endpoints-sg");
    expect(input<Rule[]>(sg, "ingress")).toEqual([
      { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.50.0.0/16"], description: "HTTPS from the VPC" },
    ]);
    expect(input<Rule[]>(sg, "egress")).toEqual([]);
    expect(named(plan, "net-endpoint-ecr-api").inputs).toMatchObject({
      serviceName: "com.amazonaws.ap-northeast-1.ecr.api",
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: ["net-private-a-id", "net-private-c-id", "net-private-d-id"],
      securityGroupIds: ["net-endpoints-sg-id"],
    });
  });
});

describe("Vpc flow logs", () => {
  it("sends all traffic to a log group with the retention asked, through a role only VPC flow logs of this account can assume", async () => {
    const plan = await planVpc({ flowLogs: { retentionInDays: 365 } });
    expect(input<number>(named(plan, "net-flow-logs"), "retentionInDays")).toBe(365);
    const logArn = "arn:aws:logs:ap-northeast-1:123456789012:log-group:net-flow-logs-";
    const flowLog = named(plan, "net-flow-log");
    expect(flowLog.inputs).toMatchObject({ vpcId: "net-vpc-id", trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
    expect(input<string>(flowLog, "iamRoleArn")).toMatch(/^arn:aws:iam::123456789012:role\/net-flow-logs-role-[0-9a-f]{7}$/);
    expect(input<string>(flowLog, "logDestination").startsWith(logArn)).toBe(true);
    expect(jsonInput(named(plan, "net-flow-logs-role"), "assumeRolePolicy")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
    const policy = jsonInput<{ Statement: { Action: string[]; Resource: string[] }[] }>(named(plan, "net-flow-logs-policy"), "policy");
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]!.Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
    for (const resource of policy.Statement[0]!.Resource) expect(resource.startsWith(logArn)).toBe(true);
  });

  it("creates nothing for flow logs when turned off", async () => {
    const plan = await planVpc({ flowLogs: false });
    expect(byType(plan, "aws:ec2/flowLog:FlowLog")).toEqual([]);
    expect(byType(plan, "aws:iam/role:Role")).toEqual([]);
    expect(byType(plan, "aws:cloudwatch/logGroup:LogGroup")).toEqual([]);
  });
});

describe("Vpc argument errors", () => {
  it.each<[string, Partial<VpcArgs>, string]>([
    ["a bad CIDR", { cidrBlock: "10.0.0.0/33" }, 'Vpc "net": cidrBlock "10.0.0.0/33" is not an IPv4 CIDR'],
    [
      "a CIDR too small",
      { cidrBlock: "10.0.0.0/26" },
      'Vpc "net": availabilityZones a /26 VPC is too small for 3 AZs: public and isolated subnets would be /31, AWS\'s smallest subnet is /28; use a /23 or larger VPC',
    ],
    ["no AZ", { availabilityZones: [] }, 'Vpc "net": availabilityZones 0 AZs is not supported; use 1 to 6'],
    [
      "the same AZ twice",
      { availabilityZones: ["ap-northeast-1a", "ap-northeast-1a"] },
      'Vpc "net": availabilityZones must be distinct, got ap-northeast-1a, ap-northeast-1a',
    ],
    ["an unknown NAT strategy", { natStrategy: "twice" as never }, 'Vpc "net": natStrategy "twice" is not one of "perAz", "single", "none"'],
    [
      "an endpoint service it does not know",
      { gatewayEndpoints: ["s3", "sqs" as never], interfaceEndpoints: ["logs", "ecr" as never] },
      'Vpc "net": gatewayEndpoints[1] "sqs" is not one of "s3", "dynamodb"; interfaceEndpoints[1] "ecr" is not one of "ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "ssmmessages", "ec2messages", "sts", "kms", "monitoring", "sqs", "sns", "states", "ecs", "ecs-agent", "ecs-telemetry", "elasticache"',
    ],
    [
      "a flow log traffic type",
      { flowLogs: { trafficType: "SOME" as never } },
      'Vpc "net": flowLogs.trafficType "SOME" is not one of "ALL", "ACCEPT", "REJECT"',
    ],
    [
      "a retention CloudWatch refuses",
      { flowLogs: { retentionInDays: 45 as never } },
      'Vpc "net": flowLogs.retentionInDays 45 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    ],
  ])("rejects %s before registering anything", async (_case, args, expected) => {
    const { message, plan } = await planAttempt(() => {
      new Vpc("net", { cidrBlock: "10.50.0.0/16", availabilityZones: AZS, ...args });
    });
    expect(message).toBe(expected);
    expect(plan.resources).toEqual([]);
  });

  it("names every problem at once, in the config loader's words for the NAT strategy", async () => {
    const { message } = await planAttempt(() => {
      new Vpc("net", { cidrBlock: "10.0.0.0/33", availabilityZones: AZS, natStrategy: "twice" as never, flowLogs: { retentionInDays: 45 as never } });
    });
    expect(message).toBe(
      'Vpc "net": cidrBlock "10.0.0.0/33" is not an IPv4 CIDR; natStrategy "twice" is not one of "perAz", "single", "none"; flowLogs.retentionInDays 45 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    );
    expect(configProblems(minimalConfig({ "infra:network": { cidr: "10.50.0.0/16", azs: ["ap-northeast-1a"], natStrategy: "twice" } }))).toEqual([
      'infra:network.natStrategy: "twice" is not one of "perAz", "single", "none"',
    ]);
  });
});

describe("Vpc transform", () => {
  it("changes the VPC, each subnet and each NAT gateway as asked, each kept under the Vpc with its name", async () => {
    const plan = await planVpc({
      transform: {
        vpc: { instanceTenancy: "default" },
        subnet: (a) => {
          a.enableResourceNameDnsARecordOnLaunch = true;
        },
        natGateway: { connectivityType: "public" },
      },
    });
    expect(named(plan, "net-vpc").inputs).toMatchObject({ instanceTenancy: "default", cidrBlock: "10.50.0.0/16" });
    const subnets = byType(plan, "aws:ec2/subnet:Subnet");
    expect(subnets).toHaveLength(9);
    for (const subnet of subnets) {
      expect(subnet.inputs).toMatchObject({ enableResourceNameDnsARecordOnLaunch: true, mapPublicIpOnLaunch: false });
      expect(subnet.parent).toMatch(/::net$/);
    }
    expect(byType(plan, "aws:ec2/natGateway:NatGateway").map((n) => n.inputs.connectivityType)).toEqual(["public", "public", "public"]);
  });
});
