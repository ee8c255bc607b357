import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { configProblems, minimalConfig } from "../helpers/config";

type Jobs = Record<string, unknown>;
const proc = (command: string) => ({ image: "shop-web:1", cpu: 256, memory: 512, command: ["bundle", "exec", command] });
const jobs = (): Jobs => ({ back: { default: proc("sidekiq") }, scheduler: proc("scheduler"), periodic: { default: proc("sidekiq") } });
const config = (j: Jobs) => minimalConfig({ "infra:jobs": j });

const problemsOf = (j: Jobs) => configProblems(config(j));

describe("infra:jobs", () => {
  it("leaves the components' defaults to them (valkey, back/periodic, 60 s stop timeout) and fills its own capacity (on-demand)", () => {
    const parsed = loadStackConfig(config(jobs())).jobs!;
    expect(parsed.redis).toEqual({});
    expect(parsed.namespaces).toEqual({});
    expect(parsed.back.default).not.toHaveProperty("stopTimeoutSeconds");
    expect(parsed.back.default!.capacity).toEqual({ onDemandBase: 0, onDemandWeight: 1, spotWeight: 0 });
  });

  it.each<[string, (j: Jobs) => void, string]>([
    [
      "two schedulers",
      (j) => (j.scheduler = { ...proc("scheduler"), desiredCount: 2 }),
      "infra:jobs.scheduler.desiredCount: 2: the scheduler runs exactly 1 task (two would enqueue every tick twice outside a rolling update)",
    ],
    [
      "a Spot scheduler",
      (j) => (j.scheduler = { ...proc("scheduler"), spot: true }),
      "infra:jobs.scheduler.spot: the scheduler runs on on-demand Fargate only (a Spot interruption would leave no scheduler and skip ticks)",
    ],
    [
      "an autoscaled scheduler",
      (j) => (j.scheduler = { ...proc("scheduler"), autoscaling: { minCount: 1, maxCount: 2 } }),
      "infra:jobs.scheduler.autoscaling: unknown key (allowed keys: image, cpu, memory, architecture, command, environment, secrets, datadog, shell, stopTimeoutSeconds, desiredCount, spot)",
    ],
    [
      "one namespace for both",
      (j) => (j.namespaces = { back: "jobs", periodic: "jobs" }),
      'infra:jobs.namespaces.periodic: "jobs" is the back namespace too; the two must differ',
    ],
    [
      "a stop timeout past 120 s",
      (j) => (j.back = { default: { ...proc("sidekiq"), stopTimeoutSeconds: 300 } }),
      "infra:jobs.back.default.stopTimeoutSeconds: 300 is out of range (2-120, Fargate's maximum)",
    ],
    [
      "no capacity weight",
      (j) => (j.back = { default: { ...proc("sidekiq"), capacity: { onDemandWeight: 0 } } }),
      "infra:jobs.back.default.capacity: onDemandWeight and spotWeight are both 0; one must be above 0",
    ],
    ["multi-AZ Redis on one node", (j) => (j.redis = { multiAz: true }), "infra:jobs.redis.multiAz: needs at least 2 nodes (a replica to fail over to), got 1"],
    [
      "a node type that is none",
      (j) => (j.redis = { nodeType: "t4g.small" }),
      'infra:jobs.redis.nodeType: "t4g.small" is not an ElastiCache node type (like cache.t4g.small)',
    ],
    [
      "a worker that sets REDIS_URL",
      (j) => (j.back = { default: { ...proc("sidekiq"), environment: { REDIS_URL: "redis://localhost" } } }),
      "infra:jobs.back.default: sets REDIS_URL, which the platform provides",
    ],
    ["no scheduler", (j) => delete j.scheduler, "infra:jobs.scheduler: is required"],
  ])("rejects %s", (_case, change, expected) => {
    const j = jobs();
    change(j);
    expect(problemsOf(j)).toEqual([expected]);
  });
});

describe("infra:jobs.back.<group>.release: blueGreen", () => {
  const service = {
    image: "shop-web:1",
    cpu: 256,
    memory: 512,
    port: 8080,
    certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/0b5a2e0c-1d4f-4a51-9c1e-6f2d8a7b3c41",
    testListener: { allowedCidrs: ["10.0.0.0/8"] },
  };
  const drain = { command: ["bin/jobs-drained"] };
  const coloured = (extra: Jobs = {}) => ({ ...proc("sidekiq"), release: "blueGreen", enqueuedBy: ["web"], drain, ...extra });
  const withWeb = (j: Jobs, services: Record<string, unknown> = { web: service }) => minimalConfig({ "infra:jobs": j, "infra:services": services });

  it("a group that follows the web: its drain check as given (Release fills 30 min, every 30 s)", () => {
    const j = { ...jobs(), back: { default: coloured() } };
    expect(loadStackConfig(withWeb(j)).jobs!.back.default).toMatchObject({
      release: "blueGreen",
      enqueuedBy: ["web"],
      drain: { command: ["bin/jobs-drained"] },
    });
    expect(loadStackConfig(withWeb(j)).jobs!.back.default!.drain).toEqual({ command: ["bin/jobs-drained"] });
  });

  it.each<[string, Jobs, Record<string, unknown> | undefined, string[]]>([
    [
      "a blue/green group no web service enqueues into",
      { default: coloured({ enqueuedBy: [] }) },
      undefined,
      ["infra:jobs.back.default.enqueuedBy: is required with release: blueGreen: the web service whose colour the group follows"],
    ],
    [
      "a blue/green group without a drain check",
      { default: coloured({ drain: undefined }) },
      undefined,
      ["infra:jobs.back.default.drain: is required with release: blueGreen: the check that an old colour has no job left before it is scaled to 0"],
    ],
    [
      "a group that follows two web services",
      { default: coloured({ enqueuedBy: ["web", "admin"] }) },
      { web: service, admin: service },
      [
        'infra:jobs.back.default.enqueuedBy: ["web","admin"]: a blue/green group follows one web service (each web service switches colour in its own deployment; with two, a colour could be drained while one of them still enqueues into it)',
      ],
    ],
    [
      "a group that follows a service the stack does not have",
      { default: coloured({ enqueuedBy: ["api"] }) },
      undefined,
      ['infra:jobs.back.default.enqueuedBy: "api" is not a web service of infra:services (web)'],
    ],
    [
      "a rolling group with a drain check or a web service to follow",
      { default: coloured(), mailers: { ...proc("sidekiq"), enqueuedBy: ["web"], drain } },
      { web: service, admin: service },
      [
        "infra:jobs.back.mailers.drain: is only used with release: blueGreen (a rolling group is never drained)",
        "infra:jobs.back.mailers.enqueuedBy: is only used with release: blueGreen (a rolling group follows no web service)",
      ],
    ],
    [
      "a rolling group nothing enqueues into (every web service enqueues into a colour)",
      { default: coloured(), mailers: proc("sidekiq") },
      undefined,
      [
        'infra:jobs.back.mailers.release: rolling, but every web service enqueues into a colour\'s namespace (back-blue / -green): nothing would enqueue into "back"; make it blueGreen too',
      ],
    ],
    [
      "an unknown release",
      { default: coloured({ release: "canary" }) },
      undefined,
      ['infra:jobs.back.default.release: "canary" is not one of "rolling", "blueGreen"'],
    ],
  ])("rejects %s, by key", (_case, back, services, expected) => {
    expect(configProblems(withWeb({ ...jobs(), back }, services))).toEqual(expected);
  });

  it("rejects a back namespace too long for its colours", () => {
    const j = { ...jobs(), namespaces: { back: "b".repeat(60) }, back: { default: coloured() } };
    expect(configProblems(withWeb(j))).toEqual([
      `infra:jobs.namespaces.back: "${"b".repeat(60)}" is too long for its colours (${"b".repeat(60)}-green is over 64 characters)`,
    ]);
  });

  it("a rolling group beside a blue/green one is fine while another web service enqueues into the plain namespace", () => {
    const j = { ...jobs(), back: { default: coloured(), mailers: proc("sidekiq") } };
    expect(loadStackConfig(withWeb(j, { web: service, admin: service })).jobs!.back.mailers!.release).toBe("rolling");
  });

  it("capacity: any on-demand base and weights, as long as one weight is above 0", () => {
    const back = (capacity: object): Jobs => ({ ...jobs(), back: { default: { ...proc("sidekiq"), capacity } } });
    expect(loadStackConfig(config(back({ onDemandBase: 2, onDemandWeight: 1, spotWeight: 1 }))).jobs?.back.default?.capacity).toEqual({
      onDemandBase: 2,
      onDemandWeight: 1,
      spotWeight: 1,
    });
    expect(problemsOf(back({ onDemandWeight: 0 }))).toEqual([
      "infra:jobs.back.default.capacity: onDemandWeight and spotWeight are both 0; one must be above 0",
    ]);
    expect(problemsOf(back({ onDemandBase: -1 }))).toEqual(["infra:jobs.back.default.capacity.onDemandBase: -1 is less than 0"]);
  });

  it("a blue/green group: a web service it names must exist (none here); its namespace leaves room for the colours' suffix", () => {
    const coloured = { ...proc("sidekiq"), release: "blueGreen", enqueuedBy: ["web"], drain: { command: ["bin/drained"] } };
    expect(problemsOf({ ...jobs(), back: { default: coloured } })).toEqual([
      'infra:jobs.back.default.enqueuedBy: "web" is not a web service of infra:services (none)',
    ]);
    const web = {
      ...proc("puma"),
      port: 8080,
      certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/0b5a2e0c-1d4f-4a51-9c1e-6f2d8a7b3c41",
      testListener: { allowedCidrs: ["10.0.0.0/8"] },
    };
    const withWeb = (back: string, group: object) =>
      minimalConfig({ "infra:services": { web }, "infra:jobs": { ...jobs(), namespaces: { back, periodic: "periodic" }, back: { default: group } } });
    expect(() => loadStackConfig(withWeb("n".repeat(58), coloured))).not.toThrow();
    expect(configProblems(withWeb("n".repeat(59), coloured))).toEqual([
      `infra:jobs.namespaces.back: "${"n".repeat(59)}" is too long for its colours (${"n".repeat(59)}-green is over 64 characters)`,
    ]);
    expect(() => loadStackConfig(withWeb("n".repeat(59), proc("sidekiq")))).not.toThrow();
    // Each missing web service named, with the ones there are.
    const twoWebs = minimalConfig({
      "infra:services": { web, admin: web },
      "infra:jobs": { ...jobs(), back: { default: { ...coloured, enqueuedBy: ["api"] } } },
    });
    expect(configProblems(twoWebs)).toEqual(['infra:jobs.back.default.enqueuedBy: "api" is not a web service of infra:services (web, admin)']);
  });
});
