// Stack config -> one validated, cloud-neutral PlatformSpec. Every problem is collected and thrown
// as one ConfigError before any resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { cidrBlockProblem } from "../components/addressing";
import { cloudDefaults, cloudLimits } from "../components/limits";
import type { CloudName, DatabaseSpec, EgressMode, EnvironmentName, PlatformSpec, SecretSpec, ServiceSpec } from "../components/model";
import type { z } from "zod";
import { ConfigError, type ConfigProblem, configKey, problemsFromZod } from "./configErrors";
import { type PlatformConfig, platformConfigSchema } from "./configSchema";
import { sameMailbox } from "./emails";
import { checkProviderConfigKeys } from "./providerConfigKeys";
import {
  backupCopyRegions,
  defaultAlarmThresholds,
  defaultBackendTimeoutSeconds,
  defaultCpuTargetPercent,
  defaultDatabase,
  defaultUptimeCheck,
  type EnvironmentPreset,
  defaultNetworkCidr,
  defaultRateLimit,
  defaultSecurityHeaders,
  defaultServiceSize,
  presets,
  seedRegions,
  seedSecrets,
  seedServices,
} from "./presets";
import { checkRisks, zoneCountKey } from "./risks";
import { secretLookingName, secretLookingValue } from "./secretValues";
import { webhookUrlProblem } from "./webhookUrls";
import { knownZones, regionProblem } from "./zones";

export const namespace = "platform";

/** The raw config of one stack, as the Pulumi engine hands it to the program. */
export interface StackConfig {
  project: string;
  stack: string;
  /** Full keys (`platform:cloud`, `aws:region`) to raw values (objects as JSON text). */
  values: Record<string, string>;
  /** Keys whose values were set with `--secret`. */
  secretKeys: ReadonlySet<string>;
}

export interface LoadedSpec {
  spec: PlatformSpec;
  warnings: string[];
  /**
   * The full config key a problem about a spec key must name: the key the stack file wrote (a
   * deprecated name, the cloud's entry of a per-cloud reference), else the spec key in the namespace.
   */
  configKey(specKey: string): string;
}

/** Where each cloud's provider reads its region; the spec uses the same key so there is one truth. */
export const regionKeys: Record<CloudName, string> = { aws: "aws:region", azure: "azure-native:location", gcp: "gcp:region" };
/** Where a GCP stack names its project, and the form of a project id (Resource Manager, "Creating and managing projects"). */
export const gcpProjectKey = "gcp:project";
const gcpProjectId = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const regionPatterns: Record<CloudName, RegExp> = {
  aws: /^[a-z]{2,4}(-[a-z]+){1,2}-\d{1,2}$/,
  azure: /^[a-z]+[a-z0-9]*$/,
  gcp: /^[a-z]+-[a-z]+\d+$/,
};

/**
 * Env vars the platform sets itself on every service on every cloud, and where each one's value comes
 * from. A cloud may set more (an alias it keeps for one release): its limits reserve those.
 */
const platformEnvSources = { ENVIRONMENT: "platform:environment", LOG_LEVEL: "platform:logs.level", DATA_STORE_URL: "the platform's data store" } as const;
/** Set on every service while the platform has a database; credentials as secret references. */
export const databaseEnvNames = ["DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD"] as const;
const databaseReserved = (name: string): boolean => (databaseEnvNames as readonly string[]).includes(name);
/** The only `platform:` keys that stay secret from config to resource (SNS endpoints are secret inputs). */
const secretConfigKeys = ["alarmWebhooks", "pagerWebhooks"] as const;

/** Reads the program's config from the Pulumi runtime (the engine, or the mocks in tests). */
export function stackConfigFromRuntime(): StackConfig {
  const values = pulumi.runtime.allConfig();
  // `isConfigSecret` is not in the SDK's public typings; it is how the runtime knows `--secret` keys.
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(k: string): boolean };
  return {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    values,
    secretKeys: new Set(Object.keys(values).filter((k) => runtimeConfig.isConfigSecret(k))),
  };
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The `platform:*` keys as one object, values decoded the way `pulumi config set --path` stores them. */
export function platformConfigObject(values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(values)) {
    if (!key.startsWith(`${namespace}:`)) continue;
    const name = key.slice(namespace.length + 1);
    // Plain strings stay strings (an image tag "1.0" must not become the number 1).
    out[name] = /^[[{]/.test(text) || /^(true|false|-?\d+(\.\d+)?)$/.test(text) ? decode(text) : text;
  }
  return out;
}

export function loadPlatformSpec(config: StackConfig): LoadedSpec {
  checkProviderConfigKeys(Object.keys(config.values), config.project);
  const raw = platformConfigObject(config.values);
  const parsed = platformConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = problemsFromZod(namespace, platformConfigSchema, raw, parsed.error);
    problems.push(...ruleProblemsBeyond(config, raw, parsed.error.issues, problems));
    throw new ConfigError(hideSecretValues(problems, config.secretKeys));
  }
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const sources = new Map<string, KeySource>();
  const spec = checkSpec(config, parsed.data, problems, warnings, sources);
  if (problems.length > 0 || !spec) throw new ConfigError(hideSecretValues(problems, config.secretKeys));
  return { spec, warnings, configKey: (specKey) => `${namespace}:${sources.get(specKey)?.path ?? specKey}` };
}

/**
 * A value set with `--secret` on any other `platform:` key would be read as plain text and land in
 * task definitions, tags and state: the runtime only says which top-level key holds a secret.
 */
function droppedSecretMarkings(config: StackConfig): ConfigProblem[] {
  const kept = secretConfigKeys.map((k) => `${namespace}:${k}`);
  return [...config.secretKeys]
    .filter((k) => k.startsWith(`${namespace}:`) && !kept.includes(k))
    .sort()
    .map((k) => ({
      key: k,
      message:
        `holds a value set with --secret, but only ${kept.join(" and ")} stay secret; anything else would land in plain text in service definitions, tags and state. ` +
        `Keep secret values out of platform config: declare ${namespace}:secrets.<NAME> with source: external, put the value into the secrets store, and list <NAME> in ${namespace}:services.<name>.secrets; then set this key again without --secret`,
    }));
}

/** The config key (and its value) that set a spec field, where the stack file used another key for it. */
interface KeySource {
  path: string;
  value: unknown;
}

function checkSpec(config: StackConfig, c: PlatformConfig, problems: ConfigProblem[], warnings: string[], sources = new Map<string, KeySource>()): PlatformSpec | undefined {
  problems.push(...droppedSecretMarkings(config));
  // `sources`: spec key -> the key the stack file wrote (a deprecated name, a list of zones for a zone count).
  const spec = buildSpec(config, c, problems, warnings, sources);
  if (spec) {
    const limits = cloudLimits[spec.cloud];
    const zoneKey = zoneCountKey(c);
    if (zoneKey) sources.set("network.zones", zoneKey);
    for (const p of limits ? limits(spec) : []) {
      // A cloud speaks of spec keys; the user needs to hear of the key their stack file holds.
      const source = sources.get(p.key);
      const { severity, ...problem } = source ? { ...p, key: source.path, value: p.value === undefined ? undefined : source.value } : p;
      const full = `${namespace}:${problem.key}`;
      if (severity === "warning") {
        warnings.push(`${full}: ${problem.message}`);
        continue;
      }
      // One problem per key: a value already refused (a secret-looking tag, say) is not echoed again.
      if (!problems.some((q) => q.key === full)) problems.push({ ...problem, key: full });
    }
    checkRisks(spec, c, namespace, problems, warnings);
  }
  return spec;
}

/**
 * A key renamed in model v2: the old name keeps working for one release, with a warning that says
 * what to write instead. Both set to different values is a problem: which one is meant is unclear.
 * Returns the value in the new key's terms and the key that gave it.
 */
function renamedKey<Old, New>(
  current: { path: string; value: New | undefined },
  old: { path: string; value: Old | undefined },
  convert: (value: Old) => New,
  problems: ConfigProblem[],
  warnings: string[],
): { path: string; value: New | undefined; given: unknown } {
  if (old.value === undefined) return { path: current.path, value: current.value, given: current.value };
  const converted = convert(old.value);
  const same = JSON.stringify(converted) === JSON.stringify(old.value);
  const how = same
    ? `rename it to ${namespace}:${current.path} (same value, same meaning)`
    : `write ${namespace}:${current.path}: ${converted} instead (${old.value} there is ${converted} here)`;
  warnings.push(`${namespace}:${old.path} is deprecated since model v2 and will be removed in a later release: ${how}.`);
  if (current.value === undefined) return { path: old.path, value: converted, given: old.value };
  if (JSON.stringify(current.value) !== JSON.stringify(converted)) {
    problems.push({
      key: `${namespace}:${old.path}`,
      value: old.value,
      message: `the deprecated name of ${current.path}${same ? "" : ` (${old.value} means ${converted})`}, which is also set, to ${JSON.stringify(current.value)}; keep only ${current.path}`,
    });
  }
  return { path: current.path, value: current.value, given: current.value };
}

const unchanged = <T>(value: T): T => value;

/**
 * So that one run lists every problem, not only the shape ones: drops the values the schema refused
 * and checks the rules and cloud limits on the rest. Problems about a dropped key are not repeated.
 */
function ruleProblemsBeyond(config: StackConfig, raw: Record<string, unknown>, issues: readonly z.core.$ZodIssue[], found: ConfigProblem[]): ConfigProblem[] {
  const rest = structuredClone(raw);
  const dropped: string[] = [];
  for (const issue of issues) {
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const full of paths) {
      // A bad list item drops the whole list (a hole would fail again).
      const firstIndex = full.findIndex((part) => typeof part === "number");
      const path = firstIndex < 0 ? full : full.slice(0, firstIndex);
      const parent = path.slice(0, -1).reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined), rest);
      if (path.length > 0 && parent && typeof parent === "object") delete (parent as Record<PropertyKey, unknown>)[path[path.length - 1]];
      dropped.push(configKey(namespace, path));
    }
  }
  // A service's size is a pair: with its cpu refused, its memory would be judged against the default cpu.
  for (const d of [...dropped]) {
    const service = /^([^:]+:services\.[^.[]+)\.cpu$/.exec(d)?.[1];
    if (service) dropped.push(`${service}.memory`);
  }
  const retry = platformConfigSchema.safeParse(rest);
  if (!retry.success) return [];
  const later: ConfigProblem[] = [];
  checkSpec(config, retry.data, later, []);
  const about = (key: string, prefix: string) => key === prefix || key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}[`);
  return later.filter((p) => !dropped.some((d) => about(p.key, d)) && !found.some((f) => f.key === p.key));
}

/**
 * A value set with `--secret` never appears in an error message: CI logs are not secret. Webhook URLs
 * carry tokens, so they are hidden even when they were set without --secret by mistake.
 */
function hideSecretValues(problems: ConfigProblem[], secretKeys: ReadonlySet<string>): ConfigProblem[] {
  const hidden = new Set([...secretKeys, ...secretConfigKeys.map((k) => `${namespace}:${k}`)]);
  return problems.map((p) =>
    p.value !== undefined && hidden.has(p.key.split(/[.[]/)[0]) ? { key: p.key, message: `the secret value is not allowed: ${p.message}` } : p,
  );
}

function buildSpec(config: StackConfig, c: PlatformConfig, problems: ConfigProblem[], warnings: string[], sources: Map<string, KeySource>): PlatformSpec | undefined {
  /** Where a renamed key gave the value, cloud limits about it name that key. */
  const noteSource = (r: { path: string; given: unknown }, specPath: string) => {
    if (r.path !== specPath) sources.set(specPath, { path: r.path, value: r.given });
  };
  const key = (path: string) => `${namespace}:${path}`;
  const env: EnvironmentName = c.environment;
  const preset = presets[env];

  if (!cloudLimits[c.cloud]) {
    problems.push({ key: key("cloud"), value: c.cloud, message: `the ${c.cloud} implementation is not implemented yet; implemented: ${implementedClouds().join(", ")}` });
    return undefined;
  }

  const regionKey = regionKeys[c.cloud];
  const region = config.values[regionKey];
  if (region === undefined) {
    problems.push({ key: regionKey, message: `required for platform:cloud ${c.cloud}: set it with \`pulumi config set ${regionKey} <region>\`` });
    return undefined;
  }
  if (!regionPatterns[c.cloud].test(region)) {
    problems.push({ key: regionKey, value: region, message: `expected a region name of platform:cloud ${c.cloud}, such as ${seedRegions[c.cloud]}` });
    return undefined;
  }
  const unknownRegion = regionProblem(c.cloud, region);
  if (unknownRegion) {
    problems.push({ key: regionKey, value: region, message: unknownRegion });
    return undefined;
  }

  // GCP resources name their project, and nothing may ask the cloud for it at plan time.
  let cloudProject: string | undefined;
  if (c.cloud === "gcp") {
    cloudProject = config.values[gcpProjectKey];
    if (cloudProject === undefined) {
      problems.push({ key: gcpProjectKey, message: `required for platform:cloud gcp: the project id every resource is created in; set it with \`pulumi config set ${gcpProjectKey} <project-id>\`` });
    } else if (!gcpProjectId.test(cloudProject)) {
      problems.push({
        key: gcpProjectKey,
        value: cloudProject,
        message: "expected a Google Cloud project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (the id, not the project's display name or number)",
      });
    }
  }

  // Network
  const zoneCount = c.network?.zones ?? c.network?.availabilityZones?.length ?? preset.zones;
  let zones = c.network?.availabilityZones;
  if (zones === undefined) {
    const known = knownZones(c.cloud, region);
    if (!known) {
      problems.push({ key: key("network.availabilityZones"), message: `required for region ${region}: the zone names there are not known offline; list ${zoneCount} of them` });
      zones = [];
    } else if (known.length < zoneCount) {
      const has = known.length === 0 ? "no availability zones, and the platform spreads its network over zones: use a region that has them" : `${known.length} zones (${known.join(", ")})`;
      problems.push({ key: key("network.zones"), value: zoneCount, message: `region ${region} has ${has}` });
      zones = known;
    } else {
      zones = known.slice(0, zoneCount);
    }
  } else {
    if (c.network?.zones !== undefined && c.network.zones !== zones.length) {
      problems.push({ key: key("network.zones"), value: c.network.zones, message: `must equal the number of network.availabilityZones (${zones.length})` });
    }
    // A zone of another region (or a repeated one) would only fail at `pulumi up`, half-way through.
    const known = knownZones(c.cloud, region);
    zones.forEach((zone, i) => {
      if (known && !known.includes(zone)) {
        problems.push({ key: key(`network.availabilityZones[${i}]`), value: zone, message: `not a zone of region ${region} (${known.join(", ")})` });
      } else if (zones!.indexOf(zone) !== i) {
        problems.push({ key: key(`network.availabilityZones[${i}]`), value: zone, message: "listed twice; each zone gets its own subnets" });
      }
    });
  }
  const egress = renamedKey(
    { path: "network.egress", value: c.network?.egress },
    { path: "network.natGateways", value: c.network?.natGateways },
    (nat): EgressMode => (nat === "single" ? "shared" : "perZone"),
    problems,
    warnings,
  );
  noteSource(egress, "network.egress");
  // An egress the preset asks for that the cloud cannot build: what it builds instead, said once.
  const egressFallback = cloudDefaults[c.cloud]?.egress;
  let egressValue = egress.value ?? preset.egress;
  if (egress.value === undefined && egressFallback && egressFallback.value !== preset.egress) {
    egressValue = egressFallback.value;
    warnings.push(`${key("network.egress")}: the ${env} preset asks for ${preset.egress} egress. ${egressFallback.reason}.`);
  }
  const cidr = c.network?.cidr ?? defaultNetworkCidr;
  const cidrProblem = cidrBlockProblem(cidr);
  if (cidrProblem) problems.push({ key: key("network.cidr"), value: cidr, message: cidrProblem });

  // Secrets
  const secrets: Record<string, SecretSpec> = {};
  // Declared secrets add to the seed ones: declaring DB_URL must not drop (and delete) JWT_SECRET.
  for (const [name, s] of Object.entries({ ...seedSecrets, ...c.secrets })) {
    secrets[name] = { source: s.source, length: s.length ?? 64 };
  }

  // Services
  const immutableImageTags = c.immutableImageTags ?? preset.immutableImageTags;
  const databaseEnabled = c.database?.enabled !== false;
  const services: Record<string, ServiceSpec> = {};
  const serviceConfigs = c.services ?? { api: {} };
  if (Object.keys(serviceConfigs).length === 0) problems.push({ key: key("services"), value: {}, message: "expected at least one service" });
  for (const [name, given] of Object.entries(serviceConfigs)) {
    const svc = { ...(Object.hasOwn(seedServices, name) ? seedServices[name] : {}), ...given };
    const at = (field: string) => key(`services.${name}.${field}`);
    if (svc.port === undefined) problems.push({ key: at("port"), message: "required: expected a port from 1 to 65535" });
    const min = renamedKey({ path: `services.${name}.minInstances`, value: svc.minInstances }, { path: `services.${name}.minTasks`, value: svc.minTasks }, unchanged, problems, warnings);
    const max = renamedKey({ path: `services.${name}.maxInstances`, value: svc.maxInstances }, { path: `services.${name}.maxTasks`, value: svc.maxTasks }, unchanged, problems, warnings);
    noteSource(min, `services.${name}.minInstances`);
    noteSource(max, `services.${name}.maxInstances`);
    const minInstances = min.value ?? preset.minInstances;
    const maxInstances = max.value ?? preset.maxInstances;
    const maxName = max.path.split(".").pop();
    if (minInstances > maxInstances) problems.push({ key: key(min.path), value: minInstances, message: `must not exceed ${maxName} (${maxInstances})` });
    if (env === "production" && minInstances < 2) {
      problems.push({ key: key(min.path), value: minInstances, message: "production runs at least 2 instances so that one zone can fail (SLA 99.9%)" });
    }
    for (const [envName, value] of Object.entries(svc.env ?? {})) {
      if (databaseEnabled && databaseReserved(envName)) {
        problems.push({
          key: at(`env.${envName}`),
          ...(secretLookingName.test(envName) ? {} : { value }),
          message: `${envName} is reserved: the platform sets it from its database (platform:database), the credentials as secret references; remove it from services.${name}.env, or set platform:database.enabled to false to bring your own database`,
        });
      } else if (Object.hasOwn(platformEnvSources, envName)) {
        const source = platformEnvSources[envName as keyof typeof platformEnvSources];
        problems.push({ key: at(`env.${envName}`), value, message: `${envName} is reserved: the platform sets it from ${source}; remove it from services.${name}.env` });
      } else if (secretLookingName.test(envName)) {
        problems.push({ key: at(`env.${envName}`), message: `looks like a secret; plain env vars end up in state and in service definitions. Declare it in platform:secrets and list it in platform:services.${name}.secrets${svc.secrets?.length ? ` (now: ${svc.secrets.join(", ")})` : ""}` });
      } else {
        const kind = secretLookingValue(value);
        if (kind) {
          problems.push({
            key: at(`env.${envName}`),
            message: `the value looks like ${kind} (it is not shown here); plain env vars end up in state and in service definitions. Declare it in platform:secrets.${envName} with source: external, put the value into the secrets store, and list ${envName} in platform:services.${name}.secrets`,
          });
        }
      }
    }
    for (const [i, secretName] of (svc.secrets ?? []).entries()) {
      if (databaseEnabled && databaseReserved(secretName)) {
        problems.push({ key: at(`secrets[${i}]`), value: secretName, message: `${secretName} is reserved: the platform injects the database credentials under that name; remove it from services.${name}.secrets` });
      } else if (!secrets[secretName]) {
        problems.push({ key: at(`secrets[${i}]`), value: secretName, message: `not declared in platform:secrets (declared: ${Object.keys(secrets).join(", ") || "none"})` });
      }
      if (svc.env?.[secretName] !== undefined) problems.push({ key: at(`env.${secretName}`), message: `${secretName} is also a secret of this service; an env var and a secret cannot share a name` });
    }
    const imageTag = svc.imageTag ?? "latest";
    if (immutableImageTags && svc.image === undefined && imageTag === "latest") {
      problems.push({ key: at("imageTag"), value: imageTag, message: `image tags are immutable here (platform:immutableImageTags, on in production); set a release tag (e.g. 1.4.2) or a full image reference in services.${name}.image` });
    }
    services[name] = {
      image: svc.image,
      imageTag,
      port: svc.port ?? 0,
      cpu: svc.cpu ?? defaultServiceSize.cpu,
      memory: svc.memory ?? defaultServiceSize.memory,
      pathPatterns: svc.pathPatterns ?? [`/${name}/*`],
      healthCheckPath: svc.healthCheckPath ?? "/health",
      env: svc.env ?? {},
      secrets: svc.secrets ?? [],
      minInstances,
      maxInstances,
      cpuTarget: svc.cpuTarget ?? defaultCpuTargetPercent,
      memoryTarget: svc.memoryTarget,
    };
  }
  const claimedPaths = new Map<string, string>();
  for (const [name, svc] of Object.entries(services)) {
    for (const [i, pattern] of svc.pathPatterns.entries()) {
      const owner = claimedPaths.get(pattern);
      if (owner) problems.push({ key: key(`services.${name}.pathPatterns[${i}]`), value: pattern, message: `already routed to service ${owner}` });
      else claimedPaths.set(pattern, name);
    }
  }

  // Load balancer
  const lb = c.loadBalancer ?? {};
  // One reference per cloud: this stack's cloud's, reported under the key that holds it.
  const reference = (field: "certificate" | "dnsZone"): string | undefined => {
    const given = lb[field];
    if (given === undefined || typeof given === "string") return given;
    const value = given[c.cloud];
    if (value !== undefined) sources.set(`loadBalancer.${field}`, { path: `loadBalancer.${field}.${c.cloud}`, value });
    return value;
  };
  const certificate = reference("certificate");
  const dnsZone = reference("dnsZone");
  const backendTimeout = renamedKey(
    { path: "loadBalancer.backendTimeoutSeconds", value: lb.backendTimeoutSeconds },
    { path: "loadBalancer.idleTimeoutSeconds", value: lb.idleTimeoutSeconds },
    unchanged,
    problems,
    warnings,
  );
  noteSource(backendTimeout, "loadBalancer.backendTimeoutSeconds");
  const https = lb.domain !== undefined || certificate !== undefined || cloudDefaults[c.cloud]?.ownHostnameHttps === true;
  if (!https) {
    if (preset.httpOnlyAllowed) {
      warnings.push(`${key("loadBalancer.domain")} is not set: the ${env} load balancer serves plain HTTP on port 80. Set a domain (and dnsZone) or a certificate for HTTPS.`);
    } else {
      problems.push({ key: key("loadBalancer.domain"), message: `required in ${env}: set loadBalancer.domain (with loadBalancer.dnsZone) or loadBalancer.certificate so the load balancer serves HTTPS` });
    }
  }

  // Alarms: webhook URLs carry tokens, so they must be secrets.
  const webhookList = (name: "alarmWebhooks" | "pagerWebhooks"): pulumi.Output<string[]> => {
    const list = c[name] ?? [];
    if (list.length > 0 && !config.secretKeys.has(key(name))) {
      problems.push({ key: key(name), message: `webhook URLs carry credentials; set them with \`pulumi config set --secret --path '${key(name)}[0]' https://...\`` });
    }
    list.forEach((url, i) => {
      const problem = webhookUrlProblem(url);
      if (problem) problems.push({ key: key(`${name}[${i}]`), message: problem });
    });
    return pulumi.secret(list);
  };
  const alarmWebhooks = webhookList("alarmWebhooks");
  const pagerWebhooks = webhookList("pagerWebhooks");
  const emails = c.alarms?.emails ?? [];
  // A second subscription of one mailbox would only ever fail at `pulumi up` (or mail twice).
  emails.forEach((email, i) => {
    const first = emails.findIndex((other) => sameMailbox(other, email));
    if (first < i) {
      const how = emails[first] === email ? "" : " (addresses that differ only in case reach the same mailbox)";
      problems.push({ key: key(`alarms.emails[${i}]`), value: email, message: `already listed as alarms.emails[${first}]${how}; list each address once` });
    }
  });
  const thresholds = { ...defaultAlarmThresholds, requestsPerMinuteMin: preset.lowTrafficAlarm ? defaultAlarmThresholds.requestsPerMinuteMin : 0, ...c.alarms?.thresholds };
  for (const [warn, crit] of [
    ["latencyP99WarningMs", "latencyP99CriticalMs"],
    ["cpuWarningPercent", "cpuCriticalPercent"],
    ["memoryWarningPercent", "memoryCriticalPercent"],
    ["databaseCpuWarningPercent", "databaseCpuCriticalPercent"],
    ["databaseConnectionsWarningPercent", "databaseConnectionsCriticalPercent"],
  ] as const) {
    if (thresholds[warn] >= thresholds[crit]) {
      problems.push({ key: key(`alarms.thresholds.${warn}`), value: thresholds[warn], message: `must be below alarms.thresholds.${crit} (${thresholds[crit]})` });
    }
  }
  // Days left count down: the warning comes first, so it needs more days left than the critical alarm.
  if (thresholds.certificateExpiryDaysWarning <= thresholds.certificateExpiryDaysCritical) {
    problems.push({
      key: key("alarms.thresholds.certificateExpiryDaysWarning"),
      value: thresholds.certificateExpiryDaysWarning,
      message: `must be above alarms.thresholds.certificateExpiryDaysCritical (${thresholds.certificateExpiryDaysCritical}): the warning comes before the critical alarm`,
    });
  }
  // Free storage warns first: its warning share is the larger one.
  if (thresholds.databaseFreeStorageWarningPercent <= thresholds.databaseFreeStorageCriticalPercent) {
    problems.push({
      key: key("alarms.thresholds.databaseFreeStorageWarningPercent"),
      value: thresholds.databaseFreeStorageWarningPercent,
      message: `must be above alarms.thresholds.databaseFreeStorageCriticalPercent (${thresholds.databaseFreeStorageCriticalPercent}): free storage warns before it is critical`,
    });
  }
  const targetCount = emails.length + (c.alarmWebhooks?.length ?? 0);
  if (preset.alarmTargetsExpected && targetCount === 0) {
    warnings.push(`No alarm targets in ${env}: set ${key("alarms.emails")} or ${key("alarmWebhooks")} so warnings and critical alarms reach someone.`);
  }
  if (preset.pagerExpected && (c.pagerWebhooks?.length ?? 0) === 0) {
    warnings.push(`No pager in ${env}: set ${key("pagerWebhooks")} (secret) so critical alarms page the on-call engineer.`);
  }

  // Logs and backup
  const logs = {
    level: c.logs?.level ?? preset.logLevel,
    appRetentionDays: c.logs?.appRetentionDays ?? preset.appLogRetentionDays,
    auditRetentionDays: c.logs?.auditRetentionDays ?? preset.auditLogRetentionDays,
  };
  const b = c.backup ?? {};
  const copyRegion = b.copyRegion ?? (preset.backup.copyToSecondRegion ? (cloudDefaults[c.cloud]?.copyRegion?.(region) ?? backupCopyRegions[region]) : undefined);
  if (preset.backup.copyToSecondRegion && copyRegion === undefined) {
    problems.push({ key: key("backup.copyRegion"), message: `required in ${env} for region ${region}: name the region that holds the backup copies` });
  }

  // Tags reach every resource and are readable by anyone who may list resources.
  for (const [tagKey, value] of Object.entries(c.tags ?? {})) {
    const kind = secretLookingValue(value);
    if (kind) problems.push({ key: key(`tags.${tagKey}`), message: `the value looks like ${kind} (it is not shown here); tags are readable by anyone who may list the resources: remove it` });
  }

  return {
    project: config.project,
    stack: config.stack,
    cloud: c.cloud,
    environment: env,
    region,
    ...(cloudProject !== undefined ? { cloudProject } : {}),
    tags: { project: config.project, stack: config.stack, environment: env, "managed-by": "pulumi", ...c.tags },
    deletionProtection: c.deletionProtection ?? preset.deletionProtection,
    immutableImageTags,
    waitForRollout: c.waitForRollout ?? preset.waitForRollout,
    acceptedRisks: c.acceptRisks ?? [],
    network: {
      cidr,
      zones,
      egress: egressValue,
      flowLogs: c.network?.flowLogs ?? preset.flowLogs,
      interfaceEndpoints: c.network?.interfaceEndpoints ?? preset.interfaceEndpoints,
    },
    secrets,
    loadBalancer: {
      domain: lb.domain,
      certificate,
      dnsZone,
      https,
      rateLimit: { ...defaultRateLimit, ...lb.rateLimit },
      securityHeaders: { ...defaultSecurityHeaders, ...lb.securityHeaders },
      accessLogs: lb.accessLogs ?? true,
      backendTimeoutSeconds: backendTimeout.value ?? defaultBackendTimeoutSeconds,
      clientIdleTimeoutSeconds: lb.clientIdleTimeoutSeconds,
    },
    services,
    alarms: {
      emails,
      webhooks: alarmWebhooks,
      webhookCount: c.alarmWebhooks?.length ?? 0,
      pagerWebhooks,
      pagerWebhookCount: c.pagerWebhooks?.length ?? 0,
      thresholds,
    },
    backup: {
      dailyRetentionDays: b.dailyRetentionDays ?? preset.backup.dailyRetentionDays,
      weeklyRetentionWeeks: b.weeklyRetentionWeeks ?? preset.backup.weeklyRetentionWeeks,
      monthlyRetentionMonths: b.monthlyRetentionMonths ?? preset.backup.monthlyRetentionMonths,
      continuousRetentionDays: b.continuousRetentionDays ?? preset.backup.continuousRetentionDays,
      monthlyRestoreTest: b.monthlyRestoreTest ?? preset.backup.monthlyRestoreTest,
      copyRegion,
    },
    logs,
    database: databaseSpec(c, preset, problems),
    observability: {
      uptimeCheck:
        (c.observability?.uptimeChecks ?? preset.uptimeChecks)
          ? {
              intervalSeconds: c.observability?.uptimeIntervalSeconds ?? defaultUptimeCheck.intervalSeconds,
              availabilityPercentMin: c.observability?.availabilityPercentMin ?? defaultUptimeCheck.availabilityPercentMin,
              availabilityWindowMinutes: c.observability?.availabilityWindowMinutes ?? defaultUptimeCheck.availabilityWindowMinutes,
            }
          : undefined,
      dashboard: c.observability?.dashboard ?? true,
    },
  };
}

function databaseSpec(c: PlatformConfig, preset: EnvironmentPreset, problems: ConfigProblem[]): DatabaseSpec | undefined {
  const d = c.database ?? {};
  if (d.enabled === false) return undefined;
  const storageGb = d.storageGb ?? preset.database.storageGb;
  const maxStorageGb = d.maxStorageGb ?? preset.database.maxStorageGb;
  // Blamed on the key the stack file set: a larger storageGb alone runs into the preset's ceiling.
  if (maxStorageGb < storageGb && d.maxStorageGb !== undefined) {
    problems.push({
      key: `${namespace}:database.maxStorageGb`,
      value: maxStorageGb,
      message: `must be at least database.storageGb (${storageGb}): it is the ceiling the storage may grow to on its own (equal: no automatic growth)`,
    });
  } else if (maxStorageGb < storageGb) {
    problems.push({
      key: `${namespace}:database.storageGb`,
      value: storageGb,
      message: `must not exceed database.maxStorageGb (${maxStorageGb}, the preset's ceiling for automatic growth); raise database.maxStorageGb with it`,
    });
  }
  return {
    engine: "postgres",
    version: d.version ?? defaultDatabase.version,
    size: d.size ?? preset.database.size,
    storageGb,
    maxStorageGb,
    highAvailability: d.highAvailability ?? preset.database.highAvailability,
    // Where the vault keeps continuous backups, they are the database's point-in-time window.
    pointInTimeRecoveryDays: d.pointInTimeRecoveryDays ?? c.backup?.continuousRetentionDays ?? preset.backup.continuousRetentionDays ?? preset.database.pointInTimeRecoveryDays,
    databaseName: d.name ?? defaultDatabase.name,
  };
}

export function implementedClouds(): CloudName[] {
  return (Object.keys(cloudLimits) as CloudName[]).filter((cloud) => cloudLimits[cloud] !== undefined);
}
