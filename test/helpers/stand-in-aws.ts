import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A directory to put on PATH with a stand-in `aws` executable that records its arguments (one per
 * line) and exits with the given code, and, unless told otherwise, a `session-manager-plugin`.
 */
export function standInAws(options: { exitCode?: number; plugin?: boolean; aws?: boolean; sleepSeconds?: number } = {}): {
  dir: string;
  recorded: () => string[] | undefined;
} {
  const dir = mkdtempSync(join(tmpdir(), "stand-in-aws-"));
  const record = join(dir, "aws-args");
  if (options.aws !== false) {
    const pause = options.sleepSeconds ? `sleep ${options.sleepSeconds}\n` : "";
    writeFileSync(join(dir, "aws"), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${record}"\n${pause}exit ${options.exitCode ?? 0}\n`);
    chmodSync(join(dir, "aws"), 0o755);
  }
  if (options.plugin !== false) {
    writeFileSync(join(dir, "session-manager-plugin"), "#!/bin/sh\nexit 0\n");
    chmodSync(join(dir, "session-manager-plugin"), 0o755);
  }
  return {
    dir,
    recorded: () => {
      try {
        return readFileSync(record, "utf8").trimEnd().split("\n");
      } catch {
        return undefined;
      }
    },
  };
}

/** The AWS CLI call a shell makes for a stg web task (what the stand-in records, one argument a line). */
export const stgWebSession = (taskArn: string, command: string): string[] => [
  "ecs",
  "execute-command",
  "--region",
  "ap-northeast-1",
  "--cluster",
  "shop-stg",
  "--task",
  taskArn,
  "--container",
  "app",
  "--interactive",
  "--command",
  command,
];
