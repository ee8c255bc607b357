// npm run bench [-- --runs N] [--compare "COMMAND"]...
// Cold: `npm run plan -- <stack>` of every stack file N times (default 5), a fresh process each
// time, as a person or CI pays it, and the program as a real `pulumi preview` loads it
// (tools/bench/pulumi-load.cjs, and its floor: the runtime with no program): min / median / max
// wall time and peak memory; each --compare command is timed the same way in the same run (for
// example `cdk synth` of the anchor, or the previous commit's plan), with its ratio to the plan
// of prd.
// Warm: every stack and the synthetic stacks planned N times in this process. The first plan of
// a process warms up Pulumi's runtime and the JIT; it is reported apart (and not counted).
import { performance } from "node:perf_hooks";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { program } from "../infra/program";
import { runCli } from "./cli";
import { benchCases, type BenchCase, SYNTHETIC_SERVICE_COUNTS } from "./bench/cases";
import { runPlan } from "./plan/run";
import { stackNames } from "../offline-plan/stack-file";
import { type ColdRuns, timeCommand } from "./bench/cold";

interface Row {
  readonly label: string;
  readonly resources: number;
  readonly times: number[];
}

async function measure(c: BenchCase, runs: number): Promise<Row> {
  const times: number[] = [];
  let resources = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const plan = await runPlan(c.stack, c.config, program);
    times.push(performance.now() - start);
    resources = plan.resources.length;
  }
  return { label: c.label, resources, times };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The cold table: the plan of each stack, then each command compared, side by side. */
function coldTable(rows: readonly ColdRuns[]): string[] {
  const base = rows.find((r) => r.label === "npm run plan -- prd") ?? rows[0];
  const fmt = (ms: number) => (ms / 1000).toFixed(2);
  return [
    "| cold, fresh process | min s | median s | max s | peak MB (median) | vs plan prd |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => {
      const ratio = base ? (median(r.times) / median(base.times)).toFixed(2) : "";
      return `| ${r.label} | ${fmt(Math.min(...r.times))} | ${fmt(median(r.times))} | ${fmt(Math.max(...r.times))} | ${median(r.peakMb).toFixed(0)} | ${ratio} |`;
    }),
  ];
}

runCli('npm run bench [-- --runs N] [--compare "COMMAND"]...', async (argv) => {
  const { values } = parseArgs({ args: argv, options: { runs: { type: "string", default: "5" }, compare: { type: "string", multiple: true, default: [] } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) return "usage";
  const cases = benchCases(process.cwd());
  // The synthetic stacks as stack files of their own, planned cold like the real ones.
  const synthetic = mkdtempSync(join(tmpdir(), "bench-stacks-"));
  const launcher = join(process.cwd(), "tools", "launch.mjs");
  // The node options of `npm run plan` (package.json), so that the synthetic rows measure the same command.
  const planScript = (JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.plan ?? "";
  const nodeOptions = /^node((?: --\S+)*) /.exec(planScript)?.[1]?.trim() ?? "";
  for (const c of cases.filter((x) => x.stack.startsWith("bench-"))) writeFileSync(join(synthetic, `Pulumi.${c.stack}.yaml`), stringify({ config: c.config }));
  let cold: ColdRuns[];
  try {
    cold = [
      ...stackNames(process.cwd()).map((stack) => timeCommand(`npm run plan -- ${stack}`, `npm run -s plan -- ${stack}`, runs, process.cwd())),
      // What a real preview or up pays to load and run the program (Pulumi's own cmd/run, ts-node
      // with Pulumi.yaml's runtime options), the engine replaced by the plan's mocks.
      ...stackNames(process.cwd()).map((stack) =>
        timeCommand(`program as pulumi preview loads it, ${stack}`, `"${process.execPath}" tools/bench/pulumi-load.cjs ${stack}`, runs, process.cwd()),
      ),
      // The floor of those rows: Pulumi's runtime with a program that creates nothing.
      ...stackNames(process.cwd())
        .slice(0, 1)
        .map((stack) =>
          timeCommand("pulumi preview's runtime, no program", `"${process.execPath}" tools/bench/pulumi-load.cjs ${stack} --no-program`, runs, process.cwd()),
        ),
      ...cases
        .filter((x) => x.stack.startsWith("bench-"))
        .map((c) => timeCommand(`plan, ${c.label}`, `"${process.execPath}" ${nodeOptions} "${launcher}" plan ${c.stack}`, runs, synthetic)),
      ...values.compare.map((command) => timeCommand(command, command, runs, process.cwd())),
    ];
  } finally {
    rmSync(synthetic, { recursive: true, force: true });
  }
  const loadStart = performance.now();
  const first = cases[0];
  if (first) await runPlan(first.stack, first.config, program);
  const warmup = performance.now() - loadStart;
  const rows: Row[] = [];
  for (const c of cases) rows.push(await measure(c, runs));
  const lines = [
    `node ${process.version}, ${runs} runs per case`,
    "",
    ...coldTable(cold),
    "",
    `warm, in this process (warm-up plan: ${warmup.toFixed(0)} ms, not counted):`,
    "",
    "| case | resources | min ms | median ms | ms per resource (median) |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => {
      const med = median(r.times);
      return `| ${r.label} | ${r.resources} | ${Math.min(...r.times).toFixed(1)} | ${med.toFixed(1)} | ${(med / r.resources).toFixed(2)} |`;
    }),
  ];
  const one = rows.find((r) => r.label.startsWith("synthetic, 1 "));
  const five = rows.find((r) => r.label.startsWith("synthetic, 5 "));
  const many = rows.at(-1);
  if (one && five && many && many !== one) {
    const services = Math.max(...SYNTHETIC_SERVICE_COUNTS) - Math.min(...SYNTHETIC_SERVICE_COUNTS);
    const ms = (median(many.times) - median(one.times)) / services;
    const resources = (many.resources - one.resources) / services;
    const coldFive = cold.find((r) => r.label.includes("synthetic, 5 "));
    const coldMany = cold.find((r) => r.label.includes("synthetic, 50 "));
    lines.push(
      "",
      `each blue/green service adds ${resources.toFixed(0)} resources and ${ms.toFixed(0)} ms of plan (median, 1 → 50 services)`,
      `50 services / 5 services: warm ${(median(many.times) / median(five.times)).toFixed(1)}×` +
        (coldFive && coldMany ? `, cold ${(median(coldMany.times) / median(coldFive.times)).toFixed(1)}×` : ""),
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return "ok";
});
