// Every stack file under Pulumi's real engine: `pulumi up`, `preview` and `destroy` of the program
// itself, with the CLI on PATH (or the one toolchain/install.sh builds), a local file backend, the
// policy pack through Pulumi's own analyzer path, and recording stand-ins for the cloud providers
// (test/engine/recording-provider.ts: no AWS, Datadog or PagerDuty here). What the engine decides
// is real: the order of every create, update and delete, what it replaces, what a preview does
// not know, what `protect` refuses. What the stand-ins answer is the offline plan's mocks; the
// release commands are recorded, not run (the release tool itself runs against AWS-compatible
// fakes in test/tools and test/components/deploy).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { readStackFile } from "../../components/offline-plan/stack-file";
import type { Plan } from "../../components/offline-plan/plan";
import { loadStackConfig } from "../../infra/config/load";
import { program } from "../../infra/program";
import { runPlan } from "../../tools/plan/run";
import { copyProject } from "../helpers/project-copy";
import { ROOT, stackNames } from "../helpers/plan";
import { pulumiEnvironment, type PulumiRun } from "../helpers/pulumi-cli";

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

/** A new image tag for the stack: what a release is. */
const nextImage = (image: string) => `${image.replace(/:[^:]+$/, "")}:engine-test-next`;

const WORKER = "aws:ecs/service:Service";
const NEW_SECRET = (region: string, account: string) => `arn:aws:secretsmanager:${region}:${account}:secret:shop/engine-test-token-AbC123`;

// Each `pulumi` run starts the engine, the program and five provider stand-ins: 15-30 s here.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

describe.each(stackNames())("stack %s under Pulumi's engine", (stack) => {
  const raw = readStackFile(stack, ROOT);
  const config = loadStackConfig(raw);
  let dir: string;
  let pulumi: (args: readonly string[]) => PulumiRun;
  let recording: string;
  const calls = (): Call[] =>
    readFileSync(recording, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Call);
  /** Calls recorded by the command `run`, whatever ran before it. */
  const during = (run: () => PulumiRun): { result: PulumiRun; calls: Call[] } => {
    const before = calls().length;
    const result = run();
    return { result, calls: calls().slice(before) };
  };

  beforeAll(async () => {
    dir = await copyProject([`Pulumi.${stack}.yaml`], []);
    const environment = pulumiEnvironment();
    recording = join(environment.home, "recording.jsonl");
    writeFileSync(recording, "");
    pulumi = (args) => environment.run([...args, "--stack", stack, "--non-interactive"], dir, { INFRA_RECORDING: recording });
    const init = environment.run(["stack", "init", stack, "--non-interactive"], dir);
    expect(init.code, init.stderr).toBe(0);
  });

  let first: ReturnType<typeof during>;
  it("a first up, its preview judged by the policy pack with the values a first preview does not know, creates what the offline plan has", async () => {
    first = during(() => pulumi(["up", "--yes", "--policy-pack", join(dir, "policy")]));
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

  it("a second up with nothing changed changes nothing", () => {
    const preview = pulumi(["preview", "--expect-no-changes"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  });

  describe.runIf(Object.keys(config.services).length > 0)("a release: a new infra:image", () => {
    let steps: Step[];
    let release: ReturnType<typeof during>;
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
      before = await runPlan(stack, raw, program);
      after = await runPlan(stack, released, program);
      stackFile.config["infra:image"] = image;
      stackFile.config["infra:services"] = services;
      writeFileSync(file, stringify(stackFile));
      const preview = pulumi(["preview", "--json"]);
      expect(preview.code, preview.stderr).toBe(0);
      steps = (JSON.parse(preview.stdout) as { steps: Step[] }).steps;
      release = during(() => pulumi(["up", "--yes", "--skip-preview"]));
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
  });

  it.runIf(config.protectData)("pulumi destroy of a stack that keeps its data refuses, and deletes nothing", () => {
    const destroy = during(() => pulumi(["destroy", "--yes"]));
    expect(destroy.result.code).not.toBe(0);
    expect(destroy.result.stdout + destroy.result.stderr).toMatch(/protected/);
    expect(destroy.calls.filter((c) => c.call === "delete")).toEqual([]);
  });
});
