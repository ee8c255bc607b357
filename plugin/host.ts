// The plugin's entry point (PulumiPlugin.yaml): serves the components to the Pulumi engine, which
// asks for the schema (inferred from this folder's TypeScript) and constructs components by type
// token, `infra:index:<Class>`. What componentProviderHost does, with the provider the tests and
// `npm run schema` use (it carries the library's version, which the host's options cannot).
import { main } from "@pulumi/pulumi/provider";
import { pluginProvider } from "./provider";

void main(pluginProvider(), process.argv.slice(2));
