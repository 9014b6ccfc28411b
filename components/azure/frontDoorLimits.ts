// What Azure Front Door (Standard and Premium) takes of the neutral routes, timeouts, certificate, DNS
// zone and rate limit, and how it routes a path. No SDK import: runs while config is validated.
import type { PlatformSpec, ServiceSpec, SpecProblem } from "../model";

/**
 * "Azure subscription and service limits", Azure Front Door Standard and Premium: paths per route 25;
 * routes and origin groups per profile 100 on Standard (200 on Premium): one of each per service.
 */
export const frontDoorMaxPathsPerRoute = 25;
export const frontDoorMaxRoutes = 100;
/**
 * The profile's origin response timeout: 16 to 240 seconds ("Troubleshoot Azure Front Door common
 * issues", 504 responses: "enter a value between 16 and 240 seconds"; default 30).
 */
export const frontDoorOriginTimeoutSeconds = { min: 16, max: 240 } as const;
/** A WAF rate-limit rule counts per one or five minutes ("Web application firewall rate limiting for Azure Front Door"). */
export const frontDoorRateLimitWindows = [60, 300] as const;

/** A Key Vault secret or certificate as Front Door takes a customer certificate: its resource id. */
const keyVaultCertificateId = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.KeyVault\/vaults\/[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]\/(secrets|certificates)\/[a-zA-Z0-9-]{1,127}(\/[0-9a-f]{32})?$/i;
/** An Azure DNS zone's resource id (a public zone: Microsoft.Network/dnszones). */
const dnsZoneId = /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.Network\/dnszones\/([a-z0-9.-]+)$/i;
/** What another cloud calls a DNS zone: a Route 53 hosted zone id, or a Cloud DNS zone name. */
const otherCloudZone = /^(Z[A-Z0-9]{1,31}|[a-z][a-z0-9-]{0,62})$/;

export interface AzureDnsZone {
  subscriptionId: string;
  resourceGroupName: string;
  zoneName: string;
}

export function parseDnsZoneId(id: string): AzureDnsZone | undefined {
  const match = dnsZoneId.exec(id);
  return match ? { subscriptionId: match[1], resourceGroupName: match[2], zoneName: match[3].toLowerCase() } : undefined;
}

/** The Key Vault secret behind a certificate id: Front Door reads a certificate through its secret. */
export function keyVaultSecretOfCertificate(id: string): string {
  return id.replace(/\/certificates\//i, "/secrets/");
}

/**
 * The service whose route answers `path`: Front Door matches the most specific pattern first, an exact
 * path before any wildcard, then the longest wildcard path ("Azure Front Door routing rule matching",
 * path matching). Undefined when none matches.
 */
export function frontDoorRoutedService(path: string, services: Record<string, ServiceSpec>): string | undefined {
  const bare = path.split("?")[0];
  let best: { name: string; score: number } | undefined;
  for (const [name, svc] of Object.entries(services)) {
    for (const pattern of svc.pathPatterns) {
      let score = -1;
      if (pattern === bare) score = Number.MAX_SAFE_INTEGER;
      else if (pattern.endsWith("/*") && bare.startsWith(pattern.slice(0, -1))) score = pattern.length;
      if (score > (best?.score ?? -1)) best = { name, score };
    }
  }
  return best?.name;
}

export function frontDoorProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const services = Object.keys(spec.services);
  if (services.length > frontDoorMaxRoutes) {
    problems.push({ key: "services", message: `each service is a route and an origin group of Azure Front Door, which takes at most ${frontDoorMaxRoutes} routes per profile; got ${services.length} services` });
  }
  for (const [name, svc] of Object.entries(spec.services)) {
    if (svc.pathPatterns.length > frontDoorMaxPathsPerRoute) {
      problems.push({
        key: `services.${name}.pathPatterns`,
        value: svc.pathPatterns,
        message: `an Azure Front Door route matches at most ${frontDoorMaxPathsPerRoute} paths; this service has ${svc.pathPatterns.length}: route a shorter common prefix`,
      });
    }
  }
  const lb = spec.loadBalancer;
  if (lb.backendTimeoutSeconds < frontDoorOriginTimeoutSeconds.min || lb.backendTimeoutSeconds > frontDoorOriginTimeoutSeconds.max) {
    problems.push({
      key: "loadBalancer.backendTimeoutSeconds",
      value: lb.backendTimeoutSeconds,
      message: `on Azure this is the Front Door origin response timeout, which takes ${frontDoorOriginTimeoutSeconds.min} to ${frontDoorOriginTimeoutSeconds.max} seconds`,
    });
  }
  if (lb.clientIdleTimeoutSeconds !== undefined) {
    problems.push({
      key: "loadBalancer.clientIdleTimeoutSeconds",
      value: lb.clientIdleTimeoutSeconds,
      message: "Azure Front Door has no client idle timeout to set (its edge keeps client connections by its own rules): remove the key on Azure",
    });
  }
  if (!(frontDoorRateLimitWindows as readonly number[]).includes(lb.rateLimit.windowSeconds)) {
    problems.push({
      key: "loadBalancer.rateLimit.windowSeconds",
      value: lb.rateLimit.windowSeconds,
      message: `an Azure Front Door WAF rate-limit rule counts over 1 or 5 minutes: use ${frontDoorRateLimitWindows.join(" or ")}`,
    });
  }
  if (!lb.accessLogs) {
    problems.push({
      key: "loadBalancer.accessLogs",
      value: false,
      severity: "warning",
      message: "without Front Door's access logs there are no per-service 5xx, p99 latency and low-traffic alerts on Azure (they are log alerts on the access log); the Front Door-wide 5xx share and latency alerts remain",
    });
  }
  if (lb.certificate !== undefined && !keyVaultCertificateId.test(lb.certificate)) {
    problems.push({
      key: "loadBalancer.certificate",
      value: lb.certificate,
      message: "expected a Key Vault certificate as Azure Front Door takes it: its resource id, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<vault>/certificates/<name>",
    });
  }
  if (lb.certificate !== undefined && lb.domain === undefined) {
    problems.push({ key: "loadBalancer.domain", message: "required with loadBalancer.certificate on Azure: Front Door presents a certificate of your own only on a custom domain" });
  }
  if (lb.dnsZone !== undefined) {
    const zone = parseDnsZoneId(lb.dnsZone);
    if (zone) {
      if (lb.domain !== undefined && lb.domain !== zone.zoneName && !lb.domain.endsWith(`.${zone.zoneName}`)) {
        problems.push({
          key: "loadBalancer.domain",
          value: lb.domain,
          message: `is outside Azure DNS zone ${zone.zoneName}, where its validation and CNAME records go; use ${zone.zoneName} or a name ending in .${zone.zoneName}`,
        });
      }
    } else if (otherCloudZone.test(lb.dnsZone)) {
      problems.push({
        key: "loadBalancer.dnsZone",
        value: lb.dnsZone,
        severity: "warning",
        message:
          "is another cloud's DNS zone, not an Azure DNS zone resource id: the platform writes no records there. Front Door's managed certificate waits for its validation record: " +
          "`pulumi up` prints the TXT record (_dnsauth.<domain>) and the CNAME to create in your DNS, or set an Azure DNS zone id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/dnszones/<zone>) to have them written",
      });
    } else {
      problems.push({ key: "loadBalancer.dnsZone", value: lb.dnsZone, message: "expected an Azure DNS zone resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/dnszones/<zone>" });
    }
  } else if (lb.domain !== undefined && lb.certificate === undefined) {
    problems.push({
      key: "loadBalancer.dnsZone",
      severity: "warning",
      message: `no DNS zone for Azure is set, so the platform writes no DNS records for ${lb.domain}. Front Door's managed certificate waits for its validation record: \`pulumi up\` prints the TXT record (_dnsauth.${lb.domain}) and the CNAME to create in your DNS`,
    });
  }
  return problems;
}
