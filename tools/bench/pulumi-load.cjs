// @ts-check
// node tools/bench/pulumi-load.cjs <stack>: the program loaded and run as a real `pulumi preview`
// loads it, for `npm run bench`. What runs is Pulumi's own cmd/run (`run()` of
// @pulumi/pulumi/cmd/run/run.js): its ts-node registration with Pulumi.yaml's runtime options
// (typescript, tsconfig), the program's `main`, the config as the engine sends it
// (PULUMI_CONFIG). Only the engine is replaced, by the offline plan's mocks, so that the time is
// the program's: no engine, no provider plugin. The mocks are TypeScript: they are loaded at the
// first registration, through the ts-node cmd/run has registered by then.
"use strict";
const { readFileSync } = require("node:fs");
const { dirname, join, resolve } = require("node:path");
const { parse } = require("yaml");

const root = resolve(__dirname, "..", "..");
const stack = process.argv[2];
if (!stack) {
  process.stderr.write("usage: node tools/bench/pulumi-load.cjs <stack>\n");
  process.exit(2);
}
const project = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8"));
const options = project.runtime?.options ?? {};
// As Pulumi's Node host sets them from the runtime options.
if (options.typescript !== false) process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
if (options.tsconfig) process.env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
const main = project.main ?? ".";
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
/** @type {{ newResource: Function, call: Function, registered: unknown[] } | undefined} */
let planMocks;
const real = () => {
  if (!planMocks) {
    const { PlanMocks } = require(join(root, "components", "offline-plan", "mocks.ts"));
    planMocks = new PlanMocks({ accountId: String(config["infra:accountId"] ?? "123456789012"), region, availabilityZones: network.azs ?? [] }, stack);
  }
  return planMocks;
};
/** @type {import("@pulumi/pulumi").runtime.Mocks} */
const mocks = { newResource: (args) => real().newResource(args), call: (args) => real().call(args) };

void (async () => {
  await pulumi.runtime.setMocks(mocks, project.name, stack, true);
  // main is a file: the program directory is its folder, the entry point its name (as the engine passes them).
  const isFile = /\.[cm]?[jt]s$/.test(main);
  const entry = isFile ? main.split("/").pop() : ".";
  const pwd = join(root, isFile ? dirname(main) : main);
  // cmd/run's own arguments, as the host passes them; its monitor is the mocks' (set above), so the address is never dialled.
  process.argv = [process.argv[0] ?? "node", "cmd/run", "--monitor", "mocked", "--project", project.name, "--stack", stack, "--pwd", pwd, "--dry-run", entry];
  // (At exit cmd/run asks its monitor to shut down, which the mocks' monitor cannot: it says so on stderr, harmlessly.)
  process.on("exit", () => process.stdout.write(`${planMocks?.registered.length ?? 0} resources registered\n`));
  require("@pulumi/pulumi/cmd/run");
})();
