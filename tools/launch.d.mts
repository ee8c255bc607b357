// Types of tools/launch.mjs for the TypeScript that imports it (the tests).
/** A hash of what the tools' bundles are made of. */
export function fingerprint(root?: string): string;
/** Builds tools/<tool>.ts into .plan/<tool>.cjs unless it is current; returns its path. */
export function ensureBundle(tool: string, root?: string, out?: string): Promise<string>;
