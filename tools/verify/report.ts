import { type CheckLine, failingChecks, formatChecks } from "../../release-tool/preflight";

/** The first line of a stack's verify comment: how the workflow finds it to update it in place. */
export const verifyMarker = (stack: string) => `<!-- infra-verify:${stack} -->`;

/** The verify result of one stack as a pull request comment: the verdict, then every line. */
export function verifyMarkdown(stack: string, lines: readonly CheckLine[]): string {
  const failed = failingChecks(lines);
  const verdict =
    failed.length > 0
      ? `**${failed.length} ${failed.length === 1 ? "check fails" : "checks fail"}**: push the missing image, or fix the secret or the subnets, before merging.`
      : "Every image and secret is there, and the execution roles may use them.";
  return [verifyMarker(stack), `### Preflight verify: ${stack}`, "", verdict, "", "```", ...formatChecks(lines), "```", ""].join("\n");
}
