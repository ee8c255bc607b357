// The release tool as the program runs it (the Release component, components/deploy/release.ts): the
// subcommand as argument, the target as JSON in INFRA_RELEASE_TARGET. People use
// `npm run release -- <stack> <service>` (tools/release.ts), which reads the stack's outputs.
import { liveContext, RELEASE_COMMANDS, type ReleaseCommand, runReleaseCommand } from "./command";
import { parseTarget, preparedRun } from "./target";
import { TARGET_VARIABLE } from "./contract";

const io = { progress: (line: string) => process.stderr.write(`${line}\n`), result: (text: string) => process.stdout.write(`${text}\n`) };

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  if (!RELEASE_COMMANDS.includes(command as ReleaseCommand) || flags.some((f) => f !== "--json")) {
    io.progress(`usage: ${TARGET_VARIABLE}='{...}' release-tool <${RELEASE_COMMANDS.join("|")}> [--json]`);
    return 2;
  }
  const raw = process.env[TARGET_VARIABLE];
  if (!raw) {
    io.progress(`error: ${TARGET_VARIABLE} is not set: it holds the release target as JSON (the program sets it)`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    io.progress(`error: ${TARGET_VARIABLE} is not JSON`);
    return 2;
  }
  let target;
  try {
    target = parseTarget(json, TARGET_VARIABLE);
  } catch (error) {
    io.progress(`error: ${(error as Error).message}`);
    return 2;
  }
  let run: string | undefined;
  if (command === "deploy") {
    try {
      run = preparedRun(process.env.INFRA_RELEASE_PREPARED);
    } catch (error) {
      io.progress(`error: ${(error as Error).message}`);
      return 2;
    }
  }
  return runReleaseCommand(liveContext(target, io), command as ReleaseCommand, target, io, flags.includes("--json"), undefined, run);
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
