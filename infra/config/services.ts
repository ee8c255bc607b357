import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../../components/aws-limits";
import { desiredWithinBoundsProblems, scalingProblems } from "../../components/ecs/autoscaling";
import { CONTAINER_INSIGHTS } from "../../components/ecs/cluster";
import { plaintextSecretProblems, secretArnProblem, variableNameProblem } from "../../components/ecs/container";
import { immutableImageProblem } from "../../components/ecs/image";
import { CPU_ARCHITECTURES, cpuMemoryProblems } from "../../components/ecs/fargate";
import { DEPLOYMENT_CONTROLLERS, deploymentProblems, ECS_DEPLOYMENT_CONFIGS, ECS_STRATEGIES, GATE_TIMEOUT_ACTIONS } from "../../components/deploy/deployment";
import { oneOffCommandProblems } from "../../components/deploy/release";
import { healthCheckProblems } from "../../components/loadbalancing/health-check";
import { certificateArnProblem, TLS12_SSL_POLICIES } from "../../components/loadbalancing/policies";
import { albSettingsProblems, testListenerProblems } from "../../components/loadbalancing/load-balancer";
import { notAShortName, SHORT_NAME } from "../../components/problems";
import { show } from "./errors";
import { addProblems, checked } from "./issues";

const port = z.number().superRefine((p, ctx) => {
  if (!Number.isInteger(p) || p < 1 || p > 65535) ctx.addIssue({ code: "custom", message: `${p} is not a port (1-65535)`, input: p });
});

/** Plaintext environment; a name that looks secret is an error (it belongs in `secrets`). */
export const environmentSchema = z
  .record(checked(variableNameProblem), z.string())
  .superRefine((env, ctx) => addProblems(ctx, plaintextSecretProblems(env), env))
  .default({});

/** Variable → Secrets Manager or SSM parameter ARN. */
export const secretsSchema = z.record(checked(variableNameProblem), checked(secretArnProblem)).default({});

/** `infra:cluster`: the stack's ECS cluster. */
export const clusterSchema = z
  .strictObject({
    /** @default "enhanced" */
    containerInsights: z.enum(CONTAINER_INSIGHTS).optional(),
    /** @default 365 */
    execLogRetentionInDays: z.literal(LOG_RETENTION_DAYS).optional(),
  })
  .prefault({});

/** The Datadog agent sidecar of a workload. */
export const datadogSchema = z.strictObject({
  apiKeySecretArn: checked(secretArnProblem),
  /** Left unset, the task definition's own default applies (`datadoghq.com`). */
  site: z.string().min(1).optional(),
});

/** An image that names one version for good (a tag other than `latest`, or a digest). */
export const appImage = z
  .string({ error: (issue) => (issue.input === undefined ? "is required: set it here, or set infra:image (the app image every workload runs)" : undefined) })
  .superRefine((image, ctx) => {
    const problem = immutableImageProblem(image);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: image });
  });

/** The task part of every ECS workload's config. */
export const taskShape = {
  /** @default `infra:image`, the app image of the stack; a workload may pin its own. Never `latest`. */
  image: appImage,
  /** CPU units (1024 = 1 vCPU). */
  cpu: z.number(),
  /** MiB; one Fargate allows for `cpu`. */
  memory: z.number(),
  /** @default "ARM64" */
  architecture: z.enum(CPU_ARCHITECTURES).optional(),
  command: z.array(z.string()).optional(),
  environment: environmentSchema,
  secrets: secretsSchema,
  datadog: datadogSchema.optional(),
  /**
   * SREs may open a shell in a one-off task of the workload (`npm run shell`): ECS Exec on, and its
   * task role gets the four `ssmmessages` actions. `false`: neither, and the shell tool refuses.
   * @default true
   */
  shell: z.boolean().optional(),
};

/** cpu/memory checked together, reported on the field that is wrong. */
export function checkTaskSize(task: { cpu: number; memory: number }, ctx: z.core.$RefinementCtx): void {
  addProblems(ctx, cpuMemoryProblems(task.cpu, task.memory), task);
}

/** A command a release runs as a one-off task of the new revision. */
const oneOffCommandSchema = z
  .strictObject({
    command: z.array(z.string()),
    /** @default 30 */
    timeoutMinutes: z.number().optional(),
  })
  .superRefine((c, ctx) => addProblems(ctx, oneOffCommandProblems(c), c));

/** `infra:services.<name>`: a web service released blue/green. */
export const serviceSchema = z
  .strictObject({
    ...taskShape,
    /** The port the app listens on. */
    port,
    /** Tasks when not autoscaled, the first count when autoscaled. @default 2, or autoscaling.minCount */
    desiredCount: z.number().int().min(0).optional(),
    autoscaling: z
      .strictObject({
        minCount: z.number(),
        maxCount: z.number(),
        cpuTargetPercent: z.number().optional(),
        requestsPerTarget: z.number().positive().optional(),
      })
      .superRefine((a, ctx) => addProblems(ctx, scalingProblems(a), a))
      .optional(),
    /** @default "/healthz" every 10 s, 2 checks */
    healthCheck: z
      .strictObject({
        path: z.string().optional(),
        intervalSeconds: z.number().optional(),
        timeoutSeconds: z.number().optional(),
        healthyThreshold: z.number().optional(),
        unhealthyThreshold: z.number().optional(),
        matcher: z.string().optional(),
      })
      .superRefine((h, ctx) => addProblems(ctx, healthCheckProblems(h), h))
      .default({}),
    /** ACM certificate of the HTTPS listeners. */
    certificateArn: checked(certificateArnProblem),
    /** @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
    sslPolicy: z.enum(TLS12_SSL_POLICIES).optional(),
    testListener: z
      .strictObject({
        /** @default 8443; not 80 or 443 */
        port: z.number().optional(),
        allowedCidrs: z.array(z.string()),
      })
      .superRefine((t, ctx) => addProblems(ctx, testListenerProblems(t), t)),
    /** @default deletion protection on, access logs kept 90 days */
    loadBalancer: z
      .strictObject({
        deletionProtection: z.boolean().optional(),
        accessLogRetentionInDays: z.number().optional(),
        idleTimeoutSeconds: z.number().optional(),
      })
      .superRefine((lb, ctx) => addProblems(ctx, albSettingsProblems(lb), lb))
      .prefault({}),
    /** Run as a one-off task of the new revision before any traffic moves (`[bundle, exec, rails, db:migrate]`). @default none */
    migration: oneOffCommandSchema.optional(),
    /** Run as a one-off task once production traffic is on the new tasks (a cache clear). @default none */
    postRelease: oneOffCommandSchema.optional(),
    /** @default CodeDeploy, ECSAllAtOnce, old tasks kept 2 minutes, no gate */
    deployment: z
      .strictObject({
        controller: z.enum(DEPLOYMENT_CONTROLLERS).optional(),
        config: z.enum(ECS_DEPLOYMENT_CONFIGS).optional(),
        strategy: z.enum(ECS_STRATEGIES).optional(),
        canary: z.strictObject({ percent: z.number().optional(), bakeMinutes: z.number().optional() }).optional(),
        linear: z.strictObject({ stepPercent: z.number().optional(), stepMinutes: z.number().optional() }).optional(),
        terminationWaitMinutes: z.number().optional(),
        readyWaitMinutes: z.number().optional(),
        readyTimeoutAction: z.enum(GATE_TIMEOUT_ACTIONS).optional(),
        productionTargetGroup: z.enum(["blue", "green"]).optional(),
      })
      .superRefine((d, ctx) => addProblems(ctx, deploymentProblems(d), d))
      .prefault({}),
  })
  .superRefine(checkTaskSize)
  .superRefine(checkDesiredCount);

/** A first desired count within the autoscaling bounds. */
export function checkDesiredCount(workload: { desiredCount?: number; autoscaling?: { minCount: number; maxCount: number } }, ctx: z.core.$RefinementCtx): void {
  addProblems(ctx, desiredWithinBoundsProblems(workload.desiredCount, workload.autoscaling), workload);
}

/** Names of workloads: they prefix their resources' names (the components' rule for short names). */
export const workloadName = z.string().superRefine((name, ctx) => {
  if (!SHORT_NAME.test(name)) ctx.addIssue({ code: "custom", message: `${show(name)} ${notAShortName("workload")}`, input: name });
});

/** `infra:services`: the stack's web services, by name. */
export const servicesSchema = z.record(workloadName, serviceSchema).default({});

export type ServiceConfig = z.output<typeof serviceSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
