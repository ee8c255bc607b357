import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetSchemaRequest, type GetSchemaResponse } from "@pulumi/pulumi/proto/provider_pb";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as pluginExports from "../../plugin/index";
import { PLUGIN_COMPONENTS } from "../../plugin/provider";
import { ROOT } from "../helpers/plan";
import { committedSchema, normalisedSchema } from "../helpers/schema";

// The plugin started as Pulumi's Node language host starts it for `pulumi package add`,
// `get-schema` and every Construct (pulumi-language-nodejs RunPlugin): `node <run-plugin> <plugin
// folder>`, run-plugin resolved from the plugin's folder, in the consumer's program folder (here
// an empty one: no tsconfig, no node_modules), PULUMI_NODEJS_TYPESCRIPT=true as the plugin's
// runtime options ask. run-plugin then registers ts-node with type checking and requires the
// folder. The CLI's own path through the language host is test/plugin/cli.test.ts.

const PLUGIN = join(ROOT, "plugin");
const NODE = join(ROOT, "node_modules", ".bin", "node");

let plugin: ChildProcess | undefined;
afterAll(() => {
  plugin?.kill();
});

/** Starts the plugin as the language host does and resolves with the port it prints. */
function startPlugin(consumer: string): Promise<string> {
  const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [PLUGIN] });
  const child = spawn(NODE, [runPlugin, PLUGIN], {
    cwd: consumer,
    env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  plugin = child;
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port: ${stderr}`)));
  });
}

describe("the plugin folder", () => {
  it("is a Node plugin with TypeScript, whose package.json leads to the components and carries the library's version", () => {
    const manifest = parse(readFileSync(join(PLUGIN, "PulumiPlugin.yaml"), "utf8")) as unknown;
    expect(manifest).toEqual({ runtime: { name: "nodejs", options: { typescript: true } } });
    const pkg = JSON.parse(readFileSync(join(PLUGIN, "package.json"), "utf8")) as { name: string; version: string; main: string };
    const library = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(pkg).toMatchObject({ name: "infra", version: library.version, main: "index.ts" });
  });

  it("serves exactly the components the tests and `npm run schema` build the provider with", () => {
    expect(
      getPulumiComponents(pluginExports)
        .map((c) => c.name)
        .sort(),
    ).toEqual(PLUGIN_COMPONENTS.map((c) => c.name).sort());
  });
});

describe("the plugin, started as Pulumi's Node language host starts it", () => {
  it("type-checks under run-plugin's ts-node, prints its port and serves the committed schema", async () => {
    const consumer = mkdtempSync(join(tmpdir(), "consumer-"));
    expect(readdirSync(consumer)).toEqual([]);
    const port = await startPlugin(consumer);
    expect(port).toMatch(/^\d+$/);
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const response = await new Promise<GetSchemaResponse>((resolve, reject) => {
      client.getSchema(new GetSchemaRequest(), (error, reply) => (error ? reject(error) : resolve(reply)));
    });
    client.close();
    expect(normalisedSchema(response.getSchema())).toBe(committedSchema());
  }, 120_000);
});
