import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { DescribeImagesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { awsErrorLine } from "./errors";
import { checkLoadBalancerSubnets, checkTaskSubnets } from "./network";

/**
 * Preflight: what a workload needs to start, checked against the account with read-only calls
 * before anything is deployed. Its images exist (ECR), its secrets exist in the stack's account
 * and region (Secrets Manager, SSM), its execution role may read them and pull the images (IAM's
 * policy simulator), its log group exists; for a release, its tasks are in private subnets and an
 * internet-facing load balancer in public ones (EC2's route tables). One line per check.
 */

/** `WRONG`: it exists but cannot work as given (a public subnet for tasks, a private one for an internet-facing load balancer). */
export const CHECK_STATUSES = ["ok", "MISSING", "WRONG", "DENIED", "not checked"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** One check's outcome: what, for which workload and config key, and why when it is not ok. */
export interface CheckLine {
  readonly status: CheckStatus;
  readonly workload: string;
  /** The config key (or the task definition's field) the value comes from. */
  readonly key: string;
  readonly what: string;
}

/** What one workload needs to start. */
export interface WorkloadNeeds {
  readonly workload: string;
  readonly images: readonly { readonly key: string; readonly image: string }[];
  readonly secrets: readonly { readonly key: string; readonly valueFrom: string }[];
  /** Its task execution role; absent when the stack has not been applied (checks of the role are then not made). */
  readonly executionRoleArn?: string;
  readonly logGroups?: readonly { readonly key: string; readonly name: string }[];
  /** Where it runs (a release's service): its tasks' subnets and the target groups its load balancer serves it through. */
  readonly network?: { readonly taskSubnetIds: readonly string[]; readonly targetGroupArns: readonly string[] };
}

export interface PreflightClients {
  /** ECR of a region: an image may live in another region than the stack. */
  readonly ecr: (region: string) => ECRClient;
  readonly secrets: SecretsManagerClient;
  readonly ssm: SSMClient;
  readonly iam: IAMClient;
  readonly logs: CloudWatchLogsClient;
  /** Subnets and route tables: which tier a subnet really is. */
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
}

export interface PreflightContext {
  readonly clients: PreflightClients;
  /** The stack's account and region: secrets elsewhere are refused without a call. */
  readonly account: string;
  readonly region: string;
  readonly sleep: (ms: number) => Promise<void>;
  /** Checks in flight at once. @default 8 */
  readonly concurrency?: number;
}

/** Clients with the SDK's standard configuration (credentials, AWS_ENDPOINT_URL, retries). */
export function createPreflightClients(region: string): PreflightClients {
  const ecr = new Map<string, ECRClient>();
  return {
    ecr: (r) => ecr.get(r) ?? (ecr.set(r, new ECRClient({ region: r })), ecr.get(r)!),
    secrets: new SecretsManagerClient({ region }),
    ssm: new SSMClient({ region }),
    iam: new IAMClient({ region }),
    logs: new CloudWatchLogsClient({ region }),
    ec2: new EC2Client({ region }),
    elbv2: new ElasticLoadBalancingV2Client({ region }),
  };
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$/;
const THROTTLED = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"]);
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"]);

type Outcome = { status: CheckStatus; what: string };

/** Runs an AWS call, retrying throttling with backoff (it says nothing about what exists). */
async function call<T>(ctx: PreflightContext, run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!THROTTLED.has((error as Error).name) || attempt >= 4) throw error;
      await ctx.sleep(500 * 2 ** attempt);
    }
  }
}

/** An error that says nothing about whether the thing exists: denied to look, throttled, anything else. */
function couldNotCheck(operation: string, error: unknown, region: string): Outcome {
  const name = (error as Error).name;
  const line = awsErrorLine(operation, error, region);
  const message = line instanceof Error ? line.message : String(line);
  if (DENIED.has(name)) return { status: "DENIED", what: `denied to check: ${message}` };
  return { status: "not checked", what: THROTTLED.has(name) ? `still throttled after retries: ${message}` : message };
}

async function checkImage(ctx: PreflightContext, image: string): Promise<Outcome> {
  const m = ECR_IMAGE.exec(image);
  if (!m) {
    const registry = image.includes("/") && image.split("/")[0]!.includes(".") ? image.split("/")[0] : "Docker Hub";
    return { status: "not checked", what: `${image}: ${registry} is not ECR; only ECR images can be checked` };
  }
  const [, registryId, region, repositoryName, tag, digest] = m as unknown as [string, string, string, string, string | undefined, string | undefined];
  const imageId = digest ? { imageDigest: digest } : { imageTag: tag ?? "latest" };
  const version = digest ?? tag ?? "latest";
  try {
    const found = await call(ctx, () => ctx.clients.ecr(region).send(new DescribeImagesCommand({ registryId, repositoryName, imageIds: [imageId] })));
    return (found.imageDetails ?? []).length > 0
      ? { status: "ok", what: image }
      : { status: "MISSING", what: `${image}: ${version} is not in ${repositoryName}` };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "ImageNotFoundException") return { status: "MISSING", what: `${image}: ${version} is not in ${repositoryName} (push it before releasing)` };
    if (name === "RepositoryNotFoundException")
      return { status: "MISSING", what: `${image}: no repository ${repositoryName} in account ${registryId}, ${region}` };
    return couldNotCheck("ECR DescribeImages", error, region);
  }
}

/** A secret reference as ECS takes it: Secrets Manager (with an optional JSON key) or SSM Parameter Store. */
interface SecretRef {
  readonly service: "secretsmanager" | "ssm";
  readonly region: string;
  readonly account: string;
  /** The secret's ARN without the JSON key part, or the parameter's name. */
  readonly id: string;
  readonly arn: string;
  readonly jsonKey?: string;
}

function parseSecret(valueFrom: string): SecretRef | undefined {
  const parts = valueFrom.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return undefined;
  const [, , service, region = "", account = ""] = parts;
  if (service === "secretsmanager" && parts[5] === "secret" && parts[6]) {
    const arn = parts.slice(0, 7).join(":");
    return { service, region, account, id: arn, arn, ...(parts[7] ? { jsonKey: parts[7] } : {}) };
  }
  if (service === "ssm" && parts[5]?.startsWith("parameter/")) {
    const rest = parts.slice(5).join(":").slice("parameter/".length);
    // A hierarchical name (/shop/prd/x) loses its leading slash in the ARN; a plain one has none.
    return { service, region, account, id: rest.includes("/") ? `/${rest}` : rest, arn: valueFrom };
  }
  return undefined;
}

async function checkSecret(ctx: PreflightContext, ref: SecretRef): Promise<Outcome> {
  if (ref.account !== ctx.account || ref.region !== ctx.region) {
    return { status: "MISSING", what: `${ref.arn}: in ${ref.region} / ${ref.account}, not the stack's ${ctx.region} / ${ctx.account} (not looked up)` };
  }
  try {
    if (ref.service === "secretsmanager") {
      const secret = await call(ctx, () => ctx.clients.secrets.send(new DescribeSecretCommand({ SecretId: ref.id })));
      return secret.DeletedDate ? { status: "MISSING", what: `${ref.arn}: scheduled for deletion (restore it)` } : { status: "ok", what: ref.arn };
    }
    const found = await call(ctx, () =>
      ctx.clients.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "Equals", Values: [ref.id] }] })),
    );
    return (found.Parameters ?? []).length > 0 ? { status: "ok", what: ref.arn } : { status: "MISSING", what: `${ref.arn}: no parameter ${ref.id}` };
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return { status: "MISSING", what: `${ref.arn}: no such secret` };
    return couldNotCheck(ref.service === "secretsmanager" ? "Secrets Manager DescribeSecret" : "SSM DescribeParameters", error, ctx.region);
  }
}

/** Whether a role may do an action on a resource, by IAM's policy simulator (the role's own policies). */
async function checkRole(ctx: PreflightContext, roleArn: string, action: string, resource: string): Promise<Outcome> {
  try {
    const result = await call(ctx, () =>
      ctx.clients.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: [action], ResourceArns: [resource] })),
    );
    const decision = result.EvaluationResults?.[0]?.EvalDecision ?? "no decision";
    return decision === "allowed"
      ? { status: "ok", what: `the execution role may ${action} ${resource}` }
      : { status: "DENIED", what: `the execution role ${roleArn} may not ${action} ${resource} (${decision})` };
  } catch (error) {
    if (["NoSuchEntityException", "NoSuchEntity"].includes((error as Error).name))
      return { status: "MISSING", what: `no role ${roleArn}: apply the stack first` };
    return couldNotCheck("IAM SimulatePrincipalPolicy", error, ctx.region);
  }
}

async function checkLogGroup(ctx: PreflightContext, name: string): Promise<Outcome> {
  try {
    const found = await call(ctx, () => ctx.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name })));
    return (found.logGroups ?? []).some((g) => g.logGroupName === name) ? { status: "ok", what: name } : { status: "MISSING", what: `no log group ${name}` };
  } catch (error) {
    return couldNotCheck("CloudWatch Logs DescribeLogGroups", error, ctx.region);
  }
}

/** Runs tasks with at most `limit` at once, results in order. */
async function bounded<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Every check of every workload, one line each, in a stable order; the same image or secret is looked up once. */
export async function preflight(ctx: PreflightContext, needs: readonly WorkloadNeeds[]): Promise<CheckLine[]> {
  const memo = new Map<string, Promise<Outcome>>();
  const once = (key: string, run: () => Promise<Outcome>) => memo.get(key) ?? (memo.set(key, run()), memo.get(key)!);
  const checks: (() => Promise<CheckLine>)[] = [];
  const add = (workload: string, key: string, memoKey: string, run: () => Promise<Outcome>) =>
    checks.push(async () => ({ workload, key, ...(await once(memoKey, run)) }));
  for (const w of needs) {
    const repositories = new Set<string>();
    for (const { key, image } of w.images) {
      add(w.workload, key, `image ${image}`, () => checkImage(ctx, image));
      const m = ECR_IMAGE.exec(image);
      if (m) repositories.add(`arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}`);
    }
    const readable: { key: string; action: string; arn: string }[] = [];
    for (const { key, valueFrom } of w.secrets) {
      const ref = parseSecret(valueFrom);
      if (!ref) {
        checks.push(() =>
          Promise.resolve({ workload: w.workload, key, status: "not checked", what: `${valueFrom}: not a Secrets Manager or SSM parameter ARN` }),
        );
        continue;
      }
      add(w.workload, key, `secret ${ref.id}`, () => checkSecret(ctx, ref));
      if (ref.jsonKey) {
        checks.push(() =>
          Promise.resolve({
            workload: w.workload,
            key,
            status: "not checked",
            what: `JSON key ${ref.jsonKey}: only reading the secret's value would tell (not done)`,
          }),
        );
      }
      readable.push({
        key,
        action: ref.service === "secretsmanager" ? "secretsmanager:GetSecretValue" : "ssm:GetParameters",
        arn: ref.arn
          .split(":")
          .slice(0, ref.service === "secretsmanager" ? 7 : undefined)
          .join(":"),
      });
    }
    const role = w.executionRoleArn;
    if (role) {
      for (const r of readable) add(w.workload, r.key, `role ${role} ${r.action} ${r.arn}`, () => checkRole(ctx, role, r.action, r.arn));
      for (const repository of repositories)
        add(w.workload, "execution role", `role ${role} pull ${repository}`, () => checkRole(ctx, role, "ecr:BatchGetImage", repository));
    } else if (readable.length + repositories.size > 0) {
      checks.push(() =>
        Promise.resolve({
          workload: w.workload,
          key: "execution role",
          status: "not checked",
          what: "the stack has no outputs yet (never applied): its roles cannot be simulated",
        }),
      );
    }
    for (const { key, name } of w.logGroups ?? []) add(w.workload, key, `log group ${name}`, () => checkLogGroup(ctx, name));
    const network = w.network;
    if (network) {
      const clients = ctx.clients;
      add(w.workload, "task subnets", `subnets ${network.taskSubnetIds.join(",")}`, () =>
        call(ctx, () => checkTaskSubnets(clients, network.taskSubnetIds)).catch((error: unknown) =>
          couldNotCheck("EC2 DescribeSubnets / DescribeRouteTables", error, ctx.region),
        ),
      );
      if (network.targetGroupArns.length > 0)
        add(w.workload, "load balancer subnets", `balancers ${network.targetGroupArns.join(",")}`, () =>
          call(ctx, () => checkLoadBalancerSubnets(clients, network.targetGroupArns)).catch((error: unknown) =>
            couldNotCheck("ELB DescribeTargetGroups / DescribeLoadBalancers, EC2 DescribeRouteTables", error, ctx.region),
          ),
        );
    }
  }
  return bounded(ctx.concurrency ?? 8, checks);
}

/** Without credentials nothing was checked: the one line to show instead of one per check. */
export function credentialsProblem(lines: readonly CheckLine[]): string | undefined {
  const line = lines.find((l) => l.what.includes("check your AWS credentials"));
  return line ? `nothing could be checked: ${line.what}` : undefined;
}

/** The checks that stop a release: something missing, wrong or denied. */
export function failingChecks(lines: readonly CheckLine[]): CheckLine[] {
  return lines.filter((l) => l.status === "MISSING" || l.status === "WRONG" || l.status === "DENIED");
}

/** True when a check found something missing, wrong or denied: nothing should be deployed. */
export function preflightFailed(lines: readonly CheckLine[]): boolean {
  return failingChecks(lines).length > 0;
}

/** The lines as a person reads them, aligned, and a summary. */
export function formatChecks(lines: readonly CheckLine[]): string[] {
  const width = (pick: (l: CheckLine) => string) => Math.max(0, ...lines.map((l) => pick(l).length));
  const [s, w, k] = [width((l) => l.status), width((l) => l.workload), width((l) => l.key)];
  const count = (status: CheckStatus) => lines.filter((l) => l.status === status).length;
  return [
    ...lines.map((l) => `${l.status.padEnd(s)}  ${l.workload.padEnd(w)}  ${l.key.padEnd(k)}  ${l.what}`),
    `${lines.length} checks: ${CHECK_STATUSES.map((status) => `${count(status)} ${status}`).join(", ")}`,
  ];
}

/**
 * What a registered task definition needs to start (a release's new revision): every container's
 * image and secrets, its execution role, its awslogs groups.
 */
export function needsFromTaskDefinition(
  workload: string,
  td: {
    readonly executionRoleArn?: string | undefined;
    readonly containerDefinitions?: readonly {
      readonly name?: string | undefined;
      readonly image?: string | undefined;
      readonly secrets?: readonly { readonly name?: string | undefined; readonly valueFrom?: string | undefined }[] | undefined;
      readonly logConfiguration?: { readonly logDriver?: string | undefined; readonly options?: Record<string, string> | undefined } | undefined;
    }[];
  },
): WorkloadNeeds {
  const containers = td.containerDefinitions ?? [];
  const logGroups = containers.flatMap((c) =>
    c.logConfiguration?.logDriver === "awslogs" && c.logConfiguration.options?.["awslogs-group"] ? [c.logConfiguration.options["awslogs-group"]] : [],
  );
  return {
    workload,
    images: containers.flatMap((c) => (c.image ? [{ key: `container ${c.name ?? "?"} image`, image: c.image }] : [])),
    secrets: containers.flatMap((c) =>
      (c.secrets ?? []).flatMap((s) => (s.valueFrom ? [{ key: `container ${c.name ?? "?"} secret ${s.name ?? "?"}`, valueFrom: s.valueFrom }] : [])),
    ),
    ...(td.executionRoleArn ? { executionRoleArn: td.executionRoleArn } : {}),
    logGroups: [...new Set(logGroups)].map((name) => ({ key: "log group", name })),
  };
}
