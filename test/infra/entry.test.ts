import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/plan";

const run = promisify(execFile);

describe("infra/index.ts", () => {
  it("loads under ts-node with type checking, as the Pulumi CLI runs a TypeScript program, and exports the program", async () => {
    // Pulumi's Node.js runtime registers ts-node (typeCheck on) with the project's tsconfig, then
    // requires `main` and calls an exported function. Same here, in a process of its own.
    const script = 'require("ts-node").register({ typeCheck: true }); const m = require("./infra/index.ts"); process.stdout.write(typeof m + " " + m.name);';
    const { stdout } = await run(join(ROOT, "node_modules/.bin/node"), ["-e", script], { cwd: ROOT });
    expect(stdout).toBe("function program");
  });
});
