// Data: Redis (ElastiCache) and its maintenance windows in Japan time.
// Imported as `@shop-sre/infra/data` (or everything at once from `@shop-sre/infra`).
export { Redis, REDIS_DEFAULTS, type RedisArgs, type RedisEngine } from "./redis";
export { maintenanceWindowInJst, snapshotWindowInJst } from "./windows";
