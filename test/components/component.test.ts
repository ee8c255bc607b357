import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { applyTransform, InfraComponent, perStackName } from "../../components/component";
import { program } from "../../infra/program";
import { recordProgram } from "../../offline-plan/record";
import { readStackFile } from "../../offline-plan/stack-file";
import { runPlan } from "../../tools/plan/run";
import { ROOT, stackNames, TEST_LOCATION } from "../helpers/plan";

describe("applyTransform", () => {
  // Only carried over, never called: a stand-in is enough.
  const parent = { name: "the component" } as unknown as pulumi.Resource;
  interface Args {
    name: string;
    retentionInDays: number;
    tags: Record<string, string>;
  }
  const args: Args = { name: "orders", retentionInDays: 90, tags: { team: "sre" } };

  it("leaves the args and options as they are without a transform", () => {
    const opts = { parent };
    expect(applyTransform(undefined, "x-logs", args, opts)).toEqual([args, opts]);
  });

  it("merges a partial over the args, options untouched", () => {
    const [out, opts] = applyTransform<Args>({ retentionInDays: 365 }, "x-logs", args, { parent, protect: true });
    expect(out).toEqual({ name: "orders", retentionInDays: 365, tags: { team: "sre" } });
    expect(opts).toEqual({ parent, protect: true });
  });

  it("lets a function edit copies of the args and options in place, and tells it the child's name", () => {
    const seen: string[] = [];
    const [out, opts] = applyTransform<Args>(
      (a, o, name) => {
        seen.push(name);
        a.tags = { ...a.tags, cost: "web" };
        o.protect = true;
      },
      "x-logs",
      args,
      { parent },
    );
    expect(seen).toEqual(["x-logs"]);
    expect(out.tags).toEqual({ team: "sre", cost: "web" });
    expect(opts).toEqual({ parent, protect: true });
    expect(args.tags).toEqual({ team: "sre" });
  });

  it("takes the args a function returns", () => {
    const [out] = applyTransform<Args>(() => ({ name: "other", retentionInDays: 7, tags: {} }), "x-logs", args, { parent });
    expect(out).toEqual({ name: "other", retentionInDays: 7, tags: {} });
  });

  it("keeps the child under its component whatever the function does to the parent", () => {
    const [, opts] = applyTransform<Args>(
      (_a, o) => {
        o.parent = undefined;
      },
      "x-logs",
      args,
      { parent },
    );
    expect(opts.parent).toBe(parent);
  });
});

describe("perStackName", () => {
  /** The name as a program of this project and stack would pick it. */
  async function nameIn(stack: string, name: string, maxLength: number): Promise<string> {
    let picked = "";
    await recordProgram({ stack, location: TEST_LOCATION }, () => {
      picked = perStackName(name, maxLength);
      return {};
    });
    return picked;
  }

  it("is <project>-<stack>-<name>: two stacks' same component name differ", async () => {
    expect(await nameIn("prd", "web-lb", 128)).toBe("infra-prd-web-lb");
    expect(await nameIn("team2.prd", "web-lb", 128)).toBe("infra-team2-prd-web-lb");
  });

  it("past its limit, cut and ended with a hash of the whole, so two long names still differ", async () => {
    const a = await nameIn("prd", `${"x".repeat(40)}-a`, 32);
    const b = await nameIn("prd", `${"x".repeat(40)}-b`, 32);
    expect(a).toHaveLength(32);
    expect(a).toMatch(/^infra-prd-x{13}-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});

describe("InfraComponent.nodes", () => {
  it.each(stackNames())("%s: lists every child of every component, by role, as the very resource registered", async (stack) => {
    const children = new Map<InfraComponent, { resource: pulumi.Resource; name: string }[]>();
    await runPlan(stack, readStackFile(stack, ROOT), () => {
      pulumi.runtime.registerStackTransformation((args) => {
        const parent = args.opts.parent;
        if (parent instanceof InfraComponent) children.set(parent, [...(children.get(parent) ?? []), { resource: args.resource, name: args.name }]);
        return undefined;
      });
      return program();
    });
    expect(children.size).toBeGreaterThan(20);
    const unlisted = [...children].flatMap(([component, resources]) => {
      const nodes = Object.values(component.nodes);
      return resources.filter((r) => !nodes.includes(r.resource)).map((r) => `${component.logicalName}: ${r.name}`);
    });
    expect(unlisted).toEqual([]);
    for (const [component, resources] of children) expect(Object.keys(component.nodes)).toHaveLength(resources.length);
  });

  it("refuses a second child with the same role, naming it", async () => {
    class Part extends pulumi.ComponentResource {
      constructor(name: string, args: object, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Part", name, args, opts);
      }
    }
    class Twice extends InfraComponent {
      constructor() {
        super("test:index:Twice", "twice");
        this.child(Part, "part", {}, undefined);
        this.child(Part, "part", {}, undefined);
      }
    }
    await expect(recordProgram({ stack: "test", location: TEST_LOCATION }, () => (new Twice(), {}))).rejects.toThrow(
      'twice-part: a second child with the role "part"',
    );
  });
});
