import type * as pulumi from "@pulumi/pulumi";
import { Release } from "../components/deploy/release";
import { ReleasePlatform } from "../components/deploy/release-platform";
import type { BlueGreenService } from "../components/ecs/blue-green-service";
import type { JobPlatform } from "../components/jobs/job-platform";
import type { StackConfig } from "../infra/config/schema";
import { colourGroupsOf } from "./web";

/**
 * A release per web service, in the order of one `pulumi up` with a new image: each service's
 * migration (prepare) → the back and periodic workers → the scheduler → the web switch
 * (CodeDeploy) → the post-release command. Returns them by service key, and the platform they
 * share (none without a web service).
 */
export function createReleases(
  config: StackConfig,
  stack: string,
  services: Readonly<Record<string, BlueGreenService>>,
  jobs: JobPlatform | undefined,
  opts: pulumi.ComponentResourceOptions,
): { releases: Record<string, Release>; platform?: ReleasePlatform } {
  const entries = Object.entries(services);
  if (entries.length === 0) return { releases: {} };
  const platform = new ReleasePlatform("release", { protectData: config.protectData }, opts);
  // The switch waits for every job service: old web code never enqueues for workers that are gone.
  // Blue/green workers are not rolled by Pulumi: the release starts their idle colour itself.
  const jobServices = jobs ? [...Object.values(jobs.backWorkers), ...Object.values(jobs.periodicWorkers), jobs.scheduler] : [];
  const releases = Object.fromEntries(
    entries.map(([key, service]) => {
      const s = config.services[key]!;
      return [
        key,
        new Release(
          `${key}-release`,
          {
            stack,
            serviceKey: key,
            service,
            image: s.image,
            region: config.region,
            platform,
            settings: config.release,
            ...(s.migration ? { migration: s.migration } : {}),
            ...(s.postRelease ? { postRelease: s.postRelease } : {}),
            deployAfter: jobServices,
            colourGroups: colourGroupsOf(config, key).map(([group, g]) => ({ group, workers: jobs!.blueGreenBackWorkers[group]!, drain: g.drain! })),
          },
          opts,
        ),
      ];
    }),
  );
  return { releases, platform };
}
