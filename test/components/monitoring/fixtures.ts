import type { Workload } from "../../../components/monitoring/catalog";

/** One workload of every kind, with ids as AWS would name them. */
export const WORKLOADS: Workload[] = [
  {
    kind: "web",
    name: "web",
    ids: { loadBalancer: "app/web-lb/0123abcd", cluster: "shop", service: "shop-web", deploymentGroup: "shop-web" },
    waf: { aclName: "shop-web", mode: "block", alertPer10Minutes: 1000 },
  },
  { kind: "worker", name: "back-default", ids: { cluster: "shop", service: "shop-back-default" } },
  { kind: "scheduler", name: "scheduler", ids: { cluster: "shop", service: "shop-scheduler" } },
  {
    kind: "batch",
    name: "batch-clearing",
    schedule: "cron(5 0 * * ? *)",
    enabled: true,
    ids: { stateMachineArn: "arn:aws:states:ap-northeast-1:123456789012:stateMachine:shop-clearing" },
  },
  { kind: "redis", name: "redis", replicas: 1, ids: { replicationGroupId: "jobs-redis-group" } },
  { kind: "queue", name: "batch-dlq", ids: { queueName: "batch-dlq" } },
];
