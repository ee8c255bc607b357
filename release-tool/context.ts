import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SNSClient } from "@aws-sdk/client-sns";
import { hostname, userInfo } from "node:os";
import { createPreflightClients, type PreflightClients } from "./preflight";

/** The AWS clients a release uses. */
export interface ReleaseClients {
  readonly ecs: ECSClient;
  readonly codedeploy: CodeDeployClient;
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  /** The colours' autoscaling bounds of blue/green back workers. */
  readonly autoscaling: ApplicationAutoScalingClient;
  /** What preflight reads: ECR, Secrets Manager, SSM, IAM's simulator, CloudWatch Logs. */
  readonly preflight: PreflightClients;
}

/** What running a one-off task needs: ECS, a clock, a log of progress lines, and who runs it. */
export interface EcsContext {
  readonly clients: { readonly ecs: ECSClient };
  /** One progress line (the tool prints it with a timestamp on stderr). */
  readonly log: (line: string) => void;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** Who runs it: `user@host`, or the CI run. */
  readonly who: string;
}

/** What a release runs with: every client it calls, a clock, a log, and who runs it. */
export interface ReleaseContext extends EcsContext {
  readonly clients: ReleaseClients;
}

/**
 * Clients for the stack's region. Everything else is the SDK's standard configuration: the
 * credential chain (AWS_PROFILE, SSO, environment, instance roles), AWS_ENDPOINT_URL for an
 * AWS-compatible endpoint, and its retries of throttling and server errors (left on).
 */
export function createClients(region: string): ReleaseClients {
  const config = { region };
  return {
    ecs: new ECSClient(config),
    codedeploy: new CodeDeployClient(config),
    dynamodb: new DynamoDBClient(config),
    sns: new SNSClient(config),
    autoscaling: new ApplicationAutoScalingClient(config),
    preflight: createPreflightClients(region),
  };
}

/**
 * `user@host`, or the CI run that ran it (GitHub Actions: repository, run id, actor); a run the
 * release bot started names the person who asked in chat, then the App that dispatched it.
 */
export function whoAmI(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    const actor = env.GITHUB_ACTOR ?? "github-actions";
    const who = env.INFRA_REQUESTED_BY ? `${env.INFRA_REQUESTED_BY.slice(0, 100)} through ${actor}` : actor;
    return `${who} via ${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  return `${env.INFRA_RELEASE_USER ?? userInfo().username}@${hostname()}`;
}
