import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimOnce, SAME_REQUEST_SECONDS } from "../../release-bot/dedupe";
import type { SlashCommand } from "../../release-bot/slack";
import { startDynamoDb } from "../helpers/dynamodb";

const NOW = 1_796_000_000;
let db: Awaited<ReturnType<typeof startDynamoDb>>;
let table = 0;
const fresh = async () => {
  const name = `bot-requests-${++table}`;
  await db.createTable(name);
  return name;
};

beforeAll(async () => {
  db = await startDynamoDb();
});
afterAll(() => db.stop());

const ask = (extra: Partial<SlashCommand> = {}): SlashCommand => ({
  teamId: "T0001",
  channelId: "C0REL",
  userId: "U0BOB",
  userName: "bob",
  command: "/release",
  text: "release stg web",
  responseUrl: "https://hooks.slack.com/commands/T0001/1/abc",
  triggerId: "t-1",
  ...extra,
});

describe("one run per request (DynamoDB's condition, on dynalite)", () => {
  it("the first claim passes; Slack's retry of it (same trigger) and a second submit (another trigger) do not", async () => {
    const t = await fresh();
    expect(await claimOnce(db.client, t, ask(), NOW)).toEqual({ first: true });
    expect(await claimOnce(db.client, t, ask(), NOW + 1)).toEqual({ first: false, retry: true, at: new Date(NOW * 1000).toISOString() });
    expect(await claimOnce(db.client, t, ask({ triggerId: "t-2", text: "release  stg   web" }), NOW + 2)).toEqual({
      first: false,
      retry: false,
      at: new Date(NOW * 1000).toISOString(),
    });
  });

  it("claims at once: exactly one passes", async () => {
    const t = await fresh();
    const claims = await Promise.all([1, 2, 3, 4, 5].map((n) => claimOnce(db.client, t, ask({ triggerId: `t-${n}` }), NOW)));
    expect(claims.filter((c) => c.first)).toHaveLength(1);
  });

  it("other words, or another person: their own claims", async () => {
    const t = await fresh();
    expect((await claimOnce(db.client, t, ask(), NOW)).first).toBe(true);
    expect((await claimOnce(db.client, t, ask({ text: "status stg web", triggerId: "t-2" }), NOW)).first).toBe(true);
    expect((await claimOnce(db.client, t, ask({ userId: "U0ALICE", triggerId: "t-3" }), NOW)).first).toBe(true);
  });

  it("after the window the same words are a new request", async () => {
    const t = await fresh();
    expect((await claimOnce(db.client, t, ask(), NOW)).first).toBe(true);
    expect((await claimOnce(db.client, t, ask({ triggerId: "t-2" }), NOW + SAME_REQUEST_SECONDS)).first).toBe(false);
    expect((await claimOnce(db.client, t, ask({ triggerId: "t-3" }), NOW + SAME_REQUEST_SECONDS + 1)).first).toBe(true);
  });
});
