import { FakeAwsError } from "./fake-ecs";

type Json = Record<string, unknown>;

/**
 * What an account holds for preflight, answered as ECR, Secrets Manager, SSM, IAM's policy
 * simulator and CloudWatch Logs answer the requests preflight sends: DescribeImages by tag or
 * digest (ImageNotFoundException / RepositoryNotFoundException), DescribeSecret
 * (ResourceNotFoundException), DescribeParameters with a Name filter (an empty list when none),
 * SimulatePrincipalPolicy from each role's allowed (action, resource) pairs (NoSuchEntity for an
 * unknown role), DescribeLogGroups by prefix, EC2's DescribeSubnets and DescribeRouteTables by
 * the filters the tool sends, and ELB's DescribeTargetGroups (TargetGroupNotFound for an unknown
 * ARN) and DescribeLoadBalancers. The network calls are checked against moto in
 * test/release-tool/network.test.ts. Denied and throttled operations are set by a test,
 * and so are other errors a service answers with (IAM's `AccessDenied`, EC2's `RequestLimitExceeded`...).
 */
export class FakeAccount {
  readonly calls: { operation: string; input: Json }[] = [];
  /** `registry/repository` → tags and digests it holds. */
  readonly repositories = new Map<string, string[]>();
  readonly secrets = new Set<string>();
  /** Secrets' values, by ARN: what GetSecretValue answers (the release bot reads its own). */
  readonly secretValues = new Map<string, string>();
  /** Secrets scheduled for deletion: DescribeSecret still answers, with a DeletedDate. */
  readonly deletedSecrets = new Set<string>();
  readonly parameters = new Set<string>();
  /** role ARN → `action resource` pairs its policies allow. */
  readonly roles = new Map<string, Set<string>>();
  /** role ARN → its policy documents (IAM JSON), evaluated by the simulator besides `roles`. */
  readonly policies = new Map<string, PolicyDocument[]>();
  readonly logGroups = new Set<string>();
  /** subnet id → its VPC. */
  readonly subnets = new Map<string, string>();
  readonly routeTables: { id: string; vpcId: string; main?: boolean; subnetIds: string[]; defaultRoute?: string }[] = [];
  /** target group ARN → the load balancers it is attached to. */
  readonly targetGroups = new Map<string, string[]>();
  readonly loadBalancers = new Map<string, { name: string; scheme: "internet-facing" | "internal"; subnetIds: string[] }>();
  readonly denied = new Set<string>();
  /** operation → how many more calls are throttled. */
  readonly throttled = new Map<string, number>();
  /** operation → the error name every call of it fails with (and how many more times; every time when unset). */
  readonly failing = new Map<string, { name: string; times?: number }>();

  /**
   * A VPC as the SRE stack's network lays it out: public subnets on a table whose 0.0.0.0/0 goes
   * to an internet gateway, private ones through a NAT gateway, and an internet-facing load
   * balancer in the public subnets serving the target groups.
   */
  addVpc(vpc: { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[]; targetGroupArns?: string[] }): void {
    for (const id of [...vpc.publicSubnetIds, ...vpc.privateSubnetIds]) this.subnets.set(id, vpc.vpcId);
    this.routeTables.push(
      { id: `rtb-main-${vpc.vpcId}`, vpcId: vpc.vpcId, main: true, subnetIds: [] },
      { id: `rtb-public-${vpc.vpcId}`, vpcId: vpc.vpcId, subnetIds: vpc.publicSubnetIds, defaultRoute: `igw-${vpc.vpcId}` },
      { id: `rtb-private-${vpc.vpcId}`, vpcId: vpc.vpcId, subnetIds: vpc.privateSubnetIds, defaultRoute: `nat-${vpc.vpcId}` },
    );
    if (vpc.targetGroupArns) {
      const lb = `arn:aws:elasticloadbalancing:ap-northeast-1:222222222222:loadbalancer/app/web-${vpc.vpcId}/0123456789abcdef`;
      this.loadBalancers.set(lb, { name: `web-${vpc.vpcId}`, scheme: "internet-facing", subnetIds: vpc.publicSubnetIds });
      for (const tg of vpc.targetGroupArns) this.targetGroups.set(tg, [lb]);
    }
  }

  handle(operation: string, input: Json): Json {
    this.calls.push({ operation, input });
    const throttles = this.throttled.get(operation) ?? 0;
    if (throttles > 0) {
      this.throttled.set(operation, throttles - 1);
      throw new FakeAwsError("ThrottlingException", "Rate exceeded");
    }
    const failure = this.failing.get(operation);
    if (failure && (failure.times ?? 1) > 0) {
      if (failure.times !== undefined) this.failing.set(operation, { ...failure, times: failure.times - 1 });
      throw new FakeAwsError(failure.name, `${failure.name} (${operation})`);
    }
    if (this.denied.has(operation))
      throw new FakeAwsError("AccessDeniedException", `User: arn:aws:sts::222222222222:assumed-role/ci-preview/run is not authorized to perform: ${operation}`);
    switch (operation) {
      case "ecr:DescribeImages": {
        const tags = this.repositories.get(`${String(input.registryId)}/${String(input.repositoryName)}`);
        if (!tags)
          throw new FakeAwsError(
            "RepositoryNotFoundException",
            `The repository with name '${String(input.repositoryName)}' does not exist in the registry with id '${String(input.registryId)}'`,
          );
        const [id] = input.imageIds as { imageTag?: string; imageDigest?: string }[];
        const wanted = id?.imageTag ?? id?.imageDigest ?? "";
        if (!tags.includes(wanted)) throw new FakeAwsError("ImageNotFoundException", `The image with imageId {${wanted}} does not exist within the repository`);
        return { imageDetails: [{ repositoryName: input.repositoryName, imageTags: [wanted] }] };
      }
      case "secretsmanager:DescribeSecret": {
        const id = String(input.SecretId);
        if (!this.secrets.has(id) && !this.deletedSecrets.has(id))
          throw new FakeAwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        return { ARN: id, Name: id.split(":")[6], ...(this.deletedSecrets.has(id) ? { DeletedDate: new Date("2026-12-01T00:00:00Z") } : {}) };
      }
      case "secretsmanager:GetSecretValue": {
        const value = this.secretValues.get(String(input.SecretId));
        if (value === undefined) throw new FakeAwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        return { ARN: input.SecretId, SecretString: value };
      }
      case "ssm:DescribeParameters": {
        const [filter] = input.ParameterFilters as { Values: string[] }[];
        return { Parameters: filter!.Values.filter((v) => this.parameters.has(v)).map((Name) => ({ Name })) };
      }
      case "iam:SimulatePrincipalPolicy": {
        const role = String(input.PolicySourceArn);
        const allowed = this.roles.get(role);
        const documents = this.policies.get(role);
        if (!allowed && !documents) throw new FakeAwsError("NoSuchEntityException", `The role with name ${role.split("/").pop()} cannot be found.`);
        const [action = ""] = input.ActionNames as string[];
        const [resource = ""] = input.ResourceArns as string[];
        const decision = allowed?.has(`${action} ${resource}`) ? "allowed" : evaluate(documents ?? [], action, resource);
        return { EvaluationResults: [{ EvalActionName: action, EvalResourceName: resource, EvalDecision: decision }] };
      }
      case "logs:DescribeLogGroups":
        return { logGroups: [...this.logGroups].filter((g) => g.startsWith(String(input.logGroupNamePrefix))).map((logGroupName) => ({ logGroupName })) };
      case "ec2:DescribeSubnets": {
        const wanted = filterValues(input, "subnet-id");
        return { Subnets: [...this.subnets].filter(([id]) => wanted.includes(id)).map(([SubnetId, VpcId]) => ({ SubnetId, VpcId })) };
      }
      case "ec2:DescribeRouteTables": {
        const vpcs = filterValues(input, "vpc-id");
        return {
          RouteTables: this.routeTables
            .filter((t) => vpcs.includes(t.vpcId))
            .map((t) => ({
              RouteTableId: t.id,
              VpcId: t.vpcId,
              Associations: [...(t.main ? [{ Main: true }] : []), ...t.subnetIds.map((SubnetId) => ({ Main: false, SubnetId }))],
              Routes: [
                { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active" },
                ...(t.defaultRoute
                  ? [
                      {
                        DestinationCidrBlock: "0.0.0.0/0",
                        State: "active",
                        ...(t.defaultRoute.startsWith("nat-") ? { NatGatewayId: t.defaultRoute } : { GatewayId: t.defaultRoute }),
                      },
                    ]
                  : []),
              ],
            })),
        };
      }
      case "elasticloadbalancing:DescribeTargetGroups": {
        const arns = input.TargetGroupArns as string[];
        const unknown = arns.find((a) => !this.targetGroups.has(a));
        if (unknown) throw new FakeAwsError("TargetGroupNotFoundException", `One or more target groups not found`);
        return { TargetGroups: arns.map((TargetGroupArn) => ({ TargetGroupArn, LoadBalancerArns: this.targetGroups.get(TargetGroupArn) })) };
      }
      case "elasticloadbalancing:DescribeLoadBalancers":
        return {
          LoadBalancers: (input.LoadBalancerArns as string[]).flatMap((arn) => {
            const lb = this.loadBalancers.get(arn);
            return lb
              ? [{ LoadBalancerArn: arn, LoadBalancerName: lb.name, Scheme: lb.scheme, AvailabilityZones: lb.subnetIds.map((SubnetId) => ({ SubnetId })) }]
              : [];
          }),
        };
      default:
        throw new FakeAwsError("UnknownOperationException", `${operation} is not served here`);
    }
  }
}

/** The values of one EC2 filter (`{ Filters: [{ Name, Values }] }`). */
function filterValues(input: Json, name: string): string[] {
  return ((input.Filters as { Name: string; Values: string[] }[] | undefined) ?? []).find((f) => f.Name === name)?.Values ?? [];
}

/** An IAM policy document, as a role policy holds it. */
export interface PolicyDocument {
  readonly Statement: readonly {
    readonly Effect: "Allow" | "Deny";
    readonly Action?: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: unknown;
  }[];
}

/** IAM's wildcards: `*` any run of characters, `?` one; actions compare without case, as IAM compares them. */
function matches(patterns: string | readonly string[] | undefined, value: string, ignoreCase: boolean): boolean {
  return [patterns ?? []].flat().some((p) => {
    const source = p
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
  });
}

/**
 * The simulator's decision for one action on one resource: an explicit deny wins, then an allow.
 * A statement with a condition matches nothing: the simulator is given no context keys here, and
 * a condition on a key it lacks does not hold.
 */
function evaluate(documents: readonly PolicyDocument[], action: string, resource: string): "allowed" | "explicitDeny" | "implicitDeny" {
  const applying = documents
    .flatMap((d) => d.Statement)
    .filter((s) => s.Condition === undefined && matches(s.Action, action, true) && matches(s.Resource, resource, false));
  if (applying.some((s) => s.Effect === "Deny")) return "explicitDeny";
  return applying.some((s) => s.Effect === "Allow") ? "allowed" : "implicitDeny";
}
