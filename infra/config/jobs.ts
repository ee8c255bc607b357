import { z } from "zod";
import { REDIS_ENGINES, redisProblems } from "../../components/data/redis";
import { stopTimeoutProblem } from "../../components/ecs/fargate";
import { injectedProblems, NAMESPACE_DEFAULTS, namespaceProblems, schedulerProblems } from "../../components/jobs/job-platform";
import { drainProblems } from "../../components/deploy/release";
import { scalingProblems } from "../../components/ecs/autoscaling";
import { show } from "./errors";
import { addProblems, checkedNumber } from "./issues";
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

const jobTaskShape = {
  ...taskShape,
  command: z.array(z.string()).min(1),
  stopTimeoutSeconds: checkedNumber(stopTimeoutProblem).optional(),
};

/** The platform provides REDIS_URL, REDIS_NAMESPACE and REDIS_AUTH_TOKEN: a task may not set them. */
function checkInjected(task: { environment: object; secrets: object }, ctx: z.core.$RefinementCtx): void {
  for (const p of injectedProblems("", { container: task })) {
    ctx.addIssue({ code: "custom", message: p.message, input: task });
  }
}

const workerGroupShape = {
  ...jobTaskShape,
  /** @default 1, or autoscaling.minCount */
  desiredCount: z.number().int().min(0).optional(),
  autoscaling: z
    .strictObject({ minCount: z.number(), maxCount: z.number(), cpuTargetPercent: z.number().optional() })
    .superRefine((a, ctx) => addProblems(ctx, scalingProblems(a), a))
    .optional(),
  capacity: capacitySchema,
};

/** `infra:jobs.periodic.<group>`: a group of workers. */
export const workerGroupSchema = z.strictObject(workerGroupShape).superRefine(checkTaskSize).superRefine(checkInjected).superRefine(checkDesiredCount);

/** `infra:jobs.back.<group>.drain`: how a release knows an old colour's namespace is empty. */
const drainSchema = z
  .strictObject({
    /** Run as a one-off task of the old colour: exit 0 when its namespace has no job left, non-zero while some are. */
    command: z.array(z.string()),
    /** Minutes a release waits for the old colour to drain; then it leaves it running and fails. @default 30 */
    timeoutMinutes: z.number().optional(),
    /** Seconds between two checks. @default 30 */
    intervalSeconds: z.number().optional(),
  })
  .superRefine((d, ctx) => addProblems(ctx, drainProblems(d), d));

/** The release strategies of a back worker group. */
export const BACK_RELEASES = ["rolling", "blueGreen"] as const;

/**
 * `infra:jobs.back.<group>`: a worker group, and how it is released: `rolling` (ECS rolls it
 * with each `pulumi up`) or `blueGreen` (with the web service named in `enqueuedBy`, a
 * namespace per colour, the old colour drained before it stops).
 */
export const backGroupSchema = z
  .strictObject({
    ...workerGroupShape,
    /** @default "rolling" */
    release: z.enum(BACK_RELEASES).default("rolling"),
    /** The web service whose jobs this group runs: its colour is the group's (blueGreen only). @default [] */
    enqueuedBy: z.array(workloadName).default([]),
    /** The drain check (blueGreen only, required there). @default none */
    drain: drainSchema.optional(),
  })
  .superRefine(checkTaskSize)
  .superRefine(checkInjected)
  .superRefine(checkDesiredCount)
  .superRefine((g, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message, input: g });
    if (g.release === "rolling") {
      if (g.drain) problem("drain", "is only used with release: blueGreen (a rolling group is never drained)");
      if (g.enqueuedBy.length > 0) problem("enqueuedBy", "is only used with release: blueGreen (a rolling group follows no web service)");
      return;
    }
    if (!g.drain) problem("drain", "is required with release: blueGreen: the check that an old colour has no job left before it is scaled to 0");
    if (g.enqueuedBy.length === 0) problem("enqueuedBy", "is required with release: blueGreen: the web service whose colour the group follows");
    if (g.enqueuedBy.length > 1)
      problem(
        "enqueuedBy",
        `${show(g.enqueuedBy)}: a blue/green group follows one web service (each web service switches colour in its own deployment; with two, a colour could be drained while one of them still enqueues into it)`,
      );
  });

/** `infra:jobs.scheduler`: one task, on-demand, never autoscaled. `desiredCount` and `spot` may only restate that. */
export const schedulerSchema = z
  .strictObject({ ...jobTaskShape, desiredCount: z.number().optional(), spot: z.boolean().optional() })
  .superRefine(checkTaskSize)
  .superRefine((s, ctx) => addProblems(ctx, schedulerProblems(s), s));

/** `infra:jobs`: Redis, back workers, the scheduler and the periodic workers. */
export const jobsSchema = z
  .strictObject({
    redis: z
      .strictObject({
        engine: z.enum(REDIS_ENGINES).optional(),
        engineVersion: z.string().optional(),
        nodeType: z.string().optional(),
        nodes: z.number().optional(),
        multiAz: z.boolean().optional(),
        snapshotRetentionDays: z.number().optional(),
        /** UTC. @default "16:00-17:00" (01:00-02:00 JST) */
        snapshotWindow: z.string().optional(),
        /** UTC. @default "sun:18:00-sun:19:00" (Monday 03:00-04:00 JST) */
        maintenanceWindow: z.string().optional(),
      })
      .superRefine((r, ctx) => addProblems(ctx, redisProblems(r), r))
      .prefault({}),
    namespaces: z.strictObject({ back: z.string().optional(), periodic: z.string().optional() }).prefault({}),
    back: z.record(workloadName, backGroupSchema).default({}),
    scheduler: schedulerSchema,
    periodic: z.record(workloadName, workerGroupSchema).default({}),
  })
  .superRefine((j, ctx) => addProblems(ctx, namespaceProblems(j.namespaces), j.namespaces));

export type JobsConfig = z.output<typeof jobsSchema>;
export type WorkerGroupConfig = z.output<typeof workerGroupSchema>;
export type BackGroupConfig = z.output<typeof backGroupSchema>;

/**
 * The colours across sections: a blue/green group follows a web service of `infra:services`;
 * a rolling back group needs a web service that still enqueues into the plain namespace (one
 * that follows a colour enqueues into `<back>-blue` / `<back>-green` only); the colour
 * namespaces must stay within the namespace's length.
 */
export function colourProblems(config: { readonly services: Readonly<Record<string, unknown>>; readonly jobs?: JobsConfig | undefined }): string[] {
  const jobs = config.jobs;
  if (!jobs) return [];
  const services = Object.keys(config.services);
  const groups = Object.entries(jobs.back);
  const coloured = groups.filter(([, g]) => g.release === "blueGreen");
  const problems = coloured.flatMap(([name, g]) =>
    g.enqueuedBy
      .filter((web) => !services.includes(web))
      .map((web) => `infra:jobs.back.${name}.enqueuedBy: ${show(web)} is not a web service of infra:services (${services.join(", ") || "none"})`),
  );
  const back = jobs.namespaces.back ?? NAMESPACE_DEFAULTS.back;
  const following = new Set(coloured.flatMap(([, g]) => g.enqueuedBy));
  if (coloured.length > 0 && services.every((web) => following.has(web))) {
    for (const [name] of groups.filter(([, g]) => g.release === "rolling")) {
      problems.push(
        `infra:jobs.back.${name}.release: rolling, but every web service enqueues into a colour's namespace (${back}-blue / -green): nothing would enqueue into ${show(back)}; make it blueGreen too`,
      );
    }
  }
  if (coloured.length > 0 && `${back}-green`.length > 64)
    problems.push(`infra:jobs.namespaces.back: ${show(back)} is too long for its colours (${back}-green is over 64 characters)`);
  return problems;
}
