import type { Plan, PlannedResource } from "../../offline-plan/plan";
import { replacingInputs, STATEFUL_TYPES } from "../../offline-plan/replacements";

/** One changed leaf value: `ingress[0].fromPort` went from `before` to `after`. */
export interface ValueChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** A resource present in both plans whose inputs or options differ. */
export interface ChangedResource {
  readonly resource: PlannedResource;
  readonly changes: readonly ValueChange[];
  /** The inputs whose change makes `pulumi up` replace it (delete and create); empty: an update in place. */
  readonly replacedBy: readonly string[];
}

/**
 * What changed between two plans of the same stack, resources matched by URN, or by a former
 * name a resource carries as an alias (a rename Pulumi applies in place: not an add and a remove).
 */
export interface PlanDiff {
  readonly stack: string;
  readonly added: readonly PlannedResource[];
  readonly removed: readonly PlannedResource[];
  readonly changed: readonly ChangedResource[];
  readonly outputs: readonly ValueChange[];
}

/** The top-level input of a leaf path: `containerDefinitions[0].image` → `containerDefinitions`. */
const topLevel = (path: string) => path.split(/[.[]/)[0] ?? path;

/**
 * Compares two plans. Inputs that are JSON documents (policies, container definitions) are
 * compared inside. A changed resource says whether `pulumi up` replaces it
 * (offline-plan/replacements.ts); a replaced task definition is a new revision, so
 * every input that names the old one changes too (a worker service's, a release's triggers),
 * which a plan, whose revisions are all 1, does not show by itself. Replaced stateful resources
 * come first, then the other replaced ones, then the updates.
 */
export function diffPlans(base: Plan, head: Plan): PlanDiff {
  const before = new Map(base.resources.map((r) => [r.urn, r]));
  const matched = new Map(head.resources.map((r) => [r, before.get(r.urn) ?? before.get(formerUrn(r, before))]));
  const kept = new Set([...matched.values()].filter((r) => r !== undefined));
  const changes = new Map<PlannedResource, ValueChange[]>();
  for (const [resource, old] of matched) {
    if (!old) continue;
    const found = [
      ...compare(flatten(old.inputs), flatten(resource.inputs)),
      ...compare(flatten({ options: withoutAliases(old.options) }), flatten({ options: withoutAliases(resource.options) })),
    ];
    if (found.length > 0) changes.set(resource, found);
  }
  const revised = [...changes]
    .filter(
      ([r, c]) =>
        r.type === "aws:ecs/taskDefinition:TaskDefinition" &&
        replacingInputs(
          r.type,
          c.map((x) => topLevel(x.path)),
        ).length > 0,
    )
    .map(([r]) => String(r.inputs.family));
  for (const [resource, old] of matched) {
    if (!old || revised.length === 0) continue;
    const own = changes.get(resource) ?? [];
    for (const [path, value] of flatten(resource.inputs)) {
      // A revision's ARN (`…:task-definition/<family>:<n>`), not a pattern of every revision (`…:*`).
      const family =
        typeof value === "string" ? revised.find((f) => value.endsWith(`:task-definition/${f}:${value.split(":").pop()}`) && /:\d+$/.test(value)) : undefined;
      if (!family || own.some((c) => c.path === path)) continue;
      own.push({ path, before: value, after: String(value).replace(/:\d+$/, ":<new revision>") });
    }
    if (own.length > 0) changes.set(resource, own);
  }
  const changed: ChangedResource[] = [...changes].map(([resource, c]) => ({
    resource,
    changes: c,
    replacedBy: replacingInputs(
      resource.type,
      c.filter((x) => !x.path.startsWith("options.")).map((x) => topLevel(x.path)),
    ),
  }));
  const rank = (c: ChangedResource) => (c.replacedBy.length === 0 ? 2 : STATEFUL_TYPES.includes(c.resource.type) ? 0 : 1);
  return {
    stack: head.stack,
    added: head.resources.filter((r) => !matched.get(r)),
    removed: base.resources.filter((r) => !kept.has(r)),
    changed: changed
      .map((c, i) => ({ c, i }))
      .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
      .map(({ c }) => c),
    outputs: compare(flatten(base.outputs), flatten(head.outputs)),
  };
}

/** Options as they change what `pulumi up` does to a resource: its former names are how it is found, not a change. */
function withoutAliases(options: PlannedResource["options"]): Omit<PlannedResource["options"], "aliases"> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => key !== "aliases")) as Omit<PlannedResource["options"], "aliases">;
}

/** The URN a renamed resource had in the base plan: its own with a former name, when the base has it. */
function formerUrn(r: PlannedResource, before: ReadonlyMap<string, PlannedResource>): string {
  const prefix = r.urn.slice(0, r.urn.length - r.name.length);
  return (r.options.aliases ?? []).map((name) => `${prefix}${name}`).find((urn) => before.has(urn)) ?? "";
}

/** Leaf paths of a value: `{a: [{b: 1}]}` → `a[0].b = 1`. JSON text is parsed and walked too. */
export function flatten(value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  const parsed = parseJsonDocument(value);
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) out.set(path, []);
    parsed.forEach((item, i) => flatten(item, `${path}[${i}]`, out));
  } else if (parsed !== null && typeof parsed === "object") {
    const entries = Object.entries(parsed as Record<string, unknown>);
    if (entries.length === 0 && path !== "") out.set(path, {});
    for (const [key, item] of entries) flatten(item, path ? `${path}.${key}` : key, out);
  } else {
    out.set(path, parsed);
  }
  return out;
}

function parseJsonDocument(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function compare(before: Map<string, unknown>, after: Map<string, unknown>): ValueChange[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths
    .filter((p) => JSON.stringify(before.get(p)) !== JSON.stringify(after.get(p)))
    .map((p) => ({ path: p, before: before.get(p), after: after.get(p) }));
}

const MAX_CELL = 120;

function cell(value: unknown): string {
  if (value === undefined) return "–";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const short = text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
  return `\`${short.replace(/\|/g, "\\|").replace(/`/g, "'")}\``;
}

function resourceRows(resources: readonly PlannedResource[]): string[] {
  return ["| type | name |", "| --- | --- |", ...resources.map((r) => `| \`${r.type}\` | \`${r.name}\` |`)];
}

/** `1 to add, 3 to change (2 replaced, 1 of them stateful), 0 to remove`. */
export function countsLine(diff: PlanDiff): string {
  const replaced = diff.changed.filter((c) => c.replacedBy.length > 0);
  const stateful = replaced.filter((c) => STATEFUL_TYPES.includes(c.resource.type));
  const replacing = replaced.length === 0 ? "" : ` (${replaced.length} replaced${stateful.length > 0 ? `, ${stateful.length} of them stateful` : ""})`;
  return `${diff.added.length} to add, ${diff.changed.length} to change${replacing}, ${diff.removed.length} to remove`;
}

/** The diff as Markdown, for a pull-request comment. */
export function formatDiffMarkdown(diff: PlanDiff): string {
  const { added, removed, changed, outputs } = diff;
  const lines = [`### Offline plan: \`${diff.stack}\``, ""];
  if (added.length + removed.length + changed.length + outputs.length === 0) {
    lines.push("No changes.");
    return `${lines.join("\n")}\n`;
  }
  const replaced = changed.filter((c) => c.replacedBy.length > 0);
  lines.push(`**${countsLine(diff)}**`, "");
  if (replaced.length > 0) {
    lines.push("#### Replaced (deleted and created again)", "", "| type | name | because of |", "| --- | --- | --- |");
    for (const c of replaced) {
      const data = STATEFUL_TYPES.includes(c.resource.type) ? " **stateful: its data goes with it**" : "";
      lines.push(`| \`${c.resource.type}\` | \`${c.resource.name}\`${data} | ${c.replacedBy.map((i) => `\`${i}\``).join(", ")} |`);
    }
    lines.push("");
  }
  if (added.length > 0) lines.push("#### Added", "", ...resourceRows(added), "");
  if (removed.length > 0) lines.push("#### Removed", "", ...resourceRows(removed), "");
  if (changed.length > 0) {
    lines.push("#### Changed", "");
    for (const { resource, changes, replacedBy } of changed) {
      const how = replacedBy.length > 0 ? ", replaced" : "";
      lines.push(`<details><summary><code>${resource.type}</code> <code>${resource.name}</code> (${changes.length}${how})</summary>`, "");
      lines.push("| input | before | after |", "| --- | --- | --- |");
      for (const c of changes) lines.push(`| \`${c.path}\` | ${cell(c.before)} | ${cell(c.after)} |`);
      lines.push("", "</details>", "");
    }
  }
  if (outputs.length > 0) {
    lines.push("#### Stack outputs", "", "| output | before | after |", "| --- | --- | --- |");
    for (const c of outputs) lines.push(`| \`${c.path}\` | ${cell(c.before)} | ${cell(c.after)} |`);
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
