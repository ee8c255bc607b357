/**
 * The release tool's contract: everything a stack hands the tool (a web service's release
 * target, a workload's target for one-off tasks and shells, the variables the program sets) (the
 * colours both sides name are `colours.ts`). With `colours.ts`, the only module of the tool that
 * the library, the stacks and the program import: plain values and zod schemas, no Pulumi and no AWS
 * SDK, so the tool never loads Pulumi and the library never loads the tool.
 */
import { z } from "zod";

const taskDefinitionArn = z.string().regex(/^arn:[\w-]+:ecs:[\w-]+:\d{12}:task-definition\/[\w-]+:\d+$/, "is not a task definition revision ARN");
const network = {
  subnetIds: z.array(z.string()).min(1),
  securityGroupIds: z.array(z.string()).min(1),
  capacityProviderStrategy: z.array(z.strictObject({ capacityProvider: z.string(), weight: z.number(), base: z.number() })),
};
const colourPair = <T extends z.ZodType>(value: T) => z.strictObject({ blue: value, green: value });

/** A blue/green back worker group: its colours' services and revisions, what the live colour runs, its drain check. */
export const colourGroupSchema = z.strictObject({
  /** The group's key in the stack config (`default`): `npm run release:drain -- <stack> <group>`. */
  group: z.string().min(1),
  serviceNames: colourPair(z.string().min(1)),
  /** The revision each colour runs after a release. */
  taskDefinitionArns: colourPair(taskDefinitionArn),
  containerName: z.string().min(1),
  ...network,
  /** Tasks of a colour that starts, when not autoscaled (autoscaled: the live colour's count, within the bounds). */
  desiredCount: z.number().int().min(0),
  autoscaling: z.strictObject({ minCount: z.number().int().min(0), maxCount: z.number().int().min(1) }).optional(),
  /** Run as a one-off task of the old colour until it exits 0 (no job left) or the timeout. */
  drain: z.strictObject({ command: z.array(z.string()).min(1), timeoutMinutes: z.number().min(1), intervalSeconds: z.number().min(0) }),
});

/** Who releases a blue/green service; a target without `controller` is CodeDeploy's (as every target was before ECS's own blue/green). */
export const RELEASE_CONTROLLERS = ["codeDeploy", "ecs"] as const;

/** Everything a release of one blue/green service needs, passed by the program or read from the stack's outputs. */
export const releaseTargetSchema = z
  .strictObject({
    stack: z.string().min(1),
    /** The service's key in the stack config (`web`). */
    service: z.string().min(1),
    region: z.string().min(1),
    cluster: z.string().min(1),
    serviceName: z.string().min(1),
    /** `codeDeploy`: the tool creates CodeDeploy deployments; `ecs`: the service's update is the deployment (`pulumi up`, or the tool's UpdateService), ECS moves the traffic. */
    controller: z.enum(RELEASE_CONTROLLERS).default("codeDeploy"),
    /** Under ECS: how it moves production traffic (for the progress lines). */
    strategy: z.enum(["allAtOnce", "canary", "linear"]).optional(),
    /** Under ECS: minutes a canary's or linear's traffic shift takes (a canary's bake, a linear's steps), which the release waits beyond its timeout. */
    shiftMinutes: z.number().min(0).optional(),
    /** Under ECS: the target group its production rule starts on; a release of a service CodeDeploy still runs checks production is there. */
    productionTargetGroupArn: z.string().min(1).optional(),
    /** Under CodeDeploy: the application and deployment group. */
    applicationName: z.string().min(1).optional(),
    deploymentGroupName: z.string().min(1).optional(),
    /** The task definition revision to release. */
    taskDefinitionArn,
    /** For the notifications: what is being released. */
    image: z.string().min(1),
    containerName: z.string().min(1),
    containerPort: z.number().int().min(1).max(65535),
    ...network,
    platformVersion: z.string().default("LATEST"),
    lockTableName: z.string().min(1),
    topicArn: z.string().min(1),
    /** Minutes the lock stays after a successful release, so that a bad one is noticed before the next. */
    holdMinutes: z.number().min(0),
    /** Minutes the old tasks are kept after the switch (CodeDeploy's termination wait, ECS's bake time). */
    terminationWaitMinutes: z.number().min(0),
    /** Minutes a release may take in all before it gives up waiting. */
    timeoutMinutes: z.number().min(1),
    /** `switched`: stop waiting once production traffic is on the new tasks; `completed`: until CodeDeploy succeeds. */
    waitFor: z.enum(["switched", "completed"]),
    /** Seconds between two polls of a deployment or a task. */
    pollSeconds: z.number().min(0),
    migration: z.strictObject({ command: z.array(z.string()).min(1), timeoutMinutes: z.number().min(1) }).optional(),
    postRelease: z.strictObject({ command: z.array(z.string()).min(1), timeoutMinutes: z.number().min(1) }).optional(),
    /**
     * With blue/green back workers: the web's revision per colour (`taskDefinitionArn` is blue's),
     * and the groups that follow the web's colour. @default none: the web alone
     */
    colours: z.strictObject({ taskDefinitionArns: colourPair(taskDefinitionArn), groups: z.array(colourGroupSchema).min(1) }).optional(),
    /**
     * A manual gate before production traffic (CodeDeploy's ready wait, ECS's pause hook): the new
     * tasks wait on the test listener until someone continues or rolls back; after `timeoutMinutes`
     * the deployment stops (`onTimeout: rollback`) or, under ECS, may go on (`continue`).
     * @default none: traffic moves as soon as the tasks are healthy
     */
    gate: z
      .strictObject({
        timeoutMinutes: z.number().int().min(1),
        testUrl: z.string().min(1).optional(),
        onTimeout: z.enum(["rollback", "continue"]).default("rollback"),
      })
      .optional(),
  })
  .superRefine((t, ctx) => {
    // Each controller's names, and only its own: a target that mixes them was not written by the program.
    const codeDeploy = t.controller === "codeDeploy";
    for (const key of ["applicationName", "deploymentGroupName"] as const) {
      if (codeDeploy && t[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: "is required with the CodeDeploy controller" });
      if (!codeDeploy && t[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "is CodeDeploy's: a service ECS releases has none" });
    }
    for (const key of ["strategy", "shiftMinutes", "productionTargetGroupArn"] as const) {
      if (codeDeploy && t[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "is the ECS controller's" });
    }
    if (codeDeploy && t.gate?.onTimeout === "continue")
      ctx.addIssue({ code: "custom", path: ["gate", "onTimeout"], message: "continue needs the ECS controller: CodeDeploy's ready wait can only stop" });
  });

export type ReleaseTarget = z.output<typeof releaseTargetSchema>;
export type ColourGroup = z.output<typeof colourGroupSchema>;
export type ReleaseTargetInput = z.input<typeof releaseTargetSchema>;

/** The environment variable through which the program hands a target to the tool. */
export const TARGET_VARIABLE = "INFRA_RELEASE_TARGET";

/** The variable the deploy step reads its prepare's result from (prepare's `--json` output): the release run it continues. */
export const PREPARED_VARIABLE = "INFRA_RELEASE_PREPARED";

/** The kinds of ECS workload a stack runs. */
export const WORKLOAD_KINDS = ["web", "worker", "scheduler", "batch"] as const;

/**
 * What `npm run task` and `npm run shell` need of one workload, from the stack's
 * `workloads.<name>` output: names, never guessed. The live task definition revision and, for a
 * service, its live network are read from ECS when the task starts.
 */
export const workloadTargetSchema = z.strictObject({
  stack: z.string().min(1),
  /** `web`, `back-default`, `scheduler`, `batch-clearing`. */
  workload: z.string().min(1),
  kind: z.enum(WORKLOAD_KINDS),
  /** Where the workload is configured (`infra:services.web`): what an SRE edits to change it. */
  configKey: z.string().min(1),
  region: z.string().min(1),
  cluster: z.string().min(1),
  /** The ECS service; absent for a batch (its runs are one-off tasks of the family). */
  serviceName: z.string().min(1).optional(),
  family: z.string().min(1),
  containerName: z.string().min(1),
  logGroupName: z.string().min(1).optional(),
  /** The task execution role: what preflight asks IAM about (may it read the secrets, pull the images). */
  executionRoleArn: z.string().min(1),
  subnetIds: z.array(z.string()).min(1),
  securityGroupIds: z.array(z.string()).min(1),
  capacityProviderStrategy: z.array(z.strictObject({ capacityProvider: z.string(), weight: z.number(), base: z.number() })),
  /** ECS Exec is on for the workload (`shell` in its config). */
  shell: z.boolean(),
  /** How long a shell's task lives at most (`infra:shell.maxMinutes`). */
  shellMaxMinutes: z.number().int().min(1),
});

export type WorkloadTarget = z.output<typeof workloadTargetSchema>;
export type WorkloadTargetInput = z.input<typeof workloadTargetSchema>;
