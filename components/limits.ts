// Which clouds are implemented, and the rules each enforces on a spec. Free of cloud SDKs so that
// config validation can use it before any provider is loaded.
import { awsLimits } from "./aws/limits";
import { azureDefaults, azureLimits } from "./azure/limits";
import { gcpLimits } from "./gcp/limits";
import type { CloudName, EgressMode, SpecLimits } from "./model";

/**
 * The neutral keys whose legal values depend on the cloud. The neutral schema (stacks/configSchema.ts)
 * checks only their shape (a vCPU count, a non-empty reference, a path in the neutral form, whole
 * seconds) and its messages name no cloud service. What a cloud can build of them is that cloud's
 * rule, in that cloud's words, in its limits file: a refusal, or a `severity: "warning"` problem where
 * the cloud maps the value to what it has. tests/components/cloudLimits.test.ts holds, for every
 * implemented cloud, what its limits say about each key.
 *
 * Adding a cloud is one file (components/<cloud>/limits.ts, exporting a `SpecLimits`) and one line in
 * `cloudLimits`, set when the implementation lands (`implementedClouds()` reads it). AWS and Azure
 * (components/azure/limits.ts: Container Apps sizes, Front Door's timeouts, Key Vault certificate,
 * Azure DNS zone, no client idle timeout, no egress per zone, Azure tag rules) are in. The rules known
 * for GCP (../shared/research/gcp.md, "Neutral units" and "Neutral-model changes"):
 * - GCP (Cloud Run, global external Application Load Balancer): cpu 0.08 to below 1, or 1, 2, 4, 6, 8,
 *   with memory bounds per cpu (below 1 vCPU forces one request at a time); certificate a Certificate
 *   Manager certificate or a compute SSL certificate; dnsZone a Cloud DNS zone name; backend timeout
 *   the Cloud Run request timeout (at most 3600 s); client idle timeout the proxy's HTTP keep-alive
 *   (5-1200 s); egress perZone mapped, with a warning, to the one regional Cloud NAT (it has no zonal
 *   single point of failure); tags become labels, under stricter rules: at most 64, keys 1-63
 *   characters of lowercase letters, digits, _ and - starting with a letter, values at most 63 of the
 *   same characters, no goog prefix (a warning where a tag must be rewritten, a refusal where two
 *   tags would become one label).
 */
export const cloudCheckedKeys = [
  "services.<name>.cpu",
  "services.<name>.memory",
  "services.<name>.pathPatterns",
  "loadBalancer.certificate",
  "loadBalancer.dnsZone",
  "loadBalancer.backendTimeoutSeconds",
  "loadBalancer.clientIdleTimeoutSeconds",
  "network.egress",
  "tags",
] as const;
export type CloudCheckedKey = (typeof cloudCheckedKeys)[number];

/** `undefined`: the cloud is planned but not implemented yet. */
export const cloudLimits: Record<CloudName, SpecLimits | undefined> = {
  aws: awsLimits,
  azure: azureLimits,
  gcp: gcpLimits,
};

/**
 * What config validation asks a cloud beyond its limits, where the neutral default depends on the cloud.
 * A value the stack file sets is judged by the cloud's limits as usual; these only replace defaults.
 */
export interface CloudDefaults {
  /** The second region of backup copies where the stack names none (the region's pair). */
  copyRegion?: (region: string) => string | undefined;
  /** The egress the cloud builds where the environment preset asks for one it cannot, and why (a warning). */
  egress?: { value: EgressMode; reason: string };
  /** The load balancer serves HTTPS on a host name of the cloud's own, without any domain or certificate. */
  ownHostnameHttps?: boolean;
}

export const cloudDefaults: Partial<Record<CloudName, CloudDefaults>> = { azure: azureDefaults };
