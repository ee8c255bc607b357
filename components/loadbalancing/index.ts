// Load balancing: the ALB with its listeners, health checks, TLS policies and the web ACL.
// Imported as `@shop-sre/infra/loadbalancing` (or everything at once from `@shop-sre/infra`).
export { LoadBalancer, type LoadBalancerArgs, type TestListenerArgs, type ExistingLoadBalancer, DEFAULT_SSL_POLICY } from "./load-balancer";
export { HEALTH_CHECK_DEFAULTS, type TargetHealthCheckArgs } from "./health-check";
export { TLS12_SSL_POLICIES, type Tls12SslPolicy } from "./policies";
export {
  WebAcl,
  type WebAclArgs,
  type ManagedRuleGroupName,
  type ManagedRuleGroupUse,
  type WafMode,
  MANAGED_RULE_GROUPS,
  WEB_ACL_DEFAULTS,
  WAF_MODES,
  webAclCapacity,
} from "./web-acl";
