export { BOT_RUNTIME, RELEASE_BOT_DEFAULTS, ReleaseBot, releaseBotProblems, type ReleaseBotArgs, type ReleaseBotGitHubArgs } from "./release-bot";
export { BOT_ACTIONS, type BotAccess, type BotAction, type StackAccess } from "../../release-bot/contract";
