import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../../components/aws-limits";
import { layoutProblem, MAX_AZS, vpcCidrProblem } from "../../components/network/cidr";
import { FLOW_LOG_TRAFFIC_TYPES, GATEWAY_ENDPOINT_SERVICES, INTERFACE_ENDPOINT_SERVICES, NAT_STRATEGIES } from "../../components/network/vpc-options";
import { show } from "./errors";

const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

/** `infra:network`: the stack's VPC. */
export const networkSchema = z
  .strictObject({
    /** VPC CIDR, /16 to /28; must not overlap another stack's. */
    cidr: z.string().superRefine((cidr, ctx) => {
      const problem = vpcCidrProblem(cidr);
      if (problem) ctx.addIssue({ code: "custom", message: problem, input: cidr });
    }),
    /** Availability zones, in the order subnets are laid out. */
    azs: z
      .array(
        z.string().superRefine((az, ctx) => {
          if (!AZ_NAME.test(az)) {
            ctx.addIssue({ code: "custom", message: `${show(az)} is not an availability zone name (like ap-northeast-1a)`, input: az });
          }
        }),
      )
      .min(1)
      .max(MAX_AZS)
      .superRefine((azs, ctx) => {
        const seen = new Set<string>();
        for (const az of azs) {
          if (seen.has(az)) ctx.addIssue({ code: "custom", message: `${show(az)} is listed twice`, input: azs });
          seen.add(az);
        }
      }),
    /** @default "perAz" */
    natStrategy: z.enum(NAT_STRATEGIES).optional(),
    /** @default ["s3", "dynamodb"] */
    gatewayEndpoints: z.array(z.enum(GATEWAY_ENDPOINT_SERVICES)).optional(),
    /** @default [] */
    interfaceEndpoints: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)).optional(),
    /** @default { enabled: true, retentionInDays: 90, trafficType: "ALL" } */
    flowLogs: z
      .strictObject({
        enabled: z.boolean().optional(),
        retentionInDays: z.literal(LOG_RETENTION_DAYS).optional(),
        trafficType: z.enum(FLOW_LOG_TRAFFIC_TYPES).optional(),
      })
      .prefault({}),
  })
  .superRefine((network, ctx) => {
    if (vpcCidrProblem(network.cidr) || network.azs.length < 1 || network.azs.length > MAX_AZS) return;
    const problem = layoutProblem(network.cidr, network.azs.length);
    if (problem) ctx.addIssue({ code: "custom", path: ["cidr"], message: `${show(network.cidr)}: ${problem}`, input: network.cidr });
  });

export type NetworkConfig = z.output<typeof networkSchema>;
