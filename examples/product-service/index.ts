// A product team's Pulumi program: one web service, released blue/green, on the SRE team's
// network and cluster. This is all a team writes; the library brings the load balancer, the two
// target groups, CodeDeploy, alarms and autoscaling.
import * as pulumi from "@pulumi/pulumi";
import { BlueGreenService, LoadBalancer } from "@shop-sre/infra";

export function program(): Record<string, pulumi.Output<unknown> | undefined> {
  const config = new pulumi.Config();
  // The SRE stack (`<org>/infra/prd`) and what it exports: its VPC, subnets and cluster. Each
  // output is given whole (a list of subnet ids as one Output); `npx infra plan` reads them from
  // the file `pulumi stack output --json` of that stack wrote (`--stack-outputs`).
  const infra = new pulumi.StackReference(config.require("infraStack"));
  const vpcId = infra.requireOutput("vpcId");

  const loadBalancer = new LoadBalancer("catalog-lb", {
    vpcId,
    subnetIds: infra.requireOutput("publicSubnetIds"),
    certificateArn: config.require("certificateArn"),
    testListener: { allowedCidrs: ["10.0.0.0/8"] },
  });

  const catalog = new BlueGreenService("catalog", {
    serviceName: "catalog",
    cluster: { clusterArn: infra.requireOutput("clusterArn"), clusterName: infra.requireOutput("clusterName") },
    vpcId,
    subnetIds: infra.requireOutput("privateSubnetIds"),
    loadBalancer,
    task: {
      family: "catalog",
      cpu: 512,
      memory: 1024,
      container: { image: config.require("image"), port: 3000, environment: { NODE_ENV: "production" } },
    },
    autoscaling: { minCount: 2, maxCount: 6, requestsPerTarget: 600 },
    healthCheck: { path: "/health" },
  });

  return {
    url: pulumi.interpolate`https://${loadBalancer.dnsName}`,
    applicationName: catalog.applicationName,
    deploymentGroupName: catalog.deploymentGroupName,
  };
}

export default program;
