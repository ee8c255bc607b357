// The network: a VPC per stack with its subnets, NAT, endpoints and flow logs.
// Imported as `@shop-sre/infra/network` (or everything at once from `@shop-sre/infra`).
export { Vpc, type VpcArgs, type VpcFlowLogsArgs, VPC_DEFAULTS } from "./vpc";
export { planSubnets, type AzSubnets } from "./cidr";
export { INTERFACE_ENDPOINT_SERVICES, type InterfaceEndpointService, type NatStrategy } from "./vpc-options";
