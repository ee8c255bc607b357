import {
  DeploymentAlarms$,
  DeploymentCircuitBreaker$,
  DeploymentConfiguration$,
  DeploymentController$,
  DeploymentControllerType,
  DeploymentLifecycleHookAction,
  DeploymentLifecycleHookStage,
  DeploymentLifecycleHookTargetType,
  DeploymentStrategy,
  LoadBalancer$,
} from "@aws-sdk/client-ecs";
import { shapeProblems } from "./sdk-shape";

/**
 * An ECS service's deployment inputs against the AWS SDK's own ECS model (members, required
 * members, types, the enums the SDK exports), with the ranges and rules ECS documents and its
 * model does not carry: a bake time of at most a day, a canary's and a linear step's percent, a
 * pause hook's timeout and the stages a pause hook may not use.
 */

const range = (path: string, field: string, value: unknown, min: number, max: number): string[] => {
  const n = typeof value === "string" ? Number(value) : value;
  // Not a number at all: the model's check has said so.
  return value === undefined || Number.isNaN(n) || (typeof n === "number" && n >= min && n <= max)
    ? []
    : [`${path}.${field}: ${JSON.stringify(value)} is out of range (${min}-${max})`];
};

/** The stages ECS refuses a pause hook at: the traffic shifts themselves. */
export const NO_PAUSE_STAGES: readonly string[] = ["TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT"];

const ECS = {
  numericStrings: new Set(["bakeTimeInMinutes", "canaryBakeTimeInMinutes", "stepBakeTimeInMinutes", "timeoutInMinutes"]),
  enums: {
    type: Object.values(DeploymentControllerType),
    strategy: Object.values(DeploymentStrategy),
    lifecycleStages: Object.values(DeploymentLifecycleHookStage),
    targetType: Object.values(DeploymentLifecycleHookTargetType),
    action: Object.values(DeploymentLifecycleHookAction),
  },
  structureRules: {
    DeploymentConfiguration: (v: Record<string, unknown>, path: string) => range(path, "bakeTimeInMinutes", v.bakeTimeInMinutes, 0, 1440),
    CanaryConfiguration: (v: Record<string, unknown>, path: string) => [
      ...range(path, "canaryPercent", v.canaryPercent, 0.1, 100),
      ...range(path, "canaryBakeTimeInMinutes", v.canaryBakeTimeInMinutes, 0, 1440),
    ],
    LinearConfiguration: (v: Record<string, unknown>, path: string) => [
      ...range(path, "stepPercent", v.stepPercent, 3, 100),
      ...range(path, "stepBakeTimeInMinutes", v.stepBakeTimeInMinutes, 0, 1440),
    ],
    DeploymentLifecycleHookTimeoutConfiguration: (v: Record<string, unknown>, path: string) => range(path, "timeoutInMinutes", v.timeoutInMinutes, 1, 20160),
    DeploymentLifecycleHook: (v: Record<string, unknown>, path: string) => {
      if (v.targetType !== "PAUSE") return v.timeoutConfiguration === undefined ? [] : [`${path}: timeoutConfiguration is for PAUSE hooks only`];
      const stages = (v.lifecycleStages as string[] | undefined) ?? [];
      return [
        ...stages.filter((s) => NO_PAUSE_STAGES.includes(s)).map((s) => `${path}: a PAUSE hook cannot wait at ${s}`),
        ...(v.hookTargetArn === undefined && v.roleArn === undefined ? [] : [`${path}: a PAUSE hook has no target or role`]),
      ];
    },
  },
};

/** Problems of an `aws.ecs.Service`'s deployment inputs; empty when ECS would take them. */
export function ecsDeploymentProblems(inputs: Record<string, unknown>): string[] {
  const at = (key: string, schema: Parameters<typeof shapeProblems>[0]) => (inputs[key] === undefined ? [] : shapeProblems(schema, inputs[key], key, ECS));
  return [
    ...at("deploymentController", DeploymentController$),
    ...at("deploymentConfiguration", DeploymentConfiguration$),
    ...at("deploymentCircuitBreaker", DeploymentCircuitBreaker$),
    ...at("alarms", DeploymentAlarms$),
    ...((inputs.loadBalancers as unknown[] | undefined) ?? []).flatMap((lb, i) => shapeProblems(LoadBalancer$, lb, `loadBalancers[${i}]`, ECS)),
  ];
}
