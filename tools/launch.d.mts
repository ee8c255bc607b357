// Types of tools/launch.mjs for the TypeScript that imports it (the tests).
/** The folders of TypeScript the bundles are built from. */
export const SOURCES: readonly string[];
/** A hash of what the tools' bundles are made of. */
export function fingerprint(root?: string): string;
/** Builds tools/<tool>.ts into .plan/<tool>.cjs unless it is current; returns its path. */
export function ensureBundle(tool: string, root?: string, out?: string): Promise<string>;
/** Builds a module of the project (path from root) into .plan/<name>.cjs, node_modules left to Node, unless it is current; returns its path. */
export function ensureModuleBundle(name: string, entry: string, root?: string, out?: string): Promise<string>;
/** The Node major of the Lambda runtime the release bot is built for. */
export const BOT_NODE_MAJOR: number;
/** Builds the release bot's function into dist/release-bot/index.mjs unless it is current; returns its path. */
export function ensureBotBundle(root?: string): Promise<string>;
