// The package as a product team gets it: `npm pack` of a fresh clone, installed into a scratch
// Pulumi program made like Pulumi's aws-typescript template, type-checked with that template's
// tsconfig.json and planned offline with the package's own command.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStackFile } from "../../offline-plan/stack-file";
import { program as infraProgram } from "../../infra/program";
import { runPlan } from "../../tools/plan/run";
import { target } from "../release-tool/release-fixtures";
import { startDynamoDb } from "../helpers/dynamodb";
import { ROOT } from "../helpers/plan";
import { awsEnvironment } from "../helpers/process";

const exec = promisify(execFile);
/** The peer dependencies a program brings: the Pulumi SDKs. */
const PEERS = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/command", "@pulumi/datadog", "@pulumi/pagerduty", "@pulumi/random"];
const ours = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
};

/** The tsconfig.json of `pulumi new aws-typescript`: node (node10) resolution, no skipLibCheck. */
const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

/** tsc's record of the last template check that passed, kept between runs (see the test). */
const CHECK_RECORD = join(ROOT, "node_modules", ".cache", "infra", "package-template.tsbuildinfo");

/**
 * TypeScript 6: what `npm install typescript` gives a Pulumi program today (npm picks the newest
 * release within @pulumi/pulumi's peer range, `< 7`), installed once into the cache. The project
 * itself is on 5 (the template's `moduleResolution: node` is an error from 6 on).
 */
const TYPESCRIPT_6 = { version: "6.0.3", folder: join(ROOT, "node_modules", ".cache", "infra", "typescript-6.0.3") };
/** The one change a team on TypeScript 6 makes to the template's tsconfig.json (README, "For product teams"). */
const TS6_TSCONFIG = { ...TEMPLATE_TSCONFIG, compilerOptions: { ...TEMPLATE_TSCONFIG.compilerOptions, module: "nodenext", moduleResolution: "nodenext" } };
const TS6_RECORD = join(ROOT, "node_modules", ".cache", "infra", "package-template-ts6.tsbuildinfo");

/** TypeScript 6's folder, installed from the registry the first time. */
async function typescript6(): Promise<string> {
  const installedAt = join(TYPESCRIPT_6.folder, "node_modules", "typescript");
  if (!existsSync(join(installedAt, "package.json"))) {
    mkdirSync(TYPESCRIPT_6.folder, { recursive: true });
    writeFileSync(join(TYPESCRIPT_6.folder, "package.json"), "{}");
    await exec("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", `typescript@${TYPESCRIPT_6.version}`], { cwd: TYPESCRIPT_6.folder });
  }
  return installedAt;
}

let work: string;
let scratch: string;
/** What `pulumi stack output --json` of the SRE's prd stack prints (this repository's plan of it), which the example reads through a StackReference. */
let infraOutputs: { privateSubnetIds: string[] };
const STACK_OUTPUTS = () => ["--stack-outputs", `shop-sre/infra/prd=${join(work, "prd-outputs.json")}`];
let packed: { files: { path: string }[] };
const installed = () => join(scratch, "node_modules", ...ours.name.split("/"));

/** What a clone of this working tree holds: tracked files and new ones not ignored. */
async function freshClone(into: string): Promise<void> {
  const { stdout } = await exec("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT });
  for (const file of stdout.split("\0").filter((f) => f && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(into, file));
  }
  // As after `npm ci`: the clone's own dependencies, without downloading them again.
  symlinkSync(join(ROOT, "node_modules"), join(into, "node_modules"), "dir");
}

/** A command's exit code and output, whether it failed or not. */
async function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec(command, args, { cwd }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "infra-package-"));
  const clone = join(work, "clone");
  await freshClone(clone);
  const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", work], { cwd: clone });
  packed = (JSON.parse(stdout) as (typeof packed)[])[0] as typeof packed;

  infraOutputs = (await runPlan("prd", readStackFile("prd", ROOT), infraProgram)).outputs as typeof infraOutputs;
  writeFileSync(join(work, "prd-outputs.json"), JSON.stringify(infraOutputs, null, 2));
  scratch = join(work, "catalog");
  mkdirSync(scratch);
  for (const file of ["index.ts", "Pulumi.yaml", "Pulumi.dev.yaml"]) copyFileSync(join(ROOT, "examples/product-service", file), join(scratch, file));
  writeFileSync(join(scratch, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 2));
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "catalog", main: "index.ts" }));
  // The program's own Pulumi SDKs, TypeScript and Node types, as a team has them: here in the
  // folder above the program (Node and TypeScript look there too), linked to this repository's
  // copies rather than installed again (a full install copies ~280 MB: 10-17 s measured here).
  // Nothing else is visible there, so the type check sees what a team's program sees.
  for (const name of [...PEERS, "typescript", "@types/node"]) {
    mkdirSync(dirname(join(work, "node_modules", name)), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", name), join(work, "node_modules", name), "dir");
  }
  const tarball = join(work, `${ours.name.replace("@", "").replace("/", "-")}-${ours.version}.tgz`);
  // --omit=peer: npm would otherwise install the peers into the program (see above).
  await exec("npm", ["install", "--omit=peer", "--prefer-offline", "--no-audit", "--no-fund", tarball], { cwd: scratch });
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("ships built JavaScript, declarations and docs, and nothing else", () => {
    const files = packed.files.map((f) => f.path);
    const shipped =
      /^(dist\/(components|release-tool|release-bot|offline-plan)\/.+\.(js|d\.ts)|dist\/release-bot\/index\.mjs|components\/[a-z-]+\/README\.md|docs\/[a-z-]+\.md|CHANGELOG\.md|README\.md|package\.json)$/;
    expect(files.filter((f) => !shipped.test(f))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/components/index.js",
        "dist/offline-plan/cli.js",
        "dist/release-tool/cli.js",
        "dist/release-bot/index.mjs",
        "CHANGELOG.md",
        "docs/first-service.md",
      ]),
    );
  });

  it("declares the Pulumi SDKs as peers, and installs no copy of its own: the package uses the program's", () => {
    const manifest = JSON.parse(readFileSync(join(installed(), "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
    expect(Object.keys(manifest.peerDependencies ?? {}).sort()).toEqual([...PEERS].sort());
    expect(Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith("@pulumi/"))).toEqual([]);
    expect(existsSync(join(installed(), "dist/components/index.js"))).toBe(true);
    const fromPackage = createRequire(join(installed(), "dist/components/index.js"));
    const fromProgram = createRequire(join(scratch, "index.ts"));
    for (const peer of PEERS) expect(realpathSync(fromPackage.resolve(peer))).toBe(realpathSync(fromProgram.resolve(peer)));
  });
});

describe("a product team's program on the installed package", () => {
  it("type-checks with the tsconfig.json of Pulumi's aws-typescript template", async () => {
    // Incremental: tsc keeps each file's content hash and diagnostics, and checks again only what
    // changed and what depends on it. Without skipLibCheck most of the work is the AWS provider's
    // declarations, which change only with it (8.8 s of the test's 24.6 s). The record is kept
    // between runs; its paths are relative, and the scratch folder is always as deep.
    const record = join(scratch, "tsconfig.tsbuildinfo");
    if (existsSync(CHECK_RECORD)) copyFileSync(CHECK_RECORD, record);
    const tsc = join(work, "node_modules/typescript/bin/tsc");
    const result = await run(process.execPath, [tsc, "--noEmit", "-p", scratch, "--incremental", "--tsBuildInfoFile", record], scratch);
    expect(result).toMatchObject({ code: 0, stdout: "" });
    mkdirSync(dirname(CHECK_RECORD), { recursive: true });
    copyFileSync(record, CHECK_RECORD);
  });

  it("resolves the types of every subpath under node10, node16, nodenext and bundler resolution", () => {
    const importer = join(scratch, "index.ts");
    const modes = [
      { moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS, from: undefined },
      { moduleResolution: ts.ModuleResolutionKind.Node16, module: ts.ModuleKind.Node16, from: ts.ModuleKind.CommonJS },
      { moduleResolution: ts.ModuleResolutionKind.NodeNext, module: ts.ModuleKind.NodeNext, from: ts.ModuleKind.ESNext },
      { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.Preserve, from: ts.ModuleKind.ESNext },
    ];
    const subpaths = Object.keys(ours.exports).filter((s) => s !== "./package.json");
    expect(subpaths).toEqual(expect.arrayContaining([".", "./ecs", "./batch", "./offline-plan"]));
    const wrong: string[] = [];
    for (const mode of modes) {
      for (const subpath of subpaths) {
        const specifier = subpath === "." ? ours.name : `${ours.name}/${subpath.slice(2)}`;
        const options = { moduleResolution: mode.moduleResolution, module: mode.module };
        const found = ts.resolveModuleName(specifier, importer, options, ts.sys, undefined, undefined, mode.from as ts.ResolutionMode).resolvedModule
          ?.resolvedFileName;
        const expected = join(installed(), (ours.exports[subpath] as { types: string }).types);
        if (found !== expected) wrong.push(`${ts.ModuleResolutionKind[mode.moduleResolution]} ${specifier}: ${found ?? "unresolved"}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("plans offline with the package's command, `npx infra plan <stack>`, the SRE stack's outputs from the file `pulumi stack output --json` writes", async () => {
    const { stdout } = await exec("npx", ["--no-install", "infra", "plan", "dev", "--json", "plan.json", ...STACK_OUTPUTS()], { cwd: scratch });
    expect(stdout).toMatch(/^stack product-service-dev$/m);
    expect(stdout).toContain("□ infra:ecs:BlueGreenService catalog");
    const plan = JSON.parse(readFileSync(join(scratch, "plan.json"), "utf8")) as { resources: { type: string; inputs: Record<string, unknown> }[] };
    const service = plan.resources.find((r) => r.type === "aws:ecs/service:Service");
    expect(service?.inputs).toMatchObject({ name: "catalog", deploymentController: { type: "CODE_DEPLOY" } });
    expect(stdout).toMatch(new RegExp(`^total: ${plan.resources.length} resources$`, "m"));
    expect(service?.inputs).toMatchObject({ networkConfiguration: { subnets: infraOutputs.privateSubnetIds } });
  });

  it("without the referenced stack's outputs: one line naming the stack and how to give them, exit 1, no stack trace", async () => {
    const result = await run("npx", ["--no-install", "infra", "plan", "dev"], scratch);
    expect(result).toMatchObject({
      code: 1,
      stdout: "",
      stderr:
        'the program failed: StackReference "shop-sre/infra/prd": the offline plan has no outputs of that stack (none given); give them with --stack-outputs shop-sre/infra/prd=<file>, the file written by: pulumi stack output --json --show-secrets -s shop-sre/infra/prd > <file>\n',
    });
    const bad = await run("npx", ["--no-install", "infra", "plan", "dev", "--stack-outputs", "shop-sre/infra/prd"], scratch);
    expect(bad).toMatchObject({
      code: 2,
      stderr: "--stack-outputs shop-sre/infra/prd: give the stack and its outputs file as NAME=FILE (org/infra/prd=prd-outputs.json)\n",
    });
    const missing = await run("npx", ["--no-install", "infra", "plan", "dev", "--stack-outputs", "shop-sre/infra/prd=nowhere.json"], scratch);
    expect(missing).toMatchObject({
      code: 2,
      stderr:
        "--stack-outputs shop-sre/infra/prd=nowhere.json: no file nowhere.json (write it with: pulumi stack output --json --show-secrets -s shop-sre/infra/prd > nowhere.json)\n",
    });
  });

  it("type-checks with TypeScript 6 once the template's node10 resolution is nodenext; the template's own tsconfig is refused by TypeScript 6 itself", async () => {
    const tsc = join(await typescript6(), "bin", "tsc");
    const template = await run(process.execPath, [tsc, "--noEmit", "-p", scratch, "--pretty", "false"], scratch);
    expect(template.code).not.toBe(0);
    expect(template.stdout).toContain("error TS5107: Option 'moduleResolution=node10' is deprecated and will stop functioning in TypeScript 7.0.");
    const config = join(scratch, "tsconfig.ts6.json");
    writeFileSync(config, JSON.stringify(TS6_TSCONFIG, null, 2));
    const record = join(scratch, "tsconfig.ts6.tsbuildinfo");
    if (existsSync(TS6_RECORD)) copyFileSync(TS6_RECORD, record);
    const result = await run(process.execPath, [tsc, "--noEmit", "-p", config, "--incremental", "--tsBuildInfoFile", record], scratch);
    expect(result).toMatchObject({ code: 0, stdout: "" });
    copyFileSync(record, TS6_RECORD);
  });

  it("plans offline with the program's own TypeScript 6 (the command transpiles with the program's compiler)", async () => {
    // The same program beside the first, with TypeScript 6 as its own compiler.
    const program = join(work, "catalog-ts6");
    mkdirSync(join(program, "node_modules", "@shop-sre"), { recursive: true });
    for (const file of ["index.ts", "Pulumi.yaml", "Pulumi.dev.yaml", "package.json"]) copyFileSync(join(scratch, file), join(program, file));
    symlinkSync(installed(), join(program, "node_modules", ...ours.name.split("/")), "dir");
    symlinkSync(await typescript6(), join(program, "node_modules", "typescript"), "dir");
    expect((createRequire(join(program, "package.json"))("typescript") as { version: string }).version).toBe(TYPESCRIPT_6.version);
    const cli = join(installed(), "dist/offline-plan/cli.js");
    const result = await run(process.execPath, [cli, "plan", "dev", ...STACK_OUTPUTS()], program);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("□ infra:ecs:BlueGreenService catalog");
  });

  it("operates a team's release with the package's tool and its Release's target, as components/deploy/README.md says", async () => {
    const db = await startDynamoDb();
    try {
      await db.createTable("release-locks");
      const env = {
        ...awsEnvironment(work, db.endpoint, {}),
        INFRA_RELEASE_TARGET: JSON.stringify(target()),
      };
      const tool = join(installed(), "dist/release-tool/cli.js");
      const unlocked = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, [tool, "unlock"], { cwd: scratch, env }, (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr })),
      );
      expect(unlocked).toEqual({ code: 0, stdout: "stg/web was not locked\n", stderr: "" });
    } finally {
      await db.stop();
    }
  });

  // A team's likeliest mistakes, each planted in the example program as a team would write it:
  // refused by the component before any resource is registered, one line saying what to do,
  // and no value that may be secret repeated.
  const MISTAKES: readonly { readonly mistake: string; readonly from: string; readonly to: string; readonly refusal: string }[] = [
    {
      mistake: "a load balancer without its test listener",
      from: '    testListener: { allowedCidrs: ["10.0.0.0/8"] },\n',
      to: "",
      refusal: 'LoadBalancer "catalog-lb": testListener is required: { allowedCidrs: [...] }, who may reach the test port (CodeDeploy\'s test traffic)',
    },
    {
      mistake: "an image tag that moves",
      from: 'config.require("image")',
      to: '"111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/catalog:latest"',
      refusal:
        'BlueGreenService "catalog": task.container.image "111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/catalog:latest" moves with every push: name one version (111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/catalog:2026.11.20-1) or a digest (@sha256:...)',
    },
    {
      mistake: "a secret as a plain variable",
      from: 'environment: { NODE_ENV: "production" }',
      to: 'environment: { NODE_ENV: "production", STRIPE_KEY_ID: "sk_live_abc" }',
      refusal:
        'BlueGreenService "catalog": task.container.environment.STRIPE_KEY_ID looks like a secret (its name says KEY_ID); pass it in secrets as a Secrets Manager or SSM parameter ARN',
    },
    {
      mistake: "a password where its secret's ARN goes",
      from: 'environment: { NODE_ENV: "production" }',
      to: 'environment: { NODE_ENV: "production" }, secrets: { DATABASE_URL: "postgres://app:hunter2@db.internal/catalog" }',
      refusal:
        'BlueGreenService "catalog": task.container.secrets.DATABASE_URL a value that is not an ARN (42 characters, not repeated here: it may be the secret itself) is not a Secrets Manager secret ARN nor an SSM parameter ARN',
    },
    {
      mistake: "a number given as text (from YAML or JavaScript)",
      from: "maxCount: 6",
      to: 'maxCount: "6" as unknown as number',
      refusal: 'BlueGreenService "catalog": autoscaling.maxCount "6" is text, not a number',
    },
  ];

  it.each(MISTAKES)("$mistake: refused in one line saying what to do, repeating no secret, exit 1", async ({ from, to, refusal }) => {
    const program = mkdtempSync(join(work, "mistake-"));
    mkdirSync(join(program, "node_modules", "@shop-sre"), { recursive: true });
    for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "package.json"]) copyFileSync(join(scratch, file), join(program, file));
    const source = readFileSync(join(scratch, "index.ts"), "utf8");
    expect(source).toContain(from);
    writeFileSync(join(program, "index.ts"), source.replace(from, to));
    symlinkSync(installed(), join(program, "node_modules", ...ours.name.split("/")), "dir");
    const result = await run(process.execPath, [join(installed(), "dist/offline-plan/cli.js"), "plan", "dev", ...STACK_OUTPUTS()], program);
    expect(result).toEqual({ code: 1, stdout: "", stderr: `the program failed: ${refusal}\n` });
    for (const secret of ["hunter2", "sk_live_abc"]) expect(result.stderr).not.toContain(secret);
  });

  it("tells a person what is wrong with the stack they asked for, without a stack trace", async () => {
    const result = await run("npx", ["--no-install", "infra", "plan", "prod"], scratch);
    expect(result).toMatchObject({ code: 1, stdout: "", stderr: `no stack file ${join(scratch, "Pulumi.prod.yaml")}: is "prod" a stack of this project?\n` });
  });
});
