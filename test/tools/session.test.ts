import { describe, expect, it } from "vitest";
import { lockMinutes } from "../../release-tool/release";
import { parseTarget } from "../../release-tool/target";
import { DEFAULT_SESSION_MINUTES, JOB_LIMIT_MINUTES, sessionMinutes, UP_MARGIN_MINUTES } from "../../tools/release/session";
import { launcher, runNode } from "../helpers/process";
import { planStack, stackNames } from "../helpers/plan";

describe("the CI's AWS session (node tools/launch.mjs session <stack>)", () => {
  it.each(stackNames())("%s: as long as its web services' releases one after another and the rest of the up, in the step output format", async (stack) => {
    const plan = await planStack(stack);
    const services = (plan.outputs.services ?? {}) as Record<string, { release: unknown }>;
    const releases = Object.values(services).reduce((sum, s) => sum + lockMinutes(parseTarget(s.release, "the plan")), 0);
    const minutes = Math.max(DEFAULT_SESSION_MINUTES, releases + UP_MARGIN_MINUTES);
    expect(sessionMinutes(plan, stack)).toBe(minutes);
    const printed = await runNode(launcher("session", stack), {});
    expect(printed).toMatchObject({ code: 0, stdout: `seconds=${minutes * 60}\nminutes=${minutes}\n`, stderr: "" });
  });

  it("refuses a stack whose releases could outlast a hosted runner's job, naming each service's minutes", async () => {
    const [stack] = stackNames();
    const plan = await planStack(stack!);
    const services = plan.outputs.services as Record<string, { release: Record<string, unknown> }>;
    const slow = Object.fromEntries(Object.entries(services).map(([k, s]) => [k, { ...s, release: { ...s.release, timeoutMinutes: JOB_LIMIT_MINUTES } }]));
    const long = { ...plan, outputs: { ...plan.outputs, services: slow } };
    const each = Object.entries(slow).map(([k, s]) => `${k} ${lockMinutes(parseTarget(s.release, "the plan"))}`);
    const total = Object.values(slow).reduce((sum, s) => sum + lockMinutes(parseTarget(s.release, "the plan")), 0) + UP_MARGIN_MINUTES;
    expect(() => sessionMinutes(long, stack!)).toThrow(
      `the releases of ${stack!} may take ${total} min (${each.join(", ")}, and ${UP_MARGIN_MINUTES} for the rest of the up): a hosted runner's job stops at ${JOB_LIMIT_MINUTES}; lower the release, migration or drain timeouts in Pulumi.${stack!}.yaml`,
    );
  });

  it("prints the usage and exits 2 without a stack", async () => {
    expect(await runNode(launcher("session"), {})).toMatchObject({ code: 2, stderr: "usage: node tools/launch.mjs session <stack>\n" });
  });
});
