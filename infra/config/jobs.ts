import { z } from "zod";
import { nodeTypeProblem, REDIS_ENGINES } from "../../components/data/redis";
import { windowProblems } from "../../components/data/windows";
import { injectedProblems, namespaceProblems, schedulerProblems } from "../../components/jobs/job-platform";
import { addProblems, checked } from "./issues";
import { checkDesiredCount, checkTaskSize, taskShape, workloadName } from "./services";

/** Where a group's tasks run: on-demand first (`onDemandBase`), then by weight. */
const capacitySchema = z
  .strictObject({
    /** Tasks always on on-demand Fargate. @default 0 */
    onDemandBase: z.number().int().min(0).default(0),
    /** @default 1 */
    onDemandWeight: z.number().int().min(0).default(1),
    /** @default 0 (no Spot) */
    spotWeight: z.number().int().min(0).default(0),
  })
  .superRefine((c, ctx) => {
    if (c.onDemandWeight + c.spotWeight === 0)
      ctx.addIssue({ code: "custom", message: "onDemandWeight and spotWeight are both 0; one must be above 0", input: c });
  })
  .default({ onDemandBase: 0, onDemandWeight: 1, spotWeight: 0 });

const jobTaskShape = { ...taskShape, command: z.array(z.string()).min(1), stopTimeoutSeconds: z.number().int().min(2).max(120).default(60) };

/** The platform provides REDIS_URL, REDIS_NAMESPACE and REDIS_AUTH_TOKEN: a task may not set them. */
function checkInjected(task: { environment: object; secrets: object }, ctx: z.core.$RefinementCtx): void {
  for (const p of injectedProblems("", { container: task })) {
    ctx.addIssue({ code: "custom", message: p.message, input: task });
  }
}

/** `infra:jobs.back.<group>` / `infra:jobs.periodic.<group>`: a group of workers. */
export const workerGroupSchema = z
  .strictObject({
    ...jobTaskShape,
    /** @default 1, or autoscaling.minCount */
    desiredCount: z.number().int().min(0).optional(),
    autoscaling: z
      .strictObject({ minCount: z.number().int().min(0), maxCount: z.number().int().min(1), cpuTargetPercent: z.number().min(10).max(90).optional() })
      .optional(),
    capacity: capacitySchema,
  })
  .superRefine(checkTaskSize)
  .superRefine(checkInjected)
  .superRefine(checkDesiredCount)
  .superRefine((g, ctx) => {
    if (g.autoscaling && g.autoscaling.minCount > g.autoscaling.maxCount) {
      ctx.addIssue({
        code: "custom",
        path: ["autoscaling", "minCount"],
        message: `${g.autoscaling.minCount} is greater than maxCount ${g.autoscaling.maxCount}`,
        input: g.autoscaling,
      });
    }
  });

/** `infra:jobs.scheduler`: one task, on-demand, never autoscaled. `desiredCount` and `spot` may only restate that. */
export const schedulerSchema = z
  .strictObject({ ...jobTaskShape, desiredCount: z.number().optional(), spot: z.boolean().optional() })
  .superRefine(checkTaskSize)
  .superRefine((s, ctx) =>
    addProblems(
      ctx,
      schedulerProblems(s).map((p) => ({ ...p, field: p.field.replace(/^scheduler\./, "") })),
      s,
    ),
  );

/** `infra:jobs`: Redis, back workers, the scheduler and the periodic workers. */
export const jobsSchema = z
  .strictObject({
    redis: z
      .strictObject({
        engine: z.enum(REDIS_ENGINES).default("valkey"),
        engineVersion: z.string().optional(),
        nodeType: checked(nodeTypeProblem).default("cache.t4g.small"),
        nodes: z.number().int().min(1).max(6).default(1),
        multiAz: z.boolean().default(false),
        snapshotRetentionDays: z.number().int().min(0).max(35).default(7),
        /** UTC. @default "16:00-17:00" (01:00-02:00 JST) */
        snapshotWindow: z.string().default("16:00-17:00"),
        /** UTC. @default "sun:18:00-sun:19:00" (Monday 03:00-04:00 JST) */
        maintenanceWindow: z.string().default("sun:18:00-sun:19:00"),
      })
      .superRefine((r, ctx) => {
        if (r.multiAz && r.nodes < 2)
          ctx.addIssue({ code: "custom", path: ["multiAz"], message: `needs at least 2 nodes (a replica to fail over to), got ${r.nodes}`, input: r });
        addProblems(ctx, windowProblems(r.maintenanceWindow, r.snapshotWindow), r);
      })
      .prefault({}),
    namespaces: z.strictObject({ back: z.string().default("back"), periodic: z.string().default("periodic") }).prefault({}),
    back: z.record(workloadName, workerGroupSchema).default({}),
    scheduler: schedulerSchema,
    periodic: z.record(workloadName, workerGroupSchema).default({}),
  })
  .superRefine((j, ctx) => addProblems(ctx, namespaceProblems(j.namespaces), j.namespaces));

export type JobsConfig = z.output<typeof jobsSchema>;
export type WorkerGroupConfig = z.output<typeof workerGroupSchema>;
