// Load balancer on GCP: a global external Application Load Balancer (EXTERNAL_MANAGED on every backend
// service and forwarding rule; the provider's default is the classic scheme), a serverless NEG and a
// backend service per Cloud Run service (no health checks, timeouts or port names: serverless backends
// refuse them; Cloud Run's probes and request timeout take their place), a URL map in GCP's path
// syntax, HTTP redirected to HTTPS, TLS 1.2 at least, a Google-managed certificate for the domain (or
// the one given), the security headers on every proxied response, request logs, and Cloud Armor:
// preconfigured WAF rules, then a per-client-IP rate limit, then the mandatory default rule.
import * as compute from "@pulumi/gcp/compute";
import * as dns from "@pulumi/gcp/dns";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { LoadBalancerOutputs, NetworkOutputs, SecretsStoreOutputs, SecurityHeaders } from "../model";
import { certificateManagerCertificate } from "./limits";
import { backendServiceName, cloudRunServiceName, managedCertificateName, negName } from "./names";
import { type GcpStack, child, labels } from "./options";
import { defaultService, pathRules } from "./routing";

/**
 * Preconfigured WAF rules (Cloud Armor, "Preconfigured WAF rules overview"): the OWASP ModSecurity Core
 * Rule Set 3.3 signatures at sensitivity 1, the level with the fewest false positives.
 */
export const wafRules = ["sqli-v33-stable", "xss-v33-stable", "lfi-v33-stable", "rfi-v33-stable", "rce-v33-stable", "methodenforcement-v33-stable", "scannerdetection-v33-stable", "protocolattack-v33-stable", "sessionfixation-v33-stable"] as const;
/** Rules are evaluated by priority and the first match ends it: the WAF comes before the throttle, whose allow would end evaluation. */
export const wafPriority = 1000;
export const rateLimitPriority = 2000;
/** "A default rule ... with the lowest priority (2147483647)" that every policy has (Cloud Armor, "Security policy overview"). */
export const defaultRulePriority = 2147483647;

const headerNames: Record<keyof SecurityHeaders, string> = {
  contentTypeOptions: "X-Content-Type-Options",
  frameOptions: "X-Frame-Options",
  strictTransportSecurity: "Strict-Transport-Security",
  contentSecurityPolicy: "Content-Security-Policy",
};

/** The headers the backend services add to every proxied response; HSTS only over HTTPS. */
export function responseHeaders(headers: SecurityHeaders, https: boolean): string[] {
  return (Object.entries(headers) as [keyof SecurityHeaders, string][]).filter(([field]) => https || field !== "strictTransportSecurity").map(([field, value]) => `${headerNames[field]}: ${value}`);
}

export function loadBalancer(ctx: BlockContext, stack: GcpStack, _deps: { network: NetworkOutputs; secrets: SecretsStoreOutputs }): LoadBalancerOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const project = stack.project;
  const lb = spec.loadBalancer;
  const address = new compute.GlobalAddress(`${n}-address`, { name: names.name("gcpResource", "lb"), project, addressType: "EXTERNAL", ipVersion: "IPV4", labels: labels(ctx) }, child(ctx, stack));

  const policy = new compute.SecurityPolicy(
    `${n}-armor`,
    {
      name: names.name("gcpResource", "armor"),
      project,
      type: "CLOUD_ARMOR",
      labels: labels(ctx),
      description: `${spec.project}/${spec.stack}: WAF rules and ${lb.rateLimit.requests} requests per ${lb.rateLimit.windowSeconds} s per client IP`,
      rules: [
        ...wafRules.map((rule, i) => ({
          priority: wafPriority + i,
          action: "deny(403)",
          description: `Preconfigured WAF rule ${rule}`,
          match: { expr: { expression: `evaluatePreconfiguredWaf('${rule}', {'sensitivity': 1})` } },
        })),
        {
          priority: rateLimitPriority,
          action: "throttle",
          description: `${lb.rateLimit.requests} requests per ${lb.rateLimit.windowSeconds} s per client IP`,
          match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
          rateLimitOptions: {
            // Without a key Cloud Armor counts ALL clients together: one shared budget for the whole site.
            enforceOnKey: "IP",
            rateLimitThreshold: { count: lb.rateLimit.requests, intervalSec: lb.rateLimit.windowSeconds },
            conformAction: "allow",
            exceedAction: "deny(429)",
          },
        },
        { priority: defaultRulePriority, action: "allow", description: "Default rule", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } } },
      ],
    },
    child(ctx, stack),
  );

  const headers = responseHeaders(lb.securityHeaders, lb.https);
  const backendIds: Record<string, pulumi.Output<string>> = {};
  const backendMetricsIds: Record<string, pulumi.Output<string>> = {};
  const backends: Record<string, compute.BackendService> = {};
  for (const svcName of Object.keys(spec.services)) {
    const neg = new compute.RegionNetworkEndpointGroup(
      `${n}-${svcName}-neg`,
      { name: negName(names, svcName), project, region: spec.region, networkEndpointType: "SERVERLESS", cloudRun: { service: cloudRunServiceName(names, svcName) } },
      // Its name changes with the service it points at: the new one exists before the old one goes.
      child(ctx, stack, { deleteBeforeReplace: false }),
    );
    const backend = new compute.BackendService(
      `${n}-${svcName}-backend`,
      {
        name: backendServiceName(names, svcName),
        project,
        loadBalancingScheme: "EXTERNAL_MANAGED",
        protocol: "HTTPS",
        backends: [{ group: neg.id }],
        securityPolicy: policy.id,
        customResponseHeaders: headers,
        logConfig: { enable: lb.accessLogs, sampleRate: lb.accessLogs ? 1 : undefined },
      },
      child(ctx, stack),
    );
    backends[svcName] = backend;
    backendIds[svcName] = neg.id;
    backendMetricsIds[svcName] = backend.name;
  }

  // Unmatched paths: the service that owns /*, or 404 from the load balancer itself.
  const fallback = defaultService(spec.services);
  const anyBackend = backends[fallback ?? Object.keys(backends)[0]];
  const notFound = fallback ? undefined : { faultInjectionPolicy: { abort: { httpStatus: 404, percentage: 100 } } };
  const routing = new compute.URLMap(
    `${n}-routes`,
    {
      name: names.name("gcpResource", "routes"),
      project,
      defaultService: anyBackend.id,
      defaultRouteAction: notFound,
      hostRules: [{ hosts: ["*"], pathMatcher: "services" }],
      pathMatchers: [
        {
          name: "services",
          defaultService: anyBackend.id,
          defaultRouteAction: notFound,
          pathRules: pathRules(spec.services).map(({ service, paths }) => ({ paths, service: backends[service].id })),
        },
      ],
    },
    child(ctx, stack),
  );

  let certificateId: pulumi.Output<string> | undefined;
  let ingress: compute.GlobalForwardingRule;
  if (lb.https) {
    const sslPolicy = new compute.SSLPolicy(`${n}-tls`, { name: names.name("gcpResource", "tls"), project, profile: "MODERN", minTlsVersion: "TLS_1_2" }, child(ctx, stack));
    let sslCertificates: pulumi.Input<string>[] | undefined;
    let certificateManagerCertificates: string[] | undefined;
    if (lb.certificate !== undefined) {
      if (certificateManagerCertificate.test(lb.certificate)) certificateManagerCertificates = [lb.certificate];
      else sslCertificates = [lb.certificate];
      certificateId = pulumi.output(lb.certificate);
    } else {
      const domains = [lb.domain!];
      const certificate = new compute.ManagedSslCertificate(
        `${n}-certificate`,
        { name: managedCertificateName(names, domains), project, managed: { domains } },
        child(ctx, stack, { deleteBeforeReplace: false }),
      );
      sslCertificates = [certificate.id];
      certificateId = certificate.id;
    }
    const proxy = new compute.TargetHttpsProxy(
      `${n}-https-proxy`,
      {
        name: names.name("gcpResource", "https"),
        project,
        urlMap: routing.id,
        sslCertificates,
        certificateManagerCertificates,
        sslPolicy: sslPolicy.id,
        httpKeepAliveTimeoutSec: lb.clientIdleTimeoutSeconds,
      },
      child(ctx, stack),
    );
    ingress = new compute.GlobalForwardingRule(
      `${n}-https`,
      { name: names.name("gcpResource", "https"), project, target: proxy.id, ipAddress: address.id, portRange: "443", ipProtocol: "TCP", loadBalancingScheme: "EXTERNAL_MANAGED", labels: labels(ctx) },
      child(ctx, stack),
    );
    const redirect = new compute.URLMap(
      `${n}-redirect`,
      { name: names.name("gcpResource", "redirect"), project, defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT", stripQuery: false } },
      child(ctx, stack),
    );
    const httpProxy = new compute.TargetHttpProxy(`${n}-http-proxy`, { name: names.name("gcpResource", "http"), project, urlMap: redirect.id }, child(ctx, stack));
    new compute.GlobalForwardingRule(
      `${n}-http`,
      { name: names.name("gcpResource", "http"), project, target: httpProxy.id, ipAddress: address.id, portRange: "80", ipProtocol: "TCP", loadBalancingScheme: "EXTERNAL_MANAGED", labels: labels(ctx) },
      child(ctx, stack),
    );
  } else {
    // Dev without a domain: plain HTTP on port 80, served by the routing map (config.ts warns).
    const httpProxy = new compute.TargetHttpProxy(`${n}-http-proxy`, { name: names.name("gcpResource", "http"), project, urlMap: routing.id, httpKeepAliveTimeoutSec: lb.clientIdleTimeoutSeconds }, child(ctx, stack));
    ingress = new compute.GlobalForwardingRule(
      `${n}-http`,
      { name: names.name("gcpResource", "http"), project, target: httpProxy.id, ipAddress: address.id, portRange: "80", ipProtocol: "TCP", loadBalancingScheme: "EXTERNAL_MANAGED", labels: labels(ctx) },
      child(ctx, stack),
    );
  }
  if (lb.domain !== undefined && lb.dnsZone !== undefined) {
    new dns.RecordSet(`${n}-dns`, { managedZone: lb.dnsZone, project, name: `${lb.domain}.`, type: "A", ttl: 300, rrdatas: [address.address] }, child(ctx, stack));
  }
  const hostname = lb.domain !== undefined ? pulumi.output(lb.domain) : address.address;
  return {
    url: lb.https ? pulumi.interpolate`https://${hostname}` : pulumi.interpolate`http://${hostname}`,
    hostname,
    loadBalancerId: routing.id,
    ingressSourceId: ingress.id,
    backendIds,
    metricsId: routing.name,
    backendMetricsIds,
    certificateId,
  };
}
