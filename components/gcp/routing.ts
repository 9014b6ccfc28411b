// How the URL map routes the neutral path patterns. GCP path rules use the neutral form as it is: an
// exact path, or a prefix ending in `/*` that matches below the prefix and not the prefix itself; the
// longest matching path wins ("URL maps overview", path matching). `/*` is the path matcher's default
// service. No SDK import.
import type { ServiceSpec } from "../model";

/** Service -> the paths of its path rules (without `/*`, which makes it the default service). */
export function pathRules(services: Record<string, ServiceSpec>): { service: string; paths: string[] }[] {
  return Object.entries(services)
    .map(([service, svc]) => ({ service, paths: svc.pathPatterns.filter((p) => p !== "/*") }))
    .filter((r) => r.paths.length > 0);
}

/** The service that owns `/*`, if any: unmatched paths go to it; otherwise the load balancer answers 404. */
export function defaultService(services: Record<string, ServiceSpec>): string | undefined {
  return Object.entries(services).find(([, svc]) => svc.pathPatterns.includes("/*"))?.[0];
}

function matchLength(pattern: string, path: string): number {
  if (pattern.endsWith("/*")) {
    const prefix = pattern.slice(0, -1);
    return path.startsWith(prefix) ? prefix.length : -1;
  }
  return pattern === path ? pattern.length + 1 : -1;
}

/** The service a request for `path` reaches, or undefined where the load balancer answers 404. */
export function routedService(path: string, services: Record<string, ServiceSpec>): string | undefined {
  let best: { service: string; length: number } | undefined;
  for (const [service, svc] of Object.entries(services)) {
    for (const pattern of svc.pathPatterns) {
      if (pattern === "/*") continue;
      const length = matchLength(pattern, path);
      if (length >= 0 && (!best || length > best.length)) best = { service, length };
    }
  }
  return best?.service ?? defaultService(services);
}
