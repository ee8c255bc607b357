import { local } from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { extname, join, relative, sep } from "node:path";
import { InfraComponent, type Transform } from "../component";
import type { BlueGreenService } from "../ecs/blue-green-service";
import type { BlueGreenWorkers } from "../ecs/blue-green-workers";
import { COLOURS } from "../ecs/service-base";
import { notOneOf, type Problem, throwIfProblems, under } from "../problems";
import type { ReleasePlatform } from "./release-platform";
import { PREPARED_VARIABLE, TARGET_VARIABLE, type ReleaseTargetInput } from "../../release-tool/contract";

/** A command run as a one-off task of the new revision. */
export interface OneOffCommandArgs {
  /** `["bundle", "exec", "rails", "db:migrate"]`. */
  readonly command: readonly string[];
  /** @default 30 */
  readonly timeoutMinutes?: number;
}

/** What a release waits for: CodeDeploy's success, or production traffic on the new tasks. */
export const WAIT_FOR = ["completed", "switched"] as const;

/** A migration's or post-release command's timeout when left unset. */
export const ONE_OFF_DEFAULTS = { timeoutMinutes: 30 } as const;
/** A colour group's drain check when its timing is left unset. */
export const DRAIN_DEFAULTS = { timeoutMinutes: 30, intervalSeconds: 30 } as const;

/** The release settings a service gets when it sets none: the one place they are written. */
export const RELEASE_DEFAULTS = { holdMinutes: 0, timeoutMinutes: 60, waitFor: "completed", pollSeconds: 15 } as const satisfies Required<ReleaseSettings>;

/** How releases of a service behave. */
export interface ReleaseSettings {
  /** Minutes the lock stays after a successful release, so that a bad one is noticed before the next. @default 0 */
  readonly holdMinutes?: number;
  /** Minutes a release waits for CodeDeploy before it gives up (the deployment goes on). @default 60 */
  readonly timeoutMinutes?: number;
  /** `completed`: wait until CodeDeploy succeeds (after the termination wait); `switched`: until production traffic has moved. @default "completed" */
  readonly waitFor?: (typeof WAIT_FOR)[number];
  /** Seconds between two polls. @default 15 */
  readonly pollSeconds?: number;
}

/** A blue/green back worker group that follows the service's colour. */
export interface ColourGroupArgs {
  /** The group's name in the messages and commands (`default`). */
  readonly group: string;
  readonly workers: BlueGreenWorkers;
  /** The check that the old colour has no job left: a command run as a one-off task of that colour. */
  readonly drain: {
    readonly command: readonly string[];
    /** @default 30 */
    readonly timeoutMinutes?: number;
    /** Seconds between two checks. @default 30 */
    readonly intervalSeconds?: number;
  };
}

/** Arguments of a {@link Release}. */
export interface ReleaseArgs {
  /** The environment's name in the lock's key, the messages and the commands an operator is told to run (`prd`). */
  readonly stack: string;
  /** The service's name in the same places (`web`). */
  readonly serviceKey: string;
  /** The blue/green service released. */
  readonly service: BlueGreenService;
  /** What is released, for the notifications. */
  readonly image: pulumi.Input<string>;
  /** The AWS region of the service (the release tool's clients). */
  readonly region: pulumi.Input<string>;
  /** The stack's lock table and event topic: a {@link ReleasePlatform}, or another's by name and ARN. */
  readonly platform: Pick<ReleasePlatform, "lockTableName" | "topicArn">;
  /** The lock's hold period, the release's timeout and how often it polls. @default no hold, 60 minutes, until completed, polls every 15 s */
  readonly settings?: ReleaseSettings;
  /** Run before any traffic moves; a failure stops the release. @default none */
  readonly migration?: OneOffCommandArgs;
  /** Run once production traffic is on the new tasks (a cache clear). @default none */
  readonly postRelease?: OneOffCommandArgs;
  /**
   * What must have rolled out between the migration and the switch (the workers, then the
   * scheduler): the deployment waits for them. @default []
   */
  readonly deployAfter?: readonly pulumi.Resource[];
  /**
   * Back worker groups released with the service, a colour each (the service's task has the
   * `blue` and `green` variants): the idle colour's workers start before the switch, the old
   * colour is drained and scaled to 0 after it. @default none
   */
  readonly colourGroups?: readonly ColourGroupArgs[];
  /**
   * The directory the two commands run from, the path to the release tool being relative to it
   * (a plugin's copy of the library, say, which is not under the program's directory).
   * @default the program's directory
   */
  readonly commandDirectory?: string;
  /** Changes to the args of its two commands (`prepare`, `deploy`) before they are created (see {@link Transform}). @default none */
  readonly transform?: { readonly command?: Transform<local.CommandArgs> };
}

/** `value` out of `min`-`max` (when given), as a problem of `field`. */
function rangeProblems(field: string, value: number | undefined, min: number, max: number): Problem[] {
  return value !== undefined && (!Number.isFinite(value) || value < min || value > max) ? [{ field, message: `${value} is out of range (${min}-${max})` }] : [];
}

/** A command run as a one-off task: words, none empty. */
function commandProblems(field: string, command: readonly string[]): Problem[] {
  return command.length === 0 || command.some((part) => part.length === 0) ? [{ field, message: "must be a non-empty list of non-empty words" }] : [];
}

/** Every problem of a colour group's drain check, each naming its field. */
export function drainProblems(drain: { readonly command: readonly string[]; readonly timeoutMinutes?: number; readonly intervalSeconds?: number }): Problem[] {
  return [
    ...commandProblems("command", drain.command),
    ...rangeProblems("timeoutMinutes", drain.timeoutMinutes, 1, 1440),
    ...rangeProblems("intervalSeconds", drain.intervalSeconds, 5, 600),
  ];
}

/** Problems of the release settings (`settings` of a `Release`, `infra:release` of a stack), each naming its field. */
export function releaseSettingsProblems(s: ReleaseSettings): Problem[] {
  return [
    // Typed in TypeScript, but a JavaScript caller or another language (plugin/) passes any string.
    ...(s.waitFor !== undefined && !WAIT_FOR.includes(s.waitFor) ? [{ field: "waitFor", message: notOneOf(s.waitFor, WAIT_FOR) }] : []),
    ...rangeProblems("holdMinutes", s.holdMinutes, 0, 1440),
    ...rangeProblems("timeoutMinutes", s.timeoutMinutes, 1, 1440),
    ...rangeProblems("pollSeconds", s.pollSeconds, 1, 300),
  ];
}

/** Problems of a command a release runs as a one-off task (a migration, a post-release command). */
export function oneOffCommandProblems(c: OneOffCommandArgs): Problem[] {
  return [...commandProblems("command", c.command), ...rangeProblems("timeoutMinutes", c.timeoutMinutes, 1, 1440)];
}

/** Every problem of a release's settings, each naming the argument. */
export function releaseProblems(args: {
  settings?: ReleaseSettings;
  migration?: OneOffCommandArgs;
  postRelease?: OneOffCommandArgs;
  colourGroups?: readonly Pick<ColourGroupArgs, "group" | "drain">[];
}): Problem[] {
  const problems: Problem[] = under("settings", releaseSettingsProblems(args.settings ?? {}));
  for (const [field, c] of [
    ["migration", args.migration],
    ["postRelease", args.postRelease],
  ] as const) {
    if (c) problems.push(...under(field, oneOffCommandProblems(c)));
  }
  for (const g of args.colourGroups ?? []) problems.push(...under(`colourGroups.${g.group}.drain`, drainProblems(g.drain)));
  return problems;
}

/**
 * The release tool as a command line the Pulumi CLI can run from the project's directory, the
 * same on every machine (a path relative to the project, so the command never changes between
 * laptops and CI): the compiled tool of the installed package, or, in this repository's own
 * sources, the TypeScript tool through tsx.
 */
export function releaseToolCommand(subcommand: "prepare" | "deploy", cwd: string = process.cwd()): string {
  const compiled = extname(__filename) === ".js";
  const script = relative(cwd, join(__dirname, "..", "..", "release-tool", compiled ? "cli.js" : "cli.ts"))
    .split(sep)
    .join("/");
  return compiled ? `node ${script} ${subcommand}` : `node --import tsx ${script} ${subcommand}`;
}

/**
 * Releases a blue/green service when its task definition changes, inside `pulumi up`: two local
 * commands that run the release tool. `prepare` (lock, no deployment in progress, migration) runs
 * first; the deployment (CodeDeploy, post-release command, hold period) runs after `deployAfter`
 * has rolled out. Nothing runs in `pulumi preview`. A failed step fails the up and is retried by
 * the next one (its trigger still differs). A change of anything but the task definition (a hold
 * period, say) updates the commands without releasing.
 *
 * Under the ECS controller the service's own update is the deployment: the service waits for
 * {@link Release.rolloutAfter} (give it as the service's `rolloutAfter`), and `deploy` follows
 * what ECS does (stages, gate, post-release command, bake). With colour groups the tool updates
 * the service to the idle colour's revision itself, in deploy, as it deploys under CodeDeploy.
 */
export class Release extends InfraComponent {
  /** Done when the lock is taken and the migration has run: the workers wait for it. */
  public readonly prepared: local.Command;
  /** Done when production traffic is on the new revision. */
  public readonly deployed: local.Command;
  /** What the service's rollout waits for under the ECS controller: the migration, then `deployAfter` (the workers, the scheduler). */
  public readonly rolloutAfter: readonly pulumi.Resource[];
  /**
   * What the release tool is given: the stack exports it so that `npm run release` and its
   * siblings find the service. A JSON document the tool validates when it reads it; typed loosely
   * here so that the package's public types do not depend on the tool's schema library.
   */
  public readonly target: pulumi.Output<Readonly<Record<string, unknown>>>;

  constructor(name: string, args: ReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("Release", name, [...releaseProblems(args), ...colourProblems(args)]);
    super("infra:deploy:Release", name, opts);
    this.target = this.targetOf(args).apply((t): Readonly<Record<string, unknown>> => t);
    const target = pulumi.jsonStringify(this.target);
    const command = (step: "prepare" | "deploy", environment: Record<string, pulumi.Input<string>>, dependsOn: pulumi.Resource[]) =>
      this.child(
        local.Command,
        step,
        {
          create: `${releaseToolCommand(step, args.commandDirectory)}${step === "prepare" ? " --json" : ""}`,
          ...(args.commandDirectory === undefined ? {} : { dir: args.commandDirectory }),
          update: `echo "release settings of ${args.stack}/${args.serviceKey} changed; the task definition did not: nothing to release"`,
          environment: { [TARGET_VARIABLE]: target, ...environment },
          // Any revision of the service or of its colours' workers is a release; so is the move to
          // the ECS controller, which the release checks before ECS takes the service over.
          triggers: [args.service.taskDefinitionArn, ...revisionsOf(args), ...(args.service.controller === "ecs" ? [ECS_TRIGGER] : [])],
        },
        args.transform?.command,
        { dependsOn },
      );
    // Everything of the service and of its colours' workers applied first, not only the values
    // the target reads: the roles' policies are resources of their own, and a migration started
    // before its execution role may read a new secret fails.
    const workers = (args.colourGroups ?? []).map((g) => g.workers);
    const released: pulumi.Resource[] = [args.service, ...workers];
    // Under ECS the service itself rolls after prepare: prepare waits for its revision and network only.
    this.prepared = command("prepare", {}, [...args.service.prepareAfter, ...workers]);
    // Deploy continues prepare's release run (the lock is that run's): prepare's --json result names it.
    this.deployed = command("deploy", { [PREPARED_VARIABLE]: this.prepared.stdout }, [this.prepared, ...released, ...(args.deployAfter ?? [])]);
    this.rolloutAfter = [this.prepared, ...(args.deployAfter ?? [])];
    this.registerOutputs({ target: this.target });
  }

  /** Everything the tool needs, as the tool's target: no lookup from the stack's name at run time. */
  private targetOf(args: ReleaseArgs): pulumi.Output<ReleaseTargetInput> {
    const s = args.service;
    const settings = args.settings ?? {};
    const oneOff = (c: OneOffCommandArgs | undefined) =>
      c ? { command: [...c.command], timeoutMinutes: c.timeoutMinutes ?? ONE_OFF_DEFAULTS.timeoutMinutes } : undefined;
    return pulumi.output({
      stack: args.stack,
      service: args.serviceKey,
      region: args.region,
      cluster: s.clusterName,
      serviceName: s.serviceName,
      // Under CodeDeploy the target is what it was before the ECS controller existed (no `controller`).
      ...(s.controller === "ecs"
        ? { controller: "ecs" as const, strategy: s.strategy, shiftMinutes: s.trafficShiftMinutes, productionTargetGroupArn: s.productionTargetGroupArn }
        : { applicationName: s.applicationName, deploymentGroupName: s.deploymentGroupName }),
      taskDefinitionArn: s.taskDefinitionArn,
      image: args.image,
      containerName: s.containerName,
      containerPort: s.containerPort,
      subnetIds: s.subnetIds,
      securityGroupIds: s.securityGroupIds,
      capacityProviderStrategy: [...s.capacityProviderStrategy],
      platformVersion: "LATEST",
      lockTableName: args.platform.lockTableName,
      topicArn: args.platform.topicArn,
      holdMinutes: settings.holdMinutes ?? RELEASE_DEFAULTS.holdMinutes,
      terminationWaitMinutes: s.terminationWaitMinutes,
      timeoutMinutes: settings.timeoutMinutes ?? RELEASE_DEFAULTS.timeoutMinutes,
      waitFor: settings.waitFor ?? RELEASE_DEFAULTS.waitFor,
      pollSeconds: settings.pollSeconds ?? RELEASE_DEFAULTS.pollSeconds,
      migration: oneOff(args.migration),
      postRelease: oneOff(args.postRelease),
      colours: colourTargets(args),
      // Only with a ready wait: a service without one hands the tool the same target as before.
      ...(s.readyWaitMinutes > 0
        ? {
            gate: {
              timeoutMinutes: s.readyWaitMinutes,
              ...(s.testUrl ? { testUrl: s.testUrl } : {}),
              ...(s.readyTimeoutAction === "continue" ? { onTimeout: "continue" as const } : {}),
            },
          }
        : {}),
    });
  }
}

/** The trigger a release of a service ECS releases carries: a service moving from CodeDeploy releases (and is checked) in the up that moves it. */
export const ECS_TRIGGER = "deployment controller: ECS";

/** With colour groups the service needs both colours' task definitions. */
function colourProblems(args: ReleaseArgs): Problem[] {
  if (!args.colourGroups?.length || args.service.colourTaskDefinitionArns) return [];
  return [{ field: "colourGroups", message: "need the service's task to have the blue and green variants (task.variants)" }];
}

/** Every revision the colours run: the service's per colour, then each group's. */
function revisionsOf(args: ReleaseArgs): pulumi.Output<string>[] {
  const web = args.service.colourTaskDefinitionArns;
  if (!web || !args.colourGroups?.length) return [];
  return [web.green, ...args.colourGroups.flatMap((g) => COLOURS.map((c) => g.workers.colours[c].taskDefinitionArn))];
}

/** The colours as the tool's target takes them (none without colour groups). */
function colourTargets(args: ReleaseArgs): pulumi.Output<ReleaseTargetInput["colours"]> | undefined {
  const web = args.service.colourTaskDefinitionArns;
  if (!web || !args.colourGroups?.length) return undefined;
  return pulumi.output({
    taskDefinitionArns: web,
    groups: args.colourGroups.map((g) => {
      const w = g.workers;
      const task = w.colours.blue.oneOffTask;
      return {
        group: g.group,
        serviceNames: { blue: w.colours.blue.serviceName, green: w.colours.green.serviceName },
        taskDefinitionArns: { blue: w.colours.blue.taskDefinitionArn, green: w.colours.green.taskDefinitionArn },
        containerName: w.containerName,
        subnetIds: task.subnetIds,
        securityGroupIds: task.securityGroupIds,
        capacityProviderStrategy: [...task.capacityProviderStrategy],
        desiredCount: w.scaling.desiredCount,
        ...(w.scaling.minCount !== undefined && w.scaling.maxCount !== undefined
          ? { autoscaling: { minCount: w.scaling.minCount, maxCount: w.scaling.maxCount } }
          : {}),
        drain: {
          command: [...g.drain.command],
          timeoutMinutes: g.drain.timeoutMinutes ?? DRAIN_DEFAULTS.timeoutMinutes,
          intervalSeconds: g.drain.intervalSeconds ?? DRAIN_DEFAULTS.intervalSeconds,
        },
      };
    }),
  });
}
