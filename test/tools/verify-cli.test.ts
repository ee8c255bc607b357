import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import type { StackConfig } from "../../infra/config/schema";
import { configuredWorkloads } from "../../infra/config/workloads";
import { readStackFile } from "../../offline-plan/stack-file";
import { FakeAccount } from "../helpers/fake-account";
import { serveFake } from "../helpers/fake-ecs";
import { planStack, ROOT, stackNames } from "../helpers/plan";
import { awsEnvironment, launcher, runNode } from "../helpers/process";

const dir = mkdtempSync(join(tmpdir(), "verify-cli-"));
const ECR = /^(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/([^:@]+):(.+)$/;
let endpoint: string;
let server: Server;
let account: FakeAccount;
let outputs: string;
let config: StackConfig;
let workloads: Record<string, { executionRoleArn: string; logGroupName: string; subnetIds: string[] }>;
/** Per stack of the project: its config, its offline plan's outputs (as a file), its workloads. */
const stacks: Record<string, { config: StackConfig; outputs: string; workloads: typeof workloads }> = {};

const run = (tool: "verify" | "batch", args: string[]) => runNode(launcher(tool, ...args), awsEnvironment(dir, endpoint));

/** An account holding everything a stack's config and outputs name: every image, secret, permission and log group. */
function completeAccount(config: StackConfig, workloads: Record<string, { executionRoleArn: string; logGroupName: string; subnetIds: string[] }>): FakeAccount {
  const fake = new FakeAccount();
  for (const w of configuredWorkloads(config)) {
    const [, registry, repository, tag] = ECR.exec(w.task.image)!;
    fake.repositories.set(`${registry}/${repository}`, [...(fake.repositories.get(`${registry}/${repository}`) ?? []), tag!]);
    const secrets = [...Object.values(w.task.secrets), ...(w.task.datadog ? [w.task.datadog.apiKeySecretArn] : [])];
    for (const secret of secrets) fake.secrets.add(secret);
    const out = workloads[w.name]!;
    fake.roles.set(
      out.executionRoleArn,
      new Set([
        ...secrets.map((s) => `secretsmanager:GetSecretValue ${s}`),
        `ecr:BatchGetImage arn:aws:ecr:${config.region}:${registry!}:repository/${repository!}`,
      ]),
    );
    fake.logGroups.add(out.logGroupName);
    fake.addVpc({ vpcId: "vpc-plan", publicSubnetIds: [], privateSubnetIds: out.subnetIds.filter((id) => !fake.subnets.has(id)) });
  }
  return fake;
}

beforeAll(async () => {
  for (const stack of stackNames()) {
    const plan = await planStack(stack);
    const file = join(dir, `${stack}-outputs.json`);
    writeFileSync(file, JSON.stringify(plan.outputs));
    stacks[stack] = { config: loadStackConfig(readStackFile(stack, ROOT)), outputs: file, workloads: plan.outputs.workloads as typeof workloads };
  }
  ({ config, outputs, workloads } = stacks.stg!);
  ({ endpoint, server } = await serveFake((operation, input) => account.handle(operation, input)));
});
afterAll(() => server.close());
beforeEach(() => {
  account = completeAccount(config, workloads);
});

describe("npm run verify as a process, against an AWS-compatible endpoint", () => {
  it.each(stackNames())("everything of %s present: a line per check, every image and secret of its config among them, exit 0", async (stack) => {
    const { config, outputs, workloads } = stacks[stack]!;
    account = completeAccount(config, workloads);
    const result = await run("verify", [stack, "--outputs", outputs]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^\d+ checks: \d+ ok, 0 MISSING, 0 WRONG, 0 DENIED, \d+ not checked$/);
    for (const w of configuredWorkloads(config)) {
      expect(lines.some((l) => l.startsWith("ok") && l.includes(` ${w.name} `) && l.endsWith(w.task.image))).toBe(true);
      for (const secret of Object.values(w.task.secrets))
        expect(lines.some((l) => l.startsWith("ok") && l.includes(` ${w.name} `) && l.endsWith(secret))).toBe(true);
    }
    // Only what cannot be checked is "not checked": images outside ECR (the Datadog agent's).
    expect(lines.filter((l) => l.startsWith("not checked")).every((l) => l.includes("is not ECR"))).toBe(true);
  });

  it("the app image never pushed: MISSING on every workload that runs it, exit 1, and the pull request comment says so", async () => {
    const [, registry, repository] = ECR.exec(config.image!)!;
    account.repositories.set(`${registry}/${repository}`, []);
    const markdown = join(dir, "verify.md");
    const result = await run("verify", ["stg", "--outputs", outputs, "--markdown", markdown]);
    expect(result.code).toBe(1);
    const missing = result.stdout.split("\n").filter((l) => l.startsWith("MISSING"));
    expect(missing.length).toBe(configuredWorkloads(config).filter((w) => w.task.image === config.image).length);
    expect(missing[0]).toContain(`${config.image!}: ${config.image!.split(":").pop()!} is not in ${repository!} (push it before releasing)`);
    const comment = readFileSync(markdown, "utf8");
    expect(comment.split("\n").slice(0, 4)).toEqual([
      "<!-- infra-verify:stg -->",
      "### Preflight verify: stg",
      "",
      `**${missing.length} checks fail**: push the missing image, or fix the secret or the subnets, before merging.`,
    ]);
  });

  it("the subnets a workload runs in send 0.0.0.0/0 to an internet gateway: WRONG for each workload there, exit 1", async () => {
    account.routeTables.find((t) => t.id === "rtb-private-vpc-plan")!.defaultRoute = "igw-plan";
    const result = await run("verify", ["stg", "--outputs", outputs]);
    expect(result.code).toBe(1);
    const wrong = result.stdout.split("\n").filter((l) => l.startsWith("WRONG"));
    const placed = configuredWorkloads(config).filter((w) => workloads[w.name]?.subnetIds);
    expect(placed.length).toBeGreaterThan(0);
    expect(wrong).toHaveLength(placed.length);
    expect(wrong[0]).toMatch(/^WRONG +\S+ +task subnets +the tasks are in public subnet\(s\) .*\(0\.0\.0\.0\/0 to igw-plan\).*give the private subnets/);
  });

  it("a manual batch run with an unpushed image stops before starting the run", async () => {
    const batch = Object.keys(config.batches)[0]!;
    const image = config.batches[batch]!.image;
    const [, registry, repository] = ECR.exec(image)!;
    account.repositories.set(`${registry}/${repository}`, []);
    const result = await run("batch", ["stg", batch]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`preflight of ${batch} failed; the run was not started:`);
    expect(account.calls.filter((c) => !/^(ecr|secretsmanager|ssm|iam|logs|ec2):/.test(c.operation))).toEqual([]);
  });
});
