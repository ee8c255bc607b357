import { FakeAwsError, type FakeEcs } from "./fake-ecs";

type Json = Record<string, unknown>;

/** How ECS's own blue/green deployments of one service go, look by look. */
export interface EcsBlueGreenScript {
  /** The service's strategy. @default "BLUE_GREEN" */
  strategy?: "BLUE_GREEN" | "CANARY" | "LINEAR";
  /** A canary's first share of production traffic. @default 10 */
  canaryPercent?: number;
  /** A linear step. @default 10 */
  stepPercent?: number;
  /** A pause hook at POST_TEST_TRAFFIC_SHIFT: it times out after this many looks, then takes its action. */
  gate?: { readonly timeoutLooks: number; readonly action: "ROLLBACK" | "CONTINUE" };
  /** Looks at BAKE_TIME before the old tasks are stopped. @default 2 */
  bakeLooks?: number;
  /** An alarm that goes off when the deployment reaches this stage: ECS rolls back. */
  alarmAt?: { readonly stage: string; readonly alarm: string };
}

interface Deployment {
  readonly arn: string;
  readonly revision: string;
  readonly source: string;
  readonly sourceRevision: string;
  readonly taskDefinition: string;
  readonly createdAt: number;
  status: string;
  stage: string | undefined;
  production: number;
  looks: number;
  hook?: { id: string; status: string; looks: number };
  rollback?: { reason: string; startedAt: number };
  triggered?: string[];
  finishedAt?: number;
  /** Looks spent baking. */
  baked?: number;
}

/** The stages of a blue/green deployment, in order. */
const STAGES = [
  "SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
  "BAKE_TIME",
  "CLEAN_UP",
];
const ACTIVE = ["PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS"];

/**
 * ECS's own blue/green deployments of one service of a {@link FakeEcs}, as the release tool sees
 * them: an UpdateService of the task definition starts one (a new service revision), each
 * DescribeServiceDeployments answers where it is and moves it one stage on (scale up, test
 * traffic, the pause hook if any, production traffic by the strategy, bake, clean up); an alarm
 * at a stage rolls it back; StopServiceDeployment with ROLLBACK and a pause hook answered
 * ROLLBACK roll it back, CONTINUE goes on. The service's revision follows (back to the source on
 * a rollback). No more than the tool asks of ECS.
 */
export class FakeEcsDeployments {
  readonly deployments: Deployment[] = [];
  private next = 1;

  constructor(
    private readonly ecs: FakeEcs,
    private readonly serviceName: string,
    public script: EcsBlueGreenScript,
    /** ECS's clock, in epoch seconds (the tests' fake clock). */
    private readonly now: () => number,
  ) {}

  private get service() {
    const s = this.ecs.services.get(this.serviceName);
    if (!s) throw new FakeAwsError("ServiceNotFoundException", "Service not found.");
    return s;
  }

  private arnOf(kind: "service-deployment" | "service-revision", id: number): string {
    return `arn:aws:ecs:${this.ecs.region}:${this.ecs.account}:${kind}/${this.ecs.cluster}/${this.serviceName}/${String(id).padStart(20, "0")}`;
  }

  /** A deployment that ran before the test (its revision live since). */
  seed(taskDefinition: string, createdAt: number): void {
    const id = this.next++;
    this.deployments.push({
      arn: this.arnOf("service-deployment", id),
      revision: this.arnOf("service-revision", id),
      source: "",
      sourceRevision: "",
      taskDefinition,
      createdAt,
      status: "SUCCESSFUL",
      stage: "CLEAN_UP",
      production: 100,
      looks: 99,
      finishedAt: createdAt + 600,
    });
    this.service.taskDefinition = taskDefinition;
  }

  /** Answers an operation on this service's deployments; undefined when it is not one (FakeEcs answers). */
  handle(operation: string, input: Json): Json | undefined {
    switch (operation) {
      case "ecs:UpdateService":
        return input.service === this.serviceName && typeof input.taskDefinition === "string" ? this.update(input.taskDefinition) : undefined;
      case "ecs:ListServiceDeployments":
        return this.list(input);
      case "ecs:DescribeServiceDeployments":
        return this.describe(input.serviceDeploymentArns as string[]);
      case "ecs:DescribeServiceRevisions":
        return this.revisions(input.serviceRevisionArns as string[]);
      case "ecs:StopServiceDeployment":
        return this.stop(this.find(input.serviceDeploymentArn as string), input.stopType as string | undefined);
      case "ecs:ContinueServiceDeployment":
        return this.answer(this.find(input.serviceDeploymentArn as string), input.hookId as string, (input.action as string | undefined) ?? "CONTINUE");
      default:
        return undefined;
    }
  }

  private find(arn: string): Deployment {
    const d = this.deployments.find((x) => x.arn === arn);
    if (!d) throw new FakeAwsError("ServiceDeploymentNotFoundException", `The service deployment ${arn} does not exist.`);
    return d;
  }

  private update(taskDefinition: string): Json {
    if (!this.ecs.taskDefinitions.some((d) => d.arn === taskDefinition)) throw new FakeAwsError("ClientException", "TaskDefinition not found.");
    const s = this.service;
    const previous = this.deployments.filter((d) => d.status === "SUCCESSFUL").at(-1);
    const id = this.next++;
    this.deployments.push({
      arn: this.arnOf("service-deployment", id),
      revision: this.arnOf("service-revision", id),
      source: s.taskDefinition,
      sourceRevision: previous?.revision ?? this.arnOf("service-revision", 0),
      taskDefinition,
      createdAt: this.now(),
      status: "PENDING",
      stage: undefined,
      production: 0,
      looks: 0,
    });
    s.taskDefinition = taskDefinition;
    return { service: { serviceName: this.serviceName, taskDefinition } };
  }

  private list(input: Json): Json {
    const statuses = (input.status as string[] | undefined) ?? [];
    const chosen = this.deployments.filter((d) => statuses.length === 0 || statuses.includes(d.status));
    return {
      serviceDeployments: chosen.map((d) => ({
        serviceDeploymentArn: d.arn,
        status: d.status,
        createdAt: d.createdAt,
        targetServiceRevisionArn: d.revision,
        ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
      })),
    };
  }

  private revisions(arns: string[]): Json {
    return {
      serviceRevisions: arns.flatMap((arn) => {
        const d = this.deployments.find((x) => x.revision === arn);
        return d ? [{ serviceRevisionArn: arn, taskDefinition: d.taskDefinition }] : [];
      }),
    };
  }

  private describe(arns: string[]): Json {
    const found = arns.flatMap((arn) => {
      const d = this.deployments.find((x) => x.arn === arn);
      if (!d) return [];
      const answer = this.view(d);
      if (ACTIVE.includes(d.status)) this.step(d);
      return [answer];
    });
    return { serviceDeployments: found, failures: arns.filter((a) => !this.deployments.some((d) => d.arn === a)).map((arn) => ({ arn, reason: "MISSING" })) };
  }

  private view(d: Deployment): Json {
    return {
      serviceDeploymentArn: d.arn,
      status: d.status,
      ...(d.stage ? { lifecycleStage: d.stage } : {}),
      createdAt: d.createdAt,
      targetServiceRevision: {
        arn: d.revision,
        requestedProductionTrafficWeight: d.production,
        requestedTestTrafficWeight: d.stage && d.stage !== "SCALE_UP" ? 100 : 0,
      },
      sourceServiceRevisions: [{ arn: d.sourceRevision, requestedProductionTrafficWeight: 100 - d.production }],
      ...(d.hook
        ? {
            lifecycleHookDetails: [
              {
                hookId: d.hook.id,
                targetType: "PAUSE",
                status: d.hook.status,
                timeoutAction: this.script.gate?.action ?? "ROLLBACK",
                expiresAt: d.createdAt + 3600,
              },
            ],
          }
        : {}),
      ...(d.rollback ? { rollback: { reason: d.rollback.reason, startedAt: d.rollback.startedAt, serviceRevisionArn: d.sourceRevision } } : {}),
      ...(d.triggered ? { alarms: { status: "TRIGGERED", alarmNames: d.triggered, triggeredAlarmNames: d.triggered } } : {}),
      ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
    };
  }

  /** One stage on, as ECS moves a deployment between two looks. */
  private step(d: Deployment): void {
    d.looks += 1;
    if (d.status === "ROLLBACK_IN_PROGRESS" || d.status === "ROLLBACK_REQUESTED") return this.rolledBack(d);
    d.status = "IN_PROGRESS";
    const script = this.script;
    if (d.stage === "POST_TEST_TRAFFIC_SHIFT" && script.gate) {
      d.hook ??= { id: `hook-${d.arn.slice(-4)}`, status: "AWAITING_ACTION", looks: 0 };
      if (d.hook.status === "AWAITING_ACTION") {
        d.hook.looks += 1;
        if (d.hook.looks <= script.gate.timeoutLooks) return;
        d.hook.status = "TIMED_OUT";
        if (script.gate.action === "ROLLBACK") return this.startRollback(d, "the lifecycle hook timed out");
      }
    }
    if (d.stage === "PRODUCTION_TRAFFIC_SHIFT" && d.production < 100) {
      d.production = Math.min(100, d.production + (script.strategy === "LINEAR" ? (script.stepPercent ?? 10) : 100));
      return;
    }
    if (d.stage === "BAKE_TIME" && (d.baked = (d.baked ?? 0) + 1) <= (script.bakeLooks ?? 2)) return;
    const stage = STAGES[d.stage ? STAGES.indexOf(d.stage) + 1 : 0];
    if (!stage) {
      d.status = "SUCCESSFUL";
      d.finishedAt = this.now();
      return;
    }
    d.stage = stage;
    if (stage === "PRODUCTION_TRAFFIC_SHIFT")
      d.production = script.strategy === "CANARY" ? (script.canaryPercent ?? 10) : script.strategy === "LINEAR" ? (script.stepPercent ?? 10) : 100;
    if (script.alarmAt?.stage === stage) {
      d.triggered = [script.alarmAt.alarm];
      this.startRollback(d, `alarm ${script.alarmAt.alarm} went off`);
    }
  }

  private startRollback(d: Deployment, reason: string): void {
    d.status = "ROLLBACK_IN_PROGRESS";
    d.rollback = { reason, startedAt: this.now() };
  }

  private rolledBack(d: Deployment): void {
    d.status = "ROLLBACK_SUCCESSFUL";
    d.production = 0;
    d.finishedAt = this.now();
    this.service.taskDefinition = d.source;
  }

  private stop(d: Deployment, stopType: string | undefined): Json {
    if (!ACTIVE.includes(d.status)) throw new FakeAwsError("InvalidParameterException", `The service deployment ${d.arn} is not in progress.`);
    if (stopType === "ROLLBACK") this.startRollback(d, "stopped with rollback by the user");
    else {
      d.status = "STOPPED";
      d.finishedAt = this.now();
    }
    return { serviceDeploymentArn: d.arn };
  }

  private answer(d: Deployment, hookId: string, action: string): Json {
    if (!d.hook || d.hook.id !== hookId || d.hook.status !== "AWAITING_ACTION")
      throw new FakeAwsError("InvalidParameterException", `The service deployment ${d.arn} has no lifecycle hook ${hookId} awaiting action.`);
    d.hook.status = "SUCCEEDED";
    if (action === "ROLLBACK") this.startRollback(d, "the pause hook was answered ROLLBACK");
    return { serviceDeploymentArn: d.arn };
  }
}
