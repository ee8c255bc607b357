import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { configProblems, minimalConfig } from "../helpers/config";

type Service = Record<string, unknown>;
const CERT = "arn:aws:acm:ap-northeast-1:123456789012:certificate/0b5a2e0c-1d4f-4a51-9c1e-6f2d8a7b3c41";
const service = (): Service => ({
  image: "shop-web:1",
  cpu: 512,
  memory: 1024,
  port: 8080,
  certificateArn: CERT,
  testListener: { allowedCidrs: ["10.0.0.0/8"] },
});
const config = (services: Record<string, Service>) => minimalConfig({ "infra:services": services });

const problemsOf = (services: Record<string, Service>) => configProblems(config(services));

describe("infra:services", () => {
  it("leaves the components' defaults to them (all at once, 2 minutes, no approval wait, TLS 1.2+, port 8443, ARM64)", () => {
    const web = loadStackConfig(config({ web: service() })).services.web!;
    for (const key of ["architecture", "sslPolicy", "shell"]) expect(web, key).not.toHaveProperty(key);
    expect(web).toMatchObject({ testListener: { allowedCidrs: ["10.0.0.0/8"] }, loadBalancer: {}, deployment: {} });
    expect(web.testListener).not.toHaveProperty("port");
  });

  it("takes a load balancer's settings as given: the ones left out stay the component's", () => {
    const web = loadStackConfig(config({ web: { ...service(), loadBalancer: { idleTimeoutSeconds: 30 } } })).services.web!;
    expect(web.loadBalancer).toEqual({ idleTimeoutSeconds: 30 });
  });

  it.each([1, 65535])("takes port %d, each end of the range", (port) => {
    expect(loadStackConfig(config({ web: { ...service(), port } })).services.web?.port).toBe(port);
  });

  it.each(["web-1", "a", "abcdefghijklmnop"])("takes the workload name %s", (name) => {
    expect(Object.keys(loadStackConfig(config({ [name]: service() })).services)).toEqual([name]);
  });

  it.each(["1web", "Web", "web_1", "abcdefghijklmnopq", "x-Web", "Web-x"])("refuses the workload name %s", (name) => {
    expect(() => loadStackConfig(config({ [name]: service() }))).toThrow(/infra:services\./);
  });

  it.each<[string, Service, string]>([
    [
      "a cpu/memory pair Fargate lacks",
      { memory: 512 },
      "infra:services.web.memory: 512 is not allowed with cpu 512 (0.5 vCPU); allowed: 1024, 2048, 3072, 4096",
    ],
    ["a cpu Fargate lacks", { cpu: 100 }, "infra:services.web.cpu: 100 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384"],
    ["a port out of range", { port: 70000 }, "infra:services.web.port: 70000 is not a port (1-65535)"],
    // Each bound on its outer side (the mutation run of services.ts found them untested).
    ["port 0", { port: 0 }, "infra:services.web.port: 0 is not a port (1-65535)"],
    ["port 65536", { port: 65536 }, "infra:services.web.port: 65536 is not a port (1-65535)"],
    ["a health path without /", { healthCheck: { path: "healthz" } }, 'infra:services.web.healthCheck.path: "healthz" must start with /'],
    [
      "a health timeout not below its interval",
      { healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } },
      "infra:services.web.healthCheck.timeoutSeconds: 5 must be less than intervalSeconds 5",
    ],
    ["min above max", { autoscaling: { minCount: 5, maxCount: 2 } }, "infra:services.web.autoscaling.minCount: 5 is greater than maxCount 2"],
    [
      "a termination wait past 2880",
      { deployment: { terminationWaitMinutes: 3000 } },
      "infra:services.web.deployment.terminationWaitMinutes: 3000 is out of range (0-2880)",
    ],
    [
      "a negative termination wait",
      { deployment: { terminationWaitMinutes: -1 } },
      "infra:services.web.deployment.terminationWaitMinutes: -1 is out of range (0-2880)",
    ],
    [
      "an unknown deployment config",
      { deployment: { config: "CodeDeployDefault.OneAtATime" } },
      'infra:services.web.deployment.config: "CodeDeployDefault.OneAtATime" is not one of "CodeDeployDefault.ECSAllAtOnce", "CodeDeployDefault.ECSCanary10Percent5Minutes", "CodeDeployDefault.ECSCanary10Percent15Minutes", "CodeDeployDefault.ECSLinear10PercentEvery1Minutes", "CodeDeployDefault.ECSLinear10PercentEvery3Minutes"',
    ],
    [
      "a plaintext secret",
      { environment: { API_KEY: "x" } },
      "infra:services.web.environment.API_KEY: looks like a secret (its name says API_KEY); pass it in secrets as a Secrets Manager or SSM parameter ARN",
    ],
    [
      "a secret that is no ARN",
      { secrets: { API_KEY: "x" } },
      "infra:services.web.secrets.API_KEY: a value that is not an ARN (1 character, not repeated here: it may be the secret itself) is not a Secrets Manager secret ARN nor an SSM parameter ARN",
    ],
    [
      "a certificate that is no ACM ARN",
      { certificateArn: "nope" },
      'infra:services.web.certificateArn: "nope" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
    ],
    [
      "a test listener open to the internet",
      { testListener: { allowedCidrs: ["0.0.0.0/0"] } },
      'infra:services.web.testListener.allowedCidrs[0]: "0.0.0.0/0" opens the test listener to the internet',
    ],
    [
      "a first count outside the autoscaling bounds",
      { desiredCount: 1, autoscaling: { minCount: 3, maxCount: 12 } },
      "infra:services.web.desiredCount: 1 is outside the autoscaling bounds 3-12",
    ],
    [
      "a test listener on 443",
      { testListener: { port: 443, allowedCidrs: ["10.0.0.0/8"] } },
      "infra:services.web.testListener.port: 443 must be a port (1-65535) other than 80 and 443",
    ],
    [
      "a variable name no shell reads",
      { environment: { "feature-flag": "on" } },
      'infra:services.web.environment.feature-flag: "feature-flag" is not a variable name (letters, digits and _, not starting with a digit)',
    ],
    [
      "a typo",
      { imagee: "x" },
      "infra:services.web.imagee: unknown key (allowed keys: image, cpu, memory, architecture, command, environment, secrets, datadog, shell, port, desiredCount, autoscaling, healthCheck, certificateArn, sslPolicy, testListener, loadBalancer, migration, postRelease, deployment)",
    ],
  ])("rejects %s", (_case, change, expected) => {
    expect(problemsOf({ web: { ...service(), ...change } })).toEqual([expected]);
  });

  it("rejects a service name that would not fit AWS's names", () => {
    expect(problemsOf({ Web_1: service() })).toEqual([
      'infra:services.Web_1: "Web_1" is not a workload name (1-16 lowercase letters, digits, -; starts with a letter)',
    ]);
  });

  it("leaves the Datadog site unset unless told: the task definition's default (datadoghq.com) is the one default", () => {
    const apiKeySecretArn = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:shop/datadog-AbC123";
    expect(loadStackConfig(config({ web: { ...service(), datadog: { apiKeySecretArn } } })).services.web?.datadog).toEqual({ apiKeySecretArn });
    expect(loadStackConfig(config({ web: { ...service(), datadog: { apiKeySecretArn, site: "datadoghq.eu" } } })).services.web?.datadog).toEqual({
      apiKeySecretArn,
      site: "datadoghq.eu",
    });
  });

  it("services given as a list, with infra:image set, are refused as a list (not read as a map)", () => {
    expect(configProblems(minimalConfig({ "infra:image": "shop-web:1", "infra:services": [service()] }))).toEqual([
      expect.stringMatching(/^infra:services: expected record, got \[/) as string,
    ]);
    // Nor is a service that is no map given an image: it is refused as it is.
    expect(configProblems(minimalConfig({ "infra:image": "shop-web:1", "infra:services": { web: null, api: "x" } }))).toEqual([
      "infra:services.web: expected object, got null",
      'infra:services.api: expected object, got "x"',
    ]);
  });
});
