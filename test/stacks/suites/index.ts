import { describe } from "vitest";
import type { RawConfig } from "../../../infra/config/load";
import { batchInvariants } from "./batches";
import { stackUnderTest } from "./context";
import { jobInvariants } from "./jobs";
import { monitoringInvariants } from "./monitoring";
import { operationInvariants, operatorPolicyInvariants } from "./operations";
import { releaseBotInvariants } from "./release-bot";
import { releaseInvariants } from "./releases";
import { stackInvariants } from "./stack";
import { wafInvariants, webInvariants } from "./web";

/**
 * Every invariant a stack must hold, derived from its own config: run on each `Pulumi.<stack>.yaml`
 * and on a grown copy of stg, so that adding a service, a batch or a worker group to a stack file
 * needs no test change.
 */
export function describeStack(stack: string, raw: RawConfig, label = `stack ${stack}`): void {
  describe(label, () => {
    const s = stackUnderTest(stack, raw);
    describe("the stack", () => stackInvariants(s));
    describe("web services", () => webInvariants(s));
    describe("edge protection", () => wafInvariants(s));
    describe("batches", () => batchInvariants(s));
    describe("jobs", () => jobInvariants(s));
    describe("releases", () => releaseInvariants(s));
    describe("the release bot", () => releaseBotInvariants(s));
    describe("monitoring", () => monitoringInvariants(s));
    describe("one-off tasks and shells", () => {
      operationInvariants(s);
      operatorPolicyInvariants(s);
    });
  });
}
