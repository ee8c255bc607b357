import type { Plan, PlannedResource } from "./plan";

/** The plan as JSON: two-space indented, keys already sorted, a final newline. */
export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/**
 * The few inputs a reviewer looks for, as `key=value` after a resource's line: the name AWS will
 * know it by, the images a task runs, a schedule, a CIDR, a desired count.
 */
export function keyInputs(r: PlannedResource): string {
  const i = r.inputs;
  const out: string[] = [];
  const physical = i.name ?? i.family ?? i.bucket ?? i.deploymentGroupName;
  if (typeof physical === "string") out.push(`name=${physical}`);
  if (typeof i.containerDefinitions === "string") {
    try {
      const images = (JSON.parse(i.containerDefinitions) as { image?: string }[]).map((c) => c.image).filter((x): x is string => typeof x === "string");
      if (images.length) out.push(`image=${images.join(",")}`);
    } catch {
      // Not JSON under the mocks' unknowns: nothing to show.
    }
  }
  if (typeof i.scheduleExpression === "string")
    out.push(`schedule=${i.scheduleExpression}${typeof i.scheduleExpressionTimezone === "string" ? ` ${i.scheduleExpressionTimezone}` : ""}`);
  if (typeof i.cidrBlock === "string") out.push(`cidr=${i.cidrBlock}`);
  if (typeof i.desiredCount === "number") out.push(`desired=${i.desiredCount}`);
  return out.length ? `  (${out.join(" ")})` : "";
}

/** The resource tree: one line per resource, `type name` and its key inputs, indented under its parent. */
export function formatTree(plan: Plan): string {
  const children = new Map<string | null, PlannedResource[]>();
  for (const r of plan.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines = [`stack ${plan.project}-${plan.stack}`];
  const walk = (parent: string | null, depth: number): void => {
    for (const r of children.get(parent) ?? []) {
      lines.push(`${"  ".repeat(depth)}${r.custom ? "+" : "□"} ${r.type} ${r.name}${r.custom ? keyInputs(r) : ""}`);
      walk(r.urn, depth + 1);
    }
  };
  walk(null, 1);
  return lines.join("\n");
}

/** A count of resources by type, most frequent first, then the total. */
export function formatCounts(plan: Plan): string {
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const rows = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const width = Math.max(...rows.map(([, n]) => String(n).length));
  return ["resources by type:", ...rows.map(([type, n]) => `  ${String(n).padStart(width)}  ${type}`), `total: ${plan.resources.length} resources`].join("\n");
}
