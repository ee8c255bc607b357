import { type CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { awsErrorLine } from "./errors";
import type { LogLocation } from "./one-off-task";

/**
 * Follows one CloudWatch Logs stream from its start: each call writes the events that arrived
 * since the previous one, in order and each once (GetLogEvents' forward token says where the
 * last page ended, and comes back unchanged at the end of the stream).
 */
export class LogTail {
  private nextToken: string | undefined;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly region: string,
    private readonly location: LogLocation,
    private readonly write: (line: string) => void,
  ) {}

  /** Writes what is new; a stream that does not exist yet (the container has not started) is simply empty. */
  async poll(): Promise<void> {
    for (;;) {
      const page = await this.page();
      if (!page) return;
      for (const event of page.events ?? []) this.write((event.message ?? "").replace(/\r?\n$/, ""));
      const token = page.nextForwardToken;
      const atEnd = token === undefined || token === this.nextToken || (page.events ?? []).length === 0;
      if (token !== undefined) this.nextToken = token;
      if (atEnd) return;
    }
  }

  private async page(): Promise<GetLogEventsCommandOutput | undefined> {
    try {
      return await this.logs.send(
        new GetLogEventsCommand({
          logGroupName: this.location.group,
          logStreamName: this.location.stream,
          startFromHead: true,
          ...(this.nextToken ? { nextToken: this.nextToken } : {}),
        }),
      );
    } catch (error) {
      if ((error as Error).name === "ResourceNotFoundException") return undefined;
      throw awsErrorLine("CloudWatch Logs GetLogEvents", error, this.region);
    }
  }
}
