import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../../components/aws-limits";
import { releaseBotProblems, type ReleaseBotArgs } from "../../components/chat/release-bot";
import { BOT_ACTIONS, type BotAccess } from "../../release-bot/contract";
import { ConfigError } from "./errors";
import { addProblems } from "./issues";
import type { NeighbourReleases } from "./neighbours";
import type { StackConfig } from "./schema";

/**
 * `infra:releaseBot`: release from chat (docs/release-bot.md). The stack that sets it runs the bot;
 * `access.stacks` names every stack it answers for, with who may do what there. What each stack
 * has to release (its web services, its blue/green back worker groups) is read from that stack's
 * own file, never written twice. @default none: no bot
 */
export const releaseBotSchema = z
  .strictObject({
    access: z.strictObject({
      /** The Slack workspace's id (`T…`). */
      teamId: z.string(),
      /** The channels commands are taken from (ids, `C…`). */
      channels: z.array(z.string()),
      /** Per stack it answers for: the Slack user ids (`U…`) who may ask each subcommand; one not listed is nobody's. */
      stacks: z.record(z.string(), z.strictObject({ allow: z.partialRecord(z.enum(BOT_ACTIONS), z.array(z.string())) })),
    }),
    /** The Secrets Manager secret holding the Slack app's signing secret. */
    signingSecretArn: z.string(),
    /** The GitHub App that starts the release workflow. */
    github: z.strictObject({
      appId: z.string(),
      installationId: z.string(),
      privateKeyArn: z.string(),
      repository: z.string(),
      /** @default "release.yml" */
      workflow: z.string().optional(),
      /** @default "main" */
      ref: z.string().optional(),
      /** @default "https://api.github.com" */
      api: z.string().optional(),
    }),
    /** The Secrets Manager secret holding the Slack app's bot token (events: chat:write; user groups: usergroups:read). @default none */
    botTokenArn: z.string().optional(),
    /** This stack's release events in a channel, posted with the bot token. @default none */
    events: z.strictObject({ channel: z.string() }).optional(),
    /** @default 2 requests per second, bursts of 5 */
    throttle: z.strictObject({ ratePerSecond: z.number().optional(), burst: z.number().optional() }).optional(),
    /** @default 30 */
    logRetentionInDays: z.literal(LOG_RETENTION_DAYS).optional(),
  })
  .superRefine((bot, ctx) => addProblems(ctx, releaseBotProblems(componentArgs(bot, () => ({ services: ["web"], groups: [] }), ["topic"])), bot));

export type ReleaseBotConfig = z.output<typeof releaseBotSchema>;

/** The component's args from the config, each stack's services and groups from `of`. */
function componentArgs(
  bot: ReleaseBotConfig,
  of: (stack: string) => { services: string[]; groups: string[] },
  topicArns: readonly string[],
): ReleaseBotArgs & { access: BotAccess } {
  return {
    access: {
      teamId: bot.access.teamId,
      channels: bot.access.channels,
      stacks: Object.fromEntries(Object.entries(bot.access.stacks).map(([stack, s]) => [stack, { ...of(stack), allow: s.allow }])),
    },
    signingSecretArn: bot.signingSecretArn,
    ...(bot.botTokenArn ? { botTokenArn: bot.botTokenArn } : {}),
    github: bot.github,
    ...(bot.events ? { events: { ...bot.events, topicArns } } : {}),
    ...(bot.throttle ? { throttle: bot.throttle } : {}),
    ...(bot.logRetentionInDays ? { logRetentionInDays: bot.logRetentionInDays } : {}),
  };
}

/**
 * What each stack the bot answers for has to release: this stack's from its config, another's
 * from its stack file. A stack with no file, or with nothing to release, is refused by key.
 */
export function releaseBotArgs(config: StackConfig, stack: string, neighbours: NeighbourReleases): (ReleaseBotArgs & { access: BotAccess }) | undefined {
  const bot = config.releaseBot;
  if (!bot) return undefined;
  const own = {
    services: Object.keys(config.services),
    groups: Object.entries(config.jobs?.back ?? {}).flatMap(([group, g]) => (g.release === "blueGreen" ? [group] : [])),
  };
  const known = [stack, ...Object.keys(neighbours)].sort();
  const problems: string[] = [];
  for (const name of Object.keys(bot.access.stacks)) {
    const found = name === stack ? own : neighbours[name];
    if (!found) problems.push(`infra:releaseBot.access.stacks.${name}: there is no stack file Pulumi.${name}.yaml (the stacks: ${known.join(", ")})`);
    else if (found.services.length === 0)
      problems.push(`infra:releaseBot.access.stacks.${name}: that stack has no web service to release (its infra:services)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  // The events' topics are the stack's own release topic, which the composition adds.
  return componentArgs(bot, (name) => (name === stack ? own : neighbours[name]!), []);
}
