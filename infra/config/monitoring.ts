import { z } from "zod";
import { pagerDutyProblems } from "../../components/monitoring/pagerduty-routing";
import { handleProblem } from "../../components/monitoring/routing";
import { SLO_TIMEFRAMES, sloProblems } from "../../components/monitoring/service-slo";
import { addProblems, checked } from "./issues";

/** `infra:monitoring`: Datadog monitors for every workload, and where alerts go. @default none (no monitoring resources) */
export const monitoringSchema = z
  .strictObject({
    /** The `team` tag of every monitor. */
    team: z.string().min(1),
    /** Where warnings, recoveries and (without PagerDuty) criticals go: `@slack-shop-alerts`. */
    chat: checked(handleProblem),
    /** Base URL of the runbooks; each monitor links `<runbookUrl>#<monitor key>`. */
    runbookUrl: z.url(),
    /** Paging (prd): criticals open incidents on this PagerDuty service. @default none: criticals go to chat */
    pagerduty: z
      .strictObject({
        /** @default `<infra:name>`, the handle is `@pagerduty-<serviceName>` */
        serviceName: z.string().optional(),
        targets: z.array(z.strictObject({ type: z.enum(["schedule_reference", "user_reference"]), id: z.string() })),
        /** @default 30 */
        escalationDelayMinutes: z.number().default(30),
        /** @default 2 */
        loops: z.number().default(2),
      })
      .superRefine((p, ctx) => addProblems(ctx, pagerDutyProblems({ serviceName: p.serviceName ?? "name", ...p }), p))
      .optional(),
    /** Availability objective of every web service. @default 99.9 % over 30 days */
    slo: z
      .strictObject({ target: z.number().optional(), timeframe: z.enum(SLO_TIMEFRAMES).optional() })
      .superRefine((slo, ctx) => addProblems(ctx, sloProblems(slo), slo))
      .prefault({}),
  })
  .optional();

export type MonitoringConfig = z.output<typeof monitoringSchema>;
