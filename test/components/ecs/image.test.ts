import { describe, expect, it } from "vitest";
import { immutableImageProblem, parseImage } from "../../../components/ecs/image";

const ECR = "111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web";
const DIGEST = `sha256:${"a".repeat(64)}`;

describe("parseImage", () => {
  it.each([
    [`${ECR}:2026.11.20-1`, { repository: ECR, tag: "2026.11.20-1" }],
    [`${ECR}@${DIGEST}`, { repository: ECR, digest: DIGEST }],
    [`${ECR}:v2@${DIGEST}`, { repository: ECR, tag: "v2", digest: DIGEST }],
    ["registry.example.com:5000/team/app:1.2.3", { repository: "registry.example.com:5000/team/app", tag: "1.2.3" }],
    ["nginx", { repository: "nginx" }],
  ])("reads %s", (image, expected) => {
    expect(parseImage(image)).toEqual(expected);
  });

  it.each(["", "Shop/Web:1", `${ECR}:`, `${ECR}@sha256:abc`, `${ECR}:${"t".repeat(129)}`])("refuses %j", (image) => {
    expect(parseImage(image)).toBeUndefined();
  });
});

describe("immutableImageProblem", () => {
  it.each([`${ECR}:2026.11.20-1`, `${ECR}@${DIGEST}`, `${ECR}:latest@${DIGEST}`])("accepts %s", (image) => {
    expect(immutableImageProblem(image)).toBeUndefined();
  });

  it.each([
    [ECR, `"${ECR}" has no tag, which means latest: name one version (${ECR}:2026.11.20-1) or a digest (@sha256:...)`],
    [`${ECR}:latest`, `"${ECR}:latest" moves with every push: name one version (${ECR}:2026.11.20-1) or a digest (@sha256:...)`],
    ["not an image", `"not an image" is not an image reference (registry/repository:tag or repository@sha256:digest)`],
  ])("refuses %s", (image, message) => {
    expect(immutableImageProblem(image)).toBe(message);
  });
});
