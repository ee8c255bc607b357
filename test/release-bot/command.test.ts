import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decide } from "../../release-bot/command";
import { BOT_ACTIONS, type BotAccess } from "../../release-bot/contract";
import type { SlashCommand } from "../../release-bot/slack";
import { ROOT } from "../helpers/plan";

const ACCESS: BotAccess = {
  teamId: "T0001",
  channels: ["C0REL"],
  stacks: {
    prd: { services: ["web"], groups: ["default"], allow: { status: ["U0ALICE", "U0BOB"], release: ["U0ALICE"], rollback: ["U0ALICE"] } },
    stg: { services: ["web", "admin"], groups: [], allow: { status: ["U0ALICE", "U0BOB"], release: ["U0ALICE", "U0BOB"], drain: ["U0BOB"] } },
  },
};

const ask = (text: string, extra: Partial<SlashCommand> = {}): SlashCommand => ({
  teamId: "T0001",
  channelId: "C0REL",
  userId: "U0BOB",
  userName: "bob",
  command: "/release",
  text,
  responseUrl: "https://hooks.slack.com/commands/T0001/1/abc",
  triggerId: "t-1",
  ...extra,
});

describe("a slash command, decided", () => {
  it("the subcommands are the release workflow's commands", () => {
    const workflow = parse(readFileSync(join(ROOT, ".github", "workflows", "release.yml"), "utf8")) as {
      on: { workflow_dispatch: { inputs: { command: { options: string[] } } } };
    };
    expect([...BOT_ACTIONS]).toEqual(workflow.on.workflow_dispatch.inputs.command.options);
  });

  it("a person allowed, in the channel: the workflow's inputs", () => {
    expect(decide(ACCESS, ask("release stg admin"))).toEqual({ kind: "dispatch", action: "release", stack: "stg", service: "admin" });
    expect(decide(ACCESS, ask("  status   prd web "))).toEqual({ kind: "dispatch", action: "status", stack: "prd", service: "web" });
  });

  it("prd is stricter than stg: bob releases stg, not prd, and is told who may", () => {
    expect(decide(ACCESS, ask("release stg web")).kind).toBe("dispatch");
    expect(decide(ACCESS, ask("release prd web"))).toEqual({ kind: "refused", text: "refused: <@U0BOB> may not release on prd (who may: <@U0ALICE>)" });
  });

  it("a subcommand nobody was given on a stack: refused for everyone", () => {
    expect(decide(ACCESS, ask("unlock prd web", { userId: "U0ALICE" }))).toEqual({
      kind: "refused",
      text: "refused: <@U0ALICE> may not unlock on prd (nobody may from chat)",
    });
  });

  it("drain takes a back worker group, not a service", () => {
    expect(decide(ACCESS, ask("drain stg web"))).toEqual({ kind: "refused", text: "unknown back worker group web of stg: it has none" });
    expect(decide(ACCESS, ask("drain prd default", { userId: "U0ALICE" }))).toEqual({
      kind: "refused",
      text: "refused: <@U0ALICE> may not drain on prd (nobody may from chat)",
    });
  });

  it.each([
    ["another workspace", ask("release stg web", { teamId: "T0OTHER" }), "refused: this app answers one workspace, not this one"],
    ["another channel", ask("release stg web", { channelId: "C0RANDOM" }), "refused: /release is taken in <#C0REL> only"],
    ["an unknown subcommand", ask("deploy stg web"), "unknown subcommand deploy: one of status, release, continue, rollback, unlock, drain, help"],
    ["too few words", ask("release stg"), "usage: /release <status|release|continue|rollback|unlock|drain> <stack> <service> (/release help)"],
    ["too many words", ask("release stg web now"), "usage: /release <status|release|continue|rollback|unlock|drain> <stack> <service> (/release help)"],
    ["an unknown stack", ask("release dev web"), "unknown stack dev: one of prd, stg"],
    ["a stack named like an object's property", ask("release constructor web"), "unknown stack constructor: one of prd, stg"],
    ["an unknown service", ask("release stg api"), "unknown service api of stg: one of web, admin"],
    [
      "a word that would ping the channel",
      ask("<!channel> stg web"),
      "unknown subcommand &lt;!channel&gt;: one of status, release, continue, rollback, unlock, drain, help",
    ],
  ])("%s: refused with why, nothing dispatched", (_, request, text) => {
    expect(decide(ACCESS, request)).toEqual({ kind: "refused", text });
  });

  it("help (or nothing): the subcommands, the stacks, and what this person may do on each", () => {
    const help = decide(ACCESS, ask("help"));
    expect(help).toEqual({
      kind: "help",
      text: [
        "/release <status|release|continue|rollback|unlock|drain> <stack> <service>  (drain takes a back worker group)",
        "stacks: prd, stg",
        "you may: prd: status; stg: status, release, drain",
      ].join("\n"),
    });
    expect(decide(ACCESS, ask(""))).toEqual(help);
  });
});
