import { BOT_ACTIONS, type BotAccess, type BotAction, isUserGroup } from "./contract";
import type { SlashCommand } from "./slack";

/**
 * What a slash command asks, decided against the bot's configuration before anything starts:
 * the workspace, the channel, the words, the stack and service, and whether this person may.
 */

/** What to do with a command: answer with help, refuse it (why, in a line), or run the workflow. */
export type Decision =
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "refused"; readonly text: string }
  | { readonly kind: "dispatch"; readonly action: BotAction; readonly stack: string; readonly service: string };

const list = (values: readonly string[]) => values.join(", ");
/** A word the person typed, as Slack shows it literally: `<!channel>` echoed back must not ping anyone. */
const said = (word: string) => (word.length > 40 ? `${word.slice(0, 40)}…` : word).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** People and user groups as Slack shows them (in a message only the asker sees: nobody is notified). */
const people = (ids: readonly string[]) => ids.map((id) => (isUserGroup(id) ? `<!subteam^${id}>` : `<@${id}>`)).join(", ");

/** The help text: the subcommands and, for this person, what they may do on each stack. */
export function helpText(access: BotAccess, command: string, userId: string): string {
  const mine = Object.entries(access.stacks).map(([stack, s]) => {
    const may = BOT_ACTIONS.filter((a) => s.allow[a]?.includes(userId));
    return `${stack}: ${may.length > 0 ? list(may) : "nothing"}`;
  });
  return [
    `${command} <${BOT_ACTIONS.join("|")}> <stack> <service>  (drain takes a back worker group)`,
    `stacks: ${list(Object.keys(access.stacks))}`,
    `you may: ${mine.join("; ")}`,
  ].join("\n");
}

/**
 * `members`: the members of the user groups named for this subcommand (read from Slack by the
 * caller, `groupsToCheck`); a group not given has none.
 */
export function decide(access: BotAccess, request: SlashCommand, members: ReadonlyMap<string, readonly string[]> = new Map()): Decision {
  // The workspace first: a command from elsewhere learns nothing of this one's channels or stacks.
  if (request.teamId !== access.teamId) return { kind: "refused", text: "refused: this app answers one workspace, not this one" };
  if (!access.channels.includes(request.channelId))
    return { kind: "refused", text: `refused: ${request.command} is taken in ${access.channels.map((c) => `<#${c}>`).join(", ")} only` };
  const words = request.text.trim().split(/\s+/).filter(Boolean);
  const usage = `usage: ${request.command} <${BOT_ACTIONS.join("|")}> <stack> <service> (${request.command} help)`;
  if (words.length === 0 || (words.length === 1 && words[0] === "help")) return { kind: "help", text: helpText(access, request.command, request.userId) };
  const [action = "", stack = "", service = ""] = words;
  if (!(BOT_ACTIONS as readonly string[]).includes(action))
    return { kind: "refused", text: `unknown subcommand ${said(action)}: one of ${list(BOT_ACTIONS)}, help` };
  if (words.length !== 3) return { kind: "refused", text: usage };
  const s = Object.hasOwn(access.stacks, stack) ? access.stacks[stack] : undefined;
  if (!s) return { kind: "refused", text: `unknown stack ${said(stack)}: one of ${list(Object.keys(access.stacks))}` };
  const known = action === "drain" ? s.groups : s.services;
  if (!known.includes(service))
    return {
      kind: "refused",
      text: `unknown ${action === "drain" ? "back worker group" : "service"} ${said(service)} of ${stack}: ${known.length > 0 ? `one of ${list(known)}` : "it has none"}`,
    };
  const allowed = s.allow[action as BotAction] ?? [];
  const inGroup = allowed.some((id) => isUserGroup(id) && (members.get(id) ?? []).includes(request.userId));
  if (!allowed.includes(request.userId) && !inGroup)
    return {
      kind: "refused",
      text: `refused: <@${request.userId}> may not ${action} on ${stack}${allowed.length > 0 ? ` (who may: ${people(allowed)})` : " (nobody may from chat)"}`,
    };
  return { kind: "dispatch", action: action as BotAction, stack, service };
}
