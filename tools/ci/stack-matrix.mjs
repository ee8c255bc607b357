// @ts-check
// node tools/ci/stack-matrix.mjs [DIR]: the stacks of the project as a JSON array, from its
// Pulumi.<stack>.yaml files: the matrix of the preview and drift jobs (a new stack file adds a
// job, no workflow change). Plain Node, no install needed.
import { readdirSync } from "node:fs";

const dir = process.argv[2] ?? ".";
const stacks = readdirSync(dir)
  .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
  .filter((stack) => stack !== undefined)
  .sort();
process.stdout.write(`${JSON.stringify(stacks)}\n`);
