/**
 * The release topic's events as the channel reads them: a line each, who and a link. The
 * message is the release tool's (`release-tool/notify.ts`: event, stack, service, image, who,
 * and a deployment link or a reason); anything else on the topic is shown as text, shortened.
 */

const ICONS: Readonly<Record<string, string>> = {
  refused: ":no_entry:",
  started: ":rocket:",
  switched: ":twisted_rightwards_arrows:",
  succeeded: ":white_check_mark:",
  failed: ":x:",
  "rolled back": ":rewind:",
  "post-release failed": ":warning:",
};

/** Text Slack shows literally (no mention, no link markup from a message's fields). */
const literal = (value: unknown) => String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function eventLine(message: string): string {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(message) as Record<string, unknown>;
  } catch {
    return `release topic: ${literal(message.slice(0, 300))}`;
  }
  if (typeof event.event !== "string" || typeof event.stack !== "string" || typeof event.service !== "string")
    return `release topic: ${literal(message.slice(0, 300))}`;
  if (event.event === "status") {
    // The status the tool printed, as it printed it.
    const asked = typeof event.who === "string" ? `, asked by ${literal(event.who)}` : "";
    return `:mag: [${literal(event.stack)}] ${literal(event.service)} status${asked}\n\`\`\`\n${literal(typeof event.reason === "string" ? event.reason.slice(0, 2500) : "")}\n\`\`\``;
  }
  const parts = [
    `${ICONS[event.event] ?? ":information_source:"} [${literal(event.stack)}] ${literal(event.service)} release ${literal(event.event)}`,
    typeof event.image === "string" ? `image ${literal(event.image)}` : undefined,
    typeof event.who === "string" ? `by ${literal(event.who)}` : undefined,
    typeof event.reason === "string" ? `why: ${literal(event.reason.slice(0, 500))}` : undefined,
    typeof event.link === "string" && /^https:\/\//.test(event.link) ? `<${event.link}|deployment>` : undefined,
  ];
  return parts.filter(Boolean).join(" · ");
}
