// The release bot's bundle (dist/release-bot/index.mjs), current with its sources before any
// test plans a stack with a ReleaseBot (which uploads it) or runs it as Lambda would.
import { ensureBotBundle } from "../tools/launch.mjs";

export default async function setup(): Promise<void> {
  await ensureBotBundle();
}
