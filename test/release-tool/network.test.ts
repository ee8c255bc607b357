import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AttachVpnGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpnGatewayCommand,
  DescribeRouteTablesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLoadBalancerSubnets, checkTaskSubnets, type NetworkClients } from "../../release-tool/network";
import { FakeAccount } from "../helpers/fake-account";
import { serveFake } from "../helpers/fake-ecs";
import { startMoto } from "../helpers/moto";

/**
 * The tier checks against moto (an emulator of EC2 and ELB, from PyPI), and the same cases against the
 * fake account the release tests use, served over HTTP: what the release's tests see of a
 * network is what moto, standing in for AWS, says of it.
 */

/** One VPC: two public subnets (0.0.0.0/0 to an internet gateway), two private (through NAT), one left on the main table. */
interface World {
  readonly clients: NetworkClients;
  readonly publicSubnets: readonly string[];
  readonly privateSubnets: readonly string[];
  /** A subnet with no table of its own: the VPC's main table routes it, and that one sends 0.0.0.0/0 to the internet gateway (as a default VPC's does). */
  readonly looseSubnet: string;
  readonly igw: string;
  /** A subnet whose 0.0.0.0/0 goes to a virtual private gateway (to a data centre): private. */
  readonly vpnSubnet: string;
  /** Target groups behind: an internet-facing ALB in the public subnets, one in the private subnets, an internal one in the private subnets, none. */
  readonly tg: { readonly facingPublic: string; readonly facingPrivate: string; readonly internal: string; readonly alone: string };
  readonly lbName: { readonly facingPrivate: string };
  readonly stop: () => Promise<void>;
}

const REGION = "ap-northeast-1";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const clientsAt = (endpoint: string): NetworkClients => ({
  ec2: new EC2Client({ region: REGION, endpoint, credentials }),
  elbv2: new ElasticLoadBalancingV2Client({ region: REGION, endpoint, credentials }),
});

async function motoWorld(): Promise<World> {
  const moto = await startMoto();
  const clients = clientsAt(moto.endpoint);
  const { ec2, elbv2 } = clients;
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const subnet = async (cidr: string, az: string) =>
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: `${REGION}${az}` }))).Subnet!.SubnetId!;
  const publicSubnets = [await subnet("10.0.0.0/24", "a"), await subnet("10.0.1.0/24", "c")];
  const privateSubnets = [await subnet("10.0.10.0/24", "a"), await subnet("10.0.11.0/24", "c")];
  const looseSubnet = await subnet("10.0.20.0/24", "a");
  const table = async (subnets: readonly string[], route: { GatewayId: string } | { NatGatewayId: string }) => {
    const id = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: id, DestinationCidrBlock: "0.0.0.0/0", ...route }));
    for (const s of subnets) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: s }));
  };
  await table(publicSubnets, { GatewayId: igw });
  const main = (
    await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "association.main", Values: ["true"] },
        ],
      }),
    )
  ).RouteTables![0]!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: main, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igw }));
  const eip = (await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }))).AllocationId!;
  const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: publicSubnets[0]!, AllocationId: eip }))).NatGateway!.NatGatewayId!;
  await table(privateSubnets, { NatGatewayId: nat });
  const vpnSubnet = await subnet("10.0.30.0/24", "c");
  const vgw = (await ec2.send(new CreateVpnGatewayCommand({ Type: "ipsec.1" }))).VpnGateway!.VpnGatewayId!;
  await ec2.send(new AttachVpnGatewayCommand({ VpcId: vpcId, VpnGatewayId: vgw }));
  await table([vpnSubnet], { GatewayId: vgw });
  const balanced = async (name: string, scheme: "internet-facing" | "internal" | undefined, subnets: readonly string[]) => {
    const tg = (await elbv2.send(new CreateTargetGroupCommand({ Name: `${name}-tg`, Protocol: "HTTP", Port: 8080, VpcId: vpcId, TargetType: "ip" })))
      .TargetGroups![0]!.TargetGroupArn!;
    if (!scheme) return tg;
    const lb = (await elbv2.send(new CreateLoadBalancerCommand({ Name: name, Scheme: scheme, Subnets: [...subnets], Type: "application" }))).LoadBalancers![0]!;
    await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn!,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: tg }],
      }),
    );
    return tg;
  };
  return {
    clients,
    publicSubnets,
    privateSubnets,
    looseSubnet,
    igw,
    vpnSubnet,
    tg: {
      facingPublic: await balanced("shop-web", "internet-facing", publicSubnets),
      facingPrivate: await balanced("shop-hidden", "internet-facing", privateSubnets),
      internal: await balanced("shop-internal", "internal", privateSubnets),
      alone: await balanced("shop-alone", undefined, []),
    },
    lbName: { facingPrivate: "shop-hidden" },
    stop: moto.stop,
  };
}

async function fakeWorld(): Promise<World> {
  const account = new FakeAccount();
  const tg = (name: string) => `arn:aws:elasticloadbalancing:${REGION}:222222222222:targetgroup/${name}-tg/0123456789abcdef`;
  const lb = (name: string) => `arn:aws:elasticloadbalancing:${REGION}:222222222222:loadbalancer/app/${name}/0123456789abcdef`;
  account.addVpc({ vpcId: "vpc-1", publicSubnetIds: ["subnet-p1", "subnet-p2"], privateSubnetIds: ["subnet-a1", "subnet-a2"] });
  account.subnets.set("subnet-loose", "vpc-1");
  account.routeTables.find((t) => t.main)!.defaultRoute = "igw-vpc-1";
  account.subnets.set("subnet-vpn", "vpc-1");
  account.routeTables.push({ id: "rtb-vpn", vpcId: "vpc-1", subnetIds: ["subnet-vpn"], defaultRoute: "vgw-1" });
  for (const [name, scheme, subnetIds] of [
    ["shop-web", "internet-facing", ["subnet-p1", "subnet-p2"]],
    ["shop-hidden", "internet-facing", ["subnet-a1", "subnet-a2"]],
    ["shop-internal", "internal", ["subnet-a1", "subnet-a2"]],
  ] as const) {
    account.loadBalancers.set(lb(name), { name, scheme, subnetIds: [...subnetIds] });
    account.targetGroups.set(tg(name), [lb(name)]);
  }
  account.targetGroups.set(tg("shop-alone"), []);
  const { endpoint, server } = await serveFake((operation, input) => account.handle(operation, input));
  return {
    clients: clientsAt(endpoint),
    publicSubnets: ["subnet-p1", "subnet-p2"],
    privateSubnets: ["subnet-a1", "subnet-a2"],
    looseSubnet: "subnet-loose",
    igw: "igw-vpc-1",
    vpnSubnet: "subnet-vpn",
    tg: { facingPublic: tg("shop-web"), facingPrivate: tg("shop-hidden"), internal: tg("shop-internal"), alone: tg("shop-alone") },
    lbName: { facingPrivate: "shop-hidden" },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each([
  ["moto", motoWorld],
  ["the release tests' fake account", fakeWorld],
])("subnet tiers, against %s", (_, make) => {
  let w: World;
  beforeAll(async () => {
    // Test files share worker processes: a mock another file left on a client class would answer instead of AWS's stand-ins.
    mockClient(EC2Client).restore();
    mockClient(ElasticLoadBalancingV2Client).restore();
    w = await make();
  }, 120_000);
  afterAll(() => w.stop());

  it("tasks in the private subnets: ok", async () => {
    expect(await checkTaskSubnets(w.clients, w.privateSubnets)).toEqual({ status: "ok", what: `${w.privateSubnets.join(", ")}: private` });
  });

  it("a subnet with no table of its own is routed by the VPC's main table: public here", async () => {
    expect(await checkTaskSubnets(w.clients, [w.looseSubnet])).toMatchObject({
      status: "WRONG",
      what: expect.stringMatching(new RegExp(`^the tasks are in public subnet\\(s\\) ${w.looseSubnet} \\(0\\.0\\.0\\.0/0 to ${w.igw}\\)`)) as unknown,
    });
  });

  it("a subnet whose default route goes to a virtual private gateway, not the internet: private", async () => {
    expect(await checkTaskSubnets(w.clients, [w.vpnSubnet])).toEqual({ status: "ok", what: `${w.vpnSubnet}: private` });
  });

  it("tasks given a public subnet: WRONG, naming the subnet, its internet gateway, and what to give instead", async () => {
    const [pub] = w.publicSubnets;
    expect(await checkTaskSubnets(w.clients, [w.privateSubnets[0]!, pub!])).toEqual({
      status: "WRONG",
      what: `the tasks are in public subnet(s) ${pub!} (0.0.0.0/0 to ${w.igw}): they get no public IP, so they cannot pull their image or reach the internet; give the private subnets (the SRE stack's privateSubnetIds)`,
    });
  });

  it("a subnet that does not exist: MISSING, by id", async () => {
    expect(await checkTaskSubnets(w.clients, [w.privateSubnets[0]!, "subnet-0000000000000dead"])).toEqual({
      status: "MISSING",
      what: "no subnet subnet-0000000000000dead in this account and region",
    });
  });

  it("an internet-facing load balancer in the public subnets: ok", async () => {
    expect(await checkLoadBalancerSubnets(w.clients, [w.tg.facingPublic])).toEqual({ status: "ok", what: "shop-web (internet-facing)" });
  });

  it("an internet-facing load balancer in private subnets: WRONG, naming it and the subnets", async () => {
    expect(await checkLoadBalancerSubnets(w.clients, [w.tg.facingPrivate])).toEqual({
      status: "WRONG",
      what: `load balancer ${w.lbName.facingPrivate} is internet-facing but subnet(s) ${w.privateSubnets.join(", ")} have no route to an internet gateway: nobody can reach it there; give the public subnets (the SRE stack's publicSubnetIds)`,
    });
  });

  it("an internal load balancer may be in private subnets", async () => {
    expect(await checkLoadBalancerSubnets(w.clients, [w.tg.internal])).toEqual({ status: "ok", what: "shop-internal (internal)" });
  });

  it("a target group no load balancer serves: MISSING", async () => {
    expect(await checkLoadBalancerSubnets(w.clients, [w.tg.alone])).toEqual({
      status: "MISSING",
      what: `target group(s) ${w.tg.alone} are attached to no load balancer`,
    });
  });
});
