import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { CreateChild, Transform } from "../component";
import { policyJson, serviceTrustPolicy, STAR_ONLY } from "../iam";
import { type BlueGreenDeploymentArgs, DEPLOYMENT_DEFAULTS } from "./deployment";

/** What a blue/green deployment group deploys: the service, its task's roles, its listeners and target groups, the alarms it watches. */
export interface BlueGreenDeploymentTarget {
  /** The deployment group's name (the service's). */
  readonly serviceName: string;
  readonly clusterName: pulumi.Input<string>;
  readonly service: aws.ecs.Service;
  readonly taskRoleArn: pulumi.Input<string>;
  readonly executionRoleArn: pulumi.Input<string>;
  readonly listeners: { readonly production: aws.lb.Listener; readonly test: aws.lb.Listener };
  readonly targetGroups: { readonly blue: aws.lb.TargetGroup; readonly green: aws.lb.TargetGroup };
  readonly alarms: readonly aws.cloudwatch.MetricAlarm[];
  readonly deployment?: BlueGreenDeploymentArgs;
  readonly tags: Readonly<Record<string, string>>;
  /** The account the service runs in (CodeDeploy's trust policy is scoped to it). */
  readonly account: pulumi.Input<string>;
  /** The caller's changes to these children's args (see {@link Transform}). @default none */
  readonly transform?: {
    readonly codeDeployRole?: Transform<aws.iam.RoleArgs>;
    readonly codeDeployPolicy?: Transform<aws.iam.RolePolicyArgs>;
    readonly application?: Transform<aws.codedeploy.ApplicationArgs>;
    readonly deploymentGroup?: Transform<aws.codedeploy.DeploymentGroupArgs>;
  };
}

/**
 * CodeDeploy's side of a blue/green ECS service: a service role scoped to this service, the
 * application, and the deployment group (traffic config, termination and ready waits,
 * auto-rollback on failure and on alarms). Children of the service's component, created by its `child`.
 */
export function createBlueGreenDeployment(
  child: CreateChild,
  target: BlueGreenDeploymentTarget,
): { application: aws.codedeploy.Application; group: aws.codedeploy.DeploymentGroup } {
  const { service, listeners, tags } = target;
  const groups = target.targetGroups;
  const alarms = target.alarms;
  const role = child(
    aws.iam.Role,
    "codedeploy-role",
    { assumeRolePolicy: serviceTrustPolicy("codedeploy.amazonaws.com", target.account), tags },
    target.transform?.codeDeployRole,
  );
  // What AWSCodeDeployRoleForECS grants on every service, listener and role of the account,
  // narrowed to this service: its task sets, its two listeners (and their rules), its two task
  // roles passed to ECS only. No Lambda hook, S3 AppSpec or SNS trigger is used, so none of those.
  const listenerArns = [listeners.production.arn, listeners.test.arn];
  const attachment = child(
    aws.iam.RolePolicy,
    "codedeploy-policy",
    {
      role: role.id,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "TaskSetsOfThisService",
            Effect: "Allow",
            Action: ["ecs:DescribeServices", "ecs:CreateTaskSet", "ecs:UpdateServicePrimaryTaskSet", "ecs:DeleteTaskSet"],
            Resource: [service.arn, service.arn.apply((arn) => `${arn.replace(":service/", ":task-set/")}/*`)],
          },
          {
            Sid: "SwitchItsListeners",
            Effect: "Allow",
            Action: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"],
            Resource: [...listenerArns, ...listenerArns.map((l) => l.apply((arn) => `${arn.replace(":listener/", ":listener-rule/")}/*`))],
          },
          // CodeDeploy's reads: ELB's Describe calls take no resource; the alarms it watches, by ARN.
          { Sid: "Reads", Effect: "Allow", Action: [...STAR_ONLY.codeDeployReads], Resource: "*" },
          ...(alarms.length > 0
            ? [{ Sid: "ReadItsAlarms", Effect: "Allow" as const, Action: "cloudwatch:DescribeAlarms", Resource: alarms.map((a) => a.arn) }]
            : []),
          {
            Sid: "PassTheTaskRoles",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: [target.taskRoleArn, target.executionRoleArn],
            Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
          },
        ],
      }),
    },
    target.transform?.codeDeployPolicy,
  );
  const application = child(aws.codedeploy.Application, "app", { computePlatform: "ECS", tags }, target.transform?.application);
  const d = target.deployment ?? {};
  const readyWait = d.readyWaitMinutes ?? DEPLOYMENT_DEFAULTS.readyWaitMinutes;
  const groupArgs: aws.codedeploy.DeploymentGroupArgs = {
    appName: application.name,
    deploymentGroupName: target.serviceName,
    serviceRoleArn: role.arn,
    // The provider's default is an EC2 config (OneAtATime); ECS needs an ECS one.
    deploymentConfigName: d.config ?? DEPLOYMENT_DEFAULTS.config,
    deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
    blueGreenDeploymentConfig: {
      deploymentReadyOption:
        readyWait === 0 ? { actionOnTimeout: "CONTINUE_DEPLOYMENT" } : { actionOnTimeout: "STOP_DEPLOYMENT", waitTimeInMinutes: readyWait },
      terminateBlueInstancesOnDeploymentSuccess: {
        action: "TERMINATE",
        terminationWaitTimeInMinutes: d.terminationWaitMinutes ?? DEPLOYMENT_DEFAULTS.terminationWaitMinutes,
      },
    },
    ecsService: { clusterName: target.clusterName, serviceName: service.name },
    loadBalancerInfo: {
      targetGroupPairInfo: {
        targetGroups: [{ name: groups.blue.name }, { name: groups.green.name }],
        prodTrafficRoute: { listenerArns: [listeners.production.arn] },
        testTrafficRoute: { listenerArns: [listeners.test.arn] },
      },
    },
    autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    alarmConfiguration: { enabled: true, alarms: alarms.map((a) => a.name) },
    tags,
  };
  const group = child(aws.codedeploy.DeploymentGroup, "deployment-group", groupArgs, target.transform?.deploymentGroup, { dependsOn: [attachment] });
  return { application, group };
}
