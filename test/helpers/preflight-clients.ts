import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeRouteTablesCommand, DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeImagesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import type { PreflightClients } from "../../release-tool/preflight";
import type { FakeAccount } from "./fake-account";

/** Preflight's SDK clients, mocked, each call answered by the fake account. */
export function preflightClients(account: FakeAccount): PreflightClients {
  const route = (operation: string) => (input: object) => Promise.resolve(account.handle(operation, input as Record<string, unknown>));
  const ecr = mockClient(ECRClient);
  ecr.on(DescribeImagesCommand).callsFake(route("ecr:DescribeImages"));
  const secrets = mockClient(SecretsManagerClient);
  secrets.on(DescribeSecretCommand).callsFake(route("secretsmanager:DescribeSecret"));
  const ssm = mockClient(SSMClient);
  ssm.on(DescribeParametersCommand).callsFake(route("ssm:DescribeParameters"));
  const iam = mockClient(IAMClient);
  iam.on(SimulatePrincipalPolicyCommand).callsFake(route("iam:SimulatePrincipalPolicy"));
  const logs = mockClient(CloudWatchLogsClient);
  logs.on(DescribeLogGroupsCommand).callsFake(route("logs:DescribeLogGroups"));
  const ec2 = mockClient(EC2Client);
  ec2.on(DescribeSubnetsCommand).callsFake(route("ec2:DescribeSubnets"));
  ec2.on(DescribeRouteTablesCommand).callsFake(route("ec2:DescribeRouteTables"));
  const elbv2 = mockClient(ElasticLoadBalancingV2Client);
  elbv2.on(DescribeTargetGroupsCommand).callsFake(route("elasticloadbalancing:DescribeTargetGroups"));
  elbv2.on(DescribeLoadBalancersCommand).callsFake(route("elasticloadbalancing:DescribeLoadBalancers"));
  return {
    ecr: () => ecr as unknown as ECRClient,
    secrets: secrets as unknown as SecretsManagerClient,
    ssm: ssm as unknown as SSMClient,
    iam: iam as unknown as IAMClient,
    logs: logs as unknown as CloudWatchLogsClient,
    ec2: ec2 as unknown as EC2Client,
    elbv2: elbv2 as unknown as ElasticLoadBalancingV2Client,
  };
}
