// npm run release -- <stack> <service>            release the service's latest task definition
// npm run release:continue -- <stack> <service>   move production traffic to the new tasks waiting at the gate
// npm run release:rollback -- <stack> <service>   stop a deployment with rollback, or redeploy the previous revision
// npm run release:unlock -- <stack> <service>     free the deploy lock
// npm run release:status -- <stack> <service>     live revision, deployment, lock (and the colours of blue/green back workers)
// npm run release:drain -- <stack> <group>        drain the idle colour of a blue/green back worker group, then scale it to 0
// Options: --outputs FILE (the stack's outputs, instead of asking the Pulumi CLI), --json.
// Your AWS credentials (AWS_PROFILE, SSO, ...); AWS_ENDPOINT_URL for an AWS-compatible endpoint.
import { parseArgs } from "node:util";
import { liveContext, RELEASE_COMMANDS, type ReleaseCommand, runReleaseCommand } from "../release-tool/command";
import { runCli } from "./cli";
import { groupTargetFrom, readOutputs, TargetError, targetFrom } from "./release/outputs";

/** The two steps of a `pulumi up`: the lock's takeover of a prepared release relies on Pulumi running them, one up at a time. */
const PULUMI_STEPS: readonly string[] = ["prepare", "deploy"];
const PEOPLES_COMMANDS = RELEASE_COMMANDS.filter((c) => !PULUMI_STEPS.includes(c));

const io = { progress: (line: string) => process.stderr.write(`${line}\n`), result: (text: string) => process.stdout.write(`${text}\n`) };
const usage = (command: string) =>
  `usage: npm run ${command === "release" ? "release" : `release:${command}`} -- <stack> ${command === "drain" ? "<group>" : "<service>"} [--outputs FILE] [--json]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (PULUMI_STEPS.includes(command ?? "")) {
    io.progress(`${command} is a step of pulumi up (the program runs it); a person releases with npm run release -- <stack> <service>`);
    return 2;
  }
  if (!PEOPLES_COMMANDS.includes(command as ReleaseCommand)) {
    io.progress(`usage: tsx tools/release.ts <${PEOPLES_COMMANDS.join("|")}> <stack> <service> [--outputs FILE] [--json]`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { outputs: { type: "string" }, json: { type: "boolean", default: false } } });
  } catch (error) {
    io.progress(`${(error as Error).message}\n${usage(command!)}`);
    return 2;
  }
  const [stack, name] = parsed.positionals;
  if (!stack || !name || parsed.positionals.length > 2) {
    io.progress(usage(command!));
    return 2;
  }
  let target;
  try {
    const outputs = await readOutputs(stack, parsed.values.outputs);
    target = command === "drain" ? groupTargetFrom(outputs, stack, name) : targetFrom(outputs, stack, name);
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    io.progress(`error: ${error.message}`);
    return 1;
  }
  // The release workflow sets it for a status asked from chat: the answer goes to the release topic, and so to the channel.
  const announce = process.env.INFRA_ANNOUNCE_STATUS === "true";
  return runReleaseCommand(
    liveContext(target, io),
    command as ReleaseCommand,
    target,
    io,
    parsed.values.json,
    command === "drain" ? name : undefined,
    undefined,
    announce,
  );
}

// main prints the usage of the command it was given, so runCli's own usage line is never needed.
runCli(`npm run release -- <stack> <service> (and release:${PEOPLES_COMMANDS.filter((c) => c !== "release").join(", release:")})`, main);
