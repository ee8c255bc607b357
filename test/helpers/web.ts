import { BlueGreenService, type BlueGreenServiceArgs } from "../../components/ecs/blue-green-service";
import { type ExistingLoadBalancer, LoadBalancer, type LoadBalancerArgs } from "../../components/loadbalancing/load-balancer";

export const CERT = "arn:aws:acm:ap-northeast-1:123456789012:certificate/0b5a2e0c-1d4f-4a51-9c1e-6f2d8a7b3c41";
export const DB_SECRET = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:shop/db-url-AbC123";
export const IMAGE = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:1.2.3";

export const lbArgs = (extra: Partial<LoadBalancerArgs> = {}): LoadBalancerArgs => ({
  vpcId: "vpc-1",
  subnetIds: ["public-a", "public-c"],
  certificateArn: CERT,
  testListener: { allowedCidrs: ["203.0.113.0/24"] },
  ...extra,
});

export const serviceArgs = (loadBalancer: LoadBalancer | ExistingLoadBalancer, extra: Partial<BlueGreenServiceArgs> = {}): BlueGreenServiceArgs => ({
  serviceName: "shop-web",
  cluster: { clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop", clusterName: "shop" },
  vpcId: "vpc-1",
  subnetIds: ["private-a", "private-c"],
  loadBalancer,
  task: { family: "shop-web", cpu: 512, memory: 1024, container: { image: IMAGE, port: 8080, secrets: { DATABASE_URL: DB_SECRET } } },
  ...extra,
});

/** A load balancer and the blue/green service that owns it. */
export function webService(extra: Partial<BlueGreenServiceArgs> = {}, lb: Partial<LoadBalancerArgs> = {}): BlueGreenService {
  const loadBalancer = new LoadBalancer("web-lb", lbArgs(lb));
  return new BlueGreenService("web", serviceArgs(loadBalancer, extra));
}

/** An ALB made elsewhere (a team's own, another stack's), by its ids. */
export const EXISTING_ALB: ExistingLoadBalancer = {
  loadBalancerArn: "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/team-alb/50dc6c495c0c9188",
  arnSuffix: "app/team-alb/50dc6c495c0c9188",
  securityGroupId: "sg-0team000000000001",
  certificateArn: CERT,
};
