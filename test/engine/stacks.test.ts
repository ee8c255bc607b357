// Every stack file under Pulumi's real engine: `pulumi up`, `preview` and `destroy` of the program
// itself, with the CLI on PATH (or the one toolchain/install.sh builds), a local file backend, the
// policy pack through Pulumi's own analyzer path, and recording stand-ins for the cloud providers
// (test/engine/recording-provider.ts: no AWS, Datadog or PagerDuty here). What the engine decides
// is real: the order of every create, update and delete, what it replaces, what a preview does
// not know, what `protect` refuses. What the stand-ins answer is the offline plan's mocks; the
// release commands run, as the command provider runs them: the release tool itself, against the
// account the up builds (test/engine/aws-world.ts: the stand-in's resources served by the fakes
// of ECS, CodeDeploy, IAM's simulator and the rest, DynamoDB by dynalite).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readStackFile } from "../../offline-plan/stack-file";
import type { Plan } from "../../offline-plan/plan";
import { loadStackConfig } from "../../infra/config/load";
import { program } from "../../infra/program";
import { runPlan } from "../../tools/plan/run";
import { copyProject } from "../helpers/project-copy";
import { ROOT, stackNames } from "../helpers/plan";
import { awsEnvironment, launcher, runNode } from "../helpers/process";
import { pulumiEnvironment, type PulumiRun } from "../helpers/pulumi-cli";
import { startWorld, type World } from "./aws-world";

/** One provider call as the stand-ins record it. */
interface Call {
  readonly provider: string;
  readonly call: string;
  readonly at: number;
  readonly type: string;
  readonly name: string;
  readonly parents: string[];
  readonly urn?: string;
  readonly deregistered?: boolean;
  /** What a create or update answered. */
  readonly outs?: Record<string, unknown>;
  /** A command's run: its exit code and output. */
  readonly code?: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

/** A preview's step, as `pulumi preview --json` prints it. */
interface Step {
  readonly op: string;
  readonly urn: string;
}

const key = (type: string, name: string) => `${type}::${name}`;
const typeOf = (urn: string) => urn.split("::")[2]!.split("$").pop()!;
const nameOf = (urn: string) => urn.split("::").slice(3).join("::");

/** The custom resources of an offline plan, as the engine would ask a provider to create them. */
const providerResources = (plan: Plan) => plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => key(r.type, r.name));

/** The images and secrets the plan's task definitions name: what CI pushed and the team created before an up. */
function givenBy(plan: Plan): { images: string[]; secrets: string[] } {
  const containers = plan.resources
    .filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")
    .flatMap((r) => JSON.parse(String(r.inputs.containerDefinitions)) as { image: string; secrets?: { valueFrom: string }[] }[]);
  return {
    images: [...new Set(containers.map((c) => c.image).filter((i) => i.includes(".dkr.ecr.")))],
    secrets: [...new Set(containers.flatMap((c) => (c.secrets ?? []).map((x) => x.valueFrom)))],
  };
}

/** A new image tag for the stack: what a release is. */
const nextImage = (image: string, tag = "engine-test-next") => `${image.replace(/:[^:]+$/, "")}:${tag}`;

const WORKER = "aws:ecs/service:Service";
const NEW_SECRET = (region: string, account: string) => `arn:aws:secretsmanager:${region}:${account}:secret:shop/engine-test-token-AbC123`;

// Each `pulumi` run starts the engine, the program and five provider stand-ins: 15-30 s here.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

describe.each(stackNames())("stack %s under Pulumi's engine", (stack) => {
  // Polls of a second: the fakes move a step per look (the same setting a stack may give).
  const raw = { ...readStackFile(stack, ROOT), "infra:release": { ...(readStackFile(stack, ROOT)["infra:release"] as object), pollSeconds: 1 } };
  const config = loadStackConfig(raw);
  let dir: string;
  let pulumi: (args: readonly string[], extra?: NodeJS.ProcessEnv) => Promise<PulumiRun>;
  let recording: string;
  let world: World;
  let aws: Record<string, string>;
  /** The stack's config as the last up had it. */
  let current: Record<string, unknown> = raw;
  const calls = (): Call[] =>
    readFileSync(recording, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Call);
  /** Calls recorded by the command `run`, whatever ran before it. */
  const during = async (run: () => Promise<PulumiRun>): Promise<{ result: PulumiRun; calls: Call[] }> => {
    const before = calls().length;
    const result = await run();
    return { result, calls: calls().slice(before) };
  };

  /** The stack's outputs as the tools read them (`--outputs`), written now. */
  const outputsFile = async (): Promise<string> => {
    const outputs = await pulumi(["stack", "output", "--json", "--show-secrets"]);
    expect(outputs.code, outputs.stderr).toBe(0);
    const file = join(dir, `${stack}-outputs.json`);
    writeFileSync(file, outputs.stdout);
    return file;
  };

  beforeAll(async () => {
    dir = await copyProject(
      stackNames().map((s) => `Pulumi.${s}.yaml`),
      [],
    );
    const file = join(dir, `Pulumi.${stack}.yaml`);
    writeFileSync(file, stringify({ ...(parse(readFileSync(file, "utf8")) as object), config: raw }));
    const environment = pulumiEnvironment();
    recording = join(environment.home, "recording.jsonl");
    writeFileSync(recording, "");
    world = await startWorld(recording, config);
    world.give(givenBy(await runPlan(stack, raw, program)));
    // The release tool's environment, as CI's credentials give it: the account is the world.
    aws = awsEnvironment(environment.home, world.endpoint, {
      AWS_ENDPOINT_URL_DYNAMODB: world.dynamodb.endpoint,
      AWS_REGION: config.region,
      // The stand-ins' ARNs are in the account the credentials are of.
      INFRA_ACCOUNT_ID: config.accountId,
      INFRA_RELEASE_USER: "engine-test",
    });
    pulumi = (args, extra = {}) =>
      environment.start([...args, "--stack", stack, "--non-interactive"], dir, { INFRA_RECORDING: recording, ...aws, PATH: environment.env.PATH, ...extra });
    const init = environment.run(["stack", "init", stack, "--non-interactive"], dir);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(() => world.stop());

  let first: Awaited<ReturnType<typeof during>>;
  it("a first up, its preview judged by the policy pack with the values a first preview does not know, creates what the offline plan has", async () => {
    first = await during(() => pulumi(["up", "--yes", "--policy-pack", join(dir, "policy")]));
    expect(first.result.code, first.result.stdout + first.result.stderr).toBe(0);
    // Every rule judged what it could: none went advisory for an unknown value.
    expect(first.result.stdout).not.toMatch(/can't run .* during preview/);
    const plan = await runPlan(stack, raw, program);
    expect(
      first.calls
        .filter((c) => c.call === "create")
        .map((c) => key(c.type, c.name))
        .sort(),
    ).toEqual(providerResources(plan).sort());
  });

  it("services wait for the cluster's capacity providers: ECS refuses a provider not yet associated", () => {
    const associated = first.calls.find((c) => c.call === "created" && c.type === "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
    const services = first.calls.filter((c) => c.call === "create" && c.type === WORKER);
    expect(associated).toBeDefined();
    expect(services.length).toBeGreaterThan(0);
    for (const s of services) expect(s.at, s.name).toBeGreaterThanOrEqual(associated!.at);
  });

  it("a second up with nothing changed changes nothing", async () => {
    const preview = await pulumi(["preview", "--expect-no-changes"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  });

  describe.runIf(Object.keys(config.services).length > 0)("a release: a new infra:image", () => {
    let steps: Step[];
    let release: Awaited<ReturnType<typeof during>>;
    let releasedFrom: number;
    let before: Plan;
    let after: Plan;
    beforeAll(async () => {
      const file = join(dir, `Pulumi.${stack}.yaml`);
      const stackFile = parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
      const image = nextImage(String(stackFile.config["infra:image"]));
      // The release also gives every web service a new secret: its execution role's policy
      // changes with it, a resource of its own the migration needs applied first.
      const services = structuredClone(stackFile.config["infra:services"]) as Record<string, { secrets?: Record<string, string> }>;
      for (const s of Object.values(services)) s.secrets = { ...s.secrets, ENGINE_TEST_TOKEN: NEW_SECRET(config.region, config.accountId) };
      const released = { ...raw, "infra:image": image, "infra:services": services };
      current = released;
      before = await runPlan(stack, raw, program);
      after = await runPlan(stack, released, program);
      // CI pushed the new image; the team created the new secret.
      world.give(givenBy(after));
      stackFile.config["infra:image"] = image;
      stackFile.config["infra:services"] = services;
      writeFileSync(file, stringify(stackFile));
      const preview = await pulumi(["preview", "--json"]);
      expect(preview.code, preview.stderr).toBe(0);
      steps = (JSON.parse(preview.stdout) as { steps: Step[] }).steps;
      releasedFrom = Date.now();
      release = await during(() => pulumi(["up", "--yes", "--skip-preview"]));
      expect(release.result.code, release.result.stdout + release.result.stderr).toBe(0);
    });

    it("the preview replaces exactly the task definitions the offline plan changes, and every release's commands", () => {
      const changed = (plan: Plan) => new Map(plan.resources.map((r) => [key(r.type, r.name), JSON.stringify(r.inputs)]));
      const [was, now] = [changed(before), changed(after)];
      const definitions = [...now].filter(([k, v]) => k.startsWith("aws:ecs/taskDefinition:TaskDefinition::") && was.get(k) !== v).map(([k]) => k);
      expect(definitions.length).toBeGreaterThan(0);
      const commands = Object.keys(config.services).flatMap((s) => ["prepare", "deploy"].map((step) => key("command:local:Command", `${s}-release-${step}`)));
      const replaced = steps.filter((s) => s.op === "replace").map((s) => key(typeOf(s.urn), nameOf(s.urn)));
      expect(replaced.sort()).toEqual([...definitions, ...commands].sort());
      // Nothing deleted but what is replaced, nothing created anew.
      expect(steps.filter((s) => s.op === "delete" || s.op === "create")).toEqual([]);
    });

    it("the up keeps every replaced revision (a rollback, a drain, a one-off task of the old colour need them)", () => {
      const deletes = release.calls.filter((c) => c.call === "delete" && c.type === "aws:ecs/taskDefinition:TaskDefinition");
      expect(deletes.length).toBeGreaterThan(0);
      expect(deletes.filter((c) => c.deregistered).map((c) => c.name)).toEqual([]);
    });

    it.each(Object.keys(config.services))(
      "%s: prepare after everything of the service is applied (the new secret's policy too), then the workers and the scheduler, then deploy",
      (service) => {
        const at = (call: string, name: string) => release.calls.find((c) => c.call === call && c.name === name)?.at;
        const prepare = at("create", `${service}-release-prepare`);
        const deploy = at("create", `${service}-release-deploy`);
        expect(prepare).toBeDefined();
        expect(deploy).toBeDefined();
        // Everything of the service (its roles' policies too) is done before the release starts.
        const ofService = release.calls.filter(
          (c) => (c.call === "created" || c.call === "updated") && c.parents.includes("infra:ecs:BlueGreenService") && c.name.startsWith(`${service}-`),
        );
        expect(ofService.filter((c) => c.type === "aws:iam/rolePolicy:RolePolicy").length).toBeGreaterThan(0);
        for (const c of ofService) expect(c.at, c.name).toBeLessThanOrEqual(prepare!);
        // The workers' and scheduler's services roll after prepare (its migration) and before deploy.
        const workers = release.calls.filter((c) => c.call === "update" && c.type === WORKER && c.parents.includes("infra:ecs:WorkerService"));
        for (const w of workers) {
          expect(w.at, w.name).toBeGreaterThanOrEqual(prepare!);
          expect(w.at, w.name).toBeLessThanOrEqual(deploy!);
        }
      },
    );

    it.each(Object.keys(config.services))(
      "%s: the up ran the release tool against the account: prepare's migration on the revision going live, the workers' rollouts, then deploy's CodeDeploy deployment",
      (service) => {
        const ran = (step: string) => release.calls.find((c) => c.call === "ran" && c.name === `${service}-release-${step}`);
        const [prepare, deploy] = [ran("prepare"), ran("deploy")];
        expect(prepare?.code, prepare?.stderr).toBe(0);
        expect(deploy?.code, deploy?.stderr).toBe(0);
        const run = (JSON.parse(prepare!.stdout!) as { run: string }).run;
        expect(deploy!.stdout).toMatch(/^released: arn:aws:ecs:\S+:task-definition\/\S+:\d+ \(deployment d-\d+\)\n$/);
        const deployed = /^released: (\S+)/.exec(deploy!.stdout!)![1]!;
        expect(prepare!.stderr).toContain(`lock taken by engine-test`);
        expect(run).toMatch(/^[0-9a-f-]{36}$/);
        const steps = world.steps.filter((s) => s.at >= releasedFrom);
        const migration = steps.find((s) => s.operation === "ecs:RunTask");
        const deployment = steps.filter((s) => s.operation === "codedeploy:CreateDeployment");
        // The migration ran on the revision CodeDeploy then deployed: the colour going live, this up's new revision.
        expect(deployment.map((s) => s.detail)).toEqual([deployed]);
        expect(migration?.detail).toBe(deployed);
        expect(release.calls.filter((c) => c.call === "created" && c.type === "aws:ecs/taskDefinition:TaskDefinition").map((c) => c.outs?.arn)).toContain(
          deployed,
        );
        const workers = release.calls.filter((c) => c.call === "update" && c.type === WORKER && c.parents.includes("infra:ecs:WorkerService"));
        for (const w of workers) {
          expect(w.at, w.name).toBeGreaterThan(migration!.at);
          expect(w.at, w.name).toBeLessThan(deployment[0]!.at);
        }
        // Production traffic is on the new revision.
        expect([...world.ecs().services.values()].some((s) => s.taskSet && s.taskDefinition === deployed)).toBe(true);
      },
    );

    it.each(Object.keys(config.services))("%s: a rollback after the finished release deploys the revision before it, which the up kept", async (service) => {
      const file = await outputsFile();
      const live = [...world.ecs().services.values()].find((s) => s.taskSet)!.taskDefinition;
      const result = await runNode(launcher("release", "rollback", stack, service, "--outputs", file), aws);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^rolled back: /);
      const back = [...world.ecs().services.values()].find((s) => s.taskSet)!.taskDefinition;
      expect(back).not.toBe(live);
    });
  });

  describe.runIf(Object.keys(config.services).length > 0)("an up that fails after prepare (the workers' rollout), then a new image", () => {
    let failed: Awaited<ReturnType<typeof during>>;
    let fixed: Awaited<ReturnType<typeof during>>;
    const ran = (recorded: Call[], service: string, step: string) => recorded.find((c) => c.call === "ran" && c.name === `${service}-release-${step}`);
    /** The stack file with a new image, which CI pushed. */
    const release = async (tag: string) => {
      const file = join(dir, `Pulumi.${stack}.yaml`);
      const stackFile = parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
      stackFile.config["infra:image"] = nextImage(String(stackFile.config["infra:image"]), tag);
      writeFileSync(file, stringify(stackFile));
      // (The file as Pulumi saved it holds every value as text: the plan takes the config as the stack file gives it.)
      current = { ...current, "infra:image": stackFile.config["infra:image"] };
      world.give(givenBy(await runPlan(stack, current, program)));
    };
    beforeAll(async () => {
      // The last release's hold period (a stack may have one): the SRE shipping a fix frees it first.
      const outputs = await outputsFile();
      for (const service of Object.keys(config.services)) {
        const unlocked = await runNode(launcher("release", "unlock", stack, service, "--outputs", outputs), aws);
        expect(unlocked.code, unlocked.stderr).toBe(0);
      }
      await release("engine-test-broken");
      failed = await during(() => pulumi(["up", "--yes", "--skip-preview"], { INFRA_FAIL_ROLLOUTS_UNDER: "infra:ecs:WorkerService" }));
      await release("engine-test-fixed");
      fixed = await during(() => pulumi(["up", "--yes", "--skip-preview"]));
    });

    it.each(Object.keys(config.services))("%s: the failed up prepared (lock, migration) and never deployed", (service) => {
      expect(failed.result.code).not.toBe(0);
      expect(failed.result.stdout).toContain("the deployment circuit breaker rolled it back");
      expect(ran(failed.calls, service, "prepare")?.code).toBe(0);
      expect(ran(failed.calls, service, "deploy")).toBeUndefined();
    });

    it.each(Object.keys(config.services))("%s: the next image's prepare takes the lock over, saying what happened, and the up releases it", (service) => {
      expect(fixed.result.code, fixed.result.stdout + fixed.result.stderr).toBe(0);
      const prepare = ran(fixed.calls, service, "prepare");
      expect(prepare?.code, prepare?.stderr).toBe(0);
      expect(prepare!.stderr).toMatch(
        /lock taken over from engine-test@\S+: its pulumi up prepared \S+ at \S+ \(its migration ran\) and ended before deploy, so no deployment was created\n/,
      );
      expect(ran(fixed.calls, service, "deploy")?.stdout).toMatch(/^released: /);
    });
  });

  it.runIf(config.protectData)("pulumi destroy of a stack that keeps its data refuses, and deletes nothing", async () => {
    const destroy = await during(() => pulumi(["destroy", "--yes"]));
    expect(destroy.result.code).not.toBe(0);
    expect(destroy.result.stdout + destroy.result.stderr).toMatch(/protected/);
    expect(destroy.calls.filter((c) => c.call === "delete")).toEqual([]);
  });
});
