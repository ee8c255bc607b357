// npm run task -- <stack> <workload> [--env KEY=VALUE]... [--no-wait] [--timeout-minutes N] -- <command...>
//   runs a command as a one-off task of the workload's live task definition, shows its output and
//   exits with its exit code (130 after Ctrl-C, 1 when it never ran)
// npm run shell -- <stack> <workload> [--command sh]
//   opens an ECS Exec shell in a one-off task of the workload; the task is stopped afterwards
// Both: --outputs FILE (the stack's outputs, instead of asking the Pulumi CLI), --poll-seconds N.
// Your AWS credentials (AWS_PROFILE, SSO, ...); AWS_ENDPOINT_URL for an AWS-compatible endpoint.
import { parseArgs } from "node:util";
import { whoAmI } from "../release-tool/context";
import { awsErrorLine, ReleaseError } from "../release-tool/errors";
import { openShell, systemShellHost } from "../release-tool/shell";
import { createTaskClients, runWorkloadTask, type TaskContext, taskExit } from "../release-tool/task";
import type { WorkloadTarget } from "../release-tool/contract";
import { variableNameProblem } from "../components/ecs/container";
import { runCli } from "./cli";
import { readOutputs, TargetError, workloadFrom } from "./release/outputs";

const USAGE = {
  task: "usage: npm run task -- <stack> <workload> [--env KEY=VALUE]... [--no-wait] [--timeout-minutes N] [--outputs FILE] -- <command...>",
  shell: "usage: npm run shell -- <stack> <workload> [--command sh] [--outputs FILE]",
} as const;
type Mode = keyof typeof USAGE;

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** A bad argument: the reason and the usage, exit 2. */
class UsageError extends Error {}

function contextFor(w: WorkloadTarget, signal: AbortSignal): TaskContext {
  return {
    clients: createTaskClients(w.region),
    log: (line) => progress(`${new Date().toISOString().replace(/\.\d+Z$/, "Z")} ${w.stack}/${w.workload} ${line}`),
    now: () => new Date(),
    // Ctrl-C ends a wait at once, so that the task is stopped without waiting for the next poll.
    sleep: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      }),
    who: whoAmI(),
  };
}

function positiveNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${value}: a number above 0`);
  return n;
}

function environment(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at < 1) throw new UsageError(`--env ${pair}: KEY=VALUE`);
    const key = pair.slice(0, at);
    const problem = variableNameProblem(key);
    if (problem) throw new UsageError(`--env ${pair}: ${problem}`);
    env[key] = pair.slice(at + 1);
  }
  return env;
}

async function main(mode: Mode, argv: string[]): Promise<number> {
  // What follows `--` is the command, untouched (its own flags included).
  const split = argv.indexOf("--");
  const own = split < 0 ? argv : argv.slice(0, split);
  const command = split < 0 ? [] : argv.slice(split + 1);
  const { positionals, values } = parseArgs({
    args: own,
    allowPositionals: true,
    options: {
      outputs: { type: "string" },
      env: { type: "string", multiple: true, default: [] },
      "no-wait": { type: "boolean", default: false },
      "timeout-minutes": { type: "string" },
      "poll-seconds": { type: "string" },
      command: { type: "string" },
    },
  });
  const [stack, workload] = positionals;
  if (!stack || !workload || positionals.length > 2) throw new UsageError("");
  if (mode === "task" && command.length === 0) throw new UsageError("give the command after --");
  if (mode === "shell" && command.length > 0) throw new UsageError("a shell takes no command after --: use --command");
  if (mode === "shell" && (values.env.length > 0 || values["no-wait"] || values["timeout-minutes"]))
    throw new UsageError("--env, --no-wait and --timeout-minutes are for npm run task");
  if (mode === "task" && values.command) throw new UsageError("--command is for npm run shell: give the command after --");
  const pollSeconds = positiveNumber("--poll-seconds", values["poll-seconds"], 5);
  const timeoutMinutes = positiveNumber("--timeout-minutes", values["timeout-minutes"], 60);
  const env = environment(values.env);

  const w = workloadFrom(await readOutputs(stack, values.outputs), stack, workload);
  const abort = new AbortController();
  process.once("SIGINT", () => {
    progress("Ctrl-C: stopping the task");
    abort.abort();
  });
  const ctx = contextFor(w, abort.signal);
  try {
    if (mode === "shell") {
      return await openShell(ctx, w, { command: values.command ?? "sh", startupMinutes: 10, pollSeconds, signal: abort.signal }, systemShellHost);
    }
    const result = await runWorkloadTask(
      ctx,
      w,
      { command, environment: env, wait: !values["no-wait"], timeoutMinutes, pollSeconds, signal: abort.signal },
      (line) => process.stdout.write(`${line}\n`),
    );
    if ("started" in result) {
      process.stdout.write(`${result.started}\n`);
      return 0;
    }
    const exit = taskExit(result.outcome);
    ctx.log(exit.line);
    return exit.code;
  } catch (error) {
    const known = awsErrorLine(mode, error, w.region);
    if (!(known instanceof ReleaseError)) throw error;
    progress(`error: ${known.message}`);
    return 1;
  }
}

runCli("node tools/launch.mjs task <task|shell> ...", async ([mode, ...rest]) => {
  if (mode !== "task" && mode !== "shell") return "usage";
  try {
    return await main(mode, rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      const why = (error as Error).message;
      progress(`${why ? `${why}\n` : ""}${USAGE[mode]}`);
      return 2;
    }
    if (!(error instanceof TargetError)) throw error;
    progress(`error: ${error.message}`);
    return 1;
  }
});
