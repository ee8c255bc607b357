import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { BlueGreenService, Cluster, FargateTaskDefinition, LoadBalancer, Vpc } from "./index";

/** The package name other languages import (`Infra.Vpc` in C#) and the first part of every type token. */
export const PLUGIN_NAME = "infra";

/** Every component the plugin serves. */
export const PLUGIN_COMPONENTS = [Vpc, Cluster, LoadBalancer, FargateTaskDefinition, BlueGreenService] as const;

/** The provider the plugin runs, for the schema command and the tests. */
export function pluginProvider(version: string): ComponentProvider {
  return new ComponentProvider({ name: PLUGIN_NAME, version, dirname: __dirname, components: [...PLUGIN_COMPONENTS] });
}
