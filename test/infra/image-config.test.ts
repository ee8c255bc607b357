import { COLOURS } from "../../release-tool/colours";
import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { program } from "../../infra/program";
import { diffPlans } from "../../tools/plan/diff";
import { runPlan } from "../../tools/plan/run";
import { readStackFile } from "../../offline-plan/stack-file";
import { configProblems, minimalConfig } from "../helpers/config";
import { ROOT } from "../helpers/plan";

const APP = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.11.20-1";
const PINNED = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/shop-tools:7";
const batch = (extra: object = {}) => ({ schedule: "rate(1 hour)", cpu: 256, memory: 512, command: ["./batch-cli", "x"], timeoutSeconds: 600, ...extra });
const worker = (extra: object = {}) => ({ cpu: 256, memory: 512, command: ["bundle", "exec", "sidekiq"], ...extra });

describe("infra:image: the app image, once per stack", () => {
  it("is the image of every workload that names none; a workload may pin its own", () => {
    const config = loadStackConfig(
      minimalConfig({
        "infra:image": APP,
        "infra:batches": { a: batch(), b: batch({ image: PINNED }) },
        "infra:jobs": { back: { default: worker() }, scheduler: worker(), periodic: { default: worker({ image: PINNED }) } },
      }),
    );
    expect(config.image).toBe(APP);
    expect(config.batches.a!.image).toBe(APP);
    expect(config.batches.b!.image).toBe(PINNED);
    expect(config.jobs!.back.default!.image).toBe(APP);
    expect(config.jobs!.scheduler.image).toBe(APP);
    expect(config.jobs!.periodic.default!.image).toBe(PINNED);
  });

  it("is required somewhere: a workload with no image and no infra:image says where to put one", () => {
    expect(configProblems(minimalConfig({ "infra:batches": { a: batch() } }))).toEqual([
      "infra:batches.a.image: is required: set it here, or set infra:image (the app image every workload runs)",
    ]);
  });

  it.each([
    [APP.replace(/:2026.11.20-1$/, ":latest"), "moves with every push"],
    [APP.replace(/:2026.11.20-1$/, ""), "has no tag, which means latest"],
  ])("refuses a moving infra:image: %s", (image, why) => {
    const repository = APP.replace(/:2026.11.20-1$/, "");
    expect(configProblems(minimalConfig({ "infra:image": image }))).toEqual([
      `infra:image: "${image}" ${why}: name one version (${repository}:2026.11.20-1) or a digest (@sha256:...)`,
    ]);
  });

  it("refuses a moving image pinned by a workload, naming the workload", () => {
    expect(configProblems(minimalConfig({ "infra:image": APP, "infra:batches": { a: batch({ image: "nginx:latest" }) } }))).toEqual([
      'infra:batches.a.image: "nginx:latest" moves with every push: name one version (nginx:2026.11.20-1) or a digest (@sha256:...)',
    ]);
  });
});

describe("a release is one line", () => {
  it("changing infra:image in a stack file changes the task definitions of the workloads that run it, and nothing else", async () => {
    const stg = readStackFile("stg", ROOT);
    const next = { ...stg, "infra:image": String(stg["infra:image"]).replace(/:[^:/]+$/, ":2026.12.01-1") };
    const diff = diffPlans(await runPlan("stg", stg, program), await runPlan("stg", next, program));
    const config = loadStackConfig(stg);
    const coloured = Object.values(config.jobs?.back ?? {}).filter((g) => g.release === "blueGreen");
    // A task with colours has a task definition per colour; both change with the image.
    const defs = (task: string, colours: boolean) => (colours ? COLOURS.map((c) => `${task}-def-${c}`) : [`${task}-def`]);
    const runsApp = [
      ...Object.entries(config.services).flatMap(([k, w]) =>
        defs(
          `${k}-task`,
          coloured.some((g) => g.enqueuedBy.includes(k)),
        ).map((d) => [d, w.image]),
      ),
      ...Object.entries(config.batches).map(([k, w]) => [`batch-${k}-task-def`, w.image]),
      ...Object.entries(config.jobs?.back ?? {}).flatMap(([k, w]) => defs(`jobs-back-${k}-task`, w.release === "blueGreen").map((d) => [d, w.image])),
      ...Object.entries(config.jobs?.periodic ?? {}).map(([k, w]) => [`jobs-periodic-${k}-task-def`, w.image]),
      ...(config.jobs ? [["jobs-scheduler-task-def", config.jobs.scheduler.image]] : []),
    ]
      .filter(([, image]) => image === config.image)
      .map(([name]) => name);
    expect(runsApp.length).toBeGreaterThan(0);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    // Replaced: those task definitions (a new revision each) and each web service's release
    // commands (their triggers name the revisions), which run again and announce the image.
    const releases = Object.keys(config.services).flatMap((k) => [`${k}-release-deploy`, `${k}-release-prepare`]);
    const replaced = diff.changed.filter((c) => c.replacedBy.length > 0);
    expect(replaced.map((c) => c.resource.name).sort()).toEqual([...runsApp, ...releases].sort());
    for (const change of replaced.filter((c) => c.resource.type === "aws:ecs/taskDefinition:TaskDefinition"))
      expect(change.changes.map((c) => c.path).join(), change.resource.name).toMatch(/image/);
    // Everything else only follows the new revisions (a worker's service, a batch's state machine).
    for (const change of diff.changed.filter((c) => c.replacedBy.length === 0))
      for (const c of change.changes) expect(String(c.after), `${change.resource.name} ${c.path}`).toMatch(/:<new revision>$/);
  });
});
