// The policy pack in a first preview, as Pulumi runs it: Pulumi's CLI, its analyzer path (the
// Node host's RunPlugin through Pulumi's PolicyProxy) and the unknown values a first preview sends,
// with the recording stand-ins for the providers (test/engine/recording-provider.ts). A file of its
// own, so that it runs beside the stacks' engine tests.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { readStackFile } from "../../offline-plan/stack-file";
import { loadStackConfig } from "../../infra/config/load";
import { copyProject } from "../helpers/project-copy";
import { ROOT, stackNames } from "../helpers/plan";
import { pulumiEnvironment } from "../helpers/pulumi-cli";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

describe("the policy pack in a first preview, as Pulumi runs it", () => {
  // A stack that keeps its data when there is one: the pack must learn it from the stack itself.
  const stacks = stackNames().map((stack) => ({ stack, protectData: loadStackConfig(readStackFile(stack, ROOT)).protectData }));
  const { stack, protectData } = stacks.find((s) => s.protectData) ?? stacks[0]!;

  it(`${stack}: stops a world-open port on a security group that does not exist yet (its id unknown), mandatory, not advisory; judges data protection by the stack's own config`, async () => {
    const dir = await copyProject(
      stackNames().map((s) => `Pulumi.${s}.yaml`),
      [],
    );
    // The planted bugs: SSH from anywhere, on a new group; a table left unprotected.
    appendFileSync(
      join(dir, "infra", "index.ts"),
      [
        "",
        'import * as plantedAws from "@pulumi/aws";',
        'const plantedGroup = new plantedAws.ec2.SecurityGroup("planted", { description: "planted" });',
        'new plantedAws.vpc.SecurityGroupIngressRule("planted-ssh", { securityGroupId: plantedGroup.id, cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22, ipProtocol: "tcp" });',
        'new plantedAws.dynamodb.Table("planted-table", { hashKey: "pk", attributes: [{ name: "pk", type: "S" }], billingMode: "PAY_PER_REQUEST", serverSideEncryption: { enabled: true }, pointInTimeRecovery: { enabled: true } });',
        "",
      ].join("\n"),
    );
    const environment = pulumiEnvironment();
    environment.run(["stack", "init", stack, "--non-interactive"], dir);
    // No --policy-pack-config: the pack reads infra:protectData from the stack it judges.
    const preview = environment.run(["preview", "--stack", stack, "--non-interactive", "--policy-pack", join(dir, "policy")], dir);
    const output = preview.stdout + preview.stderr;
    expect(preview.code, output).not.toBe(0);
    expect(output).toContain("no-world-ingress-except-load-balancer-http");
    expect(output).toContain("ingress from 0.0.0.0/0 on 22-22 to a new security group: the internet may reach only a load balancer, on 80 or 443");
    expect(output).toMatch(/mandatory/);
    expect(output).not.toMatch(/can't run .* during preview/);
    const unprotected = "aws:dynamodb/table:Table planted-table: not protected: this stack keeps its data (protectData); protect it (and retainOnDelete)";
    if (protectData) expect(output).toContain(unprotected);
    else expect(output).not.toContain(unprotected);
  });
});
