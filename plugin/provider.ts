// The provider run-plugin builds for this folder, for the tests and `npm run schema`, which run
// without the Pulumi CLI.
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

/** Every component the plugin serves: the component classes index.ts exports (a test holds it to them). */
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

/**
 * The provider run-plugin serves for this folder: named as this folder's package.json (`infra`:
 * `Infra.Vpc` in C#, `infra:index:Vpc` as a type token), of its version, inferring the schema
 * from this folder's TypeScript.
 */
export function pluginProvider(): ComponentProvider {
  return new ComponentProvider({ name: "infra", dirname: __dirname, components: [...PLUGIN_COMPONENTS] });
}

/** The schema as `npm run schema` commits it: the inferred schema, indented, with a final newline. */
export async function schemaText(provider: ComponentProvider): Promise<string> {
  return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 2)}\n`;
}
