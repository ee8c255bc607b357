import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { benchCases, SYNTHETIC_SERVICE_COUNTS } from "../../tools/bench/cases";
import { ROOT } from "../helpers/plan";

describe("npm run bench's cases", () => {
  it("every case is a config the loader accepts, the synthetic ones with their count of web services", () => {
    const cases = benchCases(ROOT);
    for (const c of cases) expect(() => loadStackConfig(c.config), c.label).not.toThrow();
    const synthetic = cases.filter((c) => c.stack.startsWith("bench-"));
    expect(synthetic.map((c) => Object.keys(loadStackConfig(c.config).services).length)).toEqual([...SYNTHETIC_SERVICE_COUNTS]);
  });
});
