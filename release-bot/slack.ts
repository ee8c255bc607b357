import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A request from Slack, proven before anything else is read: Slack signs each request with the
 * app's signing secret over `v0:<timestamp>:<raw body>` (HMAC-SHA256, hex) and sends it as
 * `X-Slack-Signature: v0=<hex>`, the timestamp as `X-Slack-Request-Timestamp` (seconds).
 */

/** How far a request's timestamp may be from now, either way: an older one is a replay. */
export const MAX_REQUEST_AGE_SECONDS = 5 * 60;

/** Slack's form bodies are small; anything larger is refused before it is hashed or parsed. */
export const MAX_BODY_BYTES = 8 * 1024;

/** Why a request is not Slack's: what the caller may be told (nothing of the secret or the signature). */
export type SignatureProblem = "unsigned" | "wrongly signed" | "too old" | "too large";

/** The signature Slack computes for a body at a timestamp. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}

type SignedRequest = { readonly timestamp: string | undefined; readonly signature: string | undefined; readonly rawBody: string };

/** What is wrong with a request before its signature is computed (no secret needed): size, headers, age. */
export function envelopeProblem(request: SignedRequest, nowSeconds: number): SignatureProblem | undefined {
  if (Buffer.byteLength(request.rawBody) > MAX_BODY_BYTES) return "too large";
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return "unsigned";
  if (!/^\d{1,12}$/.test(timestamp)) return "wrongly signed";
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_REQUEST_AGE_SECONDS) return "too old";
  return undefined;
}

/** undefined when Slack signed this body at this timestamp, within the allowed age; else why not. */
export function signatureProblem(request: SignedRequest, signingSecret: string, nowSeconds: number): SignatureProblem | undefined {
  const early = envelopeProblem(request, nowSeconds);
  if (early) return early;
  const expected = Buffer.from(slackSignature(signingSecret, request.timestamp!, request.rawBody));
  const given = Buffer.from(request.signature!);
  // timingSafeEqual takes equal lengths; a length that differs is wrong without comparing.
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : "wrongly signed";
}

/** The fields of a slash command's form body that the bot reads. */
export interface SlashCommand {
  readonly teamId: string;
  readonly channelId: string;
  readonly userId: string;
  readonly userName: string;
  readonly command: string;
  readonly text: string;
  /** Where the answer goes (Slack's response_url: 30 minutes, five answers). */
  readonly responseUrl: string;
  /** Slack's id of this invocation: the same in a retried delivery, another in a second submit. */
  readonly triggerId: string;
}

/** The slash command in a signed form body; undefined when a field the bot needs is missing. */
export function parseSlashCommand(rawBody: string): SlashCommand | undefined {
  const form = new URLSearchParams(rawBody);
  const fields = {
    teamId: form.get("team_id"),
    channelId: form.get("channel_id"),
    userId: form.get("user_id"),
    userName: form.get("user_name") ?? "",
    command: form.get("command"),
    text: form.get("text") ?? "",
    responseUrl: form.get("response_url"),
    triggerId: form.get("trigger_id"),
  };
  const { teamId, channelId, userId, command, responseUrl, triggerId } = fields;
  if (!teamId || !channelId || !userId || !command || !responseUrl || !triggerId) return undefined;
  // Answers go to Slack only: a response_url elsewhere would make the bot post to anyone's server.
  if (!/^https:\/\/hooks\.slack\.com\//.test(responseUrl)) return undefined;
  return { ...fields, teamId, channelId, userId, command, responseUrl, triggerId };
}
