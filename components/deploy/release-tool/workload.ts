import { z } from "zod";

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
