import { z } from "zod";
import { releaseSettingsProblems, WAIT_FOR } from "../../components/deploy/release";
import { show } from "./errors";
import { addProblems } from "./issues";
import { networkSchema } from "./network";
import { batchesSchema } from "./batches";
import { jobsSchema } from "./jobs";
import { monitoringSchema } from "./monitoring";
import { releaseBotSchema } from "./release-bot";
import { wafSchema } from "./waf";
import { appImage, clusterSchema, servicesSchema } from "./services";

const ACCOUNT_ID = /^\d{12}$/;
const NAME = /^[a-z][a-z0-9-]{1,19}$/;
// AWS tag rules: key 1-128, value 0-256 characters; the `aws:` prefix is reserved.
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/**
 * Everything a stack sets under the `infra:` namespace of `Pulumi.<stack>.yaml`. Unknown keys
 * are errors at every level. Later areas (services, workers, jobs, batches, monitoring) add
 * their key here.
 */
export const infraSchema = z.strictObject({
  /**
   * Prefix of the physical names this stack chooses (ECS cluster, services, task families):
   * `<name>-web`. Unique per account and region.
   */
  name: z.string().superRefine((name, ctx) => {
    if (!NAME.test(name))
      ctx.addIssue({ code: "custom", message: `${show(name)} is not a name prefix (2-20 lowercase letters, digits, -; starts with a letter)`, input: name });
  }),
  /** The AWS account the stack deploys to; the provider refuses any other. */
  accountId: z.string().superRefine((id, ctx) => {
    if (!ACCOUNT_ID.test(id)) ctx.addIssue({ code: "custom", message: `${show(id)} is not a 12-digit AWS account id`, input: id });
  }),
  /** Tags on every resource that takes tags (provider default tags). @default {} */
  tags: z
    .record(z.string(), z.string())
    .superRefine((tags, ctx) => {
      for (const [key, value] of Object.entries(tags)) {
        if (!TAG_KEY.test(key))
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `${show(key)} is not a valid tag key (1-128 letters, digits, spaces, _.:/=+-@; not aws:)`,
            input: key,
          });
        else if (!TAG_VALUE.test(value))
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `${show(value)} is not a valid tag value (0-256 letters, digits, spaces, _.:/=+-@)`,
            input: value,
          });
      }
    })
    .default({}),
  /**
   * The app image: every workload without an `image` of its own runs it, so a release is one
   * changed line. A tag other than `latest`, or a digest. @default none (each workload names one)
   */
  image: appImage.optional(),
  network: networkSchema,
  /** @default Container Insights enhanced, ECS Exec sessions kept 365 days */
  cluster: clusterSchema,
  /** How every web service is released (`pulumi up` with a new image); what is left unset is `Release`'s default (`RELEASE_DEFAULTS`). @default no hold period, 60 min, until completed, 15 s polls */
  release: z
    .strictObject({
      /** Minutes the deploy lock stays after a successful release: a bad one is noticed before the next. @default 0 */
      holdMinutes: z.number().optional(),
      /** Minutes a release waits for CodeDeploy before it gives up waiting. @default 60 */
      timeoutMinutes: z.number().optional(),
      /** `completed` (after the termination wait) or `switched` (once production traffic has moved). @default "completed" */
      waitFor: z.enum(WAIT_FOR).optional(),
      /** @default 15 */
      pollSeconds: z.number().optional(),
    })
    .superRefine((settings, ctx) => addProblems(ctx, releaseSettingsProblems(settings), settings))
    .prefault({}),
  /** `npm run shell`: how long a shell's task may live, so that an abandoned one ends by itself. @default 60 minutes */
  shell: z
    .strictObject({
      /** @default 60 */
      maxMinutes: z.number().int().min(5).max(720).default(60),
    })
    .prefault({}),
  /** The firewall of every internet-facing load balancer (docs/waf.md). @default block mode, AWS's core rule groups */
  waf: wafSchema,
  /** Web services released blue/green, by name. @default {} */
  services: servicesSchema,
  /** Cron batches, by name. @default {} */
  batches: batchesSchema,
  /** Redis, back workers, the scheduler and periodic workers. @default none */
  jobs: jobsSchema.optional(),
  /** Datadog monitors, SLOs and a dashboard; PagerDuty where criticals page. @default none */
  monitoring: monitoringSchema,
  /** Release from chat: a Slack slash command, the GitHub App it dispatches as, who may do what on which stack (docs/release-bot.md). @default none */
  releaseBot: releaseBotSchema.optional(),
  /**
   * Protect stateful resources (run table, queues, caches) from deletion: `protect` and
   * `retainOnDelete` on them. Set it where their data matters (prd). @default false
   */
  protectData: z.boolean().optional(),
});

export type InfraConfig = z.output<typeof infraSchema>;

/** The typed configuration of one stack: the `infra:` keys plus the provider's region. */
export interface StackConfig extends InfraConfig {
  /** From `aws:region`. */
  readonly region: string;
}
