// The public entry on AWS: ALB listeners (protocol, TLS policy, response headers) and the WAFv2 web
// ACL in front of each internet-facing load balancer.
import type { HeaderKind, PublicEntryFact, RateLimitFact, SecurityHeadersFact } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { publicLoadBalancers } from "./relations";
import { aws } from "./tokens";

/**
 * The lowest TLS version an ALB security policy accepts, from its name (Elastic Load Balancing user
 * guide, "Security policies for your Application Load Balancer": TLS13-1-3 policies accept TLS 1.3
 * only; TLS13-1-2, TLS-1-2 and FS-1-2 policies 1.2 and up; TLS13-1-1, TLS-1-1 and FS-1-1 1.1 and up;
 * TLS13-1-0, FS-2018-06 and the 2015/2016 policies 1.0). Undefined for a name not in that list.
 */
export function albMinTlsVersion(policy: string): number | undefined {
  const name = policy.replace(/^ELBSecurityPolicy-/, "");
  if (name === policy) return undefined;
  if (/^TLS13-1-3-/.test(name)) return 1.3;
  if (/^(TLS13-1-2|TLS-1-2|FS-1-2)-/.test(name)) return 1.2;
  if (/^(TLS13-1-1|TLS-1-1|FS-1-1)-/.test(name)) return 1.1;
  if (/^(TLS13-1-0-|FS-2018-06$|2016-08$|2015-)/.test(name)) return 1.0;
  return undefined;
}

/** CreateListener without SslPolicy uses ELBSecurityPolicy-2016-08 (ELB user guide, as above: the default of the API and CLI). */
const defaultSslPolicy = "ELBSecurityPolicy-2016-08";

type Action = { type?: string; redirect?: { protocol?: string } };
const redirectsToHttps = (actions: Action[]) => actions.length > 0 && actions.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");

export const httpsOnly: ResourceReaders<PublicEntryFact> = {
  [aws.listener]: ({ props }) => {
    const protocol = props.protocol;
    if (protocol === "HTTPS") {
      const policy: string = props.sslPolicy ?? defaultSslPolicy;
      return [{ protocol: "https", minTlsVersion: albMinTlsVersion(policy), setting: props.sslPolicy === undefined ? `sslPolicy is not set: the default ${defaultSslPolicy}` : `sslPolicy ${policy}` }];
    }
    if (protocol === "HTTP") {
      const actions: Action[] = props.defaultActions ?? [];
      return [{ protocol: "http", redirectsToHttps: redirectsToHttps(actions), setting: `defaultActions ${actions.map((a) => a.type).join(", ") || "none"}` }];
    }
    return [];
  },
};

/** ALB listener attributes that add a response header (Elastic Load Balancing user guide, "HTTP header modification"). */
const headerSettings: Record<HeaderKind, string> = {
  contentTypeOptions: "routingHttpResponseXContentTypeOptionsHeaderValue",
  frameOptions: "routingHttpResponseXFrameOptionsHeaderValue",
  strictTransportSecurity: "routingHttpResponseStrictTransportSecurityHeaderValue",
  contentSecurityPolicy: "routingHttpResponseContentSecurityPolicyHeaderValue",
};

export const securityHeaders: ResourceReaders<SecurityHeadersFact> = {
  [aws.listener]: ({ props }) => {
    const protocol = props.protocol;
    if (protocol !== "HTTPS" && protocol !== "HTTP") return [];
    // A listener that only redirects serves no content to protect.
    if (protocol === "HTTP" && redirectsToHttps(props.defaultActions ?? [])) return [];
    const headers: SecurityHeadersFact["headers"] = {};
    for (const [kind, setting] of Object.entries(headerSettings) as [HeaderKind, string][]) {
      const value = props[setting];
      if (typeof value === "string") headers[kind] = value;
    }
    return [{ https: protocol === "HTTPS", headers, settings: headerSettings }];
  },
};

interface WafRule {
  name?: string;
  action?: { block?: unknown };
  statement?: { rateBasedStatement?: { aggregateKeyType?: string } };
}

export const rateLimit: StackReader<RateLimitFact> = (resources) => {
  const graph = StackGraph.of(resources);
  return publicLoadBalancers(graph).map((lb) => {
    const acls = graph.users(lb, aws.webAclAssociation, "resourceArn").flatMap((association) => graph.sources(association, "webAclArn", aws.webAcl));
    const limits = acls.flatMap((acl) =>
      ((acl.props.rules ?? []) as WafRule[])
        .filter((rule) => rule.statement?.rateBasedStatement !== undefined)
        .map((rule) => {
          // FORWARDED_IP reads the client address from a header set by a proxy in front (WAF developer
          // guide, "Rate-based rule statement"); IP is the address the request comes from.
          const key = rule.statement!.rateBasedStatement!.aggregateKeyType ?? "IP";
          return {
            keyedOnClientIp: key === "IP" || key === "FORWARDED_IP",
            blocks: rule.action?.block !== undefined,
            setting: `web ACL rule ${rule.name ?? "(unnamed)"}: aggregateKeyType ${key}, action ${Object.keys(rule.action ?? {}).join(", ") || "none"}`,
          };
        }),
    );
    return { urn: lb.urn, limits };
  });
};
