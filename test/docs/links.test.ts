// The docs a person reads and follows: every command they name is one of this repository's npm
// scripts, and every link between them leads somewhere. A page moved or a script renamed fails
// here, not in an SRE's terminal.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/plan";

/** The Markdown pages of the repository: the README, the guides, the modules' and the examples' READMEs. */
function pages(): string[] {
  const under = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() && e.name !== "node_modules" ? under(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : [],
    );
  return ["README.md", ...under("docs"), ...under("components"), ...under("examples")];
}

const scripts = new Set(Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts));

/** `npm run <name>` of a page that names no script of package.json, as `page: npm run <name>`. */
export function unknownScripts(page: string, text: string): string[] {
  // `release:*` names the family of scripts that begin so.
  const known = (name: string) => (name.endsWith(":*") ? [...scripts].some((s) => s.startsWith(name.slice(0, -1))) : scripts.has(name));
  return [...text.matchAll(/npm run(?: -s)? ([a-z][\w-]*(?::[\w-]+)*(?::\*)?)/g)].filter((m) => !known(m[1]!)).map((m) => `${page}: npm run ${m[1]}`);
}

/** Relative links of a page whose file does not exist, as `page: target`. */
export function brokenLinks(page: string, text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .filter((target) => !existsSync(join(ROOT, dirname(page), target.split("#")[0]!)))
    .map((target) => `${page}: ${target}`);
}

describe("the docs", () => {
  const all = pages();

  it("are found: the README, the guides under docs/ and every module's README", () => {
    expect(all).toEqual(expect.arrayContaining(["README.md", "docs/releasing.md", "docs/stack-config.md", "components/deploy/README.md"]));
  });

  it("name only npm scripts that exist", () => {
    expect(all.flatMap((p) => unknownScripts(p, readFileSync(join(ROOT, p), "utf8")))).toEqual([]);
  });

  it("link only to files that exist", () => {
    expect(all.flatMap((p) => brokenLinks(p, readFileSync(join(ROOT, p), "utf8")))).toEqual([]);
  });

  it("refuse a script that is not one and a link to nowhere (planted)", () => {
    const page = relative(ROOT, join(ROOT, "docs", "releasing.md"));
    expect(unknownScripts(page, "run `npm run -s release:undo -- stg web`, then `npm run release -- stg web`")).toEqual([
      "docs/releasing.md: npm run release:undo",
    ]);
    expect(brokenLinks(page, "[the design](architecture.md), [gone](../docs/gone.md#x), [site](https://example.com)")).toEqual([
      "docs/releasing.md: ../docs/gone.md#x",
    ]);
  });
});
