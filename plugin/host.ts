// The plugin's entry point (PulumiPlugin.yaml): serves the components to the Pulumi engine, which
// asks for the schema (inferred from this folder's TypeScript) and constructs components by type
// token, `infra:index:<Class>`.
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { libraryVersion, PLUGIN_COMPONENTS, PLUGIN_NAME } from "./provider";

void componentProviderHost({ name: PLUGIN_NAME, version: libraryVersion(), dirname: __dirname, components: [...PLUGIN_COMPONENTS] });
