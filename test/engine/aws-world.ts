// The AWS account the engine tests' `pulumi up` builds, as one AWS-compatible endpoint for the
// release tool that the up's commands run. What the recording stand-in of the AWS provider
// creates, updates and deletes (its recording, read at each request) is what the account holds:
// task definitions as registered (deregistered when the provider's delete deregisters them), ECS
// services (a CODE_DEPLOY one as its PRIMARY task set), CodeDeploy deployment groups, log groups,
// SNS topics, each role's policies, the subnets and their route tables. The services answering
// are the test fakes (FakeEcs, FakeCodeDeploy, FakeAutoScaling, FakeAccount), which change state
// as AWS does; DynamoDB is dynalite (the stand-in creates its tables there). What no up creates
// is given: the images CI pushed and the secrets the team created.
import { readFileSync } from "node:fs";
import { startDynamoDb } from "../helpers/dynamodb";
import { FakeAccount, type PolicyDocument } from "../helpers/fake-account";
import { FakeAutoScaling, FakeCodeDeploy } from "../helpers/fake-codedeploy";
import { FakeAwsError, FakeEcs, serveFake } from "../helpers/fake-ecs";

type Json = Record<string, unknown>;

/** One line of the stand-ins' recording (test/engine/recording-provider.ts). */
interface Recorded {
  readonly provider: string;
  readonly call: string;
  readonly at: number;
  readonly type: string;
  readonly name: string;
  readonly id?: string;
  readonly inputs?: Json;
  readonly outs?: Json;
  readonly arn?: string;
  readonly deregistered?: boolean;
}

/** A state-changing call the release tool made, with when: what a test reads the release's steps from. */
export interface WorldStep {
  readonly at: number;
  readonly operation: string;
  readonly detail: string;
}

const ECS_CALLS = /^(ecs:|logs:GetLogEvents$)/;

/** What ECS's DescribeTaskDefinition answers for a registered revision: the inputs as the provider registered them. */
function registered(inputs: Json): Json {
  const text = inputs.containerDefinitions;
  return {
    family: inputs.family,
    containerDefinitions: typeof text === "string" ? (JSON.parse(text) as Json[]) : [],
    ...(typeof inputs.executionRoleArn === "string" ? { executionRoleArn: inputs.executionRoleArn } : {}),
    ...(typeof inputs.taskRoleArn === "string" ? { taskRoleArn: inputs.taskRoleArn } : {}),
  };
}

/**
 * The account: `endpoint` for AWS_ENDPOINT_URL, `dynamodb` for AWS_ENDPOINT_URL_DYNAMODB. `given`:
 * the images in ECR (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`) and the
 * secrets' ARNs.
 */
export async function startWorld(recording: string, location: { region: string; accountId: string }) {
  const db = await startDynamoDb();
  const account = new FakeAccount();
  const autoscaling: { current?: FakeAutoScaling } = {};
  let ecs: FakeEcs | undefined;
  /** Deployment group (`<application>/<group>`) → its service's CodeDeploy. */
  const groups = new Map<string, FakeCodeDeploy>();
  /** Deployment id → the deployment group that made it. */
  const deployments = new Map<string, FakeCodeDeploy>();
  const topics = new Set<string>();
  const internetGateways = new Set<string>();
  const roleArns = new Map<string, string>();
  const rolePolicies = new Map<string, { role: string; document: PolicyDocument }>();
  const steps: WorldStep[] = [];
  let read = 0;

  /** Applies what the stand-in recorded since the last look. */
  const sync = () => {
    const text = readFileSync(recording, "utf8");
    const lines = text.slice(read).split("\n");
    // A line being written is read at the next look.
    const complete = text.endsWith("\n") ? lines : lines.slice(0, -1);
    read += complete.reduce((n, l) => n + l.length + 1, 0) - (text.endsWith("\n") ? 1 : 0);
    for (const line of complete.filter(Boolean)) apply(JSON.parse(line) as Recorded);
  };

  const apply = (r: Recorded) => {
    if (r.provider !== "aws") return;
    const outs = r.outs ?? {};
    const inputs = (outs.__recordedInputs ?? r.inputs ?? {}) as Json;
    if (r.call === "created" && r.type === "aws:ecs/cluster:Cluster") {
      ecs = new FakeEcs(location.region, location.accountId, String(outs.name));
      autoscaling.current = new FakeAutoScaling(ecs);
    }
    if (r.call === "created" && r.type === "aws:ecs/taskDefinition:TaskDefinition" && ecs) {
      const definition = registered(inputs);
      const [first] = definition.containerDefinitions as { name: string; image?: string; logConfiguration?: { options?: Record<string, string> } }[];
      ecs.taskDefinitions.push({
        arn: String(outs.arn),
        container: first?.name ?? "",
        logGroup: first?.logConfiguration?.options?.["awslogs-group"] ?? "",
        streamPrefix: first?.logConfiguration?.options?.["awslogs-stream-prefix"] ?? "",
        ...(first?.image ? { image: first.image } : {}),
        registered: definition,
      });
    }
    if (r.call === "delete" && r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.deregistered && ecs) {
      const i = ecs.taskDefinitions.findIndex((d) => d.arn === r.arn);
      if (i >= 0) ecs.taskDefinitions[i] = { ...ecs.taskDefinitions[i]!, status: "INACTIVE" };
    }
    if ((r.call === "created" || r.call === "updated") && r.type === "aws:ecs/service:Service" && ecs) {
      const name = String(inputs.name ?? outs.name);
      const existing = ecs.services.get(name);
      const taskSet = (inputs.deploymentController as Json | undefined)?.type === "CODE_DEPLOY";
      const network = (inputs.networkConfiguration ?? {}) as Json;
      const desired = Number(inputs.desiredCount ?? 1);
      ecs.services.set(name, {
        // CodeDeploy moves a CODE_DEPLOY service's task set; the provider's update never does (its task definition is ignored).
        taskDefinition: taskSet && existing ? existing.taskDefinition : String(inputs.taskDefinition),
        network: { awsvpcConfiguration: { subnets: network.subnets, securityGroups: network.securityGroups, assignPublicIp: "DISABLED" } },
        taskSet,
        strategy: (inputs.capacityProviderStrategies ?? []) as Json[],
        // The release tool sets the colours' counts; the provider leaves a count it ignores as it is.
        desiredCount: existing?.desiredCount ?? desired,
        runningCount: existing?.runningCount ?? desired,
      });
    }
    if (r.call === "created" && r.type === "aws:codedeploy/deploymentGroup:DeploymentGroup" && ecs) {
      const service = String(((inputs.ecsService as Json | undefined) ?? {}).serviceName);
      // Each group's ids start a million apart: CodeDeploy's ids are unique in the account.
      groups.set(`${String(inputs.appName)}/${String(inputs.deploymentGroupName)}`, new FakeCodeDeploy(ecs, service, 2, 1 + groups.size * 1_000_000));
    }
    // The network, as EC2 answers for it: subnets, their tables (a VPC comes with its main one), the default routes.
    if (r.call === "created" && r.type === "aws:ec2/vpc:Vpc")
      account.routeTables.push({ id: `rtb-main-${String(r.id)}`, vpcId: String(r.id), main: true, subnetIds: [] });
    if (r.call === "created" && r.type === "aws:ec2/internetGateway:InternetGateway") internetGateways.add(String(r.id));
    if (r.call === "created" && r.type === "aws:ec2/subnet:Subnet") account.subnets.set(String(r.id), String(inputs.vpcId));
    if (r.call === "created" && r.type === "aws:ec2/routeTable:RouteTable")
      account.routeTables.push({ id: String(r.id), vpcId: String(inputs.vpcId), subnetIds: [] });
    if (r.call === "created" && r.type === "aws:ec2/routeTableAssociation:RouteTableAssociation")
      account.routeTables.find((t) => t.id === String(inputs.routeTableId))?.subnetIds.push(String(inputs.subnetId));
    if (r.call === "created" && r.type === "aws:ec2/route:Route" && inputs.destinationCidrBlock === "0.0.0.0/0") {
      const table = account.routeTables.find((t) => t.id === String(inputs.routeTableId));
      // EC2 names an internet gateway igw-...: the stand-in's ids do not, so the route says which it is.
      const gateway = [inputs.gatewayId, inputs.natGatewayId].find((g): g is string => typeof g === "string") ?? "";
      if (table) table.defaultRoute = internetGateways.has(gateway) ? `igw-${gateway}` : `nat-${gateway}`;
    }
    if (r.call === "created" && r.type === "aws:cloudwatch/logGroup:LogGroup") account.logGroups.add(String(outs.name));
    if (r.call === "created" && r.type === "aws:sns/topic:Topic") topics.add(String(outs.arn));
    if (r.call === "created" && r.type === "aws:iam/role:Role") {
      roleArns.set(String(r.id), String(outs.arn));
      roleArns.set(String(outs.name), String(outs.arn));
    }
    if ((r.call === "created" || r.call === "updated") && r.type === "aws:iam/rolePolicy:RolePolicy") {
      rolePolicies.set(r.name, { role: String(inputs.role), document: JSON.parse(String(inputs.policy)) as PolicyDocument });
      account.policies.clear();
      for (const { role, document } of rolePolicies.values()) {
        const arn = roleArns.get(role) ?? role;
        account.policies.set(arn, [...(account.policies.get(arn) ?? []), document]);
      }
    }
  };

  const codeDeployOf = (operation: string, input: Json): FakeCodeDeploy => {
    const byId = typeof input.deploymentId === "string" ? deployments.get(input.deploymentId) : undefined;
    const byGroup = groups.get(`${String(input.applicationName)}/${String(input.deploymentGroupName)}`);
    const found = byId ?? byGroup;
    if (!found) throw new FakeAwsError("DeploymentGroupDoesNotExistException", `No deployment group for ${operation} ${JSON.stringify(input)}`);
    return found;
  };

  const handler = (operation: string, input: Json): Json => {
    sync();
    const step = (detail: string) => steps.push({ at: Date.now(), operation, detail });
    if (operation === "ecs:RunTask") step(String(input.taskDefinition));
    if (operation === "ecs:UpdateService")
      step(["service", "taskDefinition", "desiredCount"].flatMap((k) => (input[k] === undefined ? [] : [JSON.stringify(input[k])])).join(" "));
    if (operation === "codedeploy:CreateDeployment") {
      const spec = JSON.parse(String(((input.revision as Json).appSpecContent as Json).content)) as {
        Resources: { TargetService: { Properties: { TaskDefinition: string } } }[];
      };
      step(spec.Resources[0]!.TargetService.Properties.TaskDefinition);
    }
    if (operation.startsWith("codedeploy:")) {
      const answer = codeDeployOf(operation, input).handle(operation, input);
      if (typeof answer.deploymentId === "string") deployments.set(answer.deploymentId, codeDeployOf(operation, input));
      return answer;
    }
    if (operation.startsWith("application-autoscaling:")) {
      if (!autoscaling.current) throw new FakeAwsError("ValidationException", "no ECS cluster in the account yet");
      return autoscaling.current.handle(operation, input);
    }
    if (operation === "sns:Publish") {
      if (!topics.has(String(input.TopicArn))) throw new FakeAwsError("NotFoundException", "Topic does not exist");
      step(String((JSON.parse(String(input.Message)) as { event?: string }).event));
      return { MessageId: `m-${steps.length}` };
    }
    if (ECS_CALLS.test(operation)) {
      if (!ecs) throw new FakeAwsError("ClusterNotFoundException", "Cluster not found.");
      return ecs.handle(operation, input);
    }
    return account.handle(operation, input);
  };
  const { endpoint, server } = await serveFake(handler);
  return {
    endpoint,
    dynamodb: db,
    steps,
    account,
    /** The ECS of the account (once the up has created its cluster). */
    ecs: (): FakeEcs => {
      sync();
      if (!ecs) throw new Error("the up has created no ECS cluster yet");
      return ecs;
    },
    /** Images CI pushed (full image names) and secrets the team created (ARNs). */
    give: (given: { images?: readonly string[]; secrets?: readonly string[] }) => {
      for (const image of given.images ?? []) {
        const m = /^(\d{12})\.dkr\.ecr\.[\w-]+\.amazonaws\.com\/(.+):([^:]+)$/.exec(image);
        if (!m) throw new Error(`not an ECR image: ${image}`);
        const key = `${m[1]!}/${m[2]!}`;
        account.repositories.set(key, [...(account.repositories.get(key) ?? []), m[3]!]);
      }
      // Described by its ARN, whole or without a JSON key's suffix.
      for (const secret of given.secrets ?? []) for (const id of [secret, secret.split(":").slice(0, 7).join(":")]) account.secrets.add(id);
    },
    stop: async (): Promise<void> => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.stop();
    },
  };
}

export type World = Awaited<ReturnType<typeof startWorld>>;
