// How the load balancer's listener routes a request path to a service: the rule priorities it is
// given and the path-pattern match it applies. No SDK import: the uptime limits use it while config
// is validated, to know which service a health path reaches through the public entry.
import type { ServiceSpec } from "../model";
import { shortHash } from "../naming";

/**
 * Listener rule priority from the service name (stable when other services come and go); catch-all
 * routes sort after specific ones. Collisions move to the next free number in name order.
 */
export function rulePriorities(services: Record<string, ServiceSpec>): Record<string, number> {
  const taken = new Set<number>();
  const out: Record<string, number> = {};
  for (const name of Object.keys(services).sort()) {
    const catchAll = services[name].pathPatterns.includes("/*");
    let priority = (catchAll ? 40000 : 1000) + (parseInt(shortHash(name, 6), 16) % 9000);
    while (taken.has(priority)) priority++;
    taken.add(priority);
    out[name] = priority;
  }
  return out;
}

/**
 * An ALB path-pattern condition: case sensitive, `*` matches any run of characters, `?` exactly one,
 * and only the path is compared, never the query string (Elastic Load Balancing user guide,
 * "Listener rules for your Application Load Balancer", path conditions).
 */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const bare = path.split("?")[0];
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s");
  return re.test(bare);
}

/**
 * The service whose listener rule answers `path`: rules are evaluated from the lowest priority
 * number up, and the first match wins. Undefined when none matches (the listener's 404).
 */
export function routedService(path: string, services: Record<string, ServiceSpec>): string | undefined {
  const priorities = rulePriorities(services);
  return Object.keys(services)
    .sort((a, b) => priorities[a] - priorities[b])
    .find((name) => services[name].pathPatterns.some((pattern) => pathPatternMatches(pattern, path)));
}
