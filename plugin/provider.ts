import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import {
  BatchPlatform,
  BlueGreenService,
  Cluster,
  CronBatch,
  FargateTaskDefinition,
  JobPlatform,
  LoadBalancer,
  PagerDutyRouting,
  Redis,
  ReleasePlatform,
  ServiceAutoscaling,
  ServiceSlo,
  StackDashboard,
  Vpc,
  WebAcl,
  WorkerService,
  WorkloadMonitors,
} from "./index";

/** The package name other languages import (`Infra.Vpc` in C#) and the first part of every type token. */
export const PLUGIN_NAME = "infra";

/** Every component the plugin serves. */
export const PLUGIN_COMPONENTS = [
  Vpc,
  Cluster,
  LoadBalancer,
  WebAcl,
  FargateTaskDefinition,
  BlueGreenService,
  ReleasePlatform,
  WorkerService,
  ServiceAutoscaling,
  Redis,
  JobPlatform,
  BatchPlatform,
  CronBatch,
  WorkloadMonitors,
  ServiceSlo,
  StackDashboard,
  PagerDutyRouting,
] as const;

/** The library's version (package.json at the repository's root): the plugin's, whatever language uses it. */
export function libraryVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;
}

/** The provider the plugin runs: it infers the schema from this folder's TypeScript and constructs the components. */
export function pluginProvider(version = libraryVersion()): ComponentProvider {
  return new ComponentProvider({ name: PLUGIN_NAME, version, dirname: __dirname, components: [...PLUGIN_COMPONENTS] });
}

/** The schema as `npm run schema` commits it: the inferred schema, indented, with a final newline. */
export async function schemaText(provider: ComponentProvider): Promise<string> {
  return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 2)}\n`;
}
