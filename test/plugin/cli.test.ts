import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { Cluster as LibraryCluster } from "../../components/ecs/cluster";
import { Vpc as LibraryVpc } from "../../components/network/vpc";
import { libraryVpcArgs } from "../../plugin/vpc";
import { planOf, ROOT } from "../helpers/plan";
import { missingNames, sdkClasses } from "../helpers/csharp-names";
import { pulumiEnvironment, type PulumiRun } from "../helpers/pulumi-cli";
import { pythonWithPulumi } from "../helpers/python";
import { COMMITTED_SCHEMA, committedSchema, normalisedSchema } from "../helpers/schema";

// The multi-language package met with Pulumi's own CLI (see test/helpers/pulumi-cli.ts: the
// one on PATH, or the one toolchain/ builds): get-schema, gen-sdk for C#, Go, Node and Python,
// the Go example program against the generated Go SDK under Pulumi's Go mocks, and a Pulumi YAML
// program previewed by the real engine, which starts the plugin and calls its Construct.

const PLUGIN = join(ROOT, "plugin");
/** An SRE's laptop may have the Pulumi CLI but not Go or Python; CI has both (.ci/run checks). */
const has = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
const LANGUAGES = ["dotnet", "go", "nodejs", "python"] as const;

let pulumi: ReturnType<typeof pulumiEnvironment>;
let sdks: string;
const generated = new Map<string, PulumiRun>();

beforeAll(() => {
  pulumi = pulumiEnvironment();
  sdks = mkdtempSync(join(tmpdir(), "sdks-"));
  for (const language of LANGUAGES) generated.set(language, pulumi.run(["package", "gen-sdk", COMMITTED_SCHEMA, "--language", language, "-o", sdks], sdks));
}, 20 * 60_000);

function ok(run: PulumiRun): PulumiRun {
  if (run.code !== 0) throw new Error(`pulumi failed (${run.code}): ${run.stderr}${run.stdout}`);
  return run;
}

/** The component names of the committed schema (`infra:index:Vpc` → `Vpc`). */
function components(): string[] {
  return Object.keys((JSON.parse(readFileSync(COMMITTED_SCHEMA, "utf8")) as { resources: object }).resources).map((token) => token.split(":")[2] ?? token);
}

describe("pulumi package get-schema of the plugin folder", () => {
  it("starts the plugin through the Node language host from an empty folder and prints the committed schema", () => {
    const consumer = mkdtempSync(join(tmpdir(), "consumer-"));
    const run = ok(pulumi.run(["package", "get-schema", PLUGIN], consumer));
    expect(normalisedSchema(run.stdout)).toBe(committedSchema());
  }, 180_000);
});

describe("pulumi package gen-sdk of the committed schema", () => {
  const fileOf: Record<(typeof LANGUAGES)[number], (component: string) => string> = {
    dotnet: (c) => join("dotnet", `${c}.cs`),
    go: (c) => join("go", "infra", `${c[0]?.toLowerCase()}${c.slice(1)}.go`),
    nodejs: (c) => join("nodejs", `${c[0]?.toLowerCase()}${c.slice(1)}.ts`),
    python: (c) => join("python", "pulumi_infra", `${c.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()}.py`),
  };
  it.each(LANGUAGES)("%s: binds the schema with no diagnostic and writes a class per component", (language) => {
    const run = ok(generated.get(language) as PulumiRun);
    // The CLI prints the binder's diagnostics, then this line, on stderr: nothing else may be there.
    expect(run.stderr.trim()).toBe(`SDK has been written to ${join(sdks, language)}`);
    expect(components().filter((c) => !existsSync(join(sdks, fileOf[language](c))))).toEqual([]);
  });
});

/** A Go module folder with the generated SDK beside the example program, linked by a replace directive. */
function goWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "go-example-"));
  const sdk = join(dir, "sdk");
  cpSync(join(sdks, "go", "infra"), sdk, { recursive: true });
  writeFileSync(join(sdk, "go.mod"), "module example.com/pulumi-infra/sdk/go/infra\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.274.1\n");
  const program = join(dir, "program");
  cpSync(join(ROOT, "examples", "go"), program, { recursive: true });
  writeFileSync(
    join(program, "go.mod"),
    "module orders\n\ngo 1.26\n\nrequire (\n\texample.com/pulumi-infra/sdk/go/infra v0.0.0\n\tgithub.com/pulumi/pulumi/sdk/v3 v3.274.1\n)\n\nreplace example.com/pulumi-infra/sdk/go/infra => ../sdk\n",
  );
  return program;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): PulumiRun {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function go(args: readonly string[], cwd: string): PulumiRun {
  return run("go", args, cwd, { GOFLAGS: "-mod=mod" });
}

describe("the Go example with the generated Go SDK", () => {
  it.skipIf(!has("go"))(
    "compiles against Pulumi's Go SDK and registers Vpc, Cluster, LoadBalancer, ReleasePlatform and BlueGreenService with its inputs under Go mocks",
    () => {
      const program = goWorkspace();
      const tidy = go(["mod", "tidy"], program);
      expect(tidy.code, tidy.stderr).toBe(0);
      const test = go(["test", "-count=1", "-v", "./..."], program);
      expect(test.code, test.stdout + test.stderr).toBe(0);
      expect(test.stdout).toContain("--- PASS: TestProgramRegistersTheComponentsWithTheirInputs");
    },
    600_000,
  );
});

describe("the Python example with the generated Python SDK", () => {
  it.skipIf(!has("python3"))(
    "registers Vpc, Cluster, LoadBalancer, ReleasePlatform and BlueGreenService with its inputs under Python mocks, with `pulumi` from PyPI",
    () => {
      const python = pythonWithPulumi();
      const dir = mkdtempSync(join(tmpdir(), "python-example-"));
      cpSync(join(ROOT, "examples", "python"), join(dir, "program"), { recursive: true });
      const install = run(
        python,
        ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", join(dir, "site"), join(sdks, "python")],
        dir,
      );
      expect(install.code, install.stderr).toBe(0);
      const test = run(python, ["-m", "pytest", "-p", "no:cacheprovider", "-v", "test_program.py"], join(dir, "program"), { PYTHONPATH: join(dir, "site") });
      expect(test.code, test.stdout + test.stderr).toBe(0);
      expect(test.stdout).toContain("test_the_program_registers_the_components_with_their_inputs PASSED");
    },
    600_000,
  );
});

describe("the C# example and the generated C# SDK", () => {
  it("uses only classes, arguments and properties the generated SDK declares", () => {
    const classes = sdkClasses(join(sdks, "dotnet"));
    expect(classes.get("BlueGreenServiceArgs")).toContain("Release");
    expect(missingNames(readFileSync(join(ROOT, "examples", "csharp", "Program.cs"), "utf8"), classes)).toEqual([]);
  });

  it("finds a name the SDK lacks", () => {
    const classes = sdkClasses(join(sdks, "dotnet"));
    const program =
      'var alb = new Infra.LoadBalancer("a", new Infra.LoadBalancerArgs { VpcId = v, Tls = t, TestListener = new Infra.Inputs.TestListenerArgs { Port = 1 } });\nvar x = alb.Dns;\nnew Infra.Inputs.Nope { };';
    expect(missingNames(program, classes)).toEqual(["LoadBalancerArgs.Tls", "Inputs.Nope", "LoadBalancer.Dns"]);
  });
});

describe("a Pulumi YAML program previewed by the real engine", () => {
  const vpc = { cidrBlock: "10.40.0.0/16", availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"], natStrategy: "single" };
  const cluster = { clusterName: "orders" };

  it("constructs each component through the plugin, whose children are the library's for the same args", async () => {
    const project = mkdtempSync(join(tmpdir(), "yaml-program-"));
    writeFileSync(
      join(project, "Pulumi.yaml"),
      JSON.stringify({
        name: "consumer",
        runtime: "yaml",
        packages: { infra: PLUGIN },
        resources: { network: { type: "infra:Vpc", properties: vpc }, cluster: { type: "infra:Cluster", properties: cluster } },
        outputs: { vpcId: "${network.vpcId}" },
      }),
    );
    mkdirSync(join(project, "recording"));
    const recording = join(project, "recording", "calls.jsonl");
    ok(pulumi.run(["stack", "init", "dev"], project));
    ok(pulumi.run(["config", "set", "aws:region", "ap-northeast-1"], project));
    const preview = ok(pulumi.run(["preview", "--json", "--non-interactive"], project, { INFRA_RECORDING: recording }));
    const steps = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string; newState?: { custom?: boolean; inputs?: Record<string, unknown> } }[] })
      .steps;

    // What the engine saw, the plugin's adapter level aside: `infra:index:Vpc$infra:network:Vpc$...` → `infra:network:Vpc$...`.
    const seen = steps
      .filter((s) => s.newState?.custom)
      .map((s) => `${(s.urn.split("::")[2] ?? "").split("$").slice(1).join("$")}::${s.urn.split("::").slice(3).join("::")}`)
      .sort();
    const plan = await planOf(() => {
      new LibraryVpc("network", libraryVpcArgs(vpc));
      new LibraryCluster("cluster", cluster);
    });
    const expected = plan.resources
      .filter((r) => r.custom)
      .map((r) => `${r.urn.split("::")[2]}::${r.name}`)
      .sort();
    expect(seen).toEqual(expected);
    expect(steps.every((s) => s.op === "create" || s.op === "same")).toBe(true);

    // Each recorded Check carries the inputs the library computed where the preview knows them.
    const checks = readFileSync(recording, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { call: string; type: string; name: string; inputs: Record<string, unknown> });
    const vpcCheck = checks.find((c) => c.call === "check" && c.type === "aws:ec2/vpc:Vpc");
    expect(vpcCheck?.inputs).toMatchObject({ cidrBlock: "10.40.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    const leaf = (entry: string) => `${entry.split("::")[0]?.split("$").pop()}::${entry.split("::")[1]}`;
    expect(new Set(checks.filter((c) => c.call === "check").map((c) => `${c.type}::${c.name}`))).toEqual(new Set(expected.map(leaf)));
  }, 600_000);
});
