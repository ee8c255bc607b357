import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetSchemaRequest, type GetSchemaResponse } from "@pulumi/pulumi/proto/provider_pb";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers/plan";

// The plugin as the Pulumi CLI runs it for `pulumi package add`: PulumiPlugin.yaml's main, in a
// process of its own, which prints the port of its gRPC server; the engine then asks it for the
// schema it generates the SDKs from.

let host: ChildProcess | undefined;
afterAll(() => {
  host?.kill();
});

/**
 * Starts the plugin's main and resolves with the port it prints. Through tsx, not the ts-node the
 * CLI registers: its type check is `npm run typecheck`'s, and under ts-node this test took twice
 * as long (test/infra/entry.test.ts loads the program itself under ts-node).
 */
function startHost(main: string): Promise<string> {
  const child = spawn(join(ROOT, "node_modules", ".bin", "node"), ["--import", "tsx", main], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  host = child;
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the plugin exited (${code}) before printing its port: ${stderr}`)));
  });
}

describe("the plugin, run as the Pulumi CLI runs it", () => {
  it("prints its port and serves the committed schema over the provider protocol", async () => {
    const manifest = parse(readFileSync(join(ROOT, "PulumiPlugin.yaml"), "utf8")) as { runtime: string; main: string };
    expect(manifest.runtime).toBe("nodejs");
    const port = await startHost(manifest.main);
    expect(port).toMatch(/^\d+$/);
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const response = await new Promise<GetSchemaResponse>((resolve, reject) => {
      client.getSchema(new GetSchemaRequest(), (error, reply) => (error ? reject(error) : resolve(reply)));
    });
    client.close();
    expect(JSON.parse(response.getSchema())).toEqual(JSON.parse(readFileSync(join(ROOT, "plugin", "schema.json"), "utf8")));
  });
});
