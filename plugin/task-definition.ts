import * as pulumi from "@pulumi/pulumi";
import type { LogRetentionDays } from "../components/aws-limits";
import { FargateTaskDefinition as LibraryTaskDefinition, type FargateTaskDefinitionArgs as LibraryTaskDefinitionArgs } from "../components/ecs";
import { libraryStatement, type PolicyStatement } from "./shared";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";

/** A container health check, run by the ECS agent inside the task. */
export interface ContainerHealthCheck {
  /** `["CMD-SHELL", "curl -fs localhost:8080/healthz || exit 1"]` or `["CMD", ...]`. */
  command: string[];
  /** Seconds between checks. Default: 10. */
  intervalSeconds?: number;
  /** Seconds before a check fails. Default: 5. */
  timeoutSeconds?: number;
  /** Failures before the container is unhealthy. Default: 3. */
  retries?: number;
  /** Seconds after start during which failures do not count. Default: 10. */
  startPeriodSeconds?: number;
}

/** The application container of a task. */
export interface AppContainer {
  /** Image reference, e.g. `<account>.dkr.ecr.<region>.amazonaws.com/web:1.4.2`. */
  image: pulumi.Input<string>;
  /** Container name. Default: app. */
  name?: string;
  /** The port the app listens on (1-65535). Default: none (a worker listens on nothing). */
  port?: number;
  /** Overrides the image's CMD. Default: the image's. */
  command?: string[];
  /** Overrides the image's ENTRYPOINT. Default: the image's. */
  entryPoint?: string[];
  /** Plaintext variables; a name that looks secret (`DB_PASSWORD`, `stripe_api_key`, ...) or a URL with a password is refused. Default: none. */
  environment?: Record<string, pulumi.Input<string>>;
  /** Variables read from Secrets Manager or SSM Parameter Store at start: name → secret or parameter ARN. Default: none. */
  secrets?: Record<string, pulumi.Input<string>>;
  /** Container health check. Default: none (the load balancer's check decides). */
  healthCheck?: ContainerHealthCheck;
  /** Seconds between SIGTERM and SIGKILL (2-120, Fargate's maximum). Default: 30. */
  stopTimeoutSeconds?: number;
  /** Mount the root filesystem read-only. Default: false. */
  readonlyRootFilesystem?: boolean;
}

/** The Datadog agent sidecar of a task. */
export interface DatadogSidecar {
  /** ARN of the secret holding the Datadog API key. */
  apiKeySecretArn: string;
  /** Unified service tag `env`. */
  env: string;
  /** Unified service tag `service`. */
  service: string;
  /** The Datadog site. Default: datadoghq.com. */
  site?: string;
  /** The agent's image. Default: public.ecr.aws/datadog/agent:7. */
  image?: string;
}

/** A FireLens log router sidecar of a task. */
export interface LogRouter {
  /** Options of the awsfirelens log driver (Fluent Bit output settings). */
  options: Record<string, string>;
  /** Options read from Secrets Manager or SSM: option → ARN. Default: none. */
  secretOptions?: Record<string, string>;
  /** The router's image. Default: AWS for Fluent Bit (stable). */
  image?: string;
}

/** What a task runs: its size, its containers, its logs and its role. */
export interface TaskSettings {
  /** Task definition family (1-255 letters, digits, `-`, `_`); revisions accumulate under it. */
  family: string;
  /** CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  cpu: number;
  /** Memory in MiB, one Fargate allows for `cpu`. */
  memory: number;
  /** ARM64 (Graviton: cheaper for the same work) or X86_64. Default: ARM64. */
  architecture?: string;
  /** The app container. */
  container: AppContainer;
  /** A Datadog agent sidecar. Default: none. */
  datadog?: DatadogSidecar;
  /** A FireLens log router sidecar. Default: none (the app logs to CloudWatch Logs). */
  logRouter?: LogRouter;
  /** Days the containers' logs are kept. Default: 30. */
  logRetentionInDays?: number;
  /** Statements of the task role: what the app itself may do. Default: none. */
  taskRoleStatements?: PolicyStatement[];
  /** Lets ECS Exec open sessions into the task (the task role gets the SSM agent's four `ssmmessages` actions). Default: true. */
  enableExecuteCommand?: boolean;
}

/** Arguments of a FargateTaskDefinition. */
export interface FargateTaskDefinitionArgs extends TaskSettings {
  /** The cluster's ECS Exec audit log group: the task role may write each session there. Default: none. */
  executeCommandLogGroupArn?: pulumi.Input<string>;
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a FargateTaskDefinition that the plugin does not take, and why. */
export const FARGATE_TASK_DEFINITION_ABSENT_ARGS = absentArgs<LibraryTaskDefinitionArgs, FargateTaskDefinitionArgs>({
  transform: TRANSFORM_ABSENT,
  variants: "Used by the library's blue/green back workers, which the plugin does not serve (their release needs library objects)",
});

/** The library's args of a task, from the multi-language ones. */
export function libraryTaskArgs(task: TaskSettings): Omit<LibraryTaskDefinitionArgs, "tags" | "executeCommandLogGroupArn"> {
  return {
    family: task.family,
    cpu: task.cpu,
    memory: task.memory,
    architecture: checkedByComponent(task.architecture),
    container: task.container,
    datadog: task.datadog,
    logRouter: task.logRouter,
    logRetentionInDays: task.logRetentionInDays as LogRetentionDays | undefined,
    taskRoleStatements: task.taskRoleStatements?.map(libraryStatement),
    enableExecuteCommand: task.enableExecuteCommand,
  };
}

/**
 * A Fargate task definition with its log group, execution and task roles, and optional Datadog
 * and FireLens sidecars: the library's FargateTaskDefinition, for every Pulumi language.
 */
export class FargateTaskDefinition extends pulumi.ComponentResource {
  /** The task definition's ARN (its latest revision). */
  taskDefinitionArn!: pulumi.Output<string>;
  /** The task definition family. */
  family!: pulumi.Output<string>;
  /** The app container's name. */
  containerName!: pulumi.Output<string>;
  /** The log group of its containers. */
  logGroupName!: pulumi.Output<string>;
  /** The role ECS uses to pull the image and read the secrets. */
  executionRoleArn!: pulumi.Output<string>;
  /** The role the app runs with. */
  taskRoleArn!: pulumi.Output<string>;

  constructor(name: string, args: FargateTaskDefinitionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:FargateTaskDefinition", name, {}, opts);
    const task = new LibraryTaskDefinition(
      name,
      { ...libraryTaskArgs(args), executeCommandLogGroupArn: args.executeCommandLogGroupArn, tags: args.tags },
      { parent: this },
    );
    this.registerOutputs(
      publish(this, {
        taskDefinitionArn: task.taskDefinitionArn,
        family: pulumi.output(task.family),
        containerName: pulumi.output(task.containerName),
        logGroupName: task.logGroupName,
        executionRoleArn: task.executionRoleArn,
        taskRoleArn: task.taskRoleArn,
      }),
    );
  }
}
