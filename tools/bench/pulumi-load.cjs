// @ts-check
// node tools/bench/pulumi-load.cjs <stack> [--no-program]: the program loaded and run as a real `pulumi preview`
// loads it, for `npm run bench`. What runs is Pulumi's own cmd/run (`run()` of
// @pulumi/pulumi/cmd/run/run.js): its ts-node registration with Pulumi.yaml's runtime options
// (typescript, tsconfig), the program's `main`, the config as the engine sends it
// (PULUMI_CONFIG). Only the engine is replaced, by the offline plan's mocks, so that the time is
// the program's: no engine, no provider plugin. The mocks are built as the program is (a bundle of
// their sources, node_modules left to Node), before cmd/run starts: a bench's uncounted first run
// builds both.
"use strict";
const { readFileSync } = require("node:fs");
const { dirname, join, relative, resolve } = require("node:path");
const { parse } = require("yaml");

const root = resolve(__dirname, "..", "..");
const [stack, ...flags] = process.argv.slice(2);
if (!stack || flags.some((flag) => flag !== "--no-program")) {
  process.stderr.write("usage: node tools/bench/pulumi-load.cjs <stack> [--no-program]\n");
  process.exit(2);
}
const project = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8"));
const options = project.runtime?.options ?? {};
// As Pulumi's Node host sets them from the runtime options.
if (options.typescript !== false) process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
if (options.tsconfig) process.env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
// --no-program: an empty program in place of main (no-program.cjs), Pulumi's runtime alone.
const main = flags.length ? relative(root, join(__dirname, "no-program.cjs")) : (project.main ?? ".");
const config = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8")).config ?? {};
// The engine sends `<namespace>:<name>` keys, a value that is not text as JSON; the host hands them to cmd/run as `<namespace>:config:<name>`.
const engineConfig = Object.fromEntries(
  Object.entries(config).map(([key, value]) => {
    const [namespace, ...name] = key.split(":");
    return [`${namespace}:config:${name.join(":")}`, typeof value === "string" ? value : JSON.stringify(value)];
  }),
);
process.env.PULUMI_CONFIG = JSON.stringify(engineConfig);

const pulumi = require("@pulumi/pulumi");
const region = String(config["aws:region"] ?? "ap-northeast-1");
const network = /** @type {{ azs?: string[] }} */ (config["infra:network"] ?? {});

void (async () => {
  /** @type {{ ensureModuleBundle: (name: string, entry: string) => Promise<string> }} */
  const launcher = await import("../launch.mjs");
  const { PlanMocks } = require(await launcher.ensureModuleBundle("plan-mocks", "offline-plan/mocks.ts"));
  /** @type {{ newResource: Function, call: Function, registered: unknown[] }} */
  const planMocks = new PlanMocks({ accountId: String(config["infra:accountId"] ?? "123456789012"), region, availabilityZones: network.azs ?? [] }, stack);
  /** @type {import("@pulumi/pulumi").runtime.Mocks} */
  const mocks = { newResource: (args) => planMocks.newResource(args), call: (args) => planMocks.call(args) };
  await pulumi.runtime.setMocks(mocks, project.name, stack, true);
  // main is a file: the program directory is its folder, the entry point its name (as the engine passes them).
  const isFile = /\.[cm]?[jt]s$/.test(main);
  const entry = isFile ? main.split("/").pop() : ".";
  const pwd = join(root, isFile ? dirname(main) : main);
  // cmd/run's own arguments, as the host passes them; its monitor is the mocks' (set above), so the address is never dialled.
  process.argv = [process.argv[0] ?? "node", "cmd/run", "--monitor", "mocked", "--project", project.name, "--stack", stack, "--pwd", pwd, "--dry-run", entry];
  // (At exit cmd/run asks its monitor to shut down, which the mocks' monitor cannot: it says so on stderr, harmlessly.)
  process.on("exit", () => process.stdout.write(`${planMocks.registered.length} resources registered\n`));
  require("@pulumi/pulumi/cmd/run");
})();
