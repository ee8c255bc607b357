import { FakeAwsError } from "./fake-ecs";

type Json = Record<string, unknown>;

/**
 * What an account holds for preflight, answered as ECR, Secrets Manager, SSM, IAM's policy
 * simulator and CloudWatch Logs answer the requests preflight sends: DescribeImages by tag or
 * digest (ImageNotFoundException / RepositoryNotFoundException), DescribeSecret
 * (ResourceNotFoundException), DescribeParameters with a Name filter (an empty list when none),
 * SimulatePrincipalPolicy from each role's allowed (action, resource) pairs (NoSuchEntity for an
 * unknown role), DescribeLogGroups by prefix. Denied and throttled operations are set by a test,
 * and so are other errors a service answers with (IAM's `AccessDenied`, EC2's `RequestLimitExceeded`...).
 */
export class FakeAccount {
  readonly calls: { operation: string; input: Json }[] = [];
  /** `registry/repository` → tags and digests it holds. */
  readonly repositories = new Map<string, string[]>();
  readonly secrets = new Set<string>();
  /** Secrets scheduled for deletion: DescribeSecret still answers, with a DeletedDate. */
  readonly deletedSecrets = new Set<string>();
  readonly parameters = new Set<string>();
  /** role ARN → `action resource` pairs its policies allow. */
  readonly roles = new Map<string, Set<string>>();
  /** role ARN → its policy documents (IAM JSON), evaluated by the simulator besides `roles`. */
  readonly policies = new Map<string, PolicyDocument[]>();
  readonly logGroups = new Set<string>();
  readonly denied = new Set<string>();
  /** operation → how many more calls are throttled. */
  readonly throttled = new Map<string, number>();
  /** operation → the error name every call of it fails with (and how many more times; every time when unset). */
  readonly failing = new Map<string, { name: string; times?: number }>();

  handle(operation: string, input: Json): Json {
    this.calls.push({ operation, input });
    const throttles = this.throttled.get(operation) ?? 0;
    if (throttles > 0) {
      this.throttled.set(operation, throttles - 1);
      throw new FakeAwsError("ThrottlingException", "Rate exceeded");
    }
    const failure = this.failing.get(operation);
    if (failure && (failure.times ?? 1) > 0) {
      if (failure.times !== undefined) this.failing.set(operation, { ...failure, times: failure.times - 1 });
      throw new FakeAwsError(failure.name, `${failure.name} (${operation})`);
    }
    if (this.denied.has(operation))
      throw new FakeAwsError("AccessDeniedException", `User: arn:aws:sts::222222222222:assumed-role/ci-preview/run is not authorized to perform: ${operation}`);
    switch (operation) {
      case "ecr:DescribeImages": {
        const tags = this.repositories.get(`${String(input.registryId)}/${String(input.repositoryName)}`);
        if (!tags)
          throw new FakeAwsError(
            "RepositoryNotFoundException",
            `The repository with name '${String(input.repositoryName)}' does not exist in the registry with id '${String(input.registryId)}'`,
          );
        const [id] = input.imageIds as { imageTag?: string; imageDigest?: string }[];
        const wanted = id?.imageTag ?? id?.imageDigest ?? "";
        if (!tags.includes(wanted)) throw new FakeAwsError("ImageNotFoundException", `The image with imageId {${wanted}} does not exist within the repository`);
        return { imageDetails: [{ repositoryName: input.repositoryName, imageTags: [wanted] }] };
      }
      case "secretsmanager:DescribeSecret": {
        const id = String(input.SecretId);
        if (!this.secrets.has(id) && !this.deletedSecrets.has(id))
          throw new FakeAwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        return { ARN: id, Name: id.split(":")[6], ...(this.deletedSecrets.has(id) ? { DeletedDate: new Date("2026-12-01T00:00:00Z") } : {}) };
      }
      case "ssm:DescribeParameters": {
        const [filter] = input.ParameterFilters as { Values: string[] }[];
        return { Parameters: filter!.Values.filter((v) => this.parameters.has(v)).map((Name) => ({ Name })) };
      }
      case "iam:SimulatePrincipalPolicy": {
        const role = String(input.PolicySourceArn);
        const allowed = this.roles.get(role);
        const documents = this.policies.get(role);
        if (!allowed && !documents) throw new FakeAwsError("NoSuchEntityException", `The role with name ${role.split("/").pop()} cannot be found.`);
        const [action = ""] = input.ActionNames as string[];
        const [resource = ""] = input.ResourceArns as string[];
        const decision = allowed?.has(`${action} ${resource}`) ? "allowed" : evaluate(documents ?? [], action, resource);
        return { EvaluationResults: [{ EvalActionName: action, EvalResourceName: resource, EvalDecision: decision }] };
      }
      case "logs:DescribeLogGroups":
        return { logGroups: [...this.logGroups].filter((g) => g.startsWith(String(input.logGroupNamePrefix))).map((logGroupName) => ({ logGroupName })) };
      default:
        throw new FakeAwsError("UnknownOperationException", `${operation} is not served here`);
    }
  }
}

/** An IAM policy document, as a role policy holds it. */
export interface PolicyDocument {
  readonly Statement: readonly {
    readonly Effect: "Allow" | "Deny";
    readonly Action?: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: unknown;
  }[];
}

/** IAM's wildcards: `*` any run of characters, `?` one; actions compare without case, as IAM compares them. */
function matches(patterns: string | readonly string[] | undefined, value: string, ignoreCase: boolean): boolean {
  return [patterns ?? []].flat().some((p) => {
    const source = p
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
  });
}

/**
 * The simulator's decision for one action on one resource: an explicit deny wins, then an allow.
 * A statement with a condition matches nothing: the simulator is given no context keys here, and
 * a condition on a key it lacks does not hold.
 */
function evaluate(documents: readonly PolicyDocument[], action: string, resource: string): "allowed" | "explicitDeny" | "implicitDeny" {
  const applying = documents
    .flatMap((d) => d.Statement)
    .filter((s) => s.Condition === undefined && matches(s.Action, action, true) && matches(s.Resource, resource, false));
  if (applying.some((s) => s.Effect === "Deny")) return "explicitDeny";
  return applying.some((s) => s.Effect === "Allow") ? "allowed" : "implicitDeny";
}
