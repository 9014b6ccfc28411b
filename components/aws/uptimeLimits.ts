// The uptime checks on AWS are Route 53 health checks of each service's health path through the
// public entry. How the neutral spec maps onto them, and what AWS would refuse or what would defeat
// the checks, found on the spec before anything is registered. No SDK import.
import type { PlatformSpec, SpecProblem, UptimeCheckSpec } from "../model";
import { routedService } from "./listenerRules";
import { awsPartitionOf } from "./regions";

/**
 * Route 53 health-check metrics exist in us-east-1 only ("Route 53 metrics are not available if you
 * select any other region", Route 53 developer guide, "Monitoring health checks using CloudWatch"),
 * and an alarm notifies SNS topics of its own region only.
 */
export const route53MetricsRegion = "us-east-1";

/** HealthCheckConfig.ResourcePath: at most 255 characters (Route 53 API reference). */
export const maxResourcePathLength = 255;

/**
 * Each Route 53 checker requests every 10 or 30 seconds, nothing else (HealthCheckConfig
 * RequestInterval; 10 s is the "fast" option, billed as an extra feature). The spec's interval is the
 * longest a service may go unchecked, so it maps to the longest Route 53 interval within it.
 */
export function route53RequestInterval(check: UptimeCheckSpec): 10 | 30 {
  return check.intervalSeconds >= 30 ? 30 : 10;
}

/**
 * Consecutive failed requests after which a checker reports the service down (FailureThreshold,
 * 1-10): as many as fit in the spec's interval, so that each checker's verdict changes as often as
 * the spec checks (seed 001: every minute is 2 requests 30 s apart).
 */
export function route53FailureThreshold(check: UptimeCheckSpec): number {
  return Math.min(10, Math.max(1, Math.floor(check.intervalSeconds / route53RequestInterval(check))));
}

/**
 * Which services an external check can reach: the listener routes a request by its path only, so a
 * health path that another service's pattern catches first (or none catches) would check that other
 * service (or the listener's 404). Service -> the service the path reaches instead (undefined: none).
 */
export function uptimeRouting(spec: PlatformSpec): { checked: string[]; elsewhere: Record<string, string | undefined> } {
  const checked: string[] = [];
  const elsewhere: Record<string, string | undefined> = {};
  for (const [name, svc] of Object.entries(spec.services)) {
    const target = routedService(svc.healthCheckPath, spec.services);
    if (target === name) checked.push(name);
    else elsewhere[name] = target;
  }
  return { checked, elsewhere };
}

/**
 * Whether the checks can be built for this region: their alarms read us-east-1, a region of the aws
 * partition. Where Route 53 publishes health-check metrics in the China and GovCloud partitions is not
 * documented where we looked, so stacks there get a warning instead of checks that might never alarm.
 */
export function uptimeChecksBuildable(spec: PlatformSpec): boolean {
  return spec.observability.uptimeCheck !== undefined && awsPartitionOf(spec.region) === "aws";
}

/** What Route 53, CloudWatch and the WAF rate rule need from a spec with uptime checks. */
export function uptimeCheckProblems(spec: PlatformSpec): SpecProblem[] {
  const check = spec.observability.uptimeCheck;
  if (!check || !uptimeChecksBuildable(spec)) return [];
  const problems: SpecProblem[] = [];
  if (check.intervalSeconds > 10 && check.intervalSeconds < 30) {
    problems.push({
      key: "observability.uptimeIntervalSeconds",
      value: check.intervalSeconds,
      message: "Route 53 health checkers request every 10 or 30 seconds: 10 checks more often than asked and is billed as the fast-interval option, 30 and above checks every 30 s; use 10, or 30 or more",
    });
  }
  const { checked } = uptimeRouting(spec);
  for (const name of checked) {
    const path = spec.services[name].healthCheckPath;
    if (path.length > maxResourcePathLength) {
      problems.push({ key: `services.${name}.healthCheckPath`, value: path, message: `a Route 53 health check takes a path of at most ${maxResourcePathLength} characters; this one has ${path.length}` });
    }
  }
  const wafProblem = checkersAgainstRateRule(spec, check, checked.length);
  if (wafProblem) problems.push(wafProblem);
  return problems;
}

/**
 * The WAF rate rule counts requests per client address, the checkers' included. Every checker sends
 * each health check's request from its own address every interval ("each of the Route 53 health
 * checkers ... will send your endpoint a health check request every 30 seconds", "Values that you
 * specify when you create or update health checks"), so one address sends checks x window/interval
 * requests per window. WAF's count is an estimate that weighs recent requests more and "does not
 * guarantee an exact limit match" (WAF developer guide, "Rate-based rule caveats"), and the checkers
 * do not coordinate: the checkers must stay under half the limit, or they would be blocked with 429
 * and the uptime alarms would page for an outage that is not there.
 */
function checkersAgainstRateRule(spec: PlatformSpec, check: UptimeCheckSpec, checks: number): SpecProblem | undefined {
  const { requests, windowSeconds } = spec.loadBalancer.rateLimit;
  const interval = route53RequestInterval(check);
  const perAddress = checks * Math.ceil(windowSeconds / interval);
  if (perAddress <= Math.floor(requests / 2)) return undefined;
  return {
    key: "loadBalancer.rateLimit.requests",
    value: requests,
    message:
      `each Route 53 health checker would send ${perAddress} requests per ${windowSeconds} s from one address (${checks} uptime checks, each requested every ${interval} s), ` +
      `and the rate rule blocks an address past ${requests}; keep the checkers under half of it: set at least ${perAddress * 2}, or set platform:observability.uptimeChecks to false`,
  };
}
