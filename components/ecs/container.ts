import type { ContainerDefinition, KeyValuePair, Secret } from "@aws-sdk/client-ecs";
import type { Problem } from "../problems";

/**
 * Container definitions of a Fargate task, built as `ContainerDefinition`s of the ECS API (the
 * SDK's own type, so a misspelt field is a compile error), from already-resolved values. Pure.
 */

/** A container health check, run by the ECS agent inside the task. */
export interface ContainerHealthCheck {
  /** `["CMD-SHELL", "curl -fs localhost:8080/healthz || exit 1"]` or `["CMD", ...]`. */
  readonly command: readonly string[];
  /** @default 10 */
  readonly intervalSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly retries?: number;
  /** Grace after start during which failures do not count. @default 10 */
  readonly startPeriodSeconds?: number;
}

/** The application container, as resolved values. */
export interface AppContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly port?: number;
  readonly command?: readonly string[];
  readonly entryPoint?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  /** Variable name → ARN of a Secrets Manager secret (optionally `:json-key::`) or an SSM parameter. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly healthCheck?: ContainerHealthCheck;
  readonly stopTimeoutSeconds: number;
  readonly readonlyRootFilesystem: boolean;
}

/** The Datadog agent sidecar. */
export interface DatadogSidecarSpec {
  readonly image: string;
  readonly site: string;
  /** ARN of the secret holding the Datadog API key. */
  readonly apiKeySecretArn: string;
  /** Unified service tags. */
  readonly env: string;
  readonly service: string;
}

/** The FireLens (Fluent Bit) log router sidecar; the app's logs go through it. */
export interface LogRouterSpec {
  readonly image: string;
  /** Options of the `awsfirelens` log driver of the app container (the Fluent Bit output). */
  readonly options: Readonly<Record<string, string>>;
  /** Option name → secret ARN, for credentials of the output. */
  readonly secretOptions: Readonly<Record<string, string>>;
}

/** Everything needed to build a task's container definitions. */
export interface ContainerSpecs {
  readonly app: AppContainerSpec;
  readonly logGroupName: string;
  readonly region: string;
  readonly datadog?: DatadogSidecarSpec;
  readonly logRouter?: LogRouterSpec;
}

export const LOG_ROUTER_NAME = "log-router";
export const DATADOG_AGENT_NAME = "datadog-agent";

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a name cannot be an environment variable's (a shell could not read it); undefined when it can. */
export function variableNameProblem(name: string): string | undefined {
  return VARIABLE_NAME.test(name) ? undefined : `${JSON.stringify(name)} is not a variable name (letters, digits and _, not starting with a digit)`;
}

/** Plaintext variable names that look like secrets: they belong in `secrets`. */
/**
 * Words of a variable's name that say its value is a secret, in any case, anywhere between
 * underscores: `DB_PASSWORD`, `stripe_api_key`, `STRIPE_KEY_ID`, `API_CREDENTIALS`. A bare `KEY`
 * counts at the end only (`CACHE_KEY_PREFIX` names no secret).
 */
const SECRET_WORDS = /(?:^|_)(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIALS?|PRIVATE_KEY|API_KEY|ACCESS_KEY|KEY_ID|KEY)(?:_|$)/i;
const secretWord = (name: string): string | undefined => {
  const word = SECRET_WORDS.exec(name)?.[1]?.toUpperCase();
  return word === "KEY" && !/_KEY$/i.test(name) ? undefined : word;
};
/** A URL with a password in it (`postgres://app:s3cret@db/shop`): the password is in plain text. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:[^/@\s]+@/i;

/** One problem per plaintext variable whose name or value says it is a secret; the value is never repeated. */
export function plaintextSecretProblems(environment: Readonly<Record<string, unknown>>): Problem[] {
  const fix = "pass it in secrets as a Secrets Manager or SSM parameter ARN";
  return Object.entries(environment).flatMap(([name, value]): Problem[] => {
    const word = secretWord(name);
    if (word) return [{ field: name, message: `looks like a secret (its name says ${word}); ${fix}` }];
    if (typeof value === "string" && URL_WITH_PASSWORD.test(value))
      return [{ field: name, message: `holds a URL with a password in it (not repeated here); ${fix}` }];
    return [];
  });
}

const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(:[^:]*:[^:]*:[^:]*)?$/;
const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+$/;

/** Why a value cannot be a secret reference for ECS, or undefined when it can. */
export function secretArnProblem(arn: string): string | undefined {
  if (SECRETS_MANAGER_ARN.test(arn) || SSM_PARAMETER_ARN.test(arn)) return undefined;
  return `${shownArn(arn)} is not a Secrets Manager secret ARN nor an SSM parameter ARN`;
}

/** What is wrong with a value given as a Secrets Manager secret's ARN (the whole secret: no JSON key); undefined when it is one. */
export function secretsManagerArnProblem(arn: string): string | undefined {
  if (SECRETS_MANAGER_ARN.test(arn) && arn.split(":").length === 7) return undefined;
  return `${shownArn(arn)} is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`;
}

/** A value given where an ARN goes, as a message may show it: what is not even an ARN may be the secret itself, pasted there, and is never repeated. */
function shownArn(arn: string): string {
  return arn.startsWith("arn:")
    ? JSON.stringify(arn)
    : `a value that is not an ARN (${arn.length} character${arn.length === 1 ? "" : "s"}, not repeated here: it may be the secret itself)`;
}

/** The resources the execution role must read for these secret references, by service. */
export function secretResources(arns: readonly string[]): { secretsManager: string[]; ssm: string[] } {
  const secretsManager = new Set<string>();
  const ssm = new Set<string>();
  for (const arn of arns) {
    // A reference may select a JSON key: `<secret arn>:<key>:<stage>:<version>`; IAM wants the secret.
    if (arn.includes(":secretsmanager:")) secretsManager.add(arn.split(":").slice(0, 7).join(":"));
    else ssm.add(arn);
  }
  return { secretsManager: [...secretsManager].sort(), ssm: [...ssm].sort() };
}

const pairs = (record: Readonly<Record<string, string>>): KeyValuePair[] =>
  Object.keys(record)
    .sort()
    .map((name) => ({ name, value: record[name] }));

const secretList = (record: Readonly<Record<string, string>>): Secret[] =>
  Object.keys(record)
    .sort()
    .map((name) => ({ name, valueFrom: record[name] }));

function awslogs(specs: ContainerSpecs, prefix: string): ContainerDefinition["logConfiguration"] {
  return {
    logDriver: "awslogs",
    options: { "awslogs-group": specs.logGroupName, "awslogs-region": specs.region, "awslogs-stream-prefix": prefix },
  };
}

function appContainer(specs: ContainerSpecs): ContainerDefinition {
  const { app, logRouter, datadog } = specs;
  const environment = datadog ? { ...app.environment, DD_ENV: datadog.env, DD_SERVICE: datadog.service } : app.environment;
  const health = app.healthCheck;
  return {
    name: app.name,
    image: app.image,
    essential: true,
    ...(app.command ? { command: [...app.command] } : {}),
    ...(app.entryPoint ? { entryPoint: [...app.entryPoint] } : {}),
    ...(app.port !== undefined ? { portMappings: [{ containerPort: app.port, protocol: "tcp", name: `${app.name}-${app.port}` }] } : {}),
    environment: pairs(environment),
    secrets: secretList(app.secrets),
    ...(health
      ? {
          healthCheck: {
            command: [...health.command],
            interval: health.intervalSeconds ?? 10,
            timeout: health.timeoutSeconds ?? 5,
            retries: health.retries ?? 3,
            startPeriod: health.startPeriodSeconds ?? 10,
          },
        }
      : {}),
    stopTimeout: app.stopTimeoutSeconds,
    readonlyRootFilesystem: app.readonlyRootFilesystem,
    logConfiguration: logRouter
      ? { logDriver: "awsfirelens", options: { ...logRouter.options }, secretOptions: secretList(logRouter.secretOptions) }
      : awslogs(specs, app.name),
    // The log router must be up before the app writes its first line.
    ...(logRouter ? { dependsOn: [{ containerName: LOG_ROUTER_NAME, condition: "START" }] } : {}),
  };
}

function logRouterContainer(specs: ContainerSpecs, router: LogRouterSpec): ContainerDefinition {
  return {
    name: LOG_ROUTER_NAME,
    image: router.image,
    essential: true,
    firelensConfiguration: { type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } },
    logConfiguration: awslogs(specs, LOG_ROUTER_NAME),
  };
}

function datadogContainer(specs: ContainerSpecs, datadog: DatadogSidecarSpec): ContainerDefinition {
  return {
    name: DATADOG_AGENT_NAME,
    image: datadog.image,
    // Losing the agent loses metrics, not requests: it must not stop the task.
    essential: false,
    environment: pairs({ DD_SITE: datadog.site, ECS_FARGATE: "true", DD_APM_ENABLED: "true", DD_ENV: datadog.env, DD_SERVICE: datadog.service }),
    secrets: [{ name: "DD_API_KEY", valueFrom: datadog.apiKeySecretArn }],
    portMappings: [{ containerPort: 8126, protocol: "tcp" }],
    logConfiguration: awslogs(specs, DATADOG_AGENT_NAME),
  };
}

/** The task's containers: the app, then the log router and the Datadog agent when asked. */
export function buildContainerDefinitions(specs: ContainerSpecs): ContainerDefinition[] {
  return [
    appContainer(specs),
    ...(specs.logRouter ? [logRouterContainer(specs, specs.logRouter)] : []),
    ...(specs.datadog ? [datadogContainer(specs, specs.datadog)] : []),
  ];
}

/** Every secret ARN the task's containers read (the execution role must read exactly these). */
export function secretArnsOf(specs: Pick<ContainerSpecs, "app" | "datadog" | "logRouter">): string[] {
  return [
    ...Object.values(specs.app.secrets),
    ...(specs.datadog ? [specs.datadog.apiKeySecretArn] : []),
    ...Object.values(specs.logRouter?.secretOptions ?? {}),
  ];
}
