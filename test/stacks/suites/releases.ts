import { expect, it } from "vitest";
import { parseTarget } from "../../../components/deploy/release-tool/target";
import { byType, named } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

/** Every web service is released by `pulumi up` in the order migration → workers → scheduler → switch. */
export function releaseInvariants(s: StackUnderTest): void {
  const services = Object.keys(s.config.services);
  if (services.length === 0) {
    it("has no release platform and no release command", () => {
      expect(byType(s.plan(), "infra:deploy:ReleasePlatform")).toEqual([]);
      expect(byType(s.plan(), "command:local:Command")).toEqual([]);
    });
    return;
  }
  const jobServices = () => byType(s.plan(), "infra:ecs:WorkerService");

  it("keeps one deploy lock table: on-demand, encrypted, TTL on expiresAt, protected with the stack's data", () => {
    const table = named(s.plan(), "release-locks");
    expect(table.inputs).toMatchObject({
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      serverSideEncryption: { enabled: true },
      ttl: { enabled: true, attributeName: "expiresAt" },
      deletionProtectionEnabled: s.config.protectData,
    });
    expect(table.options.protect).toBe(s.config.protectData);
  });

  it.each(services)("%s: a prepare and a deploy command, triggered by the service's task definition", (key) => {
    const plan = s.plan();
    for (const step of ["prepare", "deploy"]) {
      const command = named(plan, `${key}-release-${step}`);
      expect(command.inputs.triggers).toEqual([named(plan, `${key}-service`).inputs.taskDefinition]);
      expect(command.inputs.create).toMatch(new RegExp(`^node (--import tsx )?components/deploy/release-tool/cli\\.(ts|js) ${step}$`));
      // A change of anything but the task definition must not release.
      expect(command.inputs.update).toMatch(/^echo /);
    }
  });

  it.each(services)("%s: the release target matches the stack: its service, hold period, migration and post-release command", (key) => {
    const service = s.config.services[key]!;
    const environment = named(s.plan(), `${key}-release-deploy`).inputs.environment as Record<string, string>;
    const target = parseTarget(JSON.parse(environment.INFRA_RELEASE_TARGET!), "the plan");
    expect(target).toMatchObject({
      stack: s.stack,
      service: key,
      region: s.config.region,
      serviceName: `${s.config.name}-${key}`,
      image: service.image,
      containerPort: service.port,
      holdMinutes: s.config.release.holdMinutes,
      terminationWaitMinutes: service.deployment.terminationWaitMinutes,
      waitFor: s.config.release.waitFor,
    });
    expect(target.migration).toEqual(service.migration);
    expect(target.postRelease).toEqual(service.postRelease);
    expect(target.taskDefinitionArn).toBe(named(s.plan(), `${key}-service`).inputs.taskDefinition);
  });

  it("orders one pulumi up: every migration, then the workers, then the scheduler, then every web switch", () => {
    const plan = s.plan();
    const urn = (name: string) => named(plan, name).urn;
    const prepares = services.map((k) => urn(`${k}-release-prepare`)).sort();
    for (const k of services) {
      expect(named(plan, `${k}-release-prepare`).options.dependsOn).toEqual([]);
      expect(named(plan, `${k}-release-deploy`).options.dependsOn).toEqual([urn(`${k}-release-prepare`), ...jobServices().map((w) => w.urn)].sort());
    }
    for (const worker of jobServices()) {
      const service = named(plan, `${worker.name}-service`);
      const expected =
        worker.name === "jobs-scheduler"
          ? [
              ...prepares,
              ...jobServices()
                .filter((w) => w.name !== "jobs-scheduler")
                .map((w) => w.urn),
            ]
          : prepares;
      expect(service.options.dependsOn, worker.name).toEqual(expected.sort());
      expect(service.inputs.waitForSteadyState, worker.name).toBe(true);
    }
  });
}
