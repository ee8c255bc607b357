import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { readPulumiConfig } from "../../infra/config/pulumi-source";
import { configuredWorkloads } from "../../infra/config/workloads";
import { minimalConfig } from "../helpers/config";

const task = (command: string) => ({ image: "shop-web:1", cpu: 256, memory: 512, command: [command] });

describe("every ECS workload of a config, as the tools and the workloads output name it", () => {
  it("web services, back groups (a blue/green one as two colours), periodic groups, the scheduler, batches", () => {
    const web = {
      ...task("puma"),
      port: 8080,
      certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/0d5a6b1e-1111-2222-3333-444455556666",
      testListener: { allowedCidrs: ["10.0.0.0/8"] },
    };
    const config = loadStackConfig(
      minimalConfig({
        "infra:services": { web },
        "infra:jobs": {
          back: { default: { ...task("sidekiq"), release: "blueGreen", enqueuedBy: ["web"], drain: { command: ["bin/drained"] } } },
          periodic: { hourly: task("sidekiq") },
          scheduler: task("scheduler"),
        },
        "infra:batches": { clearing: { ...task("clear"), schedule: "cron(0 3 * * ? *)", timeoutSeconds: 600 } },
      }),
    );
    expect(configuredWorkloads(config).map(({ task: _task, ...w }) => w)).toEqual([
      { name: "web", kind: "web", key: "web", configKey: "infra:services.web" },
      { name: "back-default-blue", kind: "worker", key: "default", configKey: "infra:jobs.back.default", colour: "blue" },
      { name: "back-default-green", kind: "worker", key: "default", configKey: "infra:jobs.back.default", colour: "green" },
      { name: "periodic-hourly", kind: "worker", key: "hourly", configKey: "infra:jobs.periodic.hourly" },
      { name: "scheduler", kind: "scheduler", key: "scheduler", configKey: "infra:jobs.scheduler" },
      { name: "batch-clearing", kind: "batch", key: "clearing", configKey: "infra:batches.clearing" },
    ]);
    const { services, jobs, batches } = config;
    expect(configuredWorkloads(config).map((w) => w.task)).toEqual([
      services.web,
      jobs!.back.default,
      jobs!.back.default,
      jobs!.periodic.hourly,
      jobs!.scheduler,
      batches.clearing,
    ]);
    const rolling = loadStackConfig(minimalConfig({ "infra:jobs": { back: { mail: task("sidekiq") }, scheduler: task("scheduler") } }));
    expect(configuredWorkloads(rolling).map(({ task: _task, ...w }) => w)).toEqual([
      { name: "back-mail", kind: "worker", key: "mail", configKey: "infra:jobs.back.mail" },
      { name: "scheduler", kind: "scheduler", key: "scheduler", configKey: "infra:jobs.scheduler" },
    ]);
    expect(configuredWorkloads(loadStackConfig(minimalConfig()))).toEqual([]);
  });
});

describe("the running stack's config, as Pulumi hands it to the program", () => {
  afterEach(() => pulumi.runtime.setAllConfig({}));

  it("parses structured values and booleans (padded or not); other text, and text that is not JSON, stays as written", () => {
    pulumi.runtime.setAllConfig({
      "infra:network": ' {"cidr": "10.0.0.0/16"} ',
      "infra:azs": '["a", "b"]',
      "infra:protectData": " true ",
      "infra:other": "false",
      "infra:accountId": "012345678901",
      "infra:name": " shop ",
      "infra:broken": "{not json",
      "infra:notList": "a[1]",
    });
    expect(readPulumiConfig()).toEqual({
      "infra:network": { cidr: "10.0.0.0/16" },
      "infra:azs": ["a", "b"],
      "infra:protectData": true,
      "infra:other": false,
      "infra:accountId": "012345678901",
      "infra:name": " shop ",
      "infra:broken": "{not json",
      "infra:notList": "a[1]",
    });
  });
});
