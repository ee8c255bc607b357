import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile, SECRET_PLACEHOLDER, StackFileError, toPulumiConfig } from "../../offline-plan/stack-file";

function dirWith(stack: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "stack-file-"));
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), text);
  return dir;
}

describe("readStackFile", () => {
  it("reads the config map of a stack file", () => {
    expect(readStackFile("dev", dirWith("dev", "config:\n  aws:region: ap-northeast-1\n  infra:tags: { a: b }\n"))).toEqual({
      "aws:region": "ap-northeast-1",
      "infra:tags": { a: "b" },
    });
    expect(readStackFile("empty", dirWith("empty", "encryptionsalt: x\n"))).toEqual({});
  });

  it("gives a secret it cannot decrypt (a provider's key, a team's password) as the placeholder, never the ciphertext", () => {
    const config = readStackFile(
      "dev",
      dirWith("dev", "config:\n  aws:region: ap-northeast-1\n  datadog:apiKey:\n    secure: AAABADd1\n  orders:dbPassword:\n    secure: AAABAC9z\n"),
    );
    expect(config).toEqual({ "aws:region": "ap-northeast-1", "datadog:apiKey": SECRET_PLACEHOLDER, "orders:dbPassword": SECRET_PLACEHOLDER });
    expect(SECRET_PLACEHOLDER).toBe("(secret: not decrypted by the offline plan)");
  });

  it.each([
    ["a name Pulumi refuses", "dev/../prd", "config: {}\n", '"dev/../prd" is not a stack name (letters, digits, -, _, .)'],
    ["YAML that does not parse", "dev", "config: [\n", /\/Pulumi\.dev\.yaml is not valid YAML: /],
    ["a config that is not a map", "dev", "config: [a, b]\n", /\/Pulumi\.dev\.yaml: "config" must be a map of keys to values$/],
    [
      "a secret",
      "dev",
      "config:\n  infra:token:\n    secure: AAAB\n",
      /\/Pulumi\.dev\.yaml: infra:token is a secret; the offline plan cannot decrypt it \(keep secrets out of infra: keys\)$/,
    ],
  ])("refuses %s", (_case, stack, text, message) => {
    const dir = dirWith("dev", text);
    expect(() => readStackFile(stack, dir)).toThrow(StackFileError);
    expect(() => readStackFile(stack, dir)).toThrow(message);
  });
});

describe("toPulumiConfig", () => {
  it("hands every value over as text, structured values as JSON, as the CLI does", () => {
    expect(toPulumiConfig({ "aws:region": "ap-northeast-1", "infra:protectData": true, "infra:network": { azs: ["a"] } })).toEqual({
      "aws:region": "ap-northeast-1",
      "infra:protectData": "true",
      "infra:network": '{"azs":["a"]}',
    });
  });
});
