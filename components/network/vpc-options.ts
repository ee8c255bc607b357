/** The choices a Vpc offers: its endpoint services, NAT strategies and flow log traffic types. */

/** Gateway endpoints (free; attached to route tables). */
export const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;
export type GatewayEndpointService = (typeof GATEWAY_ENDPOINT_SERVICES)[number];

/**
 * Interface endpoints a Fargate workload commonly needs, so that image pulls, logs, secrets and
 * ECS Exec do not cross the NAT. Each is `com.amazonaws.<region>.<service>`.
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "secretsmanager",
  "ssm",
  "ssmmessages",
  "ec2messages",
  "sts",
  "kms",
  "monitoring",
  "sqs",
  "sns",
  "states",
  "ecs",
  "ecs-agent",
  "ecs-telemetry",
  "elasticache",
] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** NAT strategies: a NAT gateway in every AZ, one shared NAT gateway, or no egress at all. */
export const NAT_STRATEGIES = ["perAz", "single", "none"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

/** Traffic a flow log records. */
export const FLOW_LOG_TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"] as const;
export type FlowLogTrafficType = (typeof FLOW_LOG_TRAFFIC_TYPES)[number];
