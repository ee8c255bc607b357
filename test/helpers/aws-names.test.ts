import { describe, expect, it } from "vitest";
import { NAME_PATTERNS } from "./aws-names";

describe("NAME_PATTERNS", () => {
  it.each([
    ["aws:lb/targetGroup:TargetGroup", "web-blue-1a2b3c4", "web_blue"],
    ["aws:lb/targetGroup:TargetGroup", "web-green-1a2b3c4", "-web"],
    ["aws:lb/loadBalancer:LoadBalancer", "web-lb-alb-1a2b3c4", "internal-web"],
    ["aws:s3/bucket:Bucket", "web-lb-logs-1a2b3c4", "Web-Logs"],
    ["aws:elasticache/replicationGroup:ReplicationGroup", "jobs-redis-group-1a2b3c4", "jobs--redis"],
    ["aws:elasticache/replicationGroup:ReplicationGroup", "cache-group-1a2b3c4", "1cache"],
    ["aws:scheduler/schedule:Schedule", "shop-prd-clearing", "shop prd"],
    ["aws:iam/role:Role", "web-task-execution-role-1a2b3c4", "web/role"],
  ] as const)("%s accepts %s and refuses %s", (type, good, bad) => {
    expect(good).toMatch(NAME_PATTERNS[type]!);
    expect(bad).not.toMatch(NAME_PATTERNS[type]!);
  });
});
