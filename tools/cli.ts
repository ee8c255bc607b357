import { ConfigError } from "../infra/config/errors";
import { ReleaseError } from "../release-tool/errors";
import { ManualRunError } from "./batch/manual-run";
import { PlanFileError } from "./plan/plan-file";
import { StackFileError } from "../offline-plan/stack-file";

/** Errors whose message is the whole story: printed without a stack trace. */
const USER_ERRORS = [ConfigError, StackFileError, PlanFileError, ManualRunError, ReleaseError];

/**
 * Runs a command-line tool: `main` gets the arguments and answers "ok" or "usage". A user error
 * (bad config, missing stack file, bad arguments) prints its message and exits 1; anything else
 * is a bug and keeps its stack trace.
 */
export function runCli(usage: string, main: (argv: string[]) => Promise<"ok" | "usage">): void {
  // Through a promise, so that an error thrown before main's first await is handled the same way.
  Promise.resolve(process.argv.slice(2))
    .then(main)
    .then(
      (result) => {
        if (result === "usage") {
          process.stderr.write(`usage: ${usage}\n`);
          process.exitCode = 2;
        }
      },
      (error: unknown) => {
        const known = USER_ERRORS.some((kind) => error instanceof kind) || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
        process.stderr.write(known ? `${(error as Error).message}\n` : `${(error as Error).stack ?? String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
