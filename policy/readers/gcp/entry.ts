// The public entry on GCP: the global external Application Load Balancer. TLS is the SSL policy of the
// target HTTPS proxy; plain HTTP is a URL map that redirects; the headers are the custom response
// headers of each backend service; the rate limit is a Cloud Armor throttle on each backend service.
// The proxies name their URL map and SSL policy by id, and a backend service does not know which proxy
// serves it, so the resource rules read each piece where it is set (README: policy, GCP).
import type { HeaderKind, PublicEntryFact, RateLimitFact, SecurityHeadersFact, StackResourceView } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { gcp } from "./tokens";

/** Schemes of internet-facing backend services (BackendService.loadBalancingScheme; EXTERNAL is the API default). */
export const isPublicScheme = (scheme: unknown) => scheme === undefined || scheme === "EXTERNAL" || scheme === "EXTERNAL_MANAGED";

/**
 * The lowest TLS version an SSL policy accepts: its minTlsVersion (TLS_1_0 when unset), and 1.2 under
 * the RESTRICTED profile, whose ciphers exist in TLS 1.2 and later only (Cloud Load Balancing, "SSL
 * policies overview": "RESTRICTED ... effectively requires clients to use TLS 1.2").
 */
export function sslPolicyMinTls(minTlsVersion: unknown, profile: unknown): number | undefined {
  const version = /^TLS_1_([0-3])$/.exec(String(minTlsVersion ?? "TLS_1_0"));
  if (!version) return undefined;
  const min = 1 + Number(version[1]) / 10;
  return profile === "RESTRICTED" ? Math.max(min, 1.2) : min;
}

export const httpsOnly: ResourceReaders<PublicEntryFact> = {
  [gcp.sslPolicy]: ({ props }) => [
    { protocol: "https", minTlsVersion: sslPolicyMinTls(props.minTlsVersion, props.profile), setting: `minTlsVersion ${props.minTlsVersion ?? "not set: TLS_1_0"}, profile ${props.profile ?? "COMPATIBLE"}` },
  ],
  // Without an SSL policy the proxy uses Google's default: the COMPATIBLE profile from TLS 1.0
  // (gcloud compute ssl-policies create: --min-tls-version default 1.0, --profile default COMPATIBLE).
  [gcp.targetHttpsProxy]: ({ props }) => (props.sslPolicy === undefined || props.sslPolicy === "" ? [{ protocol: "https", minTlsVersion: 1.0, setting: "sslPolicy is not set: Google's default SSL policy, TLS 1.0" }] : []),
  // A URL map that redirects is the HTTP side of an HTTPS entry (Cloud Load Balancing, "Set up an HTTP-to-HTTPS redirect").
  [gcp.urlMap]: ({ props }) => {
    const redirect = props.defaultUrlRedirect;
    if (redirect === undefined) return [];
    const routes = (props.pathMatchers ?? []).length + (props.hostRules ?? []).length;
    const onlyRedirects = redirect.httpsRedirect === true && routes === 0 && props.defaultService === undefined;
    return [{ protocol: "http", redirectsToHttps: onlyRedirects, setting: `defaultUrlRedirect httpsRedirect ${redirect.httpsRedirect === true}${routes > 0 ? `, with ${routes} host or path rules that serve` : ""}` }];
  },
};

const headerKinds: Record<string, HeaderKind> = {
  "x-content-type-options": "contentTypeOptions",
  "x-frame-options": "frameOptions",
  "strict-transport-security": "strictTransportSecurity",
  "content-security-policy": "contentSecurityPolicy",
};

const headerSettings: Record<HeaderKind, string> = {
  contentTypeOptions: "customResponseHeaders X-Content-Type-Options",
  frameOptions: "customResponseHeaders X-Frame-Options",
  strictTransportSecurity: "customResponseHeaders Strict-Transport-Security",
  contentSecurityPolicy: "customResponseHeaders Content-Security-Policy",
};

export const securityHeaders: ResourceReaders<SecurityHeadersFact> = {
  [gcp.backendService]: ({ props }) => {
    if (!isPublicScheme(props.loadBalancingScheme)) return [];
    const headers: SecurityHeadersFact["headers"] = {};
    // "Header-Name: value" (Cloud Load Balancing, "Create custom headers in backend services").
    for (const line of (props.customResponseHeaders ?? []) as string[]) {
      const colon = line.indexOf(":");
      const kind = colon > 0 ? headerKinds[line.slice(0, colon).trim().toLowerCase()] : undefined;
      if (kind) headers[kind] = line.slice(colon + 1).trim();
    }
    // A backend service cannot tell which proxy serves it; HSTS must not be sent over HTTP (RFC 6797
    // §7.2), so it is judged where the program sends it: when the entry serves HTTPS.
    return [{ https: headers.strictTransportSecurity !== undefined, headers, settings: headerSettings }];
  },
};

interface ArmorRule {
  action?: string;
  priority?: number;
  preview?: boolean;
  match?: { config?: { srcIpRanges?: string[] } };
  rateLimitOptions?: { enforceOnKey?: string; enforceOnKeyConfigs?: { enforceOnKeyType?: string }[]; exceedAction?: string };
}

/** Keys that count each client address: its own, or the one the first proxy in front reports (Cloud Armor, "Rate limiting overview"). */
const clientIpKeys = ["IP", "XFF_IP"];

export const rateLimit: StackReader<RateLimitFact> = (resources) => {
  const graph = StackGraph.of(resources);
  return graph
    .ofType(gcp.backendService)
    .filter((b) => isPublicScheme(b.props.loadBalancingScheme))
    .map((backend) => ({ urn: backend.urn, limits: graph.sources(backend, "securityPolicy", gcp.securityPolicy).flatMap(throttles) }));
};

function throttles(policy: StackResourceView): RateLimitFact["limits"] {
  const rules = [...((policy.props.rules ?? []) as ArmorRule[])].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  return rules.flatMap((rule, i) => {
    if (rule.action !== "throttle" && rule.action !== "rate_based_ban") return [];
    const options = rule.rateLimitOptions ?? {};
    // Without a key Cloud Armor counts every client together ("enforceOnKey ... ALL is the default").
    const keys = options.enforceOnKeyConfigs?.map((c) => c.enforceOnKeyType ?? "ALL") ?? [options.enforceOnKey ?? "ALL"];
    // The first matching rule decides: an earlier allow for every source would let each request past the throttle.
    const shadow = rules.slice(0, i).find((r) => r.action === "allow" && r.preview !== true && (r.match?.config?.srcIpRanges ?? []).includes("*"));
    const exceed = options.exceedAction ?? "none";
    const blocks = exceed.startsWith("deny(") && rule.preview !== true && shadow === undefined;
    const why = rule.preview === true ? ", in preview (logged, not enforced)" : shadow ? `, after rule ${shadow.priority} that allows every source` : "";
    return [{ keyedOnClientIp: keys.some((k) => clientIpKeys.includes(k)), blocks, setting: `security policy rule ${rule.priority}: enforceOnKey ${keys.join("+")}, exceedAction ${exceed}${why}` }];
  });
}
