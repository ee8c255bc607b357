import { plaintextSecretProblems } from "../components/ecs/container";
import { STAR_ONLY } from "../components/iam";
import { TLS12_SSL_POLICIES } from "../components/loadbalancing/policies";

/** A resource as a rule sees it: in a preview (CrossGuard) or in an offline plan. */
export interface PolicyResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The parent's URN, when it has one. */
  readonly parent?: string | null;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The `protect` resource option. */
  readonly protect?: boolean;
}

/**
 * A value the preview does not know yet (an output of a resource not created, or anything made
 * from one). A rule judges what is known: a check that needs an unknown value is left to the
 * next preview, never reported as a violation, and never stops the rule's other checks (an
 * unknown read through CrossGuard's own proxy makes the whole policy advisory instead).
 */
export const UNKNOWN: unique symbol = Symbol("unknown in this preview");
export const isUnknown = (value: unknown): value is typeof UNKNOWN => value === UNKNOWN;

/** The value, or something inside it, is not known yet. */
export function hasUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value && typeof value === "object") return Object.values(value).some(hasUnknown);
  return false;
}

/** What a stack tells the rules (the pack's config in a preview, the stack config offline). */
export interface PolicyConfig {
  /** The stack keeps its data: stateful resources must be protected from deletion (`infra:protectData`). */
  readonly protectData?: boolean;
}

export type EnforcementLevel = "mandatory" | "advisory" | "disabled";

/** One rule: checks one resource (with the stack's others where it needs them); each violation says what and how to fix it. */
export interface Rule {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  /** The resource types it looks at. */
  readonly types: readonly string[];
  validate(resource: PolicyResource, stack: readonly PolicyResource[], config: PolicyConfig): string[];
}

const json = <T>(value: unknown): T | undefined => {
  if (typeof value !== "string") return value as T | undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
};
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Actions AWS only authorizes on `*` (no resource-level permission): the components' own list. */
export const STAR_ONLY_ACTIONS: ReadonlySet<string> = new Set(Object.values(STAR_ONLY).flat());

const POLICY_TYPES = ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"];
const statementsOf = (r: PolicyResource): Statement[] => list(json<{ Statement?: Statement | Statement[] }>(r.inputs.policy)?.Statement);
const sid = (s: Statement, i: number) => s.Sid ?? `statement ${i}`;

/** Load balancers' security groups in the stack: the only groups the internet may reach. */
function loadBalancerGroups(stack: readonly PolicyResource[]): Set<string> {
  return new Set(stack.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer").flatMap((r) => list(r.inputs.securityGroups as string[] | undefined)));
}

interface AslState {
  Type?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Branches?: { States: Record<string, AslState> }[];
  ItemProcessor?: { States: Record<string, AslState> };
}
function taskStates(states: Record<string, AslState> | undefined, prefix = ""): [string, AslState][] {
  return Object.entries(states ?? {}).flatMap(([name, s]) => [
    ...(s.Type === "Task" ? [[`${prefix}${name}`, s] as [string, AslState]] : []),
    ...(s.Branches ?? []).flatMap((b) => taskStates(b.States, `${prefix}${name}/`)),
    ...taskStates(s.ItemProcessor?.States, `${prefix}${name}/`),
  ]);
}

/** ECS's own strategies that keep the old tasks beside the new ones (all but ROLLING). */
const ECS_BLUE_GREEN_STRATEGIES: readonly string[] = ["BLUE_GREEN", "CANARY", "LINEAR"];

/** The tags every resource carries, for cost reports and ownership. */
export const REQUIRED_TAGS = ["product", "env", "team"] as const;

/** Every rule of the pack. */
export const RULES: readonly Rule[] = [
  {
    name: "ecs-blue-green-behind-target-group",
    description:
      "An ECS service behind a target group is released blue/green, never rolled in place: by CodeDeploy, or by ECS with a blue/green, canary or linear strategy and an alternate target group.",
    enforcementLevel: "mandatory",
    types: ["aws:ecs/service:Service"],
    validate: (r) => {
      if (hasUnknown(r.inputs.deploymentController)) return [];
      const loadBalancers = list(r.inputs.loadBalancers as { advancedConfiguration?: unknown }[] | undefined);
      const controller = (r.inputs.deploymentController as { type?: string } | undefined)?.type ?? "ECS";
      if (loadBalancers.length === 0 || controller === "CODE_DEPLOY") return [];
      const configuration = r.inputs.deploymentConfiguration as { strategy?: string } | undefined;
      if (controller === "ECS" && hasUnknown(configuration?.strategy)) return [];
      const strategy = configuration?.strategy ?? "ROLLING";
      if (controller === "ECS" && ECS_BLUE_GREEN_STRATEGIES.includes(strategy)) {
        if (hasUnknown(r.inputs.loadBalancers) || loadBalancers.every((l) => l.advancedConfiguration !== undefined)) return [];
        return [
          `strategy is ${strategy} but a load balancer has no advancedConfiguration: ECS needs the alternate target group and the listener rules to move (use BlueGreenService)`,
        ];
      }
      return [
        `deploymentController is ${controller}${controller === "ECS" ? ` with strategy ${strategy}` : ""}: a service behind a target group is released blue/green (CODE_DEPLOY, or ECS with ${ECS_BLUE_GREEN_STRATEGIES.join(", ")}) (use BlueGreenService)`,
      ];
    },
  },
  {
    name: "ecs-private-tasks",
    description: "ECS tasks run in private subnets without a public IP.",
    enforcementLevel: "mandatory",
    types: ["aws:ecs/service:Service"],
    validate: (r) =>
      (r.inputs.networkConfiguration as { assignPublicIp?: boolean } | undefined)?.assignPublicIp === true
        ? ["networkConfiguration.assignPublicIp is true: run tasks in private subnets without a public IP (egress through NAT or endpoints)"]
        : [],
  },
  {
    name: "no-world-ingress-except-load-balancer-http",
    description: "Ingress from 0.0.0.0/0 or ::/0 only to a load balancer's security group, on 80 or 443.",
    enforcementLevel: "mandatory",
    types: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
    validate: (r, stack) => {
      const cidr = (r.inputs.cidrIpv4 as string | undefined) ?? (r.inputs.cidrIpv6 as string | undefined);
      if (cidr !== "0.0.0.0/0" && cidr !== "::/0") return [];
      const port = r.inputs.fromPort;
      if (isUnknown(port) || isUnknown(r.inputs.toPort)) return [];
      // A group's id is not known before it exists: then the rule belongs to a load balancer's
      // group when it was declared beside a load balancer (by the component that declared it).
      const group = r.inputs.securityGroupId;
      const toLoadBalancer = isUnknown(group) ? declaredBesideLoadBalancer(stack, r) : loadBalancerGroups(stack).has(String(group));
      return toLoadBalancer && port === r.inputs.toPort && (port === 80 || port === 443)
        ? []
        : [
            `ingress from ${cidr} on ${String(port)}-${String(r.inputs.toPort)} to ${isUnknown(group) ? "a new security group" : String(group)}: the internet may reach only a load balancer, on 80 or 443`,
          ];
    },
  },
  {
    name: "no-plaintext-secrets",
    description: "No secret-looking variable in a task definition's plaintext environment.",
    enforcementLevel: "mandatory",
    types: ["aws:ecs/taskDefinition:TaskDefinition"],
    validate: (r) =>
      list(json<{ name?: string; environment?: { name: string; value: string }[] }[]>(r.inputs.containerDefinitions)).flatMap((c) =>
        plaintextSecretProblems(Object.fromEntries((c.environment ?? []).map((e) => [e.name, e.value]))).map(
          (p) => `container ${c.name ?? "?"}: environment.${p.field} ${p.message}`,
        ),
      ),
  },
  {
    name: "iam-least-privilege",
    description: "IAM policies: no * action, * resource only for actions AWS allows on * only, iam:PassRole scoped to named roles and a service.",
    enforcementLevel: "mandatory",
    types: POLICY_TYPES,
    validate: (r) =>
      statementsOf(r)
        .filter((s) => s.Effect !== "Deny")
        .flatMap((s, i) => {
          const actions = list(s.Action);
          const resources = list(s.Resource);
          const out: string[] = [];
          for (const a of actions) if (a === "*" || a.endsWith(":*")) out.push(`${sid(s, i)}: action ${a}: name the actions the role needs`);
          if (resources.includes("*")) {
            const broad = actions.filter((a) => !STAR_ONLY_ACTIONS.has(a));
            if (broad.length)
              out.push(`${sid(s, i)}: ${broad.join(", ")} on resource *: name the resources (only actions AWS authorizes on * alone may use it)`);
          }
          if (actions.includes("iam:PassRole")) {
            if (resources.some((res) => res.includes("*"))) out.push(`${sid(s, i)}: iam:PassRole on ${resources.join(", ")}: name the roles it passes`);
            if (!s.Condition?.StringEquals?.["iam:PassedToService"] && !s.Condition?.StringLike?.["iam:PassedToService"]) {
              out.push(`${sid(s, i)}: iam:PassRole without an iam:PassedToService condition: say which service receives the role`);
            }
          }
          return out;
        }),
  },
  {
    name: "state-machine-timeouts-and-logs",
    description: "Every Task state of a state machine has a timeout; every state machine logs.",
    enforcementLevel: "mandatory",
    types: ["aws:sfn/stateMachine:StateMachine"],
    validate: (r) => {
      const definition = json<{ States?: Record<string, AslState> }>(r.inputs.definition);
      const out = taskStates(definition?.States)
        .filter(([, s]) => s.TimeoutSeconds === undefined && s.TimeoutSecondsPath === undefined)
        .map(([name]) => `Task state "${name}" has no TimeoutSeconds: a stuck call would run for a year`);
      const logging = r.inputs.loggingConfiguration as { level?: string } | typeof UNKNOWN | undefined;
      const level = isUnknown(logging) ? UNKNOWN : logging?.level;
      if (!isUnknown(level) && (!level || level === "OFF")) out.push("loggingConfiguration.level is off: log at least ERROR to a log group");
      return out;
    },
  },
  {
    name: "schedules-deliver-or-tell",
    description: "Every schedule has a dead-letter queue, a retry policy, a time zone and no flexible window.",
    enforcementLevel: "mandatory",
    types: ["aws:scheduler/schedule:Schedule"],
    validate: (r) => {
      // An unknown part is there, only not known yet (a queue's ARN before the queue exists).
      const target = r.inputs.target as { deadLetterConfig?: { arn?: string }; retryPolicy?: object } | typeof UNKNOWN | undefined;
      const out: string[] = [];
      if (!isUnknown(target)) {
        if (!target?.deadLetterConfig?.arn) out.push("target.deadLetterConfig: a run Scheduler gives up on would vanish: set a dead-letter queue");
        if (!target?.retryPolicy) out.push("target.retryPolicy: set one, so that a throttled start is retried");
      }
      if (!r.inputs.scheduleExpressionTimezone) out.push("scheduleExpressionTimezone: set the zone the schedule means (Asia/Tokyo)");
      const window = r.inputs.flexibleTimeWindow as { mode?: string } | typeof UNKNOWN | undefined;
      if (!isUnknown(window) && !isUnknown(window?.mode) && window?.mode !== "OFF") out.push("flexibleTimeWindow.mode: OFF, so that a run starts at its time");
      return out;
    },
  },
  {
    name: "load-balancers-https-and-logs",
    description: "Load balancers drop invalid headers and write access logs; listeners serve HTTPS with a TLS 1.2+ policy or redirect to it.",
    enforcementLevel: "mandatory",
    types: ["aws:lb/loadBalancer:LoadBalancer", "aws:lb/listener:Listener"],
    validate: (r) => {
      if (r.type === "aws:lb/loadBalancer:LoadBalancer") {
        const logs = r.inputs.accessLogs as { enabled?: boolean } | typeof UNKNOWN | undefined;
        const logsOn = isUnknown(logs) || isUnknown(logs?.enabled) || logs?.enabled === true;
        return [
          ...(r.inputs.dropInvalidHeaderFields === true || isUnknown(r.inputs.dropInvalidHeaderFields)
            ? []
            : ["dropInvalidHeaderFields: true, so that malformed headers never reach the app"]),
          ...(logsOn ? [] : ["accessLogs: enable them, to an encrypted bucket"]),
        ];
      }
      if (isUnknown(r.inputs.protocol)) return [];
      if (r.inputs.protocol === "HTTPS") {
        return isUnknown(r.inputs.sslPolicy) || (TLS12_SSL_POLICIES as readonly string[]).includes(String(r.inputs.sslPolicy))
          ? []
          : [`sslPolicy ${String(r.inputs.sslPolicy)}: use a TLS 1.2+ policy`];
      }
      if (isUnknown(r.inputs.defaultActions)) return [];
      const actions = list(r.inputs.defaultActions as { type?: string; redirect?: { protocol?: string } }[] | undefined);
      return actions.every((a) => isUnknown(a) || (a.type === "redirect" && (isUnknown(a.redirect) || a.redirect?.protocol === "HTTPS")))
        ? []
        : [`a ${String(r.inputs.protocol)} listener that does not redirect to HTTPS: plain HTTP must only redirect`];
    },
  },
  {
    name: "log-retention",
    description: "Every log group has a retention.",
    enforcementLevel: "mandatory",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    validate: (r) =>
      isUnknown(r.inputs.retentionInDays) || (typeof r.inputs.retentionInDays === "number" && r.inputs.retentionInDays > 0)
        ? []
        : ["retentionInDays: set one; logs kept for ever cost for ever"],
  },
  {
    name: "data-encrypted",
    description: "DynamoDB tables encrypted with point-in-time recovery; Redis encrypted at rest and in transit.",
    enforcementLevel: "mandatory",
    types: ["aws:dynamodb/table:Table", "aws:elasticache/replicationGroup:ReplicationGroup"],
    validate: (r) => {
      if (r.type === "aws:dynamodb/table:Table") {
        return [
          ...((r.inputs.serverSideEncryption as { enabled?: boolean } | undefined)?.enabled === true ? [] : ["serverSideEncryption.enabled: true"]),
          ...((r.inputs.pointInTimeRecovery as { enabled?: boolean } | undefined)?.enabled === true
            ? []
            : ["pointInTimeRecovery.enabled: true, to restore a table to any second of the last 35 days"]),
        ];
      }
      return [
        ...(r.inputs.atRestEncryptionEnabled === true ? [] : ["atRestEncryptionEnabled: true"]),
        ...(r.inputs.transitEncryptionEnabled === true ? [] : ["transitEncryptionEnabled: true (clients connect with rediss://)"]),
      ];
    },
  },
  {
    name: "s3-private-encrypted-tls-only",
    description: "S3 buckets block public access, are encrypted, and refuse requests without TLS.",
    enforcementLevel: "mandatory",
    types: ["aws:s3/bucket:Bucket"],
    validate: (r, stack) => {
      // The bucket's settings are resources of their own, beside it and named after it (its id is
      // not known in a preview, its place in the tree is).
      const about = (type: string) => stack.filter((x) => x.type === type && x.parent === r.parent && x.name.startsWith(`${r.name}-`));
      const out: string[] = [];
      const block = about("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0]?.inputs;
      if (!block || !["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => block[k] === true)) {
        out.push("a BucketPublicAccessBlock with all four settings true");
      }
      if (about("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").length === 0)
        out.push("a BucketServerSideEncryptionConfiguration");
      // A bucket policy names its bucket's ARN: before the bucket exists, the whole document is unknown.
      const tlsOnly = about("aws:s3/bucketPolicy:BucketPolicy").some(
        (p) => isUnknown(p.inputs.policy) || JSON.stringify(json(p.inputs.policy) ?? {}).includes('"aws:SecureTransport":"false"'),
      );
      if (!tlsOnly) out.push('a bucket policy that denies requests with "aws:SecureTransport": "false"');
      return out;
    },
  },
  {
    name: "stateful-protected",
    description: "In a stack that keeps its data, tables, caches and buckets are protected from deletion.",
    enforcementLevel: "mandatory",
    types: ["aws:dynamodb/table:Table", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:s3/bucket:Bucket"],
    validate: (r, _stack, config) =>
      config.protectData === true && r.protect !== true ? ["not protected: this stack keeps its data (protectData); protect it (and retainOnDelete)"] : [],
  },
  {
    name: "required-tags",
    description: "Every taggable AWS resource carries the product, env and team tags (the provider's default tags).",
    enforcementLevel: "mandatory",
    types: ["pulumi:providers:aws"],
    validate: (r) => {
      const tags = json<{ tags?: Record<string, string> }>(r.inputs.defaultTags)?.tags ?? {};
      const missing = REQUIRED_TAGS.filter((t) => !tags[t]);
      return missing.length ? [`defaultTags.tags lacks ${missing.join(", ")}: set them in infra:tags`] : [];
    },
  },
  {
    name: "secrets-from-the-stack-account",
    description: "Secret ARNs name the stack's own account and region (a copied line from another stack usually does not).",
    enforcementLevel: "advisory",
    types: ["aws:ecs/taskDefinition:TaskDefinition"],
    validate: (r, stack) => {
      const provider = stack.find((x) => x.type === "pulumi:providers:aws");
      const account = json<string[]>(provider?.inputs.allowedAccountIds)?.[0];
      const region = provider?.inputs.region as string | undefined;
      if (!account || !region) return [];
      return list(json<{ name?: string; secrets?: { name: string; valueFrom: string }[] }[]>(r.inputs.containerDefinitions)).flatMap((c) =>
        (c.secrets ?? [])
          .filter((s) => {
            const [, , , arnRegion, arnAccount] = s.valueFrom.split(":");
            return arnRegion !== region || arnAccount !== account;
          })
          .map(
            (s) =>
              `container ${c.name ?? "?"}: secret ${s.name} is in ${s.valueFrom.split(":").slice(3, 5).join(" / ")}, not the stack's ${region} / ${account}`,
          ),
      );
    },
  },
  {
    name: "internet-facing-load-balancer-has-web-acl",
    description: "Every internet-facing load balancer has a WAF web ACL associated (Security Hub ELB.16).",
    enforcementLevel: "mandatory",
    types: ["aws:lb/loadBalancer:LoadBalancer"],
    validate: (r, stack) => {
      if (r.inputs.internal === true) return [];
      // In a preview the load balancer's ARN is not known yet: an association is its when it was
      // declared by the component that declared the load balancer (or one of its children).
      const owner = r.parent;
      const protectedHere = stack.some((x) => x.type === "aws:wafv2/webAclAssociation:WebAclAssociation" && owner && ancestors(stack, x).includes(owner));
      return protectedHere ? [] : ["faces the internet with no web ACL: give it a WebAcl (LoadBalancer does), or make it internal"];
    },
  },
];

/** Declared by the component that declared a load balancer of the stack (or by one of its children). */
function declaredBesideLoadBalancer(stack: readonly PolicyResource[], r: PolicyResource): boolean {
  const owners = stack.filter((x) => x.type === "aws:lb/loadBalancer:LoadBalancer" && x.parent).map((x) => x.parent!);
  const chain = ancestors(stack, r);
  return owners.some((owner) => chain.includes(owner));
}

/** The URNs of a resource's parents, nearest first. */
function ancestors(stack: readonly PolicyResource[], r: PolicyResource): string[] {
  const byUrn = new Map(stack.map((x) => [x.urn, x]));
  const chain: string[] = [];
  for (let parent = r.parent; parent && !chain.includes(parent); parent = byUrn.get(parent)?.parent) chain.push(parent);
  return chain;
}
