import { notOneOf, type Problem } from "../problems";

/**
 * Capacity provider strategies: where a cluster's or a service's tasks run (on-demand Fargate,
 * Spot). Their own module: the cluster and every service use them, and neither imports the other.
 */

/** The capacity providers of a Fargate cluster. */
export const CAPACITY_PROVIDERS = ["FARGATE", "FARGATE_SPOT"] as const;

/** One entry of a capacity provider strategy. */
export interface CapacityProviderStrategyItem {
  readonly capacityProvider: (typeof CAPACITY_PROVIDERS)[number];
  /** Relative share of tasks beyond the base. */
  readonly weight: number;
  /** Tasks placed on this provider first. @default 0 */
  readonly base?: number;
}

/** A strategy needs a provider with a weight above 0, or ECS places nothing. */
export function strategyProblems(field: string, strategy: readonly CapacityProviderStrategyItem[] | undefined): Problem[] {
  if (strategy && (strategy.length === 0 || strategy.every((s) => s.weight <= 0))) {
    return [{ field, message: "needs at least one provider with a weight above 0" }];
  }
  // Typed in TypeScript, but a JavaScript caller or another language (plugin/) passes any string.
  return (strategy ?? []).flatMap((s, i) =>
    CAPACITY_PROVIDERS.includes(s.capacityProvider)
      ? []
      : [{ field: `${field}[${i}].capacityProvider`, message: notOneOf(s.capacityProvider, CAPACITY_PROVIDERS) }],
  );
}

/** A capacity strategy as the ECS API takes it (base 0 unless given). */
export function capacityStrategies(
  strategy: readonly CapacityProviderStrategyItem[] | undefined,
): { capacityProvider: string; weight: number; base: number }[] {
  return (strategy ?? [{ capacityProvider: "FARGATE", weight: 1 }]).map((s) => ({ capacityProvider: s.capacityProvider, weight: s.weight, base: s.base ?? 0 }));
}
