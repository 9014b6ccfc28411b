// Production safety that a stack file switches off. Production refuses each such risk unless the
// stack file names it in `platform:acceptRisks`; acknowledged risks that are taken are listed as
// warnings on every synth, preview and up, so that nobody forgets they were accepted.
import type { PlatformSpec, RiskName } from "../components/model";
import type { ConfigProblem } from "./configErrors";
import type { PlatformConfig } from "./configSchema";
import { defaultSecurityHeaders } from "./presets";

/** One risk a spec takes, at one config key. */
export interface TakenRisk {
  risk: RiskName;
  key: string;
  value: unknown;
  /** Short statement for the warning: "network.flowLogs is false". */
  what: string;
  /** Why production refuses it. */
  why: string;
}

const hstsMaxAge = (header: string): number | undefined => {
  const match = /(?:^|;)\s*max-age=(\d+)/i.exec(header);
  return match ? Number(match[1]) : undefined;
};

/** The config key that set the zone count: `network.availabilityZones` when only the list was given. */
export function zoneCountKey(c: PlatformConfig): { path: string; value: unknown } | undefined {
  if (c.network?.zones === undefined && c.network?.availabilityZones !== undefined) return { path: "network.availabilityZones", value: c.network.availabilityZones };
  return undefined;
}

/** The risks `spec` takes, each at the key that takes it (keys without the namespace). */
export function risksTaken(spec: PlatformSpec, c: PlatformConfig): TakenRisk[] {
  const taken: TakenRisk[] = [];
  if (!spec.deletionProtection) {
    taken.push({
      risk: "deletionProtection",
      key: "deletionProtection",
      value: false,
      what: "deletionProtection is false",
      why: "without it a `pulumi destroy` or a replacement deletes the data store, its backups, the secrets and the logs for good",
    });
  }
  if (spec.network.zones.length === 1) {
    const zoneKey = zoneCountKey(c);
    taken.push({
      risk: "singleZone",
      key: zoneKey?.path ?? "network.zones",
      value: zoneKey?.value ?? spec.network.zones.length,
      what: `the network has ${spec.network.zones.length} zone`,
      why: "one zone failing takes the whole service down (SLA 99.9%)",
    });
  }
  if (!spec.network.flowLogs) {
    taken.push({ risk: "flowLogs", key: "network.flowLogs", value: false, what: "network.flowLogs is false", why: "without network flow logs there is no record of network traffic to investigate an incident with" });
  }
  if (!spec.loadBalancer.accessLogs) {
    taken.push({ risk: "accessLogs", key: "loadBalancer.accessLogs", value: false, what: "loadBalancer.accessLogs is false", why: "without access logs there is no record of who called what" });
  }
  const presetAge = hstsMaxAge(defaultSecurityHeaders.strictTransportSecurity) ?? 0;
  const hsts = spec.loadBalancer.securityHeaders.strictTransportSecurity;
  const age = hstsMaxAge(hsts) ?? 0;
  if (age < presetAge) {
    taken.push({
      risk: "hsts",
      key: "loadBalancer.securityHeaders.strictTransportSecurity",
      value: hsts,
      what: `Strict-Transport-Security max-age is ${age}`,
      why: `max-age=${age} is weaker than the production preset max-age=${presetAge}: browsers ${age === 0 ? "drop HTTPS-only at once" : "forget HTTPS-only sooner"} and fall back to plain HTTP`,
    });
  }
  if (spec.database && !spec.database.highAvailability) {
    taken.push({
      risk: "databaseSingleZone",
      key: "database.highAvailability",
      value: false,
      what: "database.highAvailability is false",
      why: "without a standby in another zone, one zone failing stops the database until it is restored (seed 003: database availability 99.95%)",
    });
  }
  if (!spec.immutableImageTags) {
    taken.push({ risk: "mutableImageTags", key: "immutableImageTags", value: false, what: "immutableImageTags is false", why: "a pushed release tag can then be overwritten with other content, so what runs is not what was reviewed" });
  }
  for (const [name, svc] of Object.entries(spec.services)) {
    if (svc.image !== undefined && !/@sha256:[a-f0-9]{64}$/.test(svc.image)) {
      taken.push({
        risk: "mutableImageTags",
        key: `services.${name}.image`,
        value: svc.image,
        what: `services.${name}.image is not pinned by digest`,
        why: "an image reference without a digest names a tag, and a tag can be moved to other content; pin it as <reference>@sha256:<digest>",
      });
    }
  }
  return taken;
}

/**
 * Production: a problem for each risk taken but not acknowledged, and warnings for the acknowledged
 * ones. Elsewhere `acceptRisks` changes nothing, which is worth a warning too.
 */
export function checkRisks(spec: PlatformSpec, c: PlatformConfig, namespace: string, problems: ConfigProblem[], warnings: string[]): void {
  const key = (path: string) => `${namespace}:${path}`;
  const accepted = new Set(spec.acceptedRisks);
  if (spec.environment !== "production") {
    if (accepted.size > 0) warnings.push(`${key("acceptRisks")} has no effect in ${spec.environment}: only production refuses these risks (${[...accepted].join(", ")}).`);
    return;
  }
  const taken = risksTaken(spec, c);
  const refusedKeys = new Set(problems.map((p) => p.key));
  for (const t of taken) {
    // A value the cloud refuses outright is already reported; acknowledging the risk would not help.
    if (accepted.has(t.risk) || refusedKeys.has(key(t.key))) continue;
    problems.push({
      key: key(t.key),
      value: t.value,
      message: `production refuses the risk ${t.risk}: ${t.why}. If this is meant, acknowledge it by name in the stack file: \`platform:acceptRisks: [${t.risk}]\` (next to any risks already listed)`,
    });
  }
  const acknowledged = taken.filter((t) => accepted.has(t.risk));
  if (acknowledged.length > 0) {
    warnings.push(`production runs with acknowledged risks: ${acknowledged.map((t) => `${t.risk} (${t.what})`).join(", ")}.`);
  }
  // externalSecretOverwrite is judged against the cloud's current state, not from the spec.
  const unused = [...accepted].filter((risk) => risk !== "externalSecretOverwrite" && !taken.some((t) => t.risk === risk));
  if (unused.length > 0) {
    warnings.push(`${key("acceptRisks")} names ${unused.join(", ")}, but nothing in this stack takes ${unused.length === 1 ? "that risk" : "those risks"}: remove ${unused.length === 1 ? "it" : "them"} so that a later change taking ${unused.length === 1 ? "it" : "them"} is refused again.`);
  }
}
