import { countsLine, type PlanDiff, formatDiffMarkdown } from "../plan/diff";
import type { Plan, PlannedResource } from "../../offline-plan/plan";

/** Marks the comment the check job updates in place: one comment per pull request, never two. */
export const COMMENT_MARKER = "<!-- infra:plan-comment -->";
/** GitHub refuses a comment body over 65,536 characters; the comment stays under this. */
export const COMMENT_LIMIT = 60_000;

/** One stack's part of the comment. */
export interface StackDiff {
  readonly stack: string;
  readonly base: Plan;
  readonly head: Plan;
  readonly diff: PlanDiff;
}

type Mark = "added" | "removed" | "changed";

/**
 * The component tree of a stack as a Mermaid flowchart: components only (not every resource),
 * the stack at the root, each component marked added, removed, or changed when a resource under
 * it is added, removed or changed. Unchanged components are drawn plainly, for context.
 */
export function componentTree({ stack, base, head, diff }: StackDiff): string {
  const components = new Map<string, PlannedResource>();
  for (const r of [...base.resources, ...head.resources]) if (!r.custom) components.set(r.urn, r);
  const byUrn = new Map([...base.resources, ...head.resources].map((r) => [r.urn, r]));
  const marks = new Map<string, Mark>();
  const headUrns = new Set(head.resources.map((r) => r.urn));
  const baseUrns = new Set(base.resources.map((r) => r.urn));
  // The nearest component above a resource (itself, when it is one).
  const owner = (r: PlannedResource | undefined): string | undefined => {
    for (let at = r; at; at = at.parent ? byUrn.get(at.parent) : undefined) if (!at.custom) return at.urn;
    return undefined;
  };
  const mark = (urn: string | undefined, m: Mark) => {
    if (urn && !marks.has(urn)) marks.set(urn, m);
  };
  for (const urn of components.keys()) {
    if (!baseUrns.has(urn)) marks.set(urn, "added");
    else if (!headUrns.has(urn)) marks.set(urn, "removed");
  }
  // A component is changed when anything under it is: its own resources, or a component inside it.
  for (const r of [...diff.added, ...diff.removed, ...diff.changed.map((c) => c.resource)]) {
    for (let at = byUrn.get(owner(r) ?? ""); at; at = at.parent ? byUrn.get(at.parent) : undefined) mark(at.urn, "changed");
  }
  const ids = new Map([...components.keys()].sort().map((urn, i) => [urn, `c${i}`]));
  const label = (r: PlannedResource) => `${r.name}<br/><small>${r.type}</small>`.replace(/"/g, "'");
  const lines = ["flowchart LR", `  root(["stack ${stack}"])`];
  for (const [urn, id] of ids) {
    const r = components.get(urn)!;
    const m = marks.get(urn);
    lines.push(`  ${id}["${m ? `${m === "added" ? "+" : m === "removed" ? "-" : "~"} ` : ""}${label(r)}"]`);
    const parent = r.parent && ids.has(r.parent) ? ids.get(r.parent)! : "root";
    lines.push(`  ${parent} --> ${id}`);
    if (m) lines.push(`  class ${id} ${m}`);
  }
  lines.push(
    "  classDef added fill:#d3f9d8,stroke:#2b8a3e",
    "  classDef removed fill:#ffe3e3,stroke:#c92a2a",
    "  classDef changed fill:#fff3bf,stroke:#e67700",
  );
  return lines.join("\n");
}

/** Text cut at a line boundary under `max` characters, with a code fence it opened closed again. */
export function cutSafely(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - note.length - 10);
  let cut = text.slice(0, room);
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf("\n")));
  const fences = (cut.match(/^```/gm) ?? []).length;
  const openDetails = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  return `${cut}\n${fences % 2 === 1 ? "```\n" : ""}${"</details>\n".repeat(Math.max(0, openDetails))}\n${note}\n`;
}

function summary(diff: PlanDiff): string {
  const total = diff.added.length + diff.changed.length + diff.removed.length;
  return total === 0 ? "no changes" : countsLine(diff);
}

/**
 * The pull request's comment: a line per stack, then per changed stack its component picture and
 * its resource diff, folded. Kept under GitHub's limit: a stack whose diff does not fit is cut at
 * a line, and the comment says where the full diff is (the workflow's artifact).
 */
export function buildComment(stacks: readonly StackDiff[], options: { artifactUrl?: string; limit?: number; commit?: string } = {}): string {
  const limit = options.limit ?? COMMENT_LIMIT;
  const header = [
    COMMENT_MARKER,
    `## Offline plan${options.commit ? ` of ${options.commit}` : ""}`,
    "",
    "| stack | changes |",
    "| --- | --- |",
    ...stacks.map((s) => `| \`${s.stack}\` | ${summary(s.diff)} |`),
    "",
  ].join("\n");
  const changed = stacks.filter((s) => summary(s.diff) !== "no changes");
  const where = options.artifactUrl ? `the full diff is in the [plan artifact](${options.artifactUrl})` : "the full diff is in the workflow's plan artifact";
  const share = Math.floor((limit - header.length) / Math.max(1, changed.length));
  const sections = changed.map((s) => {
    const picture = ["```mermaid", componentTree(s), "```"].join("\n");
    const body = `<details><summary><b>${s.stack}</b>: ${summary(s.diff)}</summary>\n\n${picture}\n\n${formatDiffMarkdown(s.diff)}\n</details>\n`;
    return cutSafely(body, share, `_Cut to fit GitHub's comment limit: ${where}._`);
  });
  return `${header}\n${sections.join("\n")}`;
}
