// A recording stand-in for a cloud provider plugin (aws, datadog, pagerduty, random, command),
// for engine tests on a machine that cannot install the real ones. Pulumi's engine starts it as
// `pulumi-resource-<name>` found on PATH (an ambient plugin wins over the plugin cache); it
// speaks the provider protocol through @pulumi/pulumi's own provider server.
//
// It records, nothing more: Check accepts the inputs as they are, Diff reports a change when the
// inputs differ, and Create, Update and Invoke answer with the offline plan's mocks (PlanMocks:
// the same ids, ARNs and names as `npm run plan`). No AWS, Datadog or PagerDuty rule is checked
// here; the components' own checks and the tests of the offline plan do that. Every call is
// appended as a JSON line to $INFRA_RECORDING when it is set.
//
//   node --import tsx test/engine/recording-provider.ts <package> <engine address>
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { main, type Provider } from "@pulumi/pulumi/provider";
import { PlanMocks } from "../../components/offline-plan/mocks";
import { TEST_LOCATION } from "../helpers/plan";

const [packageName, ...engineArgs] = process.argv.slice(2);
if (!packageName) {
  process.stderr.write("usage: recording-provider.ts <package> <engine address>\n");
  process.exit(2);
}

/** The provider's version: the SDK's the library is tested with, which is what its resources ask for. */
const version = (JSON.parse(readFileSync(join(__dirname, "..", "..", "node_modules", "@pulumi", packageName, "package.json"), "utf8")) as { version: string })
  .version;

/** The stack's name, a resource's type and its name, from its URN (`urn:pulumi:<stack>::<project>::<parent types$type>::<name>`). */
function parseUrn(urn: string): { stack: string; type: string; name: string } {
  const [head = "", , types = "", ...name] = urn.split("::");
  return { stack: head.replace(/^urn:pulumi:/, ""), type: types.split("$").pop() ?? "", name: name.join("::") };
}

function record(call: string, entry: Record<string, unknown>): void {
  const file = process.env.INFRA_RECORDING;
  if (file) appendFileSync(file, `${JSON.stringify({ provider: packageName, call, ...entry })}\n`);
}

function answer(urn: string, inputs: Record<string, unknown>): { id: string; outs: Record<string, unknown> } {
  const { stack, type, name } = parseUrn(urn);
  const mocks = new PlanMocks(TEST_LOCATION, stack);
  const { id, state } = mocks.newResource({ type, name, inputs, custom: true, provider: "", id: undefined });
  return { id: id ?? `${name}-id`, outs: state };
}

const provider: Provider = {
  version,
  check: (urn, _olds, news: Record<string, unknown>) => {
    record("check", { ...parseUrn(urn), inputs: news });
    return Promise.resolve({ inputs: news });
  },
  diff: (_id, urn, olds: Record<string, unknown>, news: Record<string, unknown>) => {
    const changes = JSON.stringify(olds) !== JSON.stringify(news);
    record("diff", { ...parseUrn(urn), changes });
    return Promise.resolve({ changes });
  },
  create: (urn, inputs: Record<string, unknown>) => {
    record("create", { ...parseUrn(urn), inputs });
    return Promise.resolve(answer(urn, inputs));
  },
  update: (_id, urn, _olds, news: Record<string, unknown>) => {
    record("update", { ...parseUrn(urn), inputs: news });
    return Promise.resolve({ outs: answer(urn, news).outs });
  },
  read: (id, urn, props: Record<string, unknown>) => {
    record("read", { ...parseUrn(urn) });
    return Promise.resolve({ id, props });
  },
  delete: (_id, urn) => {
    record("delete", { ...parseUrn(urn) });
    return Promise.resolve();
  },
  invoke: (token, inputs: Record<string, unknown>) => {
    record("invoke", { token, inputs });
    return Promise.resolve({ outputs: new PlanMocks(TEST_LOCATION, "engine").call({ token, inputs, provider: "" }) });
  },
};

void main(provider, engineArgs);
