// The component library: what a product team imports (`import { BlueGreenService } from "@shop-sre/infra"`).
// Each component comes with its args type; pure helpers that a caller may want (validators,
// tables of AWS limits) are exported too. Each module is also a subpath of its own
// (`@shop-sre/infra/ecs`, `@shop-sre/infra/batch`...), which loads only what that module needs.
export { InfraComponent } from "./component";
export type { Problem } from "./problems";
export { LOG_RETENTION_DAYS, NAME_LIMITS, type LogRetentionDays } from "./aws-limits";

export * from "./network";
export * from "./ecs";
export * from "./loadbalancing";
export * from "./deploy";
export * from "./batch";
export * from "./data";
export * from "./jobs";
export * from "./monitoring";
export * from "./chat";
