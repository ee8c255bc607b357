import { describe, expect, it } from "vitest";
import { eventLine } from "../../release-bot/events";

describe("a release event, as the channel reads it", () => {
  it("a failure: its reason, shown literally (a field cannot mention anyone or make a link)", () => {
    const line = eventLine(JSON.stringify({ event: "failed", stack: "prd", service: "web", who: "<!channel>", reason: "migration exited 1 <http://x|click>" }));
    expect(line).toBe(":x: [prd] web release failed · by &lt;!channel&gt; · why: migration exited 1 &lt;http://x|click&gt;");
  });

  it("a link that is not https is left out", () => {
    expect(eventLine(JSON.stringify({ event: "rolled back", stack: "stg", service: "web", link: "javascript:alert(1)" }))).toBe(
      ":rewind: [stg] web release rolled back",
    );
  });

  it("a status asked from chat: the tool's text as a block, literally", () => {
    const status = "stg/web\n  live: …:42\n  lock: free <none>";
    expect(eventLine(JSON.stringify({ event: "status", stack: "stg", service: "web", who: "bob (slack U0BOB)", reason: status }))).toBe(
      ":mag: [stg] web status, asked by bob (slack U0BOB)\n```\nstg/web\n  live: …:42\n  lock: free &lt;none&gt;\n```",
    );
  });

  it("anything else on the topic: its text, shortened", () => {
    expect(eventLine("plain <text>")).toBe("release topic: plain &lt;text&gt;");
    expect(eventLine(JSON.stringify({ hello: "world" }))).toBe('release topic: {"hello":"world"}');
    expect(eventLine("x".repeat(400))).toBe(`release topic: ${"x".repeat(300)}`);
  });
});
