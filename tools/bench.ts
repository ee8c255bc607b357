// npm run bench [-- --runs N]
// Plans every stack N times (default 5) in one process and prints min / median wall time and
// the resource count. The first plan of a process warms up Pulumi's runtime and the JIT; it is
// reported apart (and not counted) so that it does not hide the plan's own cost.
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { program } from "../infra/program";
import { runCli } from "./cli";
import { benchCases, type BenchCase, SYNTHETIC_SERVICE_COUNTS } from "./bench/cases";
import { runPlan } from "./plan/run";

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

runCli("npm run bench [-- --runs N]", async (argv) => {
  const { values } = parseArgs({ args: argv, options: { runs: { type: "string", default: "5" } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) return "usage";
  const loadStart = performance.now();
  const cases = benchCases(process.cwd());
  const first = cases[0];
  if (first) await runPlan(first.stack, first.config, program);
  const warmup = performance.now() - loadStart;
  const rows: Row[] = [];
  for (const c of cases) rows.push(await measure(c, runs));
  const lines = [
    `node ${process.version}, ${runs} runs per case, warm-up plan: ${warmup.toFixed(0)} ms`,
    "",
    "| case | resources | min ms | median ms | ms per resource (median) |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => {
      const med = median(r.times);
      return `| ${r.label} | ${r.resources} | ${Math.min(...r.times).toFixed(1)} | ${med.toFixed(1)} | ${(med / r.resources).toFixed(2)} |`;
    }),
  ];
  const one = rows.find((r) => r.label.startsWith("synthetic, 1 "));
  const many = rows.at(-1);
  if (one && many && many !== one) {
    const services = Math.max(...SYNTHETIC_SERVICE_COUNTS) - Math.min(...SYNTHETIC_SERVICE_COUNTS);
    const ms = (median(many.times) - median(one.times)) / services;
    const resources = (many.resources - one.resources) / services;
    lines.push("", `each blue/green service adds ${resources.toFixed(0)} resources and ${ms.toFixed(0)} ms of plan (median, 1 → 50 services)`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return "ok";
});
