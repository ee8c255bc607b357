import { describe, expect, it } from "vitest";
import { ConfigError } from "../../infra/config/errors";
import { loadStackConfig } from "../../infra/config/load";
import { readNeighbourReleases } from "../../infra/config/neighbours";
import { releaseBotArgs } from "../../infra/config/release-bot";
import { projectDir } from "../../infra/program";
import { readStackFile } from "../../offline-plan/stack-file";
import { configProblems, minimalConfig } from "../helpers/config";
import { ROOT, stackNames } from "../helpers/plan";
import { join } from "node:path";

const SECRET = (name: string) => `arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:shop/test/${name}-AbC123`;
const bot = (extra: Record<string, unknown> = {}) => ({
  access: { teamId: "T0SHOP0001", channels: ["C0RELEASES"], stacks: { test: { allow: { release: ["U0ALICE"] } } } },
  signingSecretArn: SECRET("signing"),
  github: { appId: "1234567", installationId: "76543210", privateKeyArn: SECRET("github"), repository: "shop-sre/infra" },
  ...extra,
});
describe("infra:releaseBot", () => {
  it("the component's checks, by the config's key: ids, never names", () => {
    expect(
      configProblems(
        minimalConfig({ "infra:releaseBot": bot({ access: { teamId: "T0SHOP0001", channels: ["#releases"], stacks: { test: { allow: {} } } } }) }),
      ),
    ).toEqual(['infra:releaseBot.access.channels[0]: "#releases" is not a Slack channel id (like C0123ABCD; a name is not an id)']);
    expect(configProblems(minimalConfig({ "infra:releaseBot": bot({ signingSecretArn: "8f742231b10e8888abcd99yyyzzz85a5" }) }))).toEqual([
      "infra:releaseBot.signingSecretArn: a value that is not an ARN (32 characters, not repeated here: it may be the secret itself) is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)",
    ]);
    expect(
      configProblems(
        minimalConfig({
          "infra:releaseBot": bot({ access: { teamId: "T0SHOP0001", channels: ["C0RELEASES"], stacks: { test: { allow: { deploy: ["U0ALICE"] } } } } }),
        }),
      ),
    ).toEqual([expect.stringMatching(/^infra:releaseBot\.access\.stacks\.test\.allow\.deploy: /) as unknown]);
  });

  it("a stack it names must have a stack file, and something to release there: refused by key before anything is registered", () => {
    const access = { teamId: "T0SHOP0001", channels: ["C0RELEASES"], stacks: { stg: { allow: {} }, dev: { allow: {} }, qa: { allow: {} } } };
    const config = loadStackConfig({ ...readStackFile("stg", ROOT), "infra:releaseBot": bot({ access }) });
    const attempt = () => releaseBotArgs(config, "stg", { qa: { services: [], groups: [] } });
    expect(attempt).toThrow(ConfigError);
    expect(() => attempt()).toThrow(
      expect.objectContaining({
        problems: [
          "infra:releaseBot.access.stacks.dev: there is no stack file Pulumi.dev.yaml (the stacks: qa, stg)",
          "infra:releaseBot.access.stacks.qa: that stack has no web service to release (its infra:services)",
        ],
      }) as Error,
    );
  });

  it("each other stack's services and blue/green groups are read from its own file, as its loader reads them", () => {
    for (const stack of stackNames()) {
      const others = readNeighbourReleases(ROOT, stack);
      expect(Object.keys(others).sort()).toEqual(stackNames().filter((s) => s !== stack));
      for (const [name, found] of Object.entries(others)) {
        const config = loadStackConfig(readStackFile(name, ROOT));
        expect(found.services).toEqual(Object.keys(config.services));
        expect(found.groups).toEqual(Object.entries(config.jobs?.back ?? {}).flatMap(([g, b]) => (b.release === "blueGreen" ? [g] : [])));
      }
    }
  });

  it("the stack files are found from the folder Pulumi's Node host runs the program in (main's, infra/), not only from the project's", () => {
    expect(projectDir(join(ROOT, "infra"))).toBe(ROOT);
    expect(projectDir(ROOT)).toBe(ROOT);
  });
});
