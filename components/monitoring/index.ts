// Monitors: Datadog monitors, SLOs, the stack dashboard and PagerDuty routing.
// Imported as `@shop-sre/infra/monitoring` (or everything at once from `@shop-sre/infra`).
export { WorkloadMonitors, type WorkloadMonitorsArgs, type WorkloadInput } from "./workload-monitors";
export { ServiceSlo, type ServiceSloArgs, type SloSettings, BURN_RATES, SLO_TIMEFRAMES } from "./service-slo";
export { StackDashboard, type StackDashboardArgs, dashboardBody } from "./stack-dashboard";
export { PagerDutyRouting, type PagerDutyRoutingArgs, type EscalationTarget } from "./pagerduty-routing";
export { monitorsFor, silenceWindowHours, type MonitorSpec, type Workload, type CatalogContext } from "./catalog";
export { stackRouting, handleProblem, type AlertRouting } from "./routing";
