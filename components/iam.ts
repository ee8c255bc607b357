import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * IAM documents are built as typed objects (`aws.iam.PolicyDocument`) and serialized here, so a
 * misspelt `Effect` or `Action` key is a compile error, not an AWS MalformedPolicyDocument.
 */
export function policyJson(document: aws.iam.PolicyDocument): pulumi.Output<string> {
  return pulumi.jsonStringify(document);
}

/** Trust policy letting one AWS service assume a role, limited to our account where possible. */
export function serviceTrustPolicy(service: string, sourceAccount?: pulumi.Input<string>): pulumi.Output<string> {
  return policyJson({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        // Confused-deputy guard: only this account's resources may make the service assume it.
        ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
      },
    ],
  });
}

/**
 * Actions AWS authorizes on `*` only (no resource-level permission), by what they are for. The
 * components grant them on `*` and nothing else; the policy pack allows `*` for these alone.
 */
export const STAR_ONLY = {
  ecrAuth: ["ecr:GetAuthorizationToken"],
  ecsExecChannels: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
  logGroupLookup: ["logs:DescribeLogGroups"],
  taskDefinitionReads: ["ecs:DescribeTaskDefinition"],
  logDelivery: [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
  ],
  xrayWrite: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
  // What CodeDeploy reads during an ECS deployment: ELB's Describe calls take no resource.
  // (cloudwatch:DescribeAlarms takes alarm ARNs: granted on the group's alarms alone.)
  codeDeployReads: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules"],
  // What ECS reads when it moves a blue/green service's traffic itself (its infrastructure role for load balancers).
  ecsLoadBalancerReads: [
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeRules",
  ],
} as const;
