import { describe, expect, it } from "vitest";
import { readOutputs } from "../../tools/release/outputs";
import { ROOT } from "../helpers/plan";

/** A stand-in for execFile: what the Pulumi CLI would answer. */
const cli = (answer: { stdout: string } | { code?: string; stderr?: string; message: string }) => (file: string, args: readonly string[]) => {
  calls.push([file, ...args].join(" "));
  return "stdout" in answer ? Promise.resolve({ stdout: answer.stdout, stderr: "" }) : Promise.reject(Object.assign(new Error(answer.message), answer));
};
let calls: string[] = [];

describe("the stack's outputs, as the tools read them", () => {
  it("asks the Pulumi CLI for the stack's outputs as JSON, without secrets", async () => {
    calls = [];
    expect(await readOutputs("stg", undefined, cli({ stdout: '{"vpcId":"vpc-1"}' }), ROOT)).toEqual({ vpcId: "vpc-1" });
    expect(calls).toEqual(["pulumi stack output --json --show-secrets=false --stack stg"]);
  });

  it("without the Pulumi CLI: how to install it or pass --outputs", async () => {
    await expect(readOutputs("stg", undefined, cli({ code: "ENOENT", message: "spawn pulumi ENOENT" }), ROOT)).rejects.toThrow(
      "the Pulumi CLI is not on your PATH: install it, or pass --outputs FILE (pulumi stack output --json -s stg > FILE)",
    );
  });

  it("a stack the backend does not know: the CLI's first line and what to check", async () => {
    await expect(readOutputs("stg", undefined, cli({ stderr: "error: no stack named 'stg' found\n", message: "Command failed" }), ROOT)).rejects.toThrow(
      "pulumi stack output --stack stg failed: error: no stack named 'stg' found (are you logged in to the stack's backend? pulumi login)",
    );
  });

  it("refuses a stack that has no stack file, listing the project's stacks, before asking anything", async () => {
    calls = [];
    await expect(readOutputs("qa", undefined, cli({ stdout: "{}" }), ROOT)).rejects.toThrow(
      'no stack "qa" in this project (no Pulumi.qa.yaml); stacks: prd, stg',
    );
    expect(calls).toEqual([]);
  });
});
