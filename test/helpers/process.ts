import { execFile } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./plan";

/**
 * The environment of a person with the stack's credentials against an AWS-compatible endpoint,
 * and nothing else of this machine's AWS configuration (no profile, no instance metadata).
 */
export function awsEnvironment(home: string, endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: home,
    AWS_CONFIG_FILE: join(home, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "no-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    ...extra,
  };
}

/** Runs `node <args>` in the project as a person would (the bundled launcher for the tools); its exit code and output. */
export function runNode(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...args], { cwd: ROOT, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The arguments that run a tool as `npm run` does: `tools/launch.mjs <tool> ...`. */
export const launcher = (tool: string, ...args: string[]) => [join(ROOT, "tools/launch.mjs"), tool, ...args];
