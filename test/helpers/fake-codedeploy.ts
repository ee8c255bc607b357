import { FakeAwsError, type FakeEcs } from "./fake-ecs";

type Json = Record<string, unknown>;

/** An ECS blue/green deployment's lifecycle events, in order. */
export const ECS_LIFECYCLE_EVENTS = [
  "BeforeInstall",
  "Install",
  "AfterInstall",
  "BeforeAllowTestTraffic",
  "AllowTestTraffic",
  "AfterAllowTestTraffic",
  "BeforeAllowTraffic",
  "AllowTraffic",
  "AfterAllowTraffic",
] as const;
const ACTIVE = ["Created", "Queued", "InProgress", "Ready", "Baking"];

interface FakeDeployment {
  readonly id: string;
  readonly taskDefinition: string;
  readonly original: string;
  readonly creator: string;
  status: string;
  /** How far it got: 0 created, 1 installed, 2 production traffic switched, then termination-wait looks. */
  looks: number;
  switchedAt?: number;
  rolledBack: boolean;
  error?: { code: string; message: string };
}

/**
 * CodeDeploy's ECS blue/green deployments of one service, as the release tool sees them: one
 * step per GetDeployment (installed → production traffic switched, the service's PRIMARY task
 * set moved to the new revision → `terminationLooks` looks of termination wait → Succeeded). An
 * active deployment refuses a second one, as CodeDeploy does; StopDeployment with rollback moves
 * traffic back. `fail` makes the next deployment fail after install and roll back.
 */
export class FakeCodeDeploy {
  readonly deployments: FakeDeployment[] = [];
  fail: string | undefined;
  /** Called after each look at a deployment: what someone else does meanwhile (a rollback, say). */
  afterLook: ((d: { readonly id: string; readonly looks: number; readonly status: string }) => void) | undefined;
  private next: number;

  constructor(
    private readonly ecs: FakeEcs,
    private readonly serviceName: string,
    /** Looks at a switched deployment before the termination wait ends. */
    public terminationLooks = 2,
    /** The number of its first deployment's id (`d-000000001`): several groups of one account never share an id. */
    firstId = 1,
  ) {
    this.next = firstId;
  }

  handle(operation: string, input: Json): Json {
    switch (operation) {
      case "codedeploy:ListDeployments": {
        const statuses = (input.includeOnlyStatuses as string[] | undefined) ?? [];
        return { deployments: this.deployments.filter((d) => statuses.length === 0 || statuses.includes(d.status)).map((d) => d.id) };
      }
      case "codedeploy:CreateDeployment":
        return this.create(input);
      case "codedeploy:GetDeployment":
        return this.get(input.deploymentId as string);
      case "codedeploy:ListDeploymentTargets":
        this.deployment(input.deploymentId as string);
        return { targetIds: [`${this.ecs.cluster}:${this.serviceName}`] };
      case "codedeploy:GetDeploymentTarget":
        return this.target(this.deployment(input.deploymentId as string));
      case "codedeploy:StopDeployment":
        return this.stop(this.deployment(input.deploymentId as string), input.autoRollbackEnabled === true);
      default:
        throw new FakeAwsError("UnknownOperationException", `${operation} is not served here`);
    }
  }

  private service() {
    const s = this.ecs.services.get(this.serviceName);
    if (!s) throw new FakeAwsError("ECSServiceMappingLimitExceededException", `service ${this.serviceName} is not in the fake ECS`);
    return s;
  }

  private deployment(id: string): FakeDeployment {
    const d = this.deployments.find((x) => x.id === id);
    if (!d) throw new FakeAwsError("DeploymentDoesNotExistException", `The deployment ${id} could not be found.`);
    return d;
  }

  private create(input: Json): Json {
    const active = this.deployments.find((d) => ACTIVE.includes(d.status));
    if (active) throw new FakeAwsError("DeploymentLimitExceededException", `The Deployment Group already has an active Deployment (${active.id}).`);
    const content = ((input.revision as Json).appSpecContent as Json).content as string;
    const spec = JSON.parse(content) as { Resources: { TargetService: { Properties: { TaskDefinition: string } } }[] };
    const taskDefinition = spec.Resources[0]!.TargetService.Properties.TaskDefinition;
    if (!this.ecs.taskDefinitions.some((d) => d.arn === taskDefinition)) {
      throw new FakeAwsError("InvalidRevisionException", `The task definition ${taskDefinition} does not exist.`);
    }
    const id = `d-${String(this.next++).padStart(9, "0")}`;
    this.deployments.push({ id, taskDefinition, original: this.service().taskDefinition, creator: "user", status: "Created", looks: 0, rolledBack: false });
    return { deploymentId: id };
  }

  /** One look: the deployment's status as it is, then one step further. */
  private get(id: string): Json {
    const d = this.deployment(id);
    if (ACTIVE.includes(d.status)) this.step(d);
    const answer = {
      deploymentInfo: {
        deploymentId: d.id,
        status: d.status,
        creator: d.creator,
        ...(d.error ? { errorInformation: d.error } : {}),
        ...(d.rolledBack ? { rollbackInfo: { rollbackDeploymentId: `${d.id}-rollback`, rollbackMessage: "rolled back" } } : {}),
      },
    };
    this.afterLook?.(d);
    return answer;
  }

  private step(d: FakeDeployment): void {
    d.looks += 1;
    d.status = "InProgress";
    if (this.fail && d.looks === 2) {
      d.status = "Failed";
      d.error = { code: "ECS_UPDATE_ERROR", message: this.fail };
      d.rolledBack = true;
      return;
    }
    if (d.looks === 2) {
      this.service().taskDefinition = d.taskDefinition;
      d.switchedAt = Date.now() / 1000;
    }
    if (d.looks >= 2 + this.terminationLooks) d.status = "Succeeded";
  }

  private target(d: FakeDeployment): Json {
    const switched = d.switchedAt !== undefined && !d.rolledBack;
    const done = (i: number) => (switched ? true : d.looks >= 1 && i < ECS_LIFECYCLE_EVENTS.indexOf("AllowTraffic"));
    return {
      deploymentTarget: {
        ecsTarget: {
          lifecycleEvents: ECS_LIFECYCLE_EVENTS.map((name, i) => ({
            lifecycleEventName: name,
            status: done(i) ? "Succeeded" : "Pending",
            ...(name === "AllowTraffic" && switched ? { endTime: d.switchedAt } : {}),
          })),
          taskSetsInfo: [
            { taskSetLabel: "Blue", trafficWeight: switched ? 0 : 100 },
            { taskSetLabel: "Green", trafficWeight: switched ? 100 : 0 },
          ],
        },
      },
    };
  }

  private stop(d: FakeDeployment, rollback: boolean): Json {
    if (!ACTIVE.includes(d.status)) throw new FakeAwsError("DeploymentAlreadyCompletedException", `The deployment ${d.id} has already completed.`);
    d.status = "Stopped";
    if (rollback) {
      d.rolledBack = true;
      this.service().taskDefinition = d.original;
    }
    return { status: "Pending", statusMessage: "Stop request received" };
  }
}

/** Application Auto Scaling's scalable targets of ECS services: bounds checked, and the count moved into them as the service does. */
export class FakeAutoScaling {
  readonly targets = new Map<string, { min: number; max: number }>();

  constructor(private readonly ecs: FakeEcs) {}

  handle(operation: string, input: Json): Json {
    if (operation !== "application-autoscaling:RegisterScalableTarget") throw new FakeAwsError("UnknownOperationException", `${operation} is not served here`);
    const id = input.ResourceId as string;
    const [kind, cluster, service] = id.split("/");
    const s = kind === "service" && cluster === this.ecs.cluster ? this.ecs.services.get(service ?? "") : undefined;
    if (!s || input.ServiceNamespace !== "ecs" || input.ScalableDimension !== "ecs:service:DesiredCount")
      throw new FakeAwsError("ValidationException", `Unsupported service namespace, resource type or scalable dimension for ${id}`);
    const previous = this.targets.get(id);
    const min = (input.MinCapacity as number | undefined) ?? previous?.min;
    const max = (input.MaxCapacity as number | undefined) ?? previous?.max;
    if (min === undefined || max === undefined)
      throw new FakeAwsError("ValidationException", "MinCapacity and MaxCapacity are required for a new scalable target");
    if (min > max) throw new FakeAwsError("ValidationException", "Minimum capacity cannot be greater than maximum capacity");
    this.targets.set(id, { min, max });
    // The service's count is brought within the new bounds at once.
    s.desiredCount = Math.min(Math.max(s.desiredCount ?? 1, min), max);
    return { ScalableTargetARN: `arn:aws:application-autoscaling:${this.ecs.region}:${this.ecs.account}:scalable-target/${id.replace(/\//g, "-")}` };
  }
}
