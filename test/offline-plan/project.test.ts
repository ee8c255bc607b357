import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { HELP, main } from "../../offline-plan/cli";
import { planProject, ProjectError } from "../../offline-plan/project";
import { SECRET_PLACEHOLDER } from "../../offline-plan/stack-file";

const PROJECTS = join(__dirname, "projects");

/** A project directory of the test's own, outside the repository (so no `typescript` resolves from it). */
function projectDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "offline-plan-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** A project directory whose program requires @pulumi/pulumi and @pulumi/aws: its node_modules link the repository's. */
function projectWithSdks(files: Record<string, string>): string {
  const dir = projectDir(files);
  mkdirSync(join(dir, "node_modules", "@pulumi"), { recursive: true });
  for (const p of ["pulumi", "aws"]) symlinkSync(join(__dirname, "../../node_modules/@pulumi", p), join(dir, "node_modules", "@pulumi", p), "dir");
  return dir;
}

async function problem(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "no error",
    (error: Error) => `${error.name}: ${error.message}`,
  );
}

describe("planProject", () => {
  it("runs a TypeScript program with the stack's config over the project's defaults, in the stack's region", async () => {
    const plan = await planProject({ dir: join(PROJECTS, "typescript"), stack: "dev" });
    expect(plan).toMatchObject({ project: "bucket-site", stack: "dev" });
    const bucket = plan.resources.find((r) => r.type === "aws:s3/bucketV2:BucketV2");
    // bucketPrefix from the stack file, owner from Pulumi.yaml's plain value.
    expect(bucket).toMatchObject({ urn: "urn:pulumi:dev::bucket-site::aws:s3/bucketV2:BucketV2::site", inputs: { bucket: "dev-site-web-team" } });
    expect(plan.outputs).toEqual({ availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], bucketName: "dev-site-web-team" });
  });

  it("answers for the account and zones it is given", async () => {
    const plan = await planProject({ dir: join(PROJECTS, "typescript"), stack: "dev", accountId: "210987654321", availabilityZones: ["eu-west-1b"] });
    expect(plan.outputs.availabilityZones).toEqual(["eu-west-1b"]);
  });

  it("compiles a TypeScript module the program imports only when its default function runs", async () => {
    const plan = await planProject({ dir: join(PROJECTS, "typescript-late"), stack: "dev" });
    expect(plan.outputs).toEqual({ topicName: "late-events-dev" });
  });

  it("runs a JavaScript program from a main directory, its default function's result as outputs", async () => {
    const plan = await planProject({ dir: join(PROJECTS, "javascript"), stack: "prd", accountId: "210987654321" });
    expect(plan.resources.find((r) => r.type === "aws:sqs/queue:Queue")?.inputs).toEqual({ name: "jobs", visibilityTimeoutSeconds: 60 });
    expect(plan.outputs).toEqual({ queueArn: "arn:aws:sqs:ap-northeast-1:210987654321:jobs" });
  });

  it("refuses a stack without aws:region, naming the file and how to set it", async () => {
    expect(await problem(planProject({ dir: join(PROJECTS, "javascript"), stack: "bare" }))).toBe(
      `ProjectError: ${join(PROJECTS, "javascript", "Pulumi.bare.yaml")}: no aws:region; the offline plan runs the program in the stack's region (pulumi config set aws:region <region>)`,
    );
  });

  it("refuses a directory without Pulumi.yaml", async () => {
    const dir = projectDir({ "README.md": "not a project" });
    expect(await problem(planProject({ dir, stack: "dev" }))).toBe(
      `ProjectError: no Pulumi.yaml in ${dir}: run the plan from a Pulumi project's directory (or pass --dir)`,
    );
  });

  it.each([
    ["a project without a name", "runtime: nodejs\n", (file: string) => `${file}: "name" must be the project's name`],
    [
      "a program in another language",
      "name: p\nruntime: python\n",
      (file: string) => `${file}: runtime is "python"; the offline plan runs Node.js programs (runtime: nodejs)`,
    ],
    [
      "YAML that does not parse",
      "name: [p\n",
      (file: string) => expect.stringMatching(new RegExp(`^${file.replace(/[.]/g, "\\.")} is not valid YAML: `)) as unknown as string,
    ],
  ])("refuses %s", async (_case, projectFile, message) => {
    const dir = projectDir({ "Pulumi.yaml": projectFile, "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n" });
    const error = await planProject({ dir, stack: "dev" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as Error).message).toEqual(message(join(dir, "Pulumi.yaml")));
  });

  it("refuses a main that does not exist, listing where it looked", async () => {
    const dir = projectDir({ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: app\n", "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n" });
    const app = join(dir, "app");
    expect(await problem(planProject({ dir, stack: "dev" }))).toBe(
      `ProjectError: ${join(dir, "Pulumi.yaml")}: the program's entry ${app} does not exist (looked for ${app}, ${app}.ts, ${app}.js)`,
    );
  });

  it("refuses a TypeScript program when the project has no typescript to compile it", async () => {
    const dir = projectDir({
      "Pulumi.yaml": "name: p\nruntime: nodejs\n",
      "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n",
      "index.ts": "export const x = 1;\n",
    });
    expect(await problem(planProject({ dir, stack: "dev" }))).toBe(
      `ProjectError: ${join(dir, "index.ts")} is TypeScript and ${dir} has no typescript package: npm install --save-dev typescript`,
    );
  });
});

describe("infra plan (the command)", () => {
  async function command(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks = { stdout: "", stderr: "" };
    out.on("data", (c: Buffer) => (chunks.stdout += c.toString()));
    err.on("data", (c: Buffer) => (chunks.stderr += c.toString()));
    const code = await main(argv, out, err);
    return { code, ...chunks };
  }
  const usage = "usage: infra plan <stack> [--dir DIR] [--json FILE] [--account ID] [--azs AZ,AZ,...] [--stack-outputs NAME=FILE]...\n";

  it("prints the tree and the count by type", async () => {
    const result = await command(["plan", "prd", "--dir", join(PROJECTS, "javascript")]);
    expect(result).toEqual({
      code: 0,
      stdout: "stack queue-prd\n  + aws:sqs/queue:Queue jobs  (name=jobs)\n\nresources by type:\n  1  aws:sqs/queue:Queue\ntotal: 1 resources\n",
      stderr: "",
    });
  });

  it.each([[[]], [["plan"]], [["preview", "dev"]], [["plan", "dev", "extra"]]])("answers %j with its usage and exit code 2", async (argv) => {
    expect(await command(argv)).toEqual({ code: 2, stdout: "", stderr: usage });
  });

  it.each([[["--help"]], [["-h"]], [["help"]], [["plan", "dev", "--help"]]])("%j: what it does and every option, exit code 0", async (argv) => {
    const result = await command(argv);
    expect(result).toEqual({ code: 0, stdout: `${HELP}\n`, stderr: "" });
    expect(result.stdout.startsWith(usage)).toBe(true);
    for (const option of ["  --dir DIR", "  --json FILE", "  --account ID", "  --azs A,B,...", "  --stack-outputs NAME=FILE", "  -h, --help"])
      expect(result.stdout).toContain(option);
    expect(result.stdout).toContain("a program with type errors\nstill plans");
  });

  it("refuses an unknown option and an account id that is not 12 digits", async () => {
    expect(await command(["plan", "dev", "--stack", "x"])).toEqual({
      code: 2,
      stdout: "",
      stderr: `Unknown option '--stack'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--stack"\n${usage}`,
    });
    expect(await command(["plan", "dev", "--account", "1234"])).toEqual({ code: 2, stdout: "", stderr: "--account 1234: an AWS account id is 12 digits\n" });
  });

  it("says what is wrong with the project in one line, exit code 1", async () => {
    const dir = projectDir({ "Pulumi.yaml": "name: p\nruntime: nodejs\n", "index.js": "" });
    expect(await command(["plan", "dev", "--dir", dir])).toEqual({
      code: 1,
      stdout: "",
      stderr: `no stack file ${join(dir, "Pulumi.dev.yaml")}: is "dev" a stack of this project?\n`,
    });
  });

  it("answers a StackReference from --stack-outputs; refuses a flag, file or JSON it cannot use, by the flag, exit code 2", async () => {
    const dir = projectWithSdks({
      "Pulumi.yaml": "name: p\nruntime: nodejs\n",
      "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n",
      "index.js": [
        'const pulumi = require("@pulumi/pulumi");',
        'const aws = require("@pulumi/aws");',
        'const infra = new pulumi.StackReference("org/infra/prd");',
        'new aws.sqs.Queue("jobs", { name: infra.requireOutput("queueName") });',
        "",
      ].join("\n"),
      "prd.json": JSON.stringify({ queueName: "from-prd" }),
      "list.json": "[]",
      "broken.json": "{",
    });
    const planned = await command(["plan", "dev", "--dir", dir, "--stack-outputs", `org/infra/prd=${join(dir, "prd.json")}`]);
    expect(planned.stdout).toContain("+ aws:sqs/queue:Queue jobs  (name=from-prd)");
    expect(planned.code).toBe(0);
    const flag = (value: string) => command(["plan", "dev", "--dir", dir, "--stack-outputs", value]);
    expect(await flag(`org/infra/prd=${join(dir, "list.json")}`)).toEqual({
      code: 2,
      stdout: "",
      stderr: `--stack-outputs org/infra/prd=${join(dir, "list.json")}: ${join(dir, "list.json")} is not a stack's outputs (pulumi stack output --json prints an object)\n`,
    });
    expect((await flag(`org/infra/prd=${join(dir, "broken.json")}`)).stderr).toMatch(
      /^--stack-outputs org\/infra\/prd=\S+broken\.json: \S+broken\.json is not JSON \(.+\)\n$/,
    );
    expect(
      await command(["plan", "dev", "--dir", dir, "--stack-outputs", `a=${join(dir, "prd.json")}`, "--stack-outputs", `a=${join(dir, "prd.json")}`]),
    ).toEqual({
      code: 2,
      stdout: "",
      stderr: "--stack-outputs a: given twice\n",
    });
    expect(await command(["plan", "dev", "--dir", dir, "--stack-outputs", `org/infra/stg=${join(dir, "prd.json")}`])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'the program failed: StackReference "org/infra/prd": the offline plan has no outputs of that stack (it has org/infra/stg); give them with --stack-outputs org/infra/prd=<file>, the file written by: pulumi stack output --json --show-secrets -s org/infra/prd > <file>\n',
    });
  });

  it("plans a stack file with secrets (pulumi config set --secret): each is the placeholder, secret to the program, the ciphertext never shown", async () => {
    const dir = projectWithSdks({
      "Pulumi.yaml": "name: p\nruntime: nodejs\n",
      "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n  datadog:apiKey:\n    secure: AAABADd1\n  p:dbPassword:\n    secure: AAABAC9z\n",
      "index.js": [
        'const pulumi = require("@pulumi/pulumi");',
        'const aws = require("@pulumi/aws");',
        // As the CLI marks them: a secret key of the stack file is a secret of the config.
        'const secret = ["p:dbPassword", "datadog:apiKey", "aws:region"].map((k) => `${k}=${pulumi.runtime.isConfigSecret(k)}`).join(",");',
        'new aws.sqs.Queue("jobs", { name: secret, tags: { password: new pulumi.Config().requireSecret("dbPassword") } });',
        "",
      ].join("\n"),
    });
    const result = await command(["plan", "dev", "--dir", dir, "--json", join(dir, "plan.json")]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("+ aws:sqs/queue:Queue jobs");
    const plan = readFileSync(join(dir, "plan.json"), "utf8");
    expect(plan).toContain('"name": "p:dbPassword=true,datadog:apiKey=true,aws:region=false"');
    // A secret input shows as [secret] in a plan (the placeholder is not shown either).
    expect(plan).toContain('"tags": "[secret]"');
    expect(plan).not.toContain(SECRET_PLACEHOLDER);
    expect(plan).not.toContain("AAAB");
  });

  it("reports a program that throws as the program's failure", async () => {
    const dir = projectDir({
      "Pulumi.yaml": "name: p\nruntime: nodejs\n",
      "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n",
      "index.js": 'throw new Error("no image given");\n',
    });
    expect(await command(["plan", "dev", "--dir", dir])).toEqual({ code: 1, stdout: "", stderr: "the program failed: no image given\n" });
  });
});
