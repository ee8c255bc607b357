import { describe, expect, it } from "vitest";
import { LogTail } from "../../release-tool/log-tail";
import { fakeTaskAws } from "./task-fixtures";

const STREAM = { group: "web-task-logs", stream: "app/app/0f3c" };
const KEY = `${STREAM.group}|${STREAM.stream}`;

/** A tail of the fake account's stream, and the lines it wrote. */
function tail() {
  const aws = fakeTaskAws();
  const written: string[] = [];
  const logs = new LogTail(aws.ctx.clients.logs, "ap-northeast-1", STREAM, (line) => written.push(line));
  const reads = () => aws.fake.calls.filter((c) => c.operation === "logs:GetLogEvents").map((c) => c.input);
  const append = (...messages: string[]) => {
    const events = aws.fake.streams.get(KEY) ?? [];
    aws.fake.streams.set(KEY, [...events, ...messages.map((message) => ({ timestamp: 0, message }))]);
  };
  return { aws, logs, written, reads, append };
}

describe("following a task's log stream", () => {
  it("a stream that does not exist yet (the container has not started) is empty, not an error", async () => {
    const { logs, written, reads } = tail();
    await logs.poll();
    expect(written).toEqual([]);
    expect(reads()).toEqual([{ logGroupName: STREAM.group, logStreamName: STREAM.stream, startFromHead: true }]);
  });

  it("writes every event from the stream's head, page after page, then only what arrived since", async () => {
    const { logs, written, reads, append } = tail();
    append("one\n", "two\n", "three\n", "four\n", "five\n");
    await logs.poll();
    expect(written).toEqual(["one", "two", "three", "four", "five"]);
    append("six\n");
    await logs.poll();
    await logs.poll();
    expect(written).toEqual(["one", "two", "three", "four", "five", "six"]);
    // Each read after the first goes on from the token of the one before.
    expect(reads().map((r) => r.nextToken ?? "head")).toEqual(["head", "f/2", "f/4", "f/5", "f/5", "f/6", "f/6"]);
  });

  it("drops a message's line ending only, not the lines inside it", async () => {
    const { logs, written, append } = tail();
    append("Traceback:\n  at main\r\n", "no ending");
    await logs.poll();
    expect(written).toEqual(["Traceback:\n  at main", "no ending"]);
  });

  it("an error other than a missing stream stops it, as one line", async () => {
    const { aws, logs } = tail();
    aws.fake.denied.add("logs:GetLogEvents");
    await expect(logs.poll()).rejects.toThrow(/^CloudWatch Logs GetLogEvents failed: AccessDeniedException: /);
  });
});
