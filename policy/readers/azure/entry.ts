// The public entry on Azure: Front Door custom domains (TLS), routes (HTTP handling, rule sets), the
// rule that adds the response headers, and the WAF policies in front of each domain.
//
// A route that serves Front Door's own domain (`*.azurefd.net`) uses Microsoft's certificate and TLS
// settings, which a profile cannot change; https-only reads the custom domains, where the stack sets them.
import type { HeaderKind, PublicEntryFact, RateLimitFact, SecurityHeadersFact } from "../../facts";
import { headerKinds } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { az } from "./tokens";

/** AFDCustomDomain tlsSettings.minimumTlsVersion: TLS10, TLS12, TLS13 (the API's enum). */
const afdTlsVersions: Record<string, number> = { TLS10: 1.0, TLS12: 1.2, TLS13: 1.3 };

export const httpsOnly: ResourceReaders<PublicEntryFact> = {
  [az.afdCustomDomain]: ({ props }) => {
    const version = props.tlsSettings?.minimumTlsVersion;
    return [{ protocol: "https", minTlsVersion: afdTlsVersions[String(version)], setting: version === undefined ? "tlsSettings.minimumTlsVersion is not set" : `tlsSettings.minimumTlsVersion ${version}` }];
  },
  // A route takes HTTP and HTTPS unless told otherwise, and redirects HTTP only with httpsRedirect
  // Enabled (Front Door route properties: supportedProtocols, httpsRedirect, forwardingProtocol).
  [az.route]: ({ props }) => {
    const facts: PublicEntryFact[] = [];
    const protocols: string[] = props.supportedProtocols ?? ["Http", "Https"];
    if (protocols.includes("Http")) facts.push({ protocol: "http", redirectsToHttps: props.httpsRedirect === "Enabled", setting: `httpsRedirect ${props.httpsRedirect ?? "is not set (Disabled)"}` });
    // Origins are public endpoints on Azure: plain HTTP to them crosses the internet.
    if (props.forwardingProtocol === "HttpOnly") facts.push({ protocol: "http", redirectsToHttps: false, setting: "forwardingProtocol HttpOnly: requests reach the origin over the internet in plain HTTP" });
    return facts;
  },
};

const seedHeaders: Record<HeaderKind, string> = {
  contentTypeOptions: "x-content-type-options",
  frameOptions: "x-frame-options",
  strictTransportSecurity: "strict-transport-security",
  contentSecurityPolicy: "content-security-policy",
};

interface RuleAction {
  name?: string;
  parameters?: { headerAction?: string; headerName?: string; value?: string };
}

export const securityHeaders: ResourceReaders<SecurityHeadersFact> = {
  // A rule's ModifyResponseHeader actions that overwrite or append a header set it on every response
  // the rule applies to ("Azure Front Door rule set actions": Modify response header). A rule with
  // conditions applies to the requests they match only.
  [az.rule]: ({ props }) => {
    const actions: RuleAction[] = props.actions ?? [];
    const sets = actions.filter((a) => a.name === "ModifyResponseHeader" && (a.parameters?.headerAction === "Overwrite" || a.parameters?.headerAction === "Append"));
    const seed = sets.filter((a) => Object.values(seedHeaders).includes(String(a.parameters?.headerName ?? "").toLowerCase()));
    if (seed.length === 0) return [];
    const rule = `rule ${props.ruleName ?? "(unnamed)"}`;
    const conditional = (props.conditions ?? []).length > 0;
    const headers: SecurityHeadersFact["headers"] = {};
    const settings = {} as SecurityHeadersFact["settings"];
    for (const kind of headerKinds) {
      const action = seed.find((a) => String(a.parameters?.headerName).toLowerCase() === seedHeaders[kind]);
      if (action && !conditional && typeof action.parameters?.value === "string") headers[kind] = action.parameters.value;
      settings[kind] = conditional ? `${rule} applies only where its conditions match` : action ? `${rule}: ModifyResponseHeader ${action.parameters?.headerName}` : `${rule} has no ModifyResponseHeader for it`;
    }
    // HTTP only redirects (https-only): the headers are judged on the HTTPS responses.
    return [{ https: true, headers, settings }];
  },
  [az.route]: ({ props }) => {
    if ((props.ruleSets ?? []).length > 0) return [];
    const none = "ruleSets is empty: no rule set adds headers to this route's responses";
    return [{ https: true, headers: {}, settings: { contentTypeOptions: none, frameOptions: none, strictTransportSecurity: none, contentSecurityPolicy: none } }];
  },
};

interface CustomRule {
  name?: string;
  ruleType?: string;
  action?: string;
  enabledState?: string;
  groupBy?: { variableName?: string }[];
}

/**
 * Rate limits count per socket address (the client that opened the connection to Front Door) unless
 * groupBy says otherwise ("What is rate limiting for Azure Front Door?": a threshold per socket IP
 * address; groupBy GeoLocation or None counts a country or every client together).
 */
const keyedOnClientIp = (groupBy: CustomRule["groupBy"]) => (groupBy ?? []).length === 0 || (groupBy ?? []).some((g) => g.variableName === "SocketAddr");

export const rateLimit: StackReader<RateLimitFact> = (resources) => {
  const graph = StackGraph.of(resources);
  // Every domain Front Door answers on is an entry: the endpoint's own and each custom domain.
  const entries = [...graph.ofType(az.afdEndpoint), ...graph.ofType(az.afdCustomDomain)];
  return entries.map((entry) => {
    const policies = graph
      .users(entry, az.securityPolicy, "parameters")
      .filter((sp) => sp.props.parameters?.type === "WebApplicationFirewall")
      .flatMap((sp) => graph.sources(sp, "parameters", az.wafPolicy));
    const limits = policies.flatMap((policy) => {
      const mode = policy.props.policySettings?.mode;
      const policyOn = policy.props.policySettings?.enabledState !== "Disabled";
      return ((policy.props.customRules?.rules ?? []) as CustomRule[])
        .filter((rule) => rule.ruleType === "RateLimitRule")
        .map((rule) => {
          const groupBy = (rule.groupBy ?? []).map((g) => g.variableName).join(", ") || "not set (per socket address)";
          return {
            keyedOnClientIp: keyedOnClientIp(rule.groupBy),
            // Detection mode only logs what a rule matches ("Azure Web Application Firewall policy modes").
            blocks: rule.action === "Block" && rule.enabledState !== "Disabled" && policyOn && mode === "Prevention",
            setting: `WAF policy ${policy.props.policyName ?? policy.name} rule ${rule.name ?? "(unnamed)"}: groupBy ${groupBy}, action ${rule.action ?? "none"}${rule.enabledState === "Disabled" ? " (disabled)" : ""}, policy mode ${mode ?? "not set"}${policyOn ? "" : " (policy disabled)"}`,
          };
        });
    });
    return { urn: entry.urn, limits };
  });
};
