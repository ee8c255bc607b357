import { ConfigError, show } from "./errors";
import { describeIssue, formatIssues } from "./issues";
import { overlaps, parseIpv4Cidr } from "../../components/network/cidr";
import { VPC_DEFAULTS } from "../../components/network/vpc";
import { TASK_DEFAULTS } from "../../components/ecs/task-definition";
import { type InfraConfig, infraSchema, type StackConfig } from "./schema";
import { colourProblems } from "./jobs";
import { configuredWorkloads } from "./workloads";

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Config keys as Pulumi gives them: `namespace:key` → value (structured values already parsed). */
export type RawConfig = Readonly<Record<string, unknown>>;

/**
 * Turns a stack's raw config into a typed {@link StackConfig}. `neighbours` are the VPC CIDRs of
 * the project's other stacks, by stack name (`readNeighbourCidrs`): a VPC that overlaps one of
 * them could never be peered with it or share a transit gateway., or throws a {@link ConfigError}
 * listing every problem. Pure: it registers nothing, so a bad config stops the program before
 * any resource exists.
 */
export function loadStackConfig(raw: RawConfig, neighbours: Readonly<Record<string, string>> = {}): StackConfig {
  const { region, infra } = normalize(raw);
  const problems = validateRegion(region);
  const parsed = infraSchema.safeParse(infra, { error: describeIssue });
  if (!parsed.success) problems.push(...formatIssues("infra", parsed.error.issues));
  if (parsed.success && problems.length === 0) {
    problems.push(
      ...crossCheck(parsed.data.network.azs, region as string),
      ...overlapProblems(parsed.data.network.cidr, neighbours),
      ...egressProblems(parsed.data),
      ...colourProblems(parsed.data),
    );
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return { region: region as string, ...parsed.data };
}

/** Splits the flat `namespace:key` map into the region and the `infra:` object. */
function normalize(raw: RawConfig): { region: unknown; infra: Record<string, unknown> } {
  const infra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith("infra:")) infra[key.slice("infra:".length)] = value;
  }
  return { region: raw["aws:region"], infra: withAppImage(infra) };
}

/** The keys of the workloads that run a container image: services, batches, worker groups, the scheduler. */
const WORKLOAD_MAPS = [["services"], ["batches"], ["jobs", "back"], ["jobs", "periodic"]] as const;

/**
 * `infra:image` is the app image of every workload that names none: a copy of the config with it
 * filled in, so that the schema checks each workload's image the same way and a release is the
 * one line of `infra:image`. Anything that is not a map is left for the schema to refuse.
 */
function withAppImage(infra: Record<string, unknown>): Record<string, unknown> {
  const image = infra.image;
  if (image === undefined) return infra;
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const fill = (workload: unknown): unknown => (isMap(workload) && !("image" in workload) ? { ...workload, image } : workload);
  const fillAll = (map: unknown): unknown => (isMap(map) ? Object.fromEntries(Object.entries(map).map(([k, w]) => [k, fill(w)])) : map);
  const out: Record<string, unknown> = { ...infra };
  for (const path of WORKLOAD_MAPS) {
    if (path.length === 1) out[path[0]] = fillAll(out[path[0]]);
    else if (isMap(out.jobs)) out.jobs = { ...out.jobs, [path[1]]: fillAll(out.jobs[path[1]]) };
  }
  if (isMap(out.jobs)) out.jobs = { ...out.jobs, scheduler: fill(out.jobs.scheduler) };
  return out;
}

function validateRegion(region: unknown): string[] {
  if (region === undefined) return ["aws:region: is required (for example ap-northeast-1)"];
  if (typeof region !== "string" || !REGION.test(region)) {
    return [`aws:region: ${show(region)} is not an AWS region name (like ap-northeast-1)`];
  }
  return [];
}

/** Checks that need more than one key. */
function crossCheck(azs: readonly string[], region: string): string[] {
  return azs.filter((az) => az.slice(0, -1) !== region).map((az) => `infra:network.azs: ${show(az)} is not in region ${region}`);
}

/** The VPC must not overlap another stack's. */
function overlapProblems(cidr: string, neighbours: Readonly<Record<string, string>>): string[] {
  const mine = parseIpv4Cidr(cidr);
  if (!mine) return [];
  return Object.entries(neighbours).flatMap(([stack, other]) => {
    const theirs = parseIpv4Cidr(other);
    return theirs && overlaps(mine, theirs)
      ? [
          `infra:network.cidr: ${show(cidr)} overlaps stack ${stack}'s ${other} (Pulumi.${stack}.yaml): VPCs that may be peered or share a transit gateway must not overlap`,
        ]
      : [];
  });
}

/** The interface endpoints a private task needs to start at all without a NAT: pull its image, write its logs. */
const NO_NAT_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs"] as const;

/** Without a NAT, private tasks reach AWS only through endpoints: the ones they need to start must be there. */
function egressProblems(config: InfraConfig): string[] {
  const n = { ...VPC_DEFAULTS, ...config.network };
  const runsTasks = Object.keys(config.services).length + Object.keys(config.batches).length > 0 || config.jobs !== undefined;
  if (n.natStrategy !== "none" || !runsTasks) return [];
  const needed = [...NO_NAT_ENDPOINTS, ...(hasSecrets(config) ? (["secretsmanager"] as const) : [])].filter(
    (e) => !(n.interfaceEndpoints as readonly string[]).includes(e),
  );
  const problems = needed.length
    ? [`infra:network.natStrategy: "none" leaves private tasks no way to ${needed.join(", ")}: add them to interfaceEndpoints, or use "single" or "perAz"`]
    : [];
  if (!n.gatewayEndpoints.includes("s3"))
    problems.push('infra:network.natStrategy: "none" needs the s3 gateway endpoint too (ECR serves image layers from S3): add s3 to gatewayEndpoints');
  // ECS Exec's agent opens its channels to ssmmessages: without it a shell never attaches.
  if (ecsWorkloads(config).some((w) => w.shell ?? TASK_DEFAULTS.enableExecuteCommand) && !(n.interfaceEndpoints as readonly string[]).includes("ssmmessages"))
    problems.push(
      'infra:network.natStrategy: "none" leaves ECS Exec (npm run shell) no way to ssmmessages: add it to interfaceEndpoints, or set shell: false on every workload',
    );
  return problems;
}

/** Every ECS workload's task config: web services, batches, worker groups, the scheduler. */
const ecsWorkloads = (config: InfraConfig) => configuredWorkloads(config).map((w) => w.task);

function hasSecrets(config: InfraConfig): boolean {
  return config.jobs !== undefined || ecsWorkloads(config).some((w) => Object.keys(w.secrets).length > 0);
}
