import { createClients, type ReleaseContext, whoAmI } from "./context";
import { awsErrorLine, ReleaseError } from "./errors";
import { commandsFor, unlock } from "./lock";
import { drain } from "./drain";
import { notify } from "./notify";
import { continueRelease } from "./gate";
import { release } from "./release";
import { rollback } from "./rollback";
import { formatStatus, releaseStatus } from "./status";
import type { ReleaseTarget } from "./contract";

/** The subcommands of the release tool. */
export const RELEASE_COMMANDS = ["release", "prepare", "deploy", "continue", "rollback", "unlock", "status", "drain"] as const;
export type ReleaseCommand = (typeof RELEASE_COMMANDS)[number];

/** Where a command writes: progress lines for people (stderr), the result (stdout). */
export interface CommandIo {
  readonly progress: (line: string) => void;
  readonly result: (text: string) => void;
}

/** A context for the real thing: the stack's region, the SDK's configuration, the wall clock. */
export function liveContext(target: ReleaseTarget, io: CommandIo, env: NodeJS.ProcessEnv = process.env): ReleaseContext {
  return {
    clients: createClients(target.region),
    log: (line) => io.progress(`${new Date().toISOString().replace(/\.\d+Z$/, "Z")} ${target.stack}/${target.service} ${line}`),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    who: whoAmI(env),
  };
}

/**
 * Runs one subcommand and returns the exit code: 0 done, 1 failed or refused (one line saying
 * why and what to run next). `--json` puts the result on stdout as JSON for a bot or a workflow.
 * `announce`: a status also goes to the release topic (asked from chat, it is answered there).
 */
export async function runReleaseCommand(
  ctx: ReleaseContext,
  command: ReleaseCommand,
  target: ReleaseTarget,
  io: CommandIo,
  json: boolean,
  group?: string,
  run?: string,
  announce = false,
): Promise<0 | 1> {
  try {
    const result = await execute(ctx, command, target, group, run);
    if (announce && command === "status") await notify(ctx, target, "status", { reason: result.text }, true);
    io.result(json ? JSON.stringify(result.data) : result.text);
    return 0;
  } catch (error) {
    const known = awsErrorLine(`${command}`, error, target.region);
    const message = known instanceof ReleaseError ? known.message : `unexpected error: ${(error as Error).stack ?? String(error)}`;
    io.progress(`error: ${message}`);
    if (json) io.result(JSON.stringify({ ok: false, command, stack: target.stack, service: target.service, error: message }));
    return 1;
  }
}

async function execute(
  ctx: ReleaseContext,
  command: ReleaseCommand,
  t: ReleaseTarget,
  group: string | undefined,
  run: string | undefined,
): Promise<{ text: string; data: object }> {
  const base = { ok: true, command, stack: t.stack, service: t.service };
  switch (command) {
    case "release":
    case "prepare":
    case "deploy": {
      const r = await release(ctx, t, command === "release" ? "all" : command, ...(run ? [run] : []));
      return { text: `${r.outcome}: ${r.taskDefinitionArn}${r.deploymentId ? ` (deployment ${r.deploymentId})` : ""}`, data: { ...base, ...r } };
    }
    case "continue": {
      const r = await continueRelease(ctx, t);
      return { text: `continued deployment ${r.deploymentId}: production traffic moves to the new tasks`, data: { ...base, ...r } };
    }
    case "rollback": {
      const r = await rollback(ctx, t);
      const text =
        r.outcome === "stopped"
          ? `stopped deployment ${r.deploymentId} with rollback: production traffic is back on the original tasks`
          : `rolled back: ${r.taskDefinitionArn} is live again (was ${r.rolledBackFrom ?? "unknown"})`;
      return { text, data: { ...base, ...r } };
    }
    case "unlock": {
      const holder = await unlock(ctx, t);
      const text = holder
        ? `unlocked ${t.stack}/${t.service} (was ${holder.state} by ${holder.owner} until ${holder.until.toISOString()})`
        : `${t.stack}/${t.service} was not locked`;
      return { text, data: { ...base, previousHolder: holder ?? null } };
    }
    case "drain": {
      const r = await drain(ctx, t, group);
      const text =
        r.outcome === "drained"
          ? `drained: the ${r.colour} colour of back workers ${r.group} has no job left and runs 0 tasks`
          : `nothing to drain: the ${r.colour} colour of back workers ${r.group} runs no task`;
      return { text, data: { ...base, ...r } };
    }
    case "status": {
      const s = await releaseStatus(ctx, t);
      return {
        text: [...formatStatus(s), `  next: ${s.lock ? commandsFor(t).unlock : "a new infra:image and pulumi up"}`].join("\n"),
        data: { ...base, ...s },
      };
    }
  }
}
