// A recording stand-in for a cloud provider plugin (aws, datadog, pagerduty, random, command),
// for engine tests on a machine that cannot install the real ones. Pulumi's engine starts it as
// `pulumi-resource-<name>` found on PATH (an ambient plugin wins over the plugin cache); it
// speaks the provider protocol through @pulumi/pulumi's own provider server.
//
// It records, and answers as the offline plan's mocks do (PlanMocks: the same ids, ARNs and names
// as `npm run plan`). No AWS, Datadog or PagerDuty rule is checked here; the components' own
// checks and the tests of the offline plan do that. What it does as the real provider does,
// because the engine's behaviour depends on it:
//   - Diff compares the new inputs with the inputs the resource was created or updated with
//     (kept in its state under INPUTS), and asks for a replacement where the provider does (the
//     inputs offline-plan/replacements.ts lists, from the providers' schemas, which
//     `npm run plan:diff` uses too);
//   - an ECS task definition gets the next revision of its family at each create, as ECS
//     numbers them, and its delete deregisters it unless `skipDestroy` (recorded as
//     `deregistered`);
//   - an IAM role policy's update and the cluster's capacity provider association take a while
//     (SLOW), so that an order the engine does not enforce shows in the recording;
//   - a local command (command:local:Command) runs, as pulumi-command's local provider runs it:
//     `/bin/sh -c <create>` (on an update, <update> when given), in `dir` or the provider's own
//     working directory (the engine's program directory), with the provider's environment plus
//     `environment`, and on an update PULUMI_COMMAND_STDOUT / _STDERR of the previous run; its
//     stdout and stderr, without the last newline, are its outputs; a non-zero exit fails it;
//   - a DynamoDB table is created at AWS_ENDPOINT_URL_DYNAMODB when that is set (where the AWS
//     provider would create it), so that a command of the same up finds it.
// Every call is appended as a JSON line to $INFRA_RECORDING when it is set (a command's run too,
// with its exit code and stderr). A test makes the rollouts of ECS services under a component
// type fail, as the provider's update fails when the circuit breaker rolls a rollout back (the
// new image does not start): INFRA_FAIL_ROLLOUTS_UNDER=<component type>.
//
//   node <this file bundled: test/helpers/pulumi-cli.ts> <package> <engine address>
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { main, type Provider } from "@pulumi/pulumi/provider";
import { PlanMocks } from "../../offline-plan/mocks";
import { replacingInputs } from "../../offline-plan/replacements";
import { TEST_LOCATION } from "../helpers/plan";

const [packageName, ...engineArgs] = process.argv.slice(2);
if (!packageName) {
  process.stderr.write("usage: recording-provider.ts <package> <engine address>\n");
  process.exit(2);
}

/** The provider's version: the SDK's the library is tested with, which is what its resources ask for. */
const version = (JSON.parse(readFileSync(require.resolve(`@pulumi/${packageName}/package.json`), "utf8")) as { version: string }).version;

/** The stack's name, a resource's type and its name, from its URN (`urn:pulumi:<stack>::<project>::<parent types$type>::<name>`). */
function parseUrn(urn: string): { stack: string; type: string; name: string; parents: string[] } {
  const [head = "", , types = "", ...name] = urn.split("::");
  const chain = types.split("$");
  return { stack: head.replace(/^urn:pulumi:/, ""), type: chain.pop() ?? "", name: name.join("::"), parents: chain };
}

function record(call: string, entry: Record<string, unknown>): void {
  const file = process.env.INFRA_RECORDING;
  if (file) appendFileSync(file, `${JSON.stringify({ provider: packageName, call, at: Date.now(), ...entry })}\n`);
}

/** Where the inputs a resource was created or updated with are kept in its state. */
const INPUTS = "__recordedInputs";

/** Pulumi's wire marker of a secret value (`{ <sig>: <secret sig>, value }`): a secret is compared by its value. */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[SIG] === SECRET_SIG) return plain(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/**
 * Calls that take a while in AWS (IAM's changes propagate, an association settles), long enough
 * here to outlast the program's registrations: an order the engine does not enforce then shows
 * in the recording. Only these two, to keep each run short.
 */
const SLOW: Readonly<Record<string, { readonly call: "create" | "update"; readonly ms: number }>> = {
  "aws:iam/rolePolicy:RolePolicy": { call: "update", ms: 10_000 },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": { call: "create", ms: 8_000 },
};
const slow = async (call: "create" | "update", urn: string) => {
  const s = SLOW[parseUrn(urn).type];
  if (s?.call === call) await sleep(s.ms);
};

/** The next revision of an ECS family, as ECS numbers them (kept beside the recording, across the engine's runs). */
function nextRevision(family: string): number {
  const file = `${process.env.INFRA_RECORDING ?? "/dev/null"}.ecs-revisions.json`;
  const revisions = (process.env.INFRA_RECORDING && existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {}) as Record<string, number>;
  revisions[family] = (revisions[family] ?? 0) + 1;
  if (process.env.INFRA_RECORDING) writeFileSync(file, JSON.stringify(revisions));
  return revisions[family];
}

const COMMAND = "command:local:Command";

/** A local command's run, as pulumi-command's local provider does it; throws its failure. */
async function runCommand(
  urn: string,
  script: string,
  inputs: Record<string, unknown>,
  previous: Record<string, unknown> = {},
): Promise<{ stdout: string; stderr: string }> {
  const environment = Object.fromEntries(Object.entries((plain(inputs.environment) ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const again = Object.fromEntries(
    (["stdout", "stderr"] as const)
      .filter((k) => typeof previous[k] === "string" && previous[k] !== "")
      .map((k) => [`PULUMI_COMMAND_${k.toUpperCase()}`, String(previous[k])]),
  );
  const child = spawn("/bin/sh", ["-c", script], {
    cwd: typeof inputs.dir === "string" ? inputs.dir : process.cwd(),
    env: { ...process.env, ...environment, ...again },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  record("ran", { ...parseUrn(urn), script, code, stdout, stderr });
  if (code !== 0) throw new Error(`exit status ${code}: running ${JSON.stringify(script)}:\n${stderr}`);
  return { stdout: stdout.replace(/\n$/, ""), stderr: stderr.replace(/\n$/, "") };
}

/** The table in the DynamoDB of AWS_ENDPOINT_URL_DYNAMODB, as the provider's create makes it (its key and billing). */
async function createTable(name: string, inputs: Record<string, unknown>): Promise<void> {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!endpoint) return;
  const attributes = (inputs.attributes ?? []) as { name: string; type: "S" | "N" | "B" }[];
  const client = new DynamoDBClient({ endpoint, region: process.env.AWS_REGION ?? "ap-northeast-1" });
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
      KeySchema: [
        { AttributeName: String(inputs.hashKey), KeyType: "HASH" },
        ...(typeof inputs.rangeKey === "string" ? [{ AttributeName: inputs.rangeKey, KeyType: "RANGE" as const }] : []),
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

/** The account the credentials are of (INFRA_ACCOUNT_ID, as STS would say), in the stack's region (AWS_REGION). */
const LOCATION = {
  ...TEST_LOCATION,
  accountId: process.env.INFRA_ACCOUNT_ID ?? TEST_LOCATION.accountId,
  region: process.env.AWS_REGION ?? TEST_LOCATION.region,
};

function answer(urn: string, inputs: Record<string, unknown>): { id: string; outs: Record<string, unknown> } {
  const { stack, type, name } = parseUrn(urn);
  const mocks = new PlanMocks(LOCATION, stack);
  const { id, state } = mocks.newResource({ type, name, inputs, custom: true, provider: "", id: undefined });
  if (type === "aws:ecs/taskDefinition:TaskDefinition" && typeof inputs.family === "string") {
    const revision = nextRevision(inputs.family);
    state.revision = revision;
    state.arn = String(state.arn).replace(/:\d+$/, `:${revision}`);
  }
  return { id: id ?? `${name}-id`, outs: { ...state, [INPUTS]: inputs } };
}

const provider: Provider = {
  version,
  check: (urn, _olds, news: Record<string, unknown>) => {
    record("check", { ...parseUrn(urn), inputs: news });
    return Promise.resolve({ inputs: news });
  },
  diff: (_id, urn, olds: Record<string, unknown>, news: Record<string, unknown>) => {
    const { type } = parseUrn(urn);
    const before = (olds[INPUTS] ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(news)])];
    const changed = keys.filter((k) => JSON.stringify(plain(before[k])) !== JSON.stringify(plain(news[k])));
    const replaces = replacingInputs(type, changed);
    record("diff", { ...parseUrn(urn), changed, replaces });
    return Promise.resolve({ changes: changed.length > 0, replaces, deleteBeforeReplace: false });
  },
  create: async (urn, inputs: Record<string, unknown>) => {
    record("create", { ...parseUrn(urn), urn, inputs });
    await slow("create", urn);
    const created = answer(urn, inputs);
    const { type } = parseUrn(urn);
    if (type === COMMAND && typeof inputs.create === "string") Object.assign(created.outs, await runCommand(urn, inputs.create, inputs));
    if (type === "aws:dynamodb/table:Table") await createTable(String(created.outs.name), inputs);
    record("created", { ...parseUrn(urn), urn, id: created.id, outs: created.outs });
    return created;
  },
  update: async (_id, urn, olds: Record<string, unknown>, news: Record<string, unknown>) => {
    record("update", { ...parseUrn(urn), urn, inputs: news });
    await slow("update", urn);
    const { type, name, parents } = parseUrn(urn);
    const failing = process.env.INFRA_FAIL_ROLLOUTS_UNDER;
    if (failing && type === "aws:ecs/service:Service" && parents.includes(failing)) {
      record("failed", { ...parseUrn(urn), urn });
      throw new Error(`the rollout of ${name} failed: the deployment circuit breaker rolled it back (stand-in: INFRA_FAIL_ROLLOUTS_UNDER=${failing})`);
    }
    // An update keeps what the resource is (a task definition keeps its revision): only its inputs change.
    const outs = { ...olds, ...news, [INPUTS]: news };
    const script = news.update ?? news.create;
    if (type === COMMAND && typeof script === "string") Object.assign(outs, await runCommand(urn, script, news, olds));
    record("updated", { ...parseUrn(urn), urn, outs });
    return { outs };
  },
  read: (id, urn, props: Record<string, unknown>) => {
    record("read", { ...parseUrn(urn) });
    return Promise.resolve({ id, props });
  },
  delete: (_id, urn, props: Record<string, unknown>) => {
    const { type } = parseUrn(urn);
    // The AWS provider's delete of a task definition deregisters the revision unless skipDestroy.
    const deregistered = type === "aws:ecs/taskDefinition:TaskDefinition" ? props.skipDestroy !== true : undefined;
    record("delete", { ...parseUrn(urn), urn, arn: props.arn, ...(deregistered === undefined ? {} : { deregistered }) });
    return Promise.resolve();
  },
  invoke: (token, inputs: Record<string, unknown>) => {
    record("invoke", { token, inputs });
    return Promise.resolve({ outputs: new PlanMocks(LOCATION, "engine").call({ token, inputs, provider: "" }) });
  },
};

void main(provider, engineArgs);
