import { expect, it } from "vitest";
import { DEPLOYMENT_DEFAULTS } from "../../../components/deploy/deployment";
import { ECS_TRIGGER, ONE_OFF_DEFAULTS, RELEASE_DEFAULTS } from "../../../components/deploy/release";
import { parseTarget } from "../../../release-tool/target";
import { COLOURS } from "../../../release-tool/colours";
import type { Plan } from "../../../offline-plan/plan";
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
      deletionProtectionEnabled: s.config.protectData === true,
    });
    expect(table.options.protect).toBe(s.config.protectData === true);
  });

  /** The blue/green back worker groups that follow a web service's colour. */
  const colourGroups = (key: string) => Object.entries(s.config.jobs?.back ?? {}).filter(([, g]) => g.release === "blueGreen" && g.enqueuedBy.includes(key));
  const arnOf = (plan: Plan, resource: string) => named(plan, resource).inputs.family as string;

  it.each(services)("%s: a prepare and a deploy command, triggered by the service's task definition (and its colours' and their workers')", (key) => {
    const plan = s.plan();
    const colours = colourGroups(key);
    const families = [
      ...(colours.length > 0 ? [`${key}-task-def-green`] : []),
      ...colours.flatMap(([group]) => COLOURS.map((c) => `jobs-back-${group}-task-def-${c}`)),
    ].map((r) => arnOf(plan, r));
    for (const step of ["prepare", "deploy"]) {
      const command = named(plan, `${key}-release-${step}`);
      const [first, ...others] = command.inputs.triggers as string[];
      expect(first).toBe(named(plan, `${key}-service`).inputs.taskDefinition);
      // Under ECS the controller is a trigger too: the up that moves a service to it releases it (and checks the move).
      const ecs = s.config.services[key]!.deployment.controller === "ecs";
      expect(others.map((arn) => (arn === ECS_TRIGGER ? arn : arn.split("/")[1]!.split(":")[0]))).toEqual([...families, ...(ecs ? [ECS_TRIGGER] : [])]);
      // Prepare's result (--json) names the release run its deploy continues.
      expect(command.inputs.create).toMatch(new RegExp(`^node (--import tsx )?release-tool/cli\\.(ts|js) ${step}${step === "prepare" ? " --json" : ""}$`));
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
      holdMinutes: s.config.release.holdMinutes ?? RELEASE_DEFAULTS.holdMinutes,
      terminationWaitMinutes: service.deployment.terminationWaitMinutes ?? DEPLOYMENT_DEFAULTS.terminationWaitMinutes,
      waitFor: s.config.release.waitFor ?? RELEASE_DEFAULTS.waitFor,
    });
    // Who deploys: CodeDeploy's group, or ECS itself (its strategy for the progress lines).
    if (service.deployment.controller === "ecs") {
      expect(target).toMatchObject({ controller: "ecs", strategy: service.deployment.strategy ?? DEPLOYMENT_DEFAULTS.strategy });
      expect(target.applicationName).toBeUndefined();
    } else {
      expect(target).toMatchObject({ controller: "codeDeploy", deploymentGroupName: `${s.config.name}-${key}` });
    }
    const ready = service.deployment.readyWaitMinutes ?? DEPLOYMENT_DEFAULTS.readyWaitMinutes;
    expect(target.gate?.timeoutMinutes).toBe(ready > 0 ? ready : undefined);
    // A command's timeout is Release's default where the stack sets none.
    const command = (c: typeof service.migration) => c && { ...ONE_OFF_DEFAULTS, ...c };
    expect(target.migration).toEqual(command(service.migration));
    expect(target.postRelease).toEqual(command(service.postRelease));
    expect(target.taskDefinitionArn).toBe(named(s.plan(), `${key}-service`).inputs.taskDefinition);
    const colours = colourGroups(key);
    if (colours.length === 0) {
      expect(target.colours).toBeUndefined();
      return;
    }
    // Blue is the revision the service starts with; each colour's revision is of its own family.
    expect(target.colours!.taskDefinitionArns.blue).toBe(target.taskDefinitionArn);
    for (const c of COLOURS) expect(target.colours!.taskDefinitionArns[c]).toMatch(new RegExp(`:task-definition/${s.config.name}-${key}-${c}:\\d+$`));
    expect(target.colours!.groups.map((g) => g.group)).toEqual(colours.map(([group]) => group));
    for (const [group, g] of colours) {
      const t = target.colours!.groups.find((x) => x.group === group)!;
      expect(t).toMatchObject({
        serviceNames: { blue: `${s.config.name}-back-${group}-blue`, green: `${s.config.name}-back-${group}-green` },
        desiredCount: g.desiredCount ?? g.autoscaling?.minCount ?? 1,
        drain: g.drain,
      });
      expect(t.autoscaling).toEqual(g.autoscaling ? { minCount: g.autoscaling.minCount, maxCount: g.autoscaling.maxCount } : undefined);
      for (const c of COLOURS) expect(t.taskDefinitionArns[c]).toMatch(new RegExp(`:task-definition/${s.config.name}-back-${group}-${c}:\\d+$`));
    }
  });

  it("orders one pulumi up: every migration, then the workers, then the scheduler, then every web switch", () => {
    const plan = s.plan();
    const urn = (name: string) => named(plan, name).urn;
    const prepares = services.map((k) => urn(`${k}-release-prepare`)).sort();
    for (const k of services) {
      // The whole service and its colours' workers applied before anything of the release: their roles' policies too.
      const released = [urn(k), ...colourGroups(k).map(([group]) => urn(`jobs-back-${group}`))];
      const ecs = s.config.services[k]!.deployment.controller === "ecs";
      // Under ECS the service's update is the deployment: prepare waits for its revision and the tasks' group only,
      // and the service waits for prepare and every job service.
      expect(named(plan, `${k}-release-prepare`).options.dependsOn).toEqual(ecs ? [urn(`${k}-task`), urn(`${k}-task-sg`)].sort() : released.sort());
      if (ecs)
        expect(named(plan, `${k}-service`).options.dependsOn).toEqual(
          expect.arrayContaining([urn(`${k}-release-prepare`), ...jobServices().map((w) => w.urn)]),
        );
      expect(named(plan, `${k}-release-deploy`).options.dependsOn).toEqual(
        [urn(`${k}-release-prepare`), ...released, ...jobServices().map((w) => w.urn)].sort(),
      );
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
