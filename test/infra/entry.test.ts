import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/plan";

const run = promisify(execFile);

describe("infra/index.ts and the plugin's components", () => {
  it("load under ts-node with type checking, as the Pulumi CLI runs a TypeScript program or plugin; the program is exported", async () => {
    // Pulumi's Node.js runtime registers ts-node (typeCheck on) with the project's tsconfig, then
    // requires `main` and calls an exported function; for the plugin (PulumiPlugin.yaml), its
    // main is plugin/host.ts, which serves the classes of plugin/index.ts. Same here, in one
    // process of its own (the host itself would wait for the engine).
    const script = [
      'require("ts-node").register({ typeCheck: true });',
      'const m = require("./infra/index.ts");',
      'const p = require("./plugin/provider.ts");',
      'process.stdout.write(typeof m + " " + m.name + " " + p.PLUGIN_COMPONENTS.map((c) => c.name).join(","));',
    ].join(" ");
    const { stdout } = await run(join(ROOT, "node_modules/.bin/node"), ["-e", script], { cwd: ROOT });
    expect(stdout).toBe(
      "function program Vpc,Cluster,LoadBalancer,WebAcl,FargateTaskDefinition,BlueGreenService,WorkerService,ServiceAutoscaling,Redis,JobPlatform,BatchPlatform,CronBatch,WorkloadMonitors,ServiceSlo,StackDashboard,PagerDutyRouting",
    );
  });
});
