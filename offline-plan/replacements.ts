/**
 * What `pulumi up` does to a changed resource the library declares: replace it (delete and create:
 * a stateful one loses its data) or update it in place. The provider decides, from each input's
 * schema (ForceNew in terraform-provider-aws, which @pulumi/aws wraps; `triggers` in
 * pulumi-command). The offline plan has no provider, so the inputs that replace are listed here
 * for the types the library declares, from those schemas; a type not listed is taken to update.
 * The engine tests' provider stand-ins replace by the same list.
 */
const EXCEPT =
  (...updatable: string[]) =>
  (input: string) =>
    !updatable.includes(input);
const ONLY =
  (...replacing: string[]) =>
  (input: string) =>
    replacing.includes(input);

/** Type → whether a change of this top-level input replaces the resource. */
export const REPLACED_BY: Readonly<Record<string, (input: string) => boolean>> = {
  // A revision cannot change: every argument but these is ForceNew (task_definition.go).
  "aws:ecs/taskDefinition:TaskDefinition": EXCEPT("tags", "tagsAll", "skipDestroy", "trackLatest"),
  // "Trigger a resource replacement on changes to any of these values" (local.Command).
  "command:local:Command": ONLY("triggers"),
  // Not the deployment controller: the provider moves a service between CODE_DEPLOY and ECS with an
  // UpdateService (its update sends deploymentController), as ECS's in-place migration does.
  "aws:ecs/service:Service": ONLY("name", "cluster", "launchType", "schedulingStrategy", "iamRole"),
  "aws:ecs/cluster:Cluster": ONLY("name"),
  "aws:lb/targetGroup:TargetGroup": ONLY("name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"),
  "aws:lb/listenerRule:ListenerRule": ONLY("listenerArn"),
  "aws:lb/loadBalancer:LoadBalancer": ONLY("name", "namePrefix", "internal", "loadBalancerType"),
  "aws:ec2/securityGroup:SecurityGroup": ONLY("name", "namePrefix", "description", "vpcId"),
  "aws:wafv2/webAcl:WebAcl": ONLY("name", "scope"),
  "aws:cloudwatch/logGroup:LogGroup": ONLY("name", "namePrefix", "logGroupClass"),
  "aws:iam/role:Role": ONLY("name", "namePrefix", "path"),
  "aws:dynamodb/table:Table": ONLY("name", "hashKey", "rangeKey"),
  "aws:elasticache/replicationGroup:ReplicationGroup": ONLY("replicationGroupId", "port", "subnetGroupName", "atRestEncryptionEnabled"),
  "aws:s3/bucket:Bucket": ONLY("bucket", "bucketPrefix"),
  "aws:sqs/queue:Queue": ONLY("name", "namePrefix", "fifoQueue"),
  "aws:sfn/stateMachine:StateMachine": ONLY("name", "namePrefix", "type"),
  "aws:ec2/vpc:Vpc": ONLY("cidrBlock", "instanceTenancy"),
  "aws:ec2/subnet:Subnet": ONLY("vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"),
};

/** Types whose replacement loses data: a diff names them first. */
export const STATEFUL_TYPES: readonly string[] = [
  "aws:dynamodb/table:Table",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:s3/bucket:Bucket",
  "aws:sqs/queue:Queue",
  "aws:cloudwatch/logGroup:LogGroup",
];

/** The inputs (top-level names) among `changed` that make the provider replace a resource of `type`. */
export function replacingInputs(type: string, changed: readonly string[]): string[] {
  const replaces = REPLACED_BY[type];
  return replaces ? [...new Set(changed.filter(replaces))] : [];
}
