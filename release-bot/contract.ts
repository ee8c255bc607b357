/**
 * What a stack hands the release bot's function: who may do what, where, and the GitHub App it
 * dispatches as. Plain values, no Pulumi and no AWS: the ReleaseBot component writes them into
 * the function's environment, the function reads them back (release-bot/handler.ts).
 */

/** The subcommands, as the release workflow's `command` input takes them (`.github/workflows/release.yml`). */
export const BOT_ACTIONS = ["status", "release", "continue", "rollback", "unlock", "drain"] as const;
export type BotAction = (typeof BOT_ACTIONS)[number];

/** Who may do what on one stack, and what exists there to be asked for. */
export interface StackAccess {
  /** The stack's web services (their keys in the stack file). */
  readonly services: readonly string[];
  /** Its blue/green back worker groups: what `drain` takes. */
  readonly groups: readonly string[];
  /**
   * Per subcommand, who may ask it: Slack user ids (`U…`, `W…`) and user group ids (`S…`, whose
   * members are read from Slack when they ask); a subcommand not listed is nobody's.
   */
  readonly allow: Partial<Readonly<Record<BotAction, readonly string[]>>>;
}

export interface BotAccess {
  /** The one workspace the bot answers (`T…`). */
  readonly teamId: string;
  /** The channels it takes commands from (`C…`, `G…`). */
  readonly channels: readonly string[];
  readonly stacks: Readonly<Record<string, StackAccess>>;
}

/** The GitHub App the bot starts the release workflow as, and where the workflow is. */
export interface BotGitHub {
  /** The REST API's root: https://api.github.com, or a GitHub Enterprise Server's `/api/v3`. */
  readonly api: string;
  readonly appId: string;
  readonly installationId: string;
  /** `owner/name`. */
  readonly repository: string;
  /** The workflow file (`release.yml`). */
  readonly workflow: string;
  /** The branch or tag the workflow runs on. */
  readonly ref: string;
}

/** A user group's id (`S…`): its members may what it may. */
export const isUserGroup = (id: string) => id.startsWith("S");

/** The user groups named for a subcommand on a stack, when the person is not named there: whose members to read. */
export function groupsToCheck(access: BotAccess, stack: string, action: string, userId: string): string[] {
  const allowed = Object.hasOwn(access.stacks, stack) ? (access.stacks[stack]!.allow[action as BotAction] ?? []) : [];
  return allowed.includes(userId) ? [] : allowed.filter(isUserGroup);
}

/** The function's environment variables, by what they hold. */
export const BOT_ENV = {
  access: "BOT_ACCESS",
  github: "BOT_GITHUB",
  signingSecretArn: "SIGNING_SECRET_ARN",
  githubKeyArn: "GITHUB_KEY_ARN",
  slackTokenArn: "SLACK_TOKEN_ARN",
  eventsChannel: "EVENTS_CHANNEL",
  requestsTable: "REQUESTS_TABLE",
} as const;
