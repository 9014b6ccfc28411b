// The organisation's controls, stated once for every cloud: what each one requires, why, where the
// requirement comes from, and how it judges the neutral facts a cloud's readers hand it. No cloud
// SDK and no cloud setting name appears here; readers/<cloud> says what each control reads there.
import { secretLookingName, secretLookingValue } from "../stacks/secretValues";
import type {
  AlarmsFact,
  BackupFact,
  EncryptionFact,
  EnvironmentFact,
  HeaderKind,
  ImagesFact,
  InstancesFact,
  LogRetentionFact,
  ObjectStoreAccessFact,
  ObjectStoreEncryptionFact,
  PrivilegeFact,
  PublicAddressFact,
  PublicEntryFact,
  PublicIngressFact,
  RateLimitFact,
  ResourceView,
  SecurityHeadersFact,
  Signal,
  StandbyFact,
  StatefulFact,
  TagsFact,
  ZonesFact,
} from "./facts";
import { backupFrequencies, signals } from "./facts";

type ConfigValue = number | boolean | string[] | number[];
type Config = Record<string, ConfigValue>;

interface ControlBase<C extends Config> {
  /** One line; the engine starts every violation message with it. */
  description: string;
  /** Why the organisation has the control (README: policy). */
  why: string;
  /** The seed document or requirement it comes from. */
  source: string;
  /** Config properties and their defaults: the strictest setting, production's. */
  defaults: C;
  /** Per property, what it means (the schema the CLI validates pack config against). */
  settings: { [K in keyof C]: string };
}

/** Judged on each resource's inputs, before the cloud is called. */
export interface ResourceControl<F, C extends Config = Record<string, never>> extends ControlBase<C> {
  kind: "resource";
  judge(fact: F, config: C, resource: ResourceView): string[];
}

/** Judged once on every resource of the stack, with the relations between them. */
export interface StackControl<F extends { urn: string }, C extends Config = Record<string, never>> extends ControlBase<C> {
  kind: "stack";
  judge(fact: F, config: C): string[];
}

const none = { defaults: {}, settings: {} } as const;

const seedHeaderNames: Record<HeaderKind, string> = {
  contentTypeOptions: "X-Content-Type-Options",
  frameOptions: "X-Frame-Options",
  strictTransportSecurity: "Strict-Transport-Security",
  contentSecurityPolicy: "Content-Security-Policy",
};

const maxAge = (hsts: string): number | undefined => {
  const match = /(?:^|;)\s*max-age=(\d+)/i.exec(hsts);
  return match ? Number(match[1]) : undefined;
};

const signalNames: Record<Signal, string> = { errorRate: "error rate", latency: "latency", cpu: "CPU", memory: "memory", uptime: "uptime check" };

export const encryptionAtRest: ResourceControl<EncryptionFact> = {
  kind: "resource",
  description: "Data at rest is encrypted with a customer-managed key, and keys rotate.",
  why: "A key the organisation owns can be disabled, audited and rotated; the provider's default key cannot. Covers secrets, the database and its credentials, logs, alarm topics, backup vaults and image registries.",
  source: "REQUIREMENTS block 4 (secrets encrypted with a managed key); seed 000 §4.3 (key rotation)",
  ...none,
  judge(fact) {
    if (fact.kind === "key") return fact.rotates ? [] : [`the key does not rotate automatically (${fact.setting})`];
    return fact.customerManagedKey ? [] : [`the ${fact.store} are not encrypted with a customer-managed key (${fact.setting})`];
  },
};

export const httpsOnly: ResourceControl<PublicEntryFact> = {
  kind: "resource",
  description: "The public entry serves HTTPS with TLS 1.2 or newer; plain HTTP only redirects to HTTPS.",
  why: "Credentials and tokens cross the public entry; TLS 1.0 and 1.1 are deprecated (RFC 8996).",
  source: "REQUIREMENTS block 3 (public HTTPS entry, HTTP redirected to HTTPS); seed 000 §4.1 (Strict-Transport-Security)",
  ...none,
  judge(fact) {
    if (fact.protocol === "http") return fact.redirectsToHttps ? [] : [`plain HTTP is served instead of redirected to HTTPS (${fact.setting})`];
    if (fact.minTlsVersion === undefined) return [`the TLS versions it accepts are not known to start at 1.2 (${fact.setting})`];
    return fact.minTlsVersion >= 1.2 ? [] : [`TLS ${fact.minTlsVersion.toFixed(1)} is accepted; the minimum is 1.2 (${fact.setting})`];
  },
};

export const securityHeaders: ResourceControl<SecurityHeadersFact, { frameOptions: string[]; hstsMaxAgeMin: number }> = {
  kind: "resource",
  description: "Every response of the public entry carries the seed security headers.",
  why: "nosniff stops content-type confusion, X-Frame-Options clickjacking, HSTS downgrades to HTTP, Content-Security-Policy injected scripts.",
  source: "seed 000 §4.1 (security headers table)",
  defaults: { frameOptions: ["DENY", "SAMEORIGIN"], hstsMaxAgeMin: 31536000 },
  settings: { frameOptions: "values of X-Frame-Options that are accepted", hstsMaxAgeMin: "the least Strict-Transport-Security max-age, in seconds" },
  judge(fact, config) {
    const out: string[] = [];
    const missing = (kind: HeaderKind) => `${seedHeaderNames[kind]} is not set (${fact.settings[kind]})`;
    const h = fact.headers;
    if (h.contentTypeOptions === undefined) out.push(missing("contentTypeOptions"));
    else if (h.contentTypeOptions.toLowerCase() !== "nosniff") out.push(`X-Content-Type-Options is ${JSON.stringify(h.contentTypeOptions)}, not nosniff (${fact.settings.contentTypeOptions})`);
    if (h.frameOptions === undefined) out.push(missing("frameOptions"));
    else if (!config.frameOptions.includes(h.frameOptions.toUpperCase())) {
      out.push(`X-Frame-Options is ${JSON.stringify(h.frameOptions)}; expected ${config.frameOptions.join(" or ")} (${fact.settings.frameOptions})`);
    }
    if (h.contentSecurityPolicy === undefined || h.contentSecurityPolicy.trim() === "") out.push(missing("contentSecurityPolicy"));
    // HSTS means nothing over plain HTTP: browsers ignore it there (RFC 6797 §8.1).
    if (fact.https) {
      if (h.strictTransportSecurity === undefined) out.push(missing("strictTransportSecurity"));
      else {
        const age = maxAge(h.strictTransportSecurity) ?? 0;
        if (age < config.hstsMaxAgeMin) out.push(`Strict-Transport-Security max-age is ${age}, below ${config.hstsMaxAgeMin} (${fact.settings.strictTransportSecurity})`);
      }
    }
    return out;
  },
};

export const noPublicAddress: ResourceControl<PublicAddressFact> = {
  kind: "resource",
  description: "Compute and the database get no public address; only the public entry is reachable from the internet.",
  why: "Every request goes through the entry point's TLS, rate limit and logs; a public address would bypass all three.",
  source: "REQUIREMENTS block 1 (private subnets) and block 3 (one public entry)",
  ...none,
  judge(fact) {
    return fact.reachableFromInternet ? [`the ${fact.what} is reachable from the internet (${fact.setting})`] : [];
  },
};

export const secretsByReference: ResourceControl<EnvironmentFact> = {
  kind: "resource",
  description: "Secrets reach workloads only by reference to the secrets store, never as literal environment values.",
  why: "Literal environment values land in service definitions, state and consoles in plain text; a reference is resolved at start by the runtime.",
  source: "REQUIREMENTS block 4 (injected by reference, never as plain values in env vars); seed 003 (secret management)",
  ...none,
  judge(fact) {
    const out: string[] = [];
    for (const v of fact.variables) {
      // The value is never echoed: a violation message lands in CI logs.
      if (secretLookingName.test(v.name)) out.push(`${fact.where} sets ${v.name} to a literal value; a variable of that name holds a secret: pass it by reference from the secrets store`);
      else {
        const kind = secretLookingValue(v.value);
        if (kind) out.push(`${fact.where} sets ${v.name} to a literal value that looks like ${kind} (not shown); pass it by reference from the secrets store`);
      }
    }
    return out;
  },
};

export const minInstances: ResourceControl<InstancesFact, { minInstances: number }> = {
  kind: "resource",
  description: "Every service keeps at least two instances running.",
  why: "One instance is lost with its zone or during every deployment; the SLA of 99.9% needs a second one.",
  source: "seed 000 §7.1 (min_capacity 2), §1 (SLA 99.9%)",
  defaults: { minInstances: 2 },
  settings: { minInstances: "the fewest instances a service may keep" },
  judge(fact, config) {
    if (fact.held) return [];
    return fact.minimum < config.minInstances ? [`the service keeps ${fact.minimum} instance${fact.minimum === 1 ? "" : "s"}, fewer than ${config.minInstances} (${fact.setting})`] : [];
  },
};

export const databaseHighAvailability: ResourceControl<StandbyFact> = {
  kind: "resource",
  description: "The database has a standby in another zone that takes over on failure.",
  why: "Without a standby, one zone failing stops the database until it is restored.",
  source: "seed 003 (SLO: database availability 99.95%)",
  ...none,
  judge(fact) {
    return fact.standby ? [] : [`the database has no standby in another zone (${fact.setting})`];
  },
};

export const statefulProtected: ResourceControl<StatefulFact> = {
  kind: "resource",
  description: "Stateful resources are protected against deletion, by the engine and by the cloud's own guard.",
  why: "A `pulumi destroy` or an unintended replacement must not delete data, backups, keys, secrets or logs.",
  source: "REQUIREMENTS environments table (deletion protection on stateful resources in production)",
  ...none,
  judge(fact, _config, resource) {
    const out = resource.opts.protect ? [] : [`the ${fact.what} is not protected (resource option protect)`];
    for (const guard of fact.guards) if (!guard.on) out.push(`the ${fact.what} can be deleted with its data (${guard.setting})`);
    return out;
  },
};

export const requiredTags: ResourceControl<TagsFact, { requiredTags: string[] }> = {
  kind: "resource",
  description: "Every resource that takes tags or labels carries the organisation's required ones.",
  why: "Cost reports, access policies and incident response find a resource's project, stack and environment by its tags.",
  source: "issue 9 (required tags or labels); the platform's tags (project, stack, environment, managed-by)",
  defaults: { requiredTags: ["project", "stack", "environment", "managed-by"] },
  settings: { requiredTags: "tag (label) keys every taggable resource carries" },
  judge(fact, config) {
    const missing = config.requiredTags.filter((key) => fact.tags?.[key] === undefined || fact.tags[key] === "");
    return missing.length > 0 ? [`missing required ${missing.length === 1 ? "tag" : "tags"} ${missing.join(", ")} (${fact.setting})`] : [];
  },
};

export const leastPrivilege: ResourceControl<PrivilegeFact> = {
  kind: "resource",
  description: "Permissions the platform writes name their actions and resources; workload identities never get owner-class roles.",
  why: "A wildcard grants what nobody reviewed, including actions added to the cloud later; an owner-class role turns a compromised workload into a compromised account.",
  source: "issue 9 (least privilege); the cloud's IAM best practices",
  ...none,
  judge(fact) {
    if (fact.kind === "role") return fact.ownerClass ? [`the owner-class role ${fact.role} is granted to a workload identity (${fact.setting})`] : [];
    const out: string[] = [];
    if (fact.wildcardActions.length > 0) out.push(`${fact.where} allows wildcard actions ${fact.wildcardActions.join(", ")}`);
    if (fact.wildcardResources.length > 0) out.push(`${fact.where} allows on wildcard resources ${fact.wildcardResources.join(", ")}`);
    return out;
  },
};

export const objectStorageEncrypted: StackControl<ObjectStoreEncryptionFact> = {
  kind: "stack",
  description: "Every object store is encrypted by default, with a customer-managed key where the cloud allows one.",
  why: "Objects written without an explicit key must still be encrypted with a key the organisation controls.",
  source: "REQUIREMENTS block 4 and block 7 (the platform's data store)",
  ...none,
  judge(fact) {
    if (fact.encryption === "none") return [`the object store has no default encryption (${fact.setting})`];
    if (fact.encryption === "providerKey" && fact.customerKeyAllowed) return [`the object store is encrypted with the provider's key, not a customer-managed one (${fact.setting})`];
    return [];
  },
};

export const objectStoragePrivate: StackControl<ObjectStoreAccessFact> = {
  kind: "stack",
  description: "Object storage is never public.",
  why: "A public bucket leaks every object in it; access goes through the workloads' identities only.",
  source: "REQUIREMENTS block 7 (the platform's data store); issue 9 (storage never public)",
  ...none,
  judge(fact) {
    const out = fact.publicAccessBlocked ? [] : [`public access to the object store is not blocked (${fact.setting})`];
    for (const grant of fact.publicGrants) out.push(`the object store grants access to anyone: ${grant}`);
    return out;
  },
};

export const rateLimit: StackControl<RateLimitFact> = {
  kind: "stack",
  description: "Every public entry point has a rate-limit rule keyed on the client IP that blocks what exceeds it.",
  why: "One client must not exhaust the services for everyone else.",
  source: "seed 000 §4.1 (rate limiting: 100 requests per 60 s per client)",
  ...none,
  judge(fact) {
    if (fact.limits.length === 0) return ["the public entry point has no rate-limit rule"];
    if (fact.limits.some((l) => l.keyedOnClientIp && l.blocks)) return [];
    return fact.limits.map((l) => `the rate-limit rule ${!l.keyedOnClientIp ? "is not keyed on the client IP" : "does not block"} (${l.setting})`);
  },
};

export const noPublicIngress: StackControl<PublicIngressFact, { entryPorts: number[] }> = {
  kind: "stack",
  description: "Traffic from the internet is admitted only into the public entry, on its listener ports.",
  why: "Compute and the database accept traffic from the entry point and from each other only.",
  source: "REQUIREMENTS block 1 (private subnets) and block 3 (one public entry)",
  defaults: { entryPorts: [80, 443] },
  settings: { entryPorts: "ports the public entry may open to the internet" },
  judge(fact, config) {
    const ports = fact.ports === "all" ? "every port" : fact.ports.from === fact.ports.to ? `port ${fact.ports.from}` : `ports ${fact.ports.from}-${fact.ports.to}`;
    if (fact.target !== "entry") return [`the ${fact.target === "other" ? "resource" : fact.target} admits ${fact.source} on ${ports}`];
    const { ports: range } = fact;
    const allowed = range !== "all" && config.entryPorts.some((p) => range.from === p && range.to === p);
    return allowed ? [] : [`the public entry admits ${fact.source} on ${ports}; only ${config.entryPorts.join(", ")} are listener ports`];
  },
};

export const multiZone: StackControl<ZonesFact, { minZones: number }> = {
  kind: "stack",
  description: "Services, the public entry and the database span at least two zones.",
  why: "A zone failing must leave the platform serving.",
  source: "seed 000 §1 (SLA 99.9%); seed 003 (database availability 99.95%)",
  defaults: { minZones: 2 },
  settings: { minZones: "the fewest zones a workload spans" },
  judge(fact, config) {
    return fact.zones < config.minZones ? [`the ${fact.what} spans ${fact.zones} zone${fact.zones === 1 ? "" : "s"}, fewer than ${config.minZones} (${fact.setting})`] : [];
  },
};

export const backups: StackControl<
  BackupFact,
  { dailyRetentionDaysMin: number; weeklyRetentionDaysMin: number; monthlyRetentionDaysMin: number; continuousRetentionDaysMin: number; secondRegionCopy: boolean }
> = {
  kind: "stack",
  description: "Every data store is backed up, kept as long as the environment requires, and copied to a second region where required.",
  why: "Backups that miss a data store, expire early or burn with their region do not restore anything.",
  source: "seed 004 §6.3 (daily 7 days, weekly 4 weeks, monthly 12 months); seed 003 (RPO 1 h); seed 002 §6.3.1 (cross-region copies)",
  defaults: { dailyRetentionDaysMin: 7, weeklyRetentionDaysMin: 28, monthlyRetentionDaysMin: 365, continuousRetentionDaysMin: 7, secondRegionCopy: true },
  settings: {
    dailyRetentionDaysMin: "days a daily backup is kept at least (0: no daily backup required)",
    weeklyRetentionDaysMin: "days a weekly backup is kept at least (0: none required)",
    monthlyRetentionDaysMin: "days a monthly backup is kept at least (0: none required)",
    continuousRetentionDaysMin: "days of point-in-time recovery at least (0: none required)",
    secondRegionCopy: "whether the daily backups are copied to another region",
  },
  judge(fact, config) {
    if (fact.rules.length === 0) return [`the ${fact.what} is not covered by any backup`];
    const out: string[] = [];
    const minimum = { daily: config.dailyRetentionDaysMin, weekly: config.weeklyRetentionDaysMin, monthly: config.monthlyRetentionDaysMin, continuous: config.continuousRetentionDaysMin };
    for (const frequency of backupFrequencies) {
      const required = minimum[frequency];
      if (required <= 0) continue;
      const kept = Math.max(0, ...fact.rules.filter((r) => r.frequency === frequency).map((r) => r.retentionDays));
      if (kept === 0) out.push(`the ${fact.what} has no ${frequency} backup; it must be kept at least ${required} days`);
      else if (kept < required) out.push(`the ${fact.what}'s ${frequency} backup is kept ${kept} days, less than ${required}`);
    }
    if (config.secondRegionCopy && !fact.rules.some((r) => r.frequency === "daily" && r.copiedToAnotherRegion)) {
      out.push(`the ${fact.what}'s daily backups are not copied to another region`);
    }
    return out;
  },
};

export const alarms: StackControl<AlarmsFact> = {
  kind: "stack",
  description: "Every service has error-rate, latency, CPU and memory alarms and an uptime check, each reaching a notification target.",
  why: "An outage nobody is told about lasts until a customer calls.",
  source: "seed 000 §5.2 (error rate, response time, CPU, memory); seed 003 (p99); seed 001 (uptime every minute, availability below 99% urgent)",
  ...none,
  judge(fact) {
    const out: string[] = [];
    for (const signal of signals) {
      // A held service runs nothing until its image or secret exists: its uptime check starts with it.
      if (signal === "uptime" && fact.held) continue;
      const s = fact.signals[signal];
      if (!s.alarmed) out.push(`the service has no ${signalNames[signal]} alarm`);
      else if (!s.notifies) out.push(`the service's ${signalNames[signal]} alarm reaches no notification target with a subscriber`);
    }
    return out;
  },
};

export const logRetention: StackControl<LogRetentionFact, { auditRetentionDaysMin: number; appRetentionDaysMin: number }> = {
  kind: "stack",
  description: "Audit logs are kept 365 days, application logs at least the environment's preset.",
  why: "An incident is investigated weeks after it happened; audit and security records are needed for a year.",
  source: "seed 000 §5.1 (audit and security logs 365 days); seed 004 §6.2 (application logs 30 days)",
  defaults: { auditRetentionDaysMin: 365, appRetentionDaysMin: 30 },
  settings: { auditRetentionDaysMin: "days audit logs are kept at least", appRetentionDaysMin: "days every other log is kept at least" },
  judge(fact, config) {
    const required = fact.audit ? config.auditRetentionDaysMin : config.appRetentionDaysMin;
    if (fact.retentionDays === "forever" || fact.retentionDays >= required) return [];
    return [`the ${fact.what} ${fact.audit ? "(audit) " : ""}is kept ${fact.retentionDays} days, less than ${required} (${fact.setting})`];
  },
};

export const pinnedImages: StackControl<ImagesFact> = {
  kind: "stack",
  description: "Services run images pinned to one content: a digest, or a release tag in a registry whose tags cannot move.",
  why: "What runs must be what was reviewed, and a rollback must bring back the same bytes.",
  source: "seeds 000 §3, 003, 004 §6.4 (release tags, rollback to a previous version)",
  ...none,
  judge(fact) {
    return fact.images.filter((i) => !i.pinned).map((i) => `the image ${i.reference} is not pinned: ${i.how}`);
  },
};

/** Every control, by the policy name it has in the pack (and in pack config files). */
export const controls = {
  "encryption-at-rest": encryptionAtRest,
  "object-storage-encrypted": objectStorageEncrypted,
  "https-only": httpsOnly,
  "security-headers": securityHeaders,
  "rate-limit": rateLimit,
  "no-public-address": noPublicAddress,
  "no-public-ingress": noPublicIngress,
  "object-storage-private": objectStoragePrivate,
  "secrets-by-reference": secretsByReference,
  "min-instances": minInstances,
  "multi-zone": multiZone,
  "database-ha": databaseHighAvailability,
  "stateful-protected": statefulProtected,
  backups,
  alarms,
  "log-retention": logRetention,
  "required-tags": requiredTags,
  "pinned-images": pinnedImages,
  "least-privilege": leastPrivilege,
} as const;

export type Controls = typeof controls;
export type ControlName = keyof Controls;
export const controlNames = Object.keys(controls) as ControlName[];
