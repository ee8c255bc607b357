import { DescribeRouteTablesCommand, DescribeSubnetsCommand, type EC2Client, type RouteTable } from "@aws-sdk/client-ec2";
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, type ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";

/**
 * Which tier a subnet really is, from its route table: a subnet whose 0.0.0.0/0 goes to an
 * internet gateway is public, any other is private. The library cannot tell from an id (a
 * product team passes the SRE stack's outputs), and AWS accepts both mix-ups: tasks in a public
 * subnet get no public IP (the library never asks for one), so they cannot pull an image or reach
 * the internet; an internet-facing load balancer in private subnets is reachable by nobody.
 */

export interface NetworkClients {
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
}

/** Where one subnet sends 0.0.0.0/0: an internet gateway (`igw-...`), a NAT gateway, or nowhere. */
export interface SubnetRoute {
  readonly subnetId: string;
  readonly routeTableId: string;
  /** The internet gateway 0.0.0.0/0 goes to: the subnet is public. */
  readonly internetGatewayId?: string;
}

/** The outcome of one tier check, as preflight reports it. */
export interface TierOutcome {
  readonly status: "ok" | "MISSING" | "WRONG";
  readonly what: string;
}

/** The table that routes a subnet: its explicit association, else its VPC's main table (as EC2 routes it). */
function tableOf(tables: readonly RouteTable[], subnetId: string, vpcId: string): RouteTable | undefined {
  return (
    tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnetId)) ??
    tables.find((t) => t.VpcId === vpcId && (t.Associations ?? []).some((a) => a.Main === true))
  );
}

/** Each subnet's default route, read-only (`ec2:DescribeSubnets`, `ec2:DescribeRouteTables`); a subnet that does not exist is absent. */
export async function subnetRoutes(ec2: EC2Client, subnetIds: readonly string[]): Promise<Map<string, SubnetRoute>> {
  // A filter, not SubnetIds: an unknown id is then absent from the answer instead of failing the call.
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: [...subnetIds] }] }))).Subnets ?? [];
  const vpcIds = [...new Set(subnets.flatMap((s) => (s.VpcId ? [s.VpcId] : [])))];
  const tables: RouteTable[] = [];
  for (let token: string | undefined, first = true; first || token; first = false) {
    const page = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: vpcIds }], ...(token ? { NextToken: token } : {}) }));
    tables.push(...(page.RouteTables ?? []));
    token = page.NextToken;
  }
  const routes = new Map<string, SubnetRoute>();
  for (const s of subnets) {
    if (!s.SubnetId || !s.VpcId) continue;
    const table = tableOf(tables, s.SubnetId, s.VpcId);
    const gateway = (table?.Routes ?? []).find((r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.State !== "blackhole")?.GatewayId;
    routes.set(s.SubnetId, {
      subnetId: s.SubnetId,
      routeTableId: table?.RouteTableId ?? "none",
      ...(gateway?.startsWith("igw-") ? { internetGatewayId: gateway } : {}),
    });
  }
  return routes;
}

const missing = (ids: readonly string[], routes: Map<string, SubnetRoute>) => ids.filter((id) => !routes.has(id));
const publicOnes = (ids: readonly string[], routes: Map<string, SubnetRoute>) => ids.filter((id) => routes.get(id)?.internetGatewayId);
const via = (ids: readonly string[], routes: Map<string, SubnetRoute>) =>
  ids.map((id) => `${id} (0.0.0.0/0 to ${routes.get(id)?.internetGatewayId ?? "?"})`).join(", ");

/** A service's tasks must be in private subnets: they have no public IP, so a public subnet leaves them offline. */
export async function checkTaskSubnets(clients: NetworkClients, subnetIds: readonly string[]): Promise<TierOutcome> {
  const routes = await subnetRoutes(clients.ec2, subnetIds);
  const absent = missing(subnetIds, routes);
  if (absent.length > 0) return { status: "MISSING", what: `no subnet ${absent.join(", ")} in this account and region` };
  const wrong = publicOnes(subnetIds, routes);
  if (wrong.length > 0) {
    return {
      status: "WRONG",
      what: `the tasks are in public subnet(s) ${via(wrong, routes)}: they get no public IP, so they cannot pull their image or reach the internet; give the private subnets (the SRE stack's privateSubnetIds)`,
    };
  }
  return { status: "ok", what: `${subnetIds.join(", ")}: private` };
}

/**
 * The load balancers in front of a service (through its target groups): an internet-facing one
 * must be in public subnets, or nobody can reach it. An internal one may be anywhere.
 */
export async function checkLoadBalancerSubnets(clients: NetworkClients, targetGroupArns: readonly string[]): Promise<TierOutcome> {
  const groups = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [...targetGroupArns] }))).TargetGroups ?? [];
  const arns = [...new Set(groups.flatMap((g) => g.LoadBalancerArns ?? []))];
  if (arns.length === 0) return { status: "MISSING", what: `target group(s) ${targetGroupArns.join(", ")} are attached to no load balancer` };
  const balancers = (await clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: arns }))).LoadBalancers ?? [];
  const facing = balancers.filter((b) => b.Scheme === "internet-facing");
  const subnetsOf = (b: (typeof balancers)[number]) => (b.AvailabilityZones ?? []).flatMap((z) => (z.SubnetId ? [z.SubnetId] : []));
  const routes = await subnetRoutes(clients.ec2, [...new Set(facing.flatMap(subnetsOf))]);
  for (const b of facing) {
    const closed = subnetsOf(b).filter((id) => !routes.get(id)?.internetGatewayId);
    if (closed.length > 0) {
      return {
        status: "WRONG",
        what: `load balancer ${b.LoadBalancerName ?? b.LoadBalancerArn ?? "?"} is internet-facing but subnet(s) ${closed.join(", ")} have no route to an internet gateway: nobody can reach it there; give the public subnets (the SRE stack's publicSubnetIds)`,
      };
    }
  }
  return { status: "ok", what: balancers.map((b) => `${b.LoadBalancerName ?? "?"} (${b.Scheme ?? "?"})`).join(", ") };
}
