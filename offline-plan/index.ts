// The offline plan: a Pulumi program run under Pulumi's mocks, recorded as a plan (every resource,
// its parent, inputs and options). `planProject` plans a team's own project; `recordProgram` a
// program function (in a test, say).
export { planProject, ProjectError, DEFAULT_ACCOUNT_ID, type ProjectPlanOptions } from "./project";
export { recordProgram, canonical, type RecordTarget } from "./record";
export { PlanMocks, type RegisteredResource } from "./mocks";
export type { MockLocation } from "./arns";
export type { Plan, PlannedResource, PlannedOptions } from "./plan";
export { formatCounts, formatTree, keyInputs, serializePlan } from "./text";
export { readStackFile, toPulumiConfig, stackNames, StackFileError, type StackConfig } from "./stack-file";
