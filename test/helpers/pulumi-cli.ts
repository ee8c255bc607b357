// Pulumi's own CLI for the tests that need it: the `pulumi` on PATH when there is one (an SRE's
// real CLI, with Pulumi's language hosts), otherwise the one toolchain/install.sh builds from the
// Go module proxy (reused from its cache; the first build takes minutes). Each test runs it with
// a PULUMI_HOME of its own, a local file backend and no update check.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { buildSync } from "esbuild";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { ROOT } from "./plan";

/** The folder of the `pulumi` the tests run, found or built once per worker. */
let binFolder: string | undefined;

function pulumiFolder(): string {
  if (binFolder) return binFolder;
  const found = spawnSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" });
  binFolder =
    found.status === 0
      ? dirname(found.stdout.trim())
      : execFileSync(join(ROOT, "toolchain", "install.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  return binFolder;
}

/** Stand-ins for the cloud providers the library's resources ask for: test/engine/recording-provider.ts, as ambient plugins. */
const RECORDED_PROVIDERS = ["aws", "datadog", "pagerduty", "random", "command"] as const;

function recordingProviders(folder: string): void {
  mkdirSync(folder, { recursive: true });
  const node = join(ROOT, "node_modules", ".bin", "node");
  // One bundle for the five: each engine run starts them all, and a bundle starts in half the
  // time tsx takes to compile the stand-in and the plan's mocks (1.3 s against 2.8 s here).
  // @pulumi/* stay the project's own (resolved from node_modules, beside which the bundle sits).
  const bundle = join(folder, "recording-provider.cjs");
  buildSync({
    entryPoints: [join(ROOT, "test", "engine", "recording-provider.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: bundle,
    external: ["@pulumi/*"],
    nodePaths: [join(ROOT, "node_modules")],
    logLevel: "error",
  });
  for (const name of RECORDED_PROVIDERS) {
    const file = join(folder, `pulumi-resource-${name}`);
    writeFileSync(file, `#!/bin/sh\nNODE_PATH="${join(ROOT, "node_modules")}" exec "${node}" "${bundle}" ${name} "$@"\n`);
    chmodSync(file, 0o755);
  }
}

export interface PulumiRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch Pulumi environment: its own home and file backend, recording providers and the project's Node 24 on PATH. */
export function pulumiEnvironment(): {
  env: NodeJS.ProcessEnv;
  home: string;
  run: (args: readonly string[], cwd: string, extra?: NodeJS.ProcessEnv) => PulumiRun;
  /** The same as `run`, leaving this process's event loop free (for a fake served from it that the run's commands call). */
  start: (args: readonly string[], cwd: string, extra?: NodeJS.ProcessEnv) => Promise<PulumiRun>;
} {
  const home = mkdtempSync(join(tmpdir(), "pulumi-home-"));
  const providers = join(home, "providers");
  recordingProviders(providers);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [providers, pulumiFolder(), join(ROOT, "node_modules", ".bin"), process.env.PATH].join(delimiter),
    PULUMI_HOME: join(home, "home"),
    PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  mkdirSync(join(home, "state"));
  const run = (args: readonly string[], cwd: string, extra: NodeJS.ProcessEnv = {}): PulumiRun => {
    const result = spawnSync("pulumi", args, { cwd, env: { ...env, ...extra }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const start = (args: readonly string[], cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<PulumiRun> =>
    new Promise((resolve) => {
      const child = spawn("pulumi", args, { cwd, env: { ...env, ...extra }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  return { env, home, run, start };
}
