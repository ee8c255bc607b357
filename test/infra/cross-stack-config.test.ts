import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { readNeighbourCidrs } from "../../infra/config/neighbours";
import { configProblems, minimalConfig } from "../helpers/config";
import { ROOT, stackNames } from "../helpers/plan";
import { copyProject } from "../helpers/project-copy";

const SECRET = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:shop/db-AbC123";
const batch = {
  image: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/shop:1",
  schedule: "rate(1 hour)",
  cpu: 256,
  memory: 512,
  command: ["x"],
  timeoutSeconds: 600,
  secrets: { DB: SECRET },
};

describe("what one stack file alone cannot tell", () => {
  it("reads the other stack files' VPC CIDRs", () => {
    const neighbours = readNeighbourCidrs(ROOT, "stg");
    expect(Object.keys(neighbours).sort()).toEqual(stackNames().filter((s) => s !== "stg"));
  });

  it("reads only the files named like a stack file: Pulumi.<stack>.yaml", () => {
    const dir = mkdtempSync(join(tmpdir(), "neighbours-"));
    const network = (cidr: string) => `config:\n  infra:network:\n    cidr: ${cidr}\n`;
    writeFileSync(join(dir, "Pulumi.qa.yaml"), network("10.70.0.0/16"));
    writeFileSync(join(dir, "Pulumi.old.yaml.bak"), network("10.71.0.0/16"));
    writeFileSync(join(dir, "copy-of-Pulumi.dev.yaml"), network("10.72.0.0/16"));
    expect(readNeighbourCidrs(dir, "stg")).toEqual({ qa: "10.70.0.0/16" });
  });

  it("reads a stack file again once it changed, and skips one that is not YAML or sets no CIDR", () => {
    const dir = mkdtempSync(join(tmpdir(), "neighbours-"));
    const file = join(dir, "Pulumi.qa.yaml");
    writeFileSync(file, "config:\n  infra:network:\n    cidr: 10.70.0.0/16\n");
    writeFileSync(join(dir, "Pulumi.dev.yaml"), "config: [unclosed\n");
    writeFileSync(join(dir, "Pulumi.lab.yaml"), "config:\n  infra:name: lab\n");
    expect(readNeighbourCidrs(dir, "stg")).toEqual({ qa: "10.70.0.0/16" });
    writeFileSync(file, "config:\n  infra:network:\n    cidr: 10.80.0.0/16\n");
    expect(readNeighbourCidrs(dir, "stg")).toEqual({ qa: "10.80.0.0/16" });
    writeFileSync(file, "config: [unclosed\n");
    expect(readNeighbourCidrs(dir, "stg")).toEqual({});
  });

  it("refuses a VPC that overlaps another stack's, naming the stack and its file", () => {
    expect(configProblems(minimalConfig(), { prd: "10.50.0.0/16", qa: "10.70.0.0/16" })).toEqual([
      'infra:network.cidr: "10.50.0.0/16" overlaps stack prd\'s 10.50.0.0/16 (Pulumi.prd.yaml): VPCs that may be peered or share a transit gateway must not overlap',
    ]);
  });

  it("refuses no NAT while private tasks would have no endpoint to pull their image, log, or read their secrets", () => {
    const network = { cidr: "10.50.0.0/16", azs: ["ap-northeast-1a"], natStrategy: "none", gatewayEndpoints: ["dynamodb"], interfaceEndpoints: ["ecr.api"] };
    expect(configProblems(minimalConfig({ "infra:network": network, "infra:batches": { b: batch } }))).toEqual([
      'infra:network.natStrategy: "none" leaves private tasks no way to ecr.dkr, logs, secretsmanager: add them to interfaceEndpoints, or use "single" or "perAz"',
      'infra:network.natStrategy: "none" needs the s3 gateway endpoint too (ECR serves image layers from S3): add s3 to gatewayEndpoints',
      'infra:network.natStrategy: "none" leaves ECS Exec (npm run shell) no way to ssmmessages: add it to interfaceEndpoints, or set shell: false on every workload',
    ]);
  });

  it("no NAT with every endpoint a task needs: a shell needs ssmmessages too, unless no workload allows one", () => {
    const network = {
      cidr: "10.50.0.0/16",
      azs: ["ap-northeast-1a"],
      natStrategy: "none",
      gatewayEndpoints: ["s3"],
      interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "secretsmanager"],
    };
    expect(configProblems(minimalConfig({ "infra:network": network, "infra:batches": { b: batch } }))).toEqual([
      'infra:network.natStrategy: "none" leaves ECS Exec (npm run shell) no way to ssmmessages: add it to interfaceEndpoints, or set shell: false on every workload',
    ]);
    expect(() => loadStackConfig(minimalConfig({ "infra:network": network, "infra:batches": { b: { ...batch, shell: false } } }))).not.toThrow();
    const withChannel = { ...network, interfaceEndpoints: [...network.interfaceEndpoints, "ssmmessages"] };
    expect(() => loadStackConfig(minimalConfig({ "infra:network": withChannel, "infra:batches": { b: batch } }))).not.toThrow();
  });

  it("no NAT: what private tasks need follows the workloads (none without any, secretsmanager with a secret or the jobs' Redis, ssmmessages when any one allows a shell)", () => {
    const network = { cidr: "10.50.0.0/16", azs: ["ap-northeast-1a"], natStrategy: "none", gatewayEndpoints: [], interfaceEndpoints: [] };
    expect(() => loadStackConfig(minimalConfig({ "infra:network": network }))).not.toThrow();
    const ready = { ...network, gatewayEndpoints: ["s3"], interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "ssmmessages"] };
    const plain = { ...batch, secrets: {} };
    expect(() => loadStackConfig(minimalConfig({ "infra:network": ready, "infra:batches": { b: plain } }))).not.toThrow();
    const noSecretsManager = [
      'infra:network.natStrategy: "none" leaves private tasks no way to secretsmanager: add them to interfaceEndpoints, or use "single" or "perAz"',
    ];
    expect(configProblems(minimalConfig({ "infra:network": ready, "infra:batches": { b: plain, c: batch } }))).toEqual(noSecretsManager);
    const worker = { image: "shop:1", cpu: 256, memory: 512, command: ["sidekiq"] };
    const jobs = { back: { default: worker }, scheduler: worker };
    expect(configProblems(minimalConfig({ "infra:network": ready, "infra:jobs": jobs }))).toEqual(noSecretsManager);
    const noChannel = { ...ready, interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"] };
    expect(configProblems(minimalConfig({ "infra:network": noChannel, "infra:batches": { a: { ...plain, shell: false }, b: plain } }))).toEqual([
      'infra:network.natStrategy: "none" leaves ECS Exec (npm run shell) no way to ssmmessages: add it to interfaceEndpoints, or set shell: false on every workload',
    ]);
  });

  it("npm run plan of a stack copied from another, CIDR and all, exits 1 naming the overlap", async () => {
    const dir = await copyProject(["Pulumi.prd.yaml", "Pulumi.stg.yaml"]);
    writeFileSync(join(dir, "Pulumi.qa.yaml"), readFileSync(join(ROOT, "Pulumi.stg.yaml"), "utf8").replace("infra:name: shop-stg", "infra:name: shop-qa"));
    const result = await promisify(execFile)(process.execPath, [join(dir, "tools/launch.mjs"), "plan", "qa"], { cwd: dir }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('infra:network.cidr: "10.60.0.0/16" overlaps stack stg\'s 10.60.0.0/16 (Pulumi.stg.yaml)');
  }, 120_000);
});
