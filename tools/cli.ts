import { ConfigError } from "../infra/config/errors";
import { ReleaseError } from "../release-tool/errors";
import { ManualRunError } from "./batch/manual-run";
import { PlanFileError } from "./plan/plan-file";
import { StackFileError } from "../offline-plan/stack-file";

/** Errors whose message is the whole story: printed without a stack trace. */
const USER_ERRORS = [ConfigError, StackFileError, PlanFileError, ManualRunError, ReleaseError];

/** What a tool's `main` answers: done (exit 0), a usage error (the usage line, exit 2), or an exit code of its own. */
export type CliResult = "ok" | "usage" | number;

/**
 * Runs a command-line tool: `main` gets the arguments and answers a {@link CliResult}. A user
 * error (bad config, missing stack file, bad arguments) prints its message and exits 1; anything
 * else is a bug and keeps its stack trace. Every tool of `tools/` starts here.
 */
export function runCli(usage: string, main: (argv: string[]) => CliResult | Promise<CliResult>): void {
  // Through a promise, so that an error thrown before main's first await is handled the same way.
  Promise.resolve(process.argv.slice(2))
    .then(main)
    .then(
      (result) => {
        if (result === "usage") {
          process.stderr.write(`usage: ${usage}\n`);
          process.exitCode = 2;
        } else if (typeof result === "number") process.exitCode = result;
      },
      (error: unknown) => {
        const known = USER_ERRORS.some((kind) => error instanceof kind) || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
        process.stderr.write(known ? `${(error as Error).message}\n` : `${(error as Error).stack ?? String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
