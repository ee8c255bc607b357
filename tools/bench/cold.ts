import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

/** Wall times (ms) and peak memory (MB) of a command run in a fresh process each time. */
export interface ColdRuns {
  readonly label: string;
  readonly times: number[];
  readonly peakMb: number[];
}

// Every Node process the command starts (npm, then the tool) reports its peak RSS at exit; the
// run's peak is the largest. A command that is not Node reports none.
const REPORTER = `process.on("exit", () => { try { require("fs").appendFileSync(process.env.BENCH_RSS_FILE, process.resourceUsage().maxRSS + "\\n"); } catch {} });`;

/**
 * Runs `command` (through the shell, in `cwd`) once uncounted (it builds the tools' bundle when
 * the sources changed), then `runs` times; fails on a non-zero exit.
 */
export function timeCommand(label: string, command: string, runs: number, cwd: string): ColdRuns {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const reporter = join(dir, "rss.cjs");
  writeFileSync(reporter, REPORTER);
  const times: number[] = [];
  const peakMb: number[] = [];
  try {
    for (let i = -1; i < runs; i++) {
      const rssFile = join(dir, `rss-${i}`);
      writeFileSync(rssFile, "");
      const start = performance.now();
      const result = spawnSync(command, {
        shell: true,
        cwd,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${reporter}`.trim() },
      });
      const elapsed = performance.now() - start;
      if (result.status !== 0) throw new Error(`${command} exited ${result.status}: ${result.stderr.toString().trim().split("\n").pop() ?? ""}`);
      if (i < 0) continue;
      times.push(elapsed);
      const kb = readFileSync(rssFile, "utf8").split("\n").filter(Boolean).map(Number);
      peakMb.push(kb.length ? Math.max(...kb) / 1024 : Number.NaN);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { label, times, peakMb };
}
