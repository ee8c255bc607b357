import { expect, it } from "vitest";
import { loadStackConfig } from "../../../infra/config/load";
import type { StackConfig } from "../../../infra/config/schema";
import { readStackFile } from "../../../offline-plan/stack-file";
import type { BotAccess } from "../../../release-bot/contract";
import { byType, jsonInput, named, ROOT } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

/** What a stack has to release from chat, from its own config. */
const releasable = (config: StackConfig) => ({
  services: Object.keys(config.services),
  groups: Object.entries(config.jobs?.back ?? {}).flatMap(([group, g]) => (g.release === "blueGreen" ? [group] : [])),
});

/** The release bot: only where the stack file sets it, answering for the stacks it names with what their own files hold. */
export function releaseBotInvariants(s: StackUnderTest): void {
  const bot = s.config.releaseBot;
  if (!bot) {
    it("has no release bot: no function, no endpoint, no output", () => {
      expect(byType(s.plan(), "infra:chat:ReleaseBot")).toEqual([]);
      expect(byType(s.plan(), "aws:lambda/function:Function")).toEqual([]);
      expect(byType(s.plan(), "aws:apigatewayv2/api:Api")).toEqual([]);
      expect(s.plan().outputs.releaseBot).toBeUndefined();
    });
    return;
  }

  it("answers for the stacks its config names, each with the services and groups of that stack's own file, and the people the config allows", () => {
    const fn = named(s.plan(), "release-bot-function");
    const access = JSON.parse((fn.inputs.environment as { variables: Record<string, string> }).variables.BOT_ACCESS!) as BotAccess;
    expect(access.teamId).toBe(bot.access.teamId);
    expect(access.channels).toEqual(bot.access.channels);
    expect(Object.keys(access.stacks)).toEqual(Object.keys(bot.access.stacks));
    for (const [name, given] of Object.entries(bot.access.stacks)) {
      const config = name === s.stack ? s.config : loadStackConfig(readStackFile(name, ROOT));
      expect(access.stacks[name], name).toEqual({ ...releasable(config), allow: given.allow });
    }
  });

  it("reads its secrets by the config's ARNs, hears this stack's release topic, and gives Slack its URL", () => {
    const policy = jsonInput<{ Statement: { Sid: string; Resource: unknown }[] }>(named(s.plan(), "release-bot-role-policy"), "policy");
    expect(policy.Statement.find((st) => st.Sid === "Secrets")!.Resource).toEqual([
      bot.signingSecretArn,
      bot.github.privateKeyArn,
      ...(bot.botTokenArn ? [bot.botTokenArn] : []),
    ]);
    const topics = byType(s.plan(), "aws:sns/topicSubscription:TopicSubscription").filter((t) => t.name.startsWith("release-bot-"));
    // The release platform's topic (`release-events`), which every release of this stack publishes to.
    const topic = new RegExp(`^arn:aws:sns:${s.config.region}:${s.config.accountId}:release-events-`);
    expect(topics.map((t) => t.inputs.topic)).toEqual(bot.events ? [expect.stringMatching(topic)] : []);
    expect((s.plan().outputs.releaseBot as { url: string }).url).toMatch(/^https:\/\/.+\.execute-api\.[a-z0-9-]+\.amazonaws\.com\/slack\/commands$/);
    expect(named(s.plan(), "release-bot-requests").options.protect).toBe(s.config.protectData === true);
  });
}
