import { describe, expect, it } from "vitest";
import { diffPlans, flatten, formatDiffMarkdown } from "../../tools/plan/diff";
import type { Plan, PlannedResource } from "../../offline-plan/plan";
import { PlanFileError, parsePlanFile } from "../../tools/plan/plan-file";

const options = { ignoreChanges: [], dependsOn: [], protect: false, retainOnDelete: false, deleteBeforeReplace: false };
const resource = (name: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource => ({
  urn: `urn:pulumi:stg::infra::aws:ec2/subnet:Subnet::${name}`,
  type: "aws:ec2/subnet:Subnet",
  name,
  parent: null,
  custom: true,
  inputs,
  options,
  ...extra,
});
const plan = (resources: PlannedResource[], outputs: Record<string, unknown> = {}): Plan => ({ project: "infra", stack: "stg", resources, outputs });

describe("diffPlans", () => {
  it("finds added, removed and changed resources by URN, and the changed inputs", () => {
    const base = plan([resource("a", { cidrBlock: "10.0.0.0/24" }), resource("b", {})]);
    const head = plan([resource("a", { cidrBlock: "10.0.1.0/24" }), resource("c", {})]);
    const diff = diffPlans(base, head);
    expect(diff.added.map((r) => r.name)).toEqual(["c"]);
    expect(diff.removed.map((r) => r.name)).toEqual(["b"]);
    expect(diff.changed.map((c) => [c.resource.name, c.changes])).toEqual([["a", [{ path: "cidrBlock", before: "10.0.0.0/24", after: "10.0.1.0/24" }]]]);
  });

  it("compares JSON documents inside, and options too", () => {
    const policy = (action: string) => JSON.stringify({ Statement: [{ Action: action }] });
    const base = plan([resource("a", { policy: policy("s3:GetObject") })]);
    const head = plan([resource("a", { policy: policy("s3:*") }, { options: { ...options, protect: true } })]);
    expect(diffPlans(base, head).changed[0]!.changes).toEqual([
      { path: "policy.Statement[0].Action", before: "s3:GetObject", after: "s3:*" },
      { path: "options.protect", before: false, after: true },
    ]);
  });

  it("matches a renamed resource by the former name it carries as an alias: a change in place, not an add and a remove", () => {
    const base = plan([resource("lb-test-0", { cidrIpv4: "10.0.0.0/8" }), resource("lb-test-1", { cidrIpv4: "192.168.0.0/16" })]);
    const renamed = (name: string, alias: string, cidr: string) => resource(name, { cidrIpv4: cidr }, { options: { ...options, aliases: [alias] } });
    const head = plan([renamed("lb-test-10-0-0-0-8", "lb-test-0", "10.0.0.0/8"), renamed("lb-test-192-168-0-0-16", "lb-test-1", "172.16.0.0/12")]);
    const diff = diffPlans(base, head);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c) => [c.resource.name, c.changes])).toEqual([
      ["lb-test-192-168-0-0-16", [{ path: "cidrIpv4", before: "192.168.0.0/16", after: "172.16.0.0/12" }]],
    ]);
    // An alias that names nothing in the base is no match.
    expect(diffPlans(plan([]), plan([renamed("x", "y", "10.0.0.0/8")])).added.map((r) => r.name)).toEqual(["x"]);
  });

  it("flattens nested values to leaf paths", () => {
    expect([...flatten({ a: [{ b: 1 }, []], c: {} })]).toEqual([
      ["a[0].b", 1],
      ["a[1]", []],
      ["c", {}],
    ]);
  });
});

describe("diffPlans: what pulumi up replaces", () => {
  const typed = (type: string, name: string, inputs: Record<string, unknown>) =>
    resource(name, inputs, { type, urn: `urn:pulumi:stg::infra::${type}::${name}` });
  const TD = "aws:ecs/taskDefinition:TaskDefinition";
  const arn = "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-web:1";

  it("a task definition whose container changes is replaced: a new revision, which every input naming the old one gets too", () => {
    const base = plan([
      typed(TD, "web-td", { family: "shop-stg-web", containerDefinitions: JSON.stringify([{ image: "web:1" }]) }),
      typed("aws:ecs/service:Service", "worker", { taskDefinition: arn }),
      typed("command:local:Command", "release", { triggers: [arn], environment: { A: "1" } }),
      typed("aws:ecs/service:Service", "other", { taskDefinition: arn.replace("shop-stg-web", "shop-stg-api") }),
    ]);
    const head = plan([
      typed(TD, "web-td", { family: "shop-stg-web", containerDefinitions: JSON.stringify([{ image: "web:2" }]) }),
      typed("aws:ecs/service:Service", "worker", { taskDefinition: arn }),
      typed("command:local:Command", "release", { triggers: [arn], environment: { A: "1" } }),
      typed("aws:ecs/service:Service", "other", { taskDefinition: arn.replace("shop-stg-web", "shop-stg-api") }),
    ]);
    const diff = diffPlans(base, head);
    expect(diff.changed.map((c) => [c.resource.name, c.replacedBy])).toEqual([
      ["web-td", ["containerDefinitions"]],
      ["release", ["triggers"]],
      ["worker", []],
    ]);
    expect(diff.changed.find((c) => c.resource.name === "worker")!.changes).toEqual([
      { path: "taskDefinition", before: arn, after: arn.replace(/:1$/, ":<new revision>") },
    ]);
  });

  it("tags and skipDestroy update a task definition in place; a stateful replacement comes first, named so", () => {
    const base = plan([
      typed(TD, "td", { family: "f", tags: { a: "1" } }),
      typed("aws:dynamodb/table:Table", "locks", { hashKey: "pk", billingMode: "PROVISIONED" }),
    ]);
    const head = plan([
      typed(TD, "td", { family: "f", tags: { a: "2" }, skipDestroy: true }),
      typed("aws:dynamodb/table:Table", "locks", { hashKey: "id", billingMode: "PAY_PER_REQUEST" }),
    ]);
    const diff = diffPlans(base, head);
    expect(diff.changed.map((c) => [c.resource.name, c.replacedBy])).toEqual([
      ["locks", ["hashKey"]],
      ["td", []],
    ]);
    const text = formatDiffMarkdown(diff);
    expect(text).toContain("**0 to add, 2 to change (1 replaced, 1 of them stateful), 0 to remove**");
    expect(text).toContain("| `aws:dynamodb/table:Table` | `locks` **stateful: its data goes with it** | `hashKey` |");
    expect(text).toContain("<code>aws:dynamodb/table:Table</code> <code>locks</code> (2, replaced)");
  });
});

describe("formatDiffMarkdown", () => {
  it("says so when nothing changed", () => {
    expect(formatDiffMarkdown(diffPlans(plan([resource("a", {})]), plan([resource("a", {})])))).toBe("### Offline plan: `stg`\n\nNo changes.\n");
  });

  it("prints counts, tables and escaped cells", () => {
    const base = plan([resource("a", { description: "x" })], { vpcId: "v1" });
    const head = plan([resource("a", { description: "x|y" }), resource("n", {})], { vpcId: "v2" });
    expect(formatDiffMarkdown(diffPlans(base, head))).toBe(
      [
        "### Offline plan: `stg`",
        "",
        "**1 to add, 1 to change, 0 to remove**",
        "",
        "#### Added",
        "",
        "| type | name |",
        "| --- | --- |",
        "| `aws:ec2/subnet:Subnet` | `n` |",
        "",
        "#### Changed",
        "",
        "<details><summary><code>aws:ec2/subnet:Subnet</code> <code>a</code> (1)</summary>",
        "",
        "| input | before | after |",
        "| --- | --- | --- |",
        "| `description` | `x` | `x\\|y` |",
        "",
        "</details>",
        "",
        "#### Stack outputs",
        "",
        "| output | before | after |",
        "| --- | --- | --- |",
        "| `vpcId` | `v1` | `v2` |",
        "",
      ].join("\n"),
    );
  });
});

describe("parsePlanFile", () => {
  it("rejects what is not JSON or not a plan", () => {
    expect(() => parsePlanFile("x.json", "{")).toThrow(new PlanFileError("x.json is not JSON"));
    expect(() => parsePlanFile("x.json", "{}")).toThrow(PlanFileError);
    expect(() => parsePlanFile("x.json", "{}")).toThrow(/^x\.json is not a plan: project /);
  });
});
