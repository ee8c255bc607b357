import { z } from "zod";
import { show } from "./errors";
import { networkSchema } from "./network";

const ACCOUNT_ID = /^\d{12}$/;
// AWS tag rules: key 1-128, value 0-256 characters; the `aws:` prefix is reserved.
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/**
 * Everything a stack sets under the `infra:` namespace of `Pulumi.<stack>.yaml`. Unknown keys
 * are errors at every level. Later areas (services, workers, jobs, batches, monitoring) add
 * their key here.
 */
export const infraSchema = z.strictObject({
  /** The AWS account the stack deploys to; the provider refuses any other. */
  accountId: z.string().superRefine((id, ctx) => {
    if (!ACCOUNT_ID.test(id)) ctx.addIssue({ code: "custom", message: `${show(id)} is not a 12-digit AWS account id`, input: id });
  }),
  /** Tags on every resource that takes tags (provider default tags). @default {} */
  tags: z
    .record(z.string(), z.string())
    .superRefine((tags, ctx) => {
      for (const [key, value] of Object.entries(tags)) {
        if (!TAG_KEY.test(key)) ctx.addIssue({ code: "custom", path: [key], message: `${show(key)} is not a valid tag key (1-128 letters, digits, spaces, _.:/=+-@; not aws:)`, input: key });
        else if (!TAG_VALUE.test(value)) ctx.addIssue({ code: "custom", path: [key], message: `${show(value)} is not a valid tag value (0-256 letters, digits, spaces, _.:/=+-@)`, input: value });
      }
    })
    .default({}),
  network: networkSchema,
});

export type InfraConfig = z.output<typeof infraSchema>;

/** The typed configuration of one stack: the `infra:` keys plus the provider's region. */
export interface StackConfig extends InfraConfig {
  /** From `aws:region`. */
  readonly region: string;
}
