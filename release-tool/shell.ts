import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { constants as os } from "node:os";
import { delimiter, join } from "node:path";
import type { Task } from "@aws-sdk/client-ecs";
import { ReleaseError } from "./errors";
import { followTask, startOneOffTask, stopOneOffTask } from "./one-off-task";
import { liveTaskOf, oneOffTaskOf, type TaskContext, taskConsoleLink } from "./task";
import type { WorkloadTarget } from "./contract";

/** What the shell needs of the machine it runs on (a stand-in in tests). */
export interface ShellHost {
  /** The path of an executable on PATH; undefined when there is none. */
  readonly which: (name: string) => string | undefined;
  /** Runs the AWS CLI attached to this terminal; resolves to its exit code. */
  readonly session: (executable: string, args: readonly string[]) => Promise<number>;
}

/** What `npm run shell` was asked. */
export interface ShellRequest {
  /** The program the session runs in the container. @default "sh" */
  readonly command: string;
  /** How long the task may take to start and run its ECS Exec agent. */
  readonly startupMinutes: number;
  readonly pollSeconds: number;
  /** Aborted on Ctrl-C before the session opens: the task is stopped. */
  readonly signal?: AbortSignal;
}

const AWS_CLI_INSTALL = "https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html";
const PLUGIN_INSTALL = "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html";

/** The task runs and its ECS Exec agent is ready to take a session. */
function agentReady(task: Task | undefined, containerName: string): boolean {
  const agent = task?.containers?.find((c) => c.name === containerName)?.managedAgents?.find((a) => a.name === "ExecuteCommandAgent");
  return task?.lastStatus === "RUNNING" && agent?.lastStatus === "RUNNING";
}

/** The shell tools are there, before any task is started: nothing to clean up when one is missing. */
function requireTools(host: ShellHost): string {
  const aws = host.which("aws");
  if (!aws) throw new ReleaseError(`the AWS CLI (aws) is not on your PATH: a shell is an ECS Exec session of the AWS CLI; install it (${AWS_CLI_INSTALL})`);
  if (!host.which("session-manager-plugin")) {
    throw new ReleaseError(
      `the Session Manager plugin (session-manager-plugin) is not on your PATH: the AWS CLI needs it for ECS Exec; install it (${PLUGIN_INSTALL})`,
    );
  }
  return aws;
}

/**
 * Opens a shell in a one-off task of the workload's live task definition: the task runs `sleep`
 * for at most the stack's `infra:shell.maxMinutes` (an abandoned shell ends by itself), the
 * session is the AWS CLI's `ecs execute-command --interactive`, and the task is stopped when the
 * session ends, however it ends. Resolves to the session's exit code.
 */
export async function openShell(ctx: TaskContext, w: WorkloadTarget, request: ShellRequest, host: ShellHost): Promise<number> {
  if (!w.shell) {
    throw new ReleaseError(
      `${w.stack}/${w.workload} has no shell access: ${w.configKey}.shell is false in Pulumi.${w.stack}.yaml (set it to true and pulumi up -s ${w.stack}, or run a command: npm run task -- ${w.stack} ${w.workload} -- <command>)`,
    );
  }
  const aws = requireTools(host);
  const live = await liveTaskOf(ctx, w);
  const t = oneOffTaskOf(ctx, w, live, {
    label: "shell",
    command: ["sleep", String(w.shellMaxMinutes * 60)],
    timeoutMinutes: request.startupMinutes,
    pollSeconds: request.pollSeconds,
  });
  const taskArn = await startOneOffTask(ctx, t);
  ctx.log(`started ${taskArn} of ${live.taskDefinitionArn} (it stops by itself after ${w.shellMaxMinutes} min)`);
  ctx.log(`console: ${taskConsoleLink(w.region, w.cluster, taskArn)}`);
  let stopped = false;
  try {
    const followed = await followTask(ctx, t, taskArn, (task) => agentReady(task, w.containerName), request.signal ? { signal: request.signal } : {});
    if (followed.interrupted) {
      stopped = true;
      return 130;
    }
    if (!agentReady(followed.task, w.containerName)) {
      stopped = true;
      const reason = followed.task?.containers?.find((c) => c.name === w.containerName)?.reason ?? followed.task?.stoppedReason ?? "no reason given";
      throw new ReleaseError(`the shell's task stopped before its ECS Exec agent ran: ${reason} (${taskArn})`);
    }
    const args = [
      "ecs",
      "execute-command",
      "--region",
      w.region,
      "--cluster",
      w.cluster,
      "--task",
      taskArn,
      "--container",
      w.containerName,
      "--interactive",
      "--command",
      request.command,
    ];
    ctx.log(`session: aws ${args.join(" ")}`);
    try {
      return await host.session(aws, args);
    } catch (error) {
      throw new ReleaseError(`the AWS CLI could not be run (${aws}): ${(error as Error).message}`);
    }
  } finally {
    if (!stopped) await stopAfterSession(ctx, w, t, taskArn);
  }
}

async function stopAfterSession(ctx: TaskContext, w: WorkloadTarget, t: Parameters<typeof stopOneOffTask>[1], taskArn: string): Promise<void> {
  try {
    await stopOneOffTask(ctx, t, taskArn, `shell of ${ctx.who} ended`);
    ctx.log(`stopped ${taskArn}`);
  } catch (error) {
    // The session's outcome matters more than this; say what to run instead of hiding it.
    ctx.log(
      `could not stop ${taskArn}: ${(error as Error).message}; stop it with: aws ecs stop-task --region ${w.region} --cluster ${w.cluster} --task ${taskArn}`,
    );
  }
}

/** An executable on PATH (with PATHEXT's extensions on Windows), or undefined. */
export function whichOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const extensions = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      const candidate = join(dir, name + extension);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** This machine: PATH lookups, and the AWS CLI on this terminal (Ctrl-C goes to the session, not to this tool). */
export const systemShellHost: ShellHost = {
  which: (name) => whichOnPath(name),
  session: (executable, args) =>
    new Promise((resolve, reject) => {
      // During the session Ctrl-C belongs to the remote shell: this tool neither stops nor says anything.
      const listeners = process.listeners("SIGINT");
      const ignore = () => undefined;
      process.removeAllListeners("SIGINT");
      process.on("SIGINT", ignore);
      const restore = () => {
        process.off("SIGINT", ignore);
        for (const listener of listeners) process.on("SIGINT", listener);
      };
      const child = spawn(executable, args, { stdio: "inherit" });
      child.on("error", (error) => {
        restore();
        reject(error);
      });
      child.on("exit", (code, signal) => {
        restore();
        resolve(code ?? 128 + (signal ? os.signals[signal] : 0));
      });
    }),
};
