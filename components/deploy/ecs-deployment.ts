import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { CreateChild, Transform } from "../component";
import { policyJson, serviceTrustPolicy, STAR_ONLY } from "../iam";
import { type BlueGreenDeploymentArgs, DEPLOYMENT_DEFAULTS, type EcsStrategy } from "./deployment";

/** What ECS's own blue/green moves: the service's two listeners and target groups, the alarms that roll it back. */
export interface EcsBlueGreenTarget {
  readonly listeners: { readonly production: aws.lb.Listener; readonly test: aws.lb.Listener };
  readonly targetGroups: { readonly blue: aws.lb.TargetGroup; readonly green: aws.lb.TargetGroup };
  readonly alarms: readonly aws.cloudwatch.MetricAlarm[];
  readonly deployment?: BlueGreenDeploymentArgs;
  readonly tags: Readonly<Record<string, string>>;
  /** The account the service runs in (ECS's trust policy is scoped to it). */
  readonly account: pulumi.Input<string>;
  /** What the rules wait for, as the service does: a release's checks come before traffic can move. @default nothing */
  readonly rolloutAfter?: pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
  /** The caller's changes to these children's args (see {@link Transform}). @default none */
  readonly transform?: {
    readonly listenerRule?: Transform<aws.lb.ListenerRuleArgs>;
    readonly ecsRole?: Transform<aws.iam.RoleArgs>;
    readonly ecsPolicy?: Transform<aws.iam.RolePolicyArgs>;
  };
}

/** What the ECS service of an ECS-controlled blue/green service is given. */
export interface EcsBlueGreenInputs {
  readonly deploymentController: aws.types.input.ecs.ServiceDeploymentController;
  readonly deploymentConfiguration: aws.types.input.ecs.ServiceDeploymentConfiguration;
  readonly deploymentCircuitBreaker: aws.types.input.ecs.ServiceDeploymentCircuitBreaker;
  readonly alarms: aws.types.input.ecs.ServiceAlarms;
  /** The target group the service's load balancer starts on (blue, unless a migration from CodeDeploy says green). */
  readonly primaryTargetGroup: aws.lb.TargetGroup;
  /** The `advancedConfiguration` of the service's load balancer: the alternate target group, both rules, the role. */
  readonly advancedConfiguration: aws.types.input.ecs.ServiceLoadBalancerAdvancedConfiguration;
  /** What the service must wait for: its rules (ECS refuses a target group no rule uses) and its role's policy. */
  readonly dependsOn: pulumi.Resource[];
}

/** ECS's names of our strategies: all at once is its plain blue/green. */
const ECS_STRATEGY_NAMES: Readonly<Record<EcsStrategy, "BLUE_GREEN" | "CANARY" | "LINEAR">> = { allAtOnce: "BLUE_GREEN", canary: "CANARY", linear: "LINEAR" };

/** The lifecycle stage of the manual gate: the new tasks answer on the test listener, production is still on the old ones. */
export const GATE_STAGE = "POST_TEST_TRAFFIC_SHIFT";

/**
 * The deployment configuration ECS releases the service by: the strategy, the bake time (the
 * termination wait: the old tasks kept for an instant rollback), a canary's or linear's steps,
 * and the gate as a pause hook with its timeout and action.
 */
export function ecsDeploymentConfiguration(d: BlueGreenDeploymentArgs): aws.types.input.ecs.ServiceDeploymentConfiguration {
  const strategy = d.strategy ?? DEPLOYMENT_DEFAULTS.strategy;
  const canary = { ...DEPLOYMENT_DEFAULTS.canary, ...d.canary };
  const linear = { ...DEPLOYMENT_DEFAULTS.linear, ...d.linear };
  const ready = d.readyWaitMinutes ?? DEPLOYMENT_DEFAULTS.readyWaitMinutes;
  const action = d.readyTimeoutAction ?? DEPLOYMENT_DEFAULTS.readyTimeoutAction;
  // The provider takes ECS's minute counts as strings.
  return {
    strategy: ECS_STRATEGY_NAMES[strategy],
    bakeTimeInMinutes: String(d.terminationWaitMinutes ?? DEPLOYMENT_DEFAULTS.terminationWaitMinutes),
    ...(strategy === "canary" ? { canaryConfiguration: { canaryPercent: canary.percent, canaryBakeTimeInMinutes: String(canary.bakeMinutes) } } : {}),
    ...(strategy === "linear" ? { linearConfiguration: { stepPercent: linear.stepPercent, stepBakeTimeInMinutes: String(linear.stepMinutes) } } : {}),
    ...(ready > 0
      ? {
          lifecycleHooks: [
            {
              targetType: "PAUSE",
              lifecycleStages: [GATE_STAGE],
              timeoutConfiguration: { action: action === "continue" ? "CONTINUE" : "ROLLBACK", timeoutInMinutes: String(ready) },
            },
          ],
        }
      : {}),
  };
}

/**
 * ECS's side of a blue/green service it releases itself: a rule on each listener (production
 * forwarding to blue, test to green, or the other way round for a service CodeDeploy left on
 * green: ECS rewrites their forward actions at each release), and the role ECS moves them with,
 * scoped to exactly those listeners, rules and target groups. Children of the service's
 * component, created by its `child`.
 */
export function createEcsBlueGreen(child: CreateChild, target: EcsBlueGreenTarget): EcsBlueGreenInputs {
  const { listeners, tags } = target;
  const { blue, green } = target.targetGroups;
  // The pair as ECS takes it: where production is when ECS takes over, and the alternate.
  const groups =
    (target.deployment?.productionTargetGroup ?? DEPLOYMENT_DEFAULTS.productionTargetGroup) === "green"
      ? { primary: green, alternate: blue }
      : { primary: blue, alternate: green };
  const rule = (role: "production" | "test", group: aws.lb.TargetGroup) =>
    child(
      aws.lb.ListenerRule,
      `${role}-rule`,
      {
        listenerArn: listeners[role].arn,
        // The listener is the service's own: its one rule matches every request.
        priority: 1,
        conditions: [{ pathPattern: { values: ["/*"] } }],
        actions: [{ type: "forward", targetGroupArn: group.arn }],
        tags,
      },
      target.transform?.listenerRule,
      // ECS moves the forward action (weights between blue and green) at each release. On a
      // listener CodeDeploy switched, a rule forwards production at once: the release's checks first.
      { ignoreChanges: ["actions"], ...(target.rolloutAfter ? { dependsOn: target.rolloutAfter } : {}) },
    );
  const production = rule("production", groups.primary);
  const test = rule("test", groups.alternate);
  const role = child(aws.iam.Role, "ecs-role", { assumeRolePolicy: serviceTrustPolicy("ecs.amazonaws.com", target.account), tags }, target.transform?.ecsRole);
  // What AmazonECSInfrastructureRolePolicyForLoadBalancers grants on every load balancer of the
  // account, narrowed to this service's two listeners, their rules and its two target groups.
  const listenerArns = [listeners.production.arn, listeners.test.arn];
  const groupArns = [blue.arn, green.arn];
  const policy = child(
    aws.iam.RolePolicy,
    "ecs-policy",
    {
      role: role.id,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          { Sid: "MoveItsRules", Effect: "Allow", Action: ["elasticloadbalancing:ModifyRule"], Resource: [production.arn, test.arn] },
          { Sid: "ItsListeners", Effect: "Allow", Action: ["elasticloadbalancing:ModifyListener"], Resource: listenerArns },
          {
            Sid: "ItsTargets",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: groupArns,
          },
          // ELB's Describe calls take no resource.
          { Sid: "Reads", Effect: "Allow", Action: [...STAR_ONLY.ecsLoadBalancerReads], Resource: "*" },
        ],
      }),
    },
    target.transform?.ecsPolicy,
  );
  const d = target.deployment ?? {};
  return {
    deploymentController: { type: "ECS" },
    deploymentConfiguration: ecsDeploymentConfiguration(d),
    // Tasks that never get healthy roll the deployment back too, not only the alarms.
    deploymentCircuitBreaker: { enable: true, rollback: true },
    alarms: { alarmNames: target.alarms.map((a) => a.name), enable: true, rollback: true },
    primaryTargetGroup: groups.primary,
    advancedConfiguration: {
      alternateTargetGroupArn: groups.alternate.arn,
      productionListenerRule: production.arn,
      testListenerRule: test.arn,
      roleArn: role.arn,
    },
    dependsOn: [production, test, policy],
  };
}
