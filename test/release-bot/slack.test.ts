import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, MAX_REQUEST_AGE_SECONDS, parseSlashCommand, signatureProblem, slackSignature } from "../../release-bot/slack";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const NOW = 1_796_000_000;
const BODY = new URLSearchParams({
  token: "ignored",
  team_id: "T0001",
  channel_id: "C0REL",
  user_id: "U0ALICE",
  user_name: "alice",
  command: "/release",
  text: "release stg web",
  response_url: "https://hooks.slack.com/commands/T0001/1/abc",
  trigger_id: "13345224609.738474920.8088930838d88f008e0",
}).toString();

/** Signed as Slack signs: HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret, hex, behind `v0=`. */
const signed = (body: string, timestamp: number, secret = SECRET) => ({
  timestamp: String(timestamp),
  signature: `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`,
  rawBody: body,
});

describe("a Slack request's signature", () => {
  it("signed now with the signing secret: proven", () => {
    expect(signatureProblem(signed(BODY, NOW), SECRET, NOW)).toBeUndefined();
    expect(slackSignature(SECRET, String(NOW), BODY)).toBe(signed(BODY, NOW).signature);
  });

  it("within five minutes either way: proven; a second more: too old (a replay)", () => {
    expect(signatureProblem(signed(BODY, NOW - MAX_REQUEST_AGE_SECONDS), SECRET, NOW)).toBeUndefined();
    expect(signatureProblem(signed(BODY, NOW - MAX_REQUEST_AGE_SECONDS - 1), SECRET, NOW)).toBe("too old");
    expect(signatureProblem(signed(BODY, NOW + MAX_REQUEST_AGE_SECONDS + 1), SECRET, NOW)).toBe("too old");
  });

  it.each([
    ["another secret", () => signed(BODY, NOW, "another-secret")],
    ["the body changed after signing", () => ({ ...signed(BODY, NOW), rawBody: BODY.replace("stg", "prd") })],
    ["the timestamp changed after signing", () => ({ ...signed(BODY, NOW), timestamp: String(NOW - 1) })],
    ["a signature of another length", () => ({ ...signed(BODY, NOW), signature: "v0=abc" })],
    ["a timestamp that is not a number", () => ({ ...signed(BODY, NOW), timestamp: "now" })],
    ["a v1 scheme", () => ({ ...signed(BODY, NOW), signature: signed(BODY, NOW).signature.replace("v0=", "v1=") })],
  ])("%s: wrongly signed", (_, request) => {
    expect(signatureProblem(request(), SECRET, NOW)).toBe("wrongly signed");
  });

  it("without either header: unsigned", () => {
    expect(signatureProblem({ ...signed(BODY, NOW), signature: undefined }, SECRET, NOW)).toBe("unsigned");
    expect(signatureProblem({ ...signed(BODY, NOW), timestamp: undefined }, SECRET, NOW)).toBe("unsigned");
  });

  it("a body over 8 KiB is refused before it is hashed, signed or not", () => {
    const big = `${BODY}&pad=${"x".repeat(MAX_BODY_BYTES)}`;
    expect(signatureProblem(signed(big, NOW), SECRET, NOW)).toBe("too large");
  });
});

describe("a slash command's form body", () => {
  it("gives the fields the bot reads", () => {
    expect(parseSlashCommand(BODY)).toEqual({
      teamId: "T0001",
      channelId: "C0REL",
      userId: "U0ALICE",
      userName: "alice",
      command: "/release",
      text: "release stg web",
      responseUrl: "https://hooks.slack.com/commands/T0001/1/abc",
      triggerId: "13345224609.738474920.8088930838d88f008e0",
    });
  });

  it.each(["team_id", "channel_id", "user_id", "command", "response_url", "trigger_id"])("without %s: nothing", (field) => {
    const form = new URLSearchParams(BODY);
    form.delete(field);
    expect(parseSlashCommand(form.toString())).toBeUndefined();
  });

  it("a response_url that is not Slack's: nothing (the bot never posts elsewhere)", () => {
    const form = new URLSearchParams(BODY);
    form.set("response_url", "https://attacker.example/hook");
    expect(parseSlashCommand(form.toString())).toBeUndefined();
  });
});
