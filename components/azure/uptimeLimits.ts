// The uptime checks on Azure are Application Insights standard availability tests of each service's
// health path through Front Door. How the neutral spec maps onto them, found on the spec before
// anything is registered. No SDK import.
import type { PlatformSpec, SpecProblem, UptimeCheckSpec } from "../model";
import { frontDoorRoutedService } from "./frontDoorLimits";

/** A standard test runs from each location every 5, 10 or 15 minutes ("Application Insights availability tests", test frequency). */
export const webTestFrequencies = [300, 600, 900] as const;
/**
 * Five locations, the number the same page recommends: each location checks every 5 minutes, so the
 * endpoint is checked about once a minute, and one location's trouble is not an outage.
 */
export const webTestLocations = ["apac-jp-kaw-edge", "apac-sg-sin-azr", "us-va-ash-azr", "emea-nl-ams-azr", "emea-gb-db3-azr"] as const;
/** Windows a metric alert evaluates over (Azure Monitor metric alerts, windowSize) that hold at least one round of tests. */
export const availabilityWindowsMinutes = [5, 15, 30, 60] as const;

/** The test frequency for a spec interval: the most frequent there is, which is still less often than a minute. */
export function webTestFrequency(check: UptimeCheckSpec): (typeof webTestFrequencies)[number] {
  return webTestFrequencies.find((f) => f >= check.intervalSeconds) ?? webTestFrequencies[webTestFrequencies.length - 1];
}

export function uptimeRouting(spec: PlatformSpec): { checked: string[]; elsewhere: Record<string, string | undefined> } {
  const checked: string[] = [];
  const elsewhere: Record<string, string | undefined> = {};
  for (const [name, svc] of Object.entries(spec.services)) {
    const target = frontDoorRoutedService(svc.healthCheckPath, spec.services);
    if (target === name) checked.push(name);
    else elsewhere[name] = target;
  }
  return { checked, elsewhere };
}

export function azureUptimeProblems(spec: PlatformSpec): SpecProblem[] {
  const check = spec.observability.uptimeCheck;
  if (!check) return [];
  const problems: SpecProblem[] = [];
  const frequency = webTestFrequency(check);
  if (frequency > check.intervalSeconds) {
    problems.push({
      key: "observability.uptimeIntervalSeconds",
      value: check.intervalSeconds,
      severity: "warning",
      message:
        `an Application Insights availability test runs from each location every ${webTestFrequencies.map((f) => f / 60).join(", ")} minutes, never more often: ` +
        `each of the ${webTestLocations.length} locations checks every ${frequency / 60} minutes, so the endpoint is checked about every ${Math.round(frequency / webTestLocations.length)} seconds`,
    });
  }
  if (!(availabilityWindowsMinutes as readonly number[]).includes(check.availabilityWindowMinutes)) {
    problems.push({
      key: "observability.availabilityWindowMinutes",
      value: check.availabilityWindowMinutes,
      message: `an Azure Monitor availability alert evaluates over ${availabilityWindowsMinutes.join(", ")} minutes (a window shorter than the tests' ${frequency / 60} minutes holds no result)`,
    });
  }
  // The WAF rate rule counts per client address, the test agents' included: a location sends each test's
  // request once per frequency, so within one rate window it sends at most that many per checked service.
  // Kept under half the limit (counters are approximate), or the checks would be blocked and page.
  const { requests, windowSeconds } = spec.loadBalancer.rateLimit;
  const perAddress = uptimeRouting(spec).checked.length * Math.ceil(windowSeconds / frequency);
  if (perAddress > Math.floor(requests / 2)) {
    problems.push({
      key: "loadBalancer.rateLimit.requests",
      value: requests,
      message:
        `each Application Insights test location would send up to ${perAddress} requests per ${windowSeconds} s from one address (one per checked service every ${frequency / 60} minutes), ` +
        `and the Front Door rate rule blocks an address past ${requests}; keep the checks under half of it: set at least ${perAddress * 2}, or set platform:observability.uptimeChecks to false`,
    });
  }
  return problems;
}
