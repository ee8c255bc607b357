// Entry point of `pulumi up` / `pulumi preview` (Pulumi.yaml `main`). Pulumi calls the exported
// function and exports what it returns as the stack's outputs.
import { program } from "./program";

export = program;
