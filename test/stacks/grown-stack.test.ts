import type { RawConfig } from "../../infra/config/load";
import { readStackFile } from "../../offline-plan/stack-file";
import { minimalConfig } from "../helpers/config";
import { ROOT } from "../helpers/plan";
import { describeStack } from "./suites";

// What an SRE does with the README in hand: stg with one more web service (released by ECS, a
// canary behind a gate), batch and worker group, each copied from an existing one and changed a little. The same suites must pass
// without any test knowing the new names.
const stg = readStackFile("stg", ROOT);
const section = (key: string): Record<string, unknown> => stg[key] as Record<string, unknown>;
const jobs = section("infra:jobs");
const grown: RawConfig = {
  ...stg,
  "infra:shell": { maxMinutes: 30 },
  "infra:services": {
    ...section("infra:services"),
    // Released by ECS itself: a canary, and a gate before production traffic.
    admin: {
      ...(section("infra:services").web as object),
      port: 3000,
      healthCheck: { path: "/up" },
      deployment: { controller: "ecs", strategy: "canary", canary: { percent: 20, bakeMinutes: 10 }, terminationWaitMinutes: 15, readyWaitMinutes: 60 },
    },
  },
  "infra:batches": {
    ...section("infra:batches"),
    "weekly-report": {
      ...(section("infra:batches").clearing as object),
      schedule: "cron(0 9 ? * MON *)",
      timezone: "UTC",
      command: ["./batch-cli", "weekly-report"],
      // A batch nobody may shell into: no ECS Exec, no ssmmessages on its task role.
      shell: false,
    },
  },
  "infra:jobs": {
    ...jobs,
    back: {
      ...(jobs.back as object),
      mailers: {
        ...((jobs.back as Record<string, object>).default as object),
        command: ["bundle", "exec", "sidekiq", "-q", "mailers"],
        autoscaling: { minCount: 1, maxCount: 4 },
        shell: false,
      },
    },
  },
};

// Planned as stg itself: its VPC is stg's (another stack's CIDR would be refused).
describeStack("stg", grown, "stg, grown by one web service, batch and worker group");

// The smallest stack: a network and a cluster, no workload at all.
describeStack("bare", minimalConfig({ "infra:network": { cidr: "10.99.0.0/16", azs: ["ap-northeast-1a"] } }));
