// What GCP refuses that a mock accepts, checked on the spec before anything is registered, and the
// values it builds otherwise than the spec says (severity "warning"). No SDK import: this runs while
// config is validated. Messages name GCP services: they are shown on GCP stacks only.
import type { PlatformSpec, SpecProblem } from "../model";
import { gcpLabels, gcpMaxLabels } from "../naming";
import { gcpRegionProblem } from "./regions";
import { routedService } from "./routing";
import { cloudRunSizeProblems } from "./sizes";

/** Cloud Logging keeps a bucket's logs 1 to 3650 days (LogBucket.retentionDays). */
export const maxLogRetentionDays = 3650;
/** Cloud Run's request timeout: at most 60 minutes (Cloud Run, "Configure request timeout for services"). */
export const maxRequestTimeoutSeconds = 3600;
/** The target HTTPS proxy's HTTP keep-alive: 5 to 1200 s (TargetHttpsProxy.httpKeepAliveTimeoutSec). */
export const keepAliveSeconds = { min: 5, max: 1200 } as const;
/** Cloud Armor throttle: "The minimum value is 1 and the maximum value is 1,000,000" (Cloud Armor, "Rate limiting overview"). */
export const maxArmorThreshold = 1_000_000;
/** Cloud Armor rate-limit intervals (gcloud compute security-policies rules create --rate-limit-threshold-interval-sec). */
export const armorIntervals = [10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600] as const;
/** A URL map path rule path: at most 1024 characters (Cloud Load Balancing, "Quotas and limits": URL maps). */
const maxPathLength = 1024;
/**
 * The CPU target Cloud Run's GA autoscaler keeps: "By default, Cloud Run optimizes for high performance
 * with a utilization target of 60% for both CPU and concurrency" (Cloud Run, "Configure custom scaling
 * controls for services"). A custom target is the BETA launch stage only, which the provider reports as
 * a change on every run (pulumi/pulumi-gcp#2336), so the platform keeps the GA default.
 */
export const cloudRunCpuTargetPercent = 60;
/** Env vars Cloud Run sets itself and refuses in a service ("The following reserved env names were provided"). */
export const cloudRunReservedEnv = ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"] as const;
/** Cloud DNS managed zone names: 1-63 lowercase letters, digits and hyphens, a letter first (ManagedZone.name). */
export const cloudDnsZoneName = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** An existing certificate: a Certificate Manager certificate (global) or a compute SSL certificate. */
export const certificateManagerCertificate = /^(?:\/\/certificatemanager\.googleapis\.com\/)?projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/locations\/global\/certificates\/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$/;
export const computeSslCertificate = /^(?:https:\/\/www\.googleapis\.com\/compute\/v1\/)?projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/global\/sslCertificates\/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$/;
/**
 * Cloud SQL for PostgreSQL majors (Cloud SQL, "Database versions and version policies"), and its
 * Enterprise edition's transaction log retention for point-in-time recovery: 1 to 7 days.
 */
export const cloudSqlPostgresVersions = ["13", "14", "15", "16", "17"] as const;
export const cloudSqlStorageGb = { min: 10, max: 65536 } as const;
export const maxTransactionLogDays = 7;
/** Cloud Storage soft delete keeps deleted objects 7 to 90 days (Bucket.softDeletePolicy.retentionDurationSeconds). */
export const softDeleteDays = { min: 7, max: 90 } as const;
/** Backup and DR: at most 36159 days of retention (BackupRule.backupRetentionDays). */
export const maxBackupRetentionDays = 36159;
/** Cloud Monitoring uptime check periods (UptimeCheckConfig.period: 60s, 300s, 600s or 900s). */
export const uptimePeriodsSeconds = [60, 300, 600, 900] as const;
/** Private services access for Cloud SQL takes at least a /24 (VPC, "Configure private services access"). */
export const minPrivateServicesPrefix = 24;

/** The labels the platform adds to some resources on top of the spec's tags (`service` on Cloud Run). */
const extraLabels = 1;

export function labelProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const { rewritten, collisions } = gcpLabels(spec.tags);
  for (const c of collisions) {
    for (const tag of c.tags.slice(1)) {
      problems.push({
        key: `tags.${tag}`,
        value: tag,
        message: `GCP labels take lowercase letters, digits, _ and - only, so tags ${c.tags.join(" and ")} would both become label ${c.label} and one would be lost; rename one of them`,
      });
    }
  }
  const collided = new Set(collisions.flatMap((c) => c.tags));
  for (const r of rewritten) {
    if (collided.has(r.tag)) continue;
    problems.push({
      key: `tags.${r.tag}`,
      value: r.tag,
      severity: "warning",
      message: `GCP labels take keys and values of at most 63 lowercase letters, digits, _ and - (a key starts with a letter, not goog): this tag becomes label ${r.label}=${r.labelValue}`,
    });
  }
  if (Object.keys(spec.tags).length + extraLabels > gcpMaxLabels) {
    problems.push({ key: "tags", value: Object.keys(spec.tags).length, message: `a GCP resource takes at most ${gcpMaxLabels} labels, and the platform adds ${extraLabels}; use at most ${gcpMaxLabels - extraLabels} tags` });
  }
  return problems;
}

function loadBalancerProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const lb = spec.loadBalancer;
  if (lb.certificate !== undefined) {
    const match = certificateManagerCertificate.exec(lb.certificate) ?? computeSslCertificate.exec(lb.certificate);
    if (!match) {
      problems.push({
        key: "loadBalancer.certificate",
        value: lb.certificate,
        message: "expected a Certificate Manager certificate (projects/<project>/locations/global/certificates/<name>) or a compute SSL certificate (projects/<project>/global/sslCertificates/<name>)",
      });
    } else if (spec.cloudProject !== undefined && match[1] !== spec.cloudProject) {
      problems.push({ key: "loadBalancer.certificate", value: lb.certificate, message: `the certificate is in project ${match[1]}; the load balancer can only use one of its own project ${spec.cloudProject}` });
    }
  }
  if (lb.dnsZone !== undefined && !cloudDnsZoneName.test(lb.dnsZone)) {
    problems.push({
      key: "loadBalancer.dnsZone",
      value: lb.dnsZone,
      message: "expected the name of a Cloud DNS managed zone (1-63 lowercase letters, digits and hyphens, starting with a letter), as `gcloud dns managed-zones list` shows it",
    });
  }
  if (lb.domain !== undefined && lb.certificate === undefined && lb.dnsZone === undefined) {
    problems.push({
      key: "loadBalancer.dnsZone",
      severity: "warning",
      message: `not set: the platform writes no DNS record, and Google provisions the managed certificate for ${lb.domain} only once its A record points at the load balancer's address (stack output url); create that record yourself`,
    });
  }
  if (lb.backendTimeoutSeconds > maxRequestTimeoutSeconds) {
    problems.push({ key: "loadBalancer.backendTimeoutSeconds", value: lb.backendTimeoutSeconds, message: `this is the Cloud Run request timeout, at most ${maxRequestTimeoutSeconds} seconds` });
  }
  const idle = lb.clientIdleTimeoutSeconds;
  if (idle !== undefined && (idle < keepAliveSeconds.min || idle > keepAliveSeconds.max)) {
    problems.push({ key: "loadBalancer.clientIdleTimeoutSeconds", value: idle, message: `this is the HTTPS proxy's HTTP keep-alive timeout, ${keepAliveSeconds.min}-${keepAliveSeconds.max} seconds` });
  }
  if (lb.rateLimit.requests > maxArmorThreshold) {
    problems.push({ key: "loadBalancer.rateLimit.requests", value: lb.rateLimit.requests, message: `a Cloud Armor throttle counts at most ${maxArmorThreshold} requests per interval` });
  }
  if (!(armorIntervals as readonly number[]).includes(lb.rateLimit.windowSeconds)) {
    problems.push({ key: "loadBalancer.rateLimit.windowSeconds", value: lb.rateLimit.windowSeconds, message: `Cloud Armor counts over ${armorIntervals.join(", ")} seconds` });
  }
  for (const [name, svc] of Object.entries(spec.services)) {
    svc.pathPatterns.forEach((pattern, i) => {
      if (pattern.length > maxPathLength) {
        problems.push({ key: `services.${name}.pathPatterns[${i}]`, value: pattern, message: `a URL map path rule takes at most ${maxPathLength} characters; this one has ${pattern.length}` });
      }
    });
  }
  return problems;
}

function serviceProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [...cloudRunSizeProblems(spec)];
  for (const [name, svc] of Object.entries(spec.services)) {
    for (const envName of Object.keys(svc.env)) {
      if ((cloudRunReservedEnv as readonly string[]).includes(envName)) {
        problems.push({ key: `services.${name}.env.${envName}`, value: svc.env[envName], message: `${envName} is set by Cloud Run itself (reserved: ${cloudRunReservedEnv.join(", ")}); remove it` });
      }
    }
    if (svc.memoryTarget !== undefined) {
      problems.push({
        key: `services.${name}.memoryTarget`,
        value: svc.memoryTarget,
        message: "Cloud Run scales on requests and CPU only, never on memory; remove it (the memory alarms stay)",
      });
    }
    if (svc.cpuTarget !== cloudRunCpuTargetPercent) {
      problems.push({
        key: `services.${name}.cpuTarget`,
        value: svc.cpuTarget,
        severity: "warning",
        message: `Cloud Run's autoscaler keeps its own CPU target of ${cloudRunCpuTargetPercent}% (a custom target is a BETA setting that the provider re-applies on every run); the CPU alarms at ${spec.alarms.thresholds.cpuWarningPercent}% and ${spec.alarms.thresholds.cpuCriticalPercent}% stay`,
      });
    }
  }
  return problems;
}

function dataProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [field, days] of [["appRetentionDays", spec.logs.appRetentionDays], ["auditRetentionDays", spec.logs.auditRetentionDays]] as const) {
    if (days < 1 || days > maxLogRetentionDays) {
      problems.push({ key: `logs.${field}`, value: days, message: `a Cloud Logging bucket keeps logs 1 to ${maxLogRetentionDays} days` });
    }
  }
  const b = spec.backup;
  const copyRegion = b.copyRegion;
  if (copyRegion !== undefined) {
    const unknown = gcpRegionProblem(copyRegion);
    if (unknown) problems.push({ key: "backup.copyRegion", value: copyRegion, message: unknown });
    else if (copyRegion === spec.region) problems.push({ key: "backup.copyRegion", value: copyRegion, message: `the copy bucket must be in a region other than the stack's own (${spec.region})` });
  }
  const continuous = b.continuousRetentionDays;
  if (continuous !== undefined && (continuous < softDeleteDays.min || continuous > softDeleteDays.max)) {
    problems.push({
      key: "backup.continuousRetentionDays",
      value: continuous,
      message: `on GCP this is the data bucket's soft delete window, which Cloud Storage keeps ${softDeleteDays.min} to ${softDeleteDays.max} days`,
    });
  }
  for (const [field, days] of backupRuleDays(spec)) {
    if (days > maxBackupRetentionDays) problems.push({ key: `backup.${field}`, value: days, message: `Backup and DR keeps a backup at most ${maxBackupRetentionDays} days` });
  }
  const db = spec.database;
  if (db) {
    if (!(cloudSqlPostgresVersions as readonly string[]).includes(db.version)) {
      problems.push({ key: "database.version", value: db.version, message: `Cloud SQL runs PostgreSQL ${cloudSqlPostgresVersions.join(", ")} under standard support` });
    }
    if (db.storageGb < cloudSqlStorageGb.min || db.storageGb > cloudSqlStorageGb.max) {
      problems.push({ key: "database.storageGb", value: db.storageGb, message: `Cloud SQL storage is ${cloudSqlStorageGb.min}-${cloudSqlStorageGb.max} GB` });
    } else if (db.maxStorageGb > cloudSqlStorageGb.max) {
      problems.push({ key: "database.maxStorageGb", value: db.maxStorageGb, message: `Cloud SQL storage grows to at most ${cloudSqlStorageGb.max} GB` });
    }
    if (db.pointInTimeRecoveryDays > maxTransactionLogDays) {
      problems.push({
        key: "database.pointInTimeRecoveryDays",
        value: db.pointInTimeRecoveryDays,
        message: `Cloud SQL Enterprise edition keeps transaction logs for point-in-time recovery 1 to ${maxTransactionLogDays} days`,
      });
    } else if (databaseDailyDays(spec) > b.dailyRetentionDays) {
      problems.push({
        key: "backup.dailyRetentionDays",
        value: b.dailyRetentionDays,
        severity: "warning",
        message: `the database's daily backups are kept ${databaseDailyDays(spec)} days, one more than its ${pointInTimeDays(spec)} days of point-in-time recovery: Backup and DR keeps a Cloud SQL instance's logs only for less time than a daily backup`,
      });
    }
    // The database's private services range and the services' subnet each take half of the network.
    const bits = Number(spec.network.cidr.split("/")[1]);
    if (bits + 1 > minPrivateServicesPrefix) {
      problems.push({
        key: "network.cidr",
        value: spec.network.cidr,
        message: `on GCP half of the network is the services' subnet and half the range Cloud SQL takes its private address from (private services access needs a /${minPrivateServicesPrefix} at least): use a /${minPrivateServicesPrefix - 1} or larger`,
      });
    }
  }
  return problems;
}

/** Days of each backup rule the plan has: daily, weekly (7 per week) and monthly (30.5 per month, rounded up). */
export function backupRuleDays(spec: PlatformSpec): [string, number][] {
  const b = spec.backup;
  return [
    ["dailyRetentionDays", b.dailyRetentionDays],
    ...(b.weeklyRetentionWeeks ? [["weeklyRetentionWeeks", b.weeklyRetentionWeeks * 7] as [string, number]] : []),
    ...(b.monthlyRetentionMonths ? [["monthlyRetentionMonths", Math.ceil(b.monthlyRetentionMonths * 30.5)] as [string, number]] : []),
  ];
}

/** How far back point-in-time recovery reaches: the spec's days of transaction logs (refused above 7). */
export function pointInTimeDays(spec: PlatformSpec): number {
  return Math.max(1, Math.min(spec.database?.pointInTimeRecoveryDays ?? 1, maxTransactionLogDays));
}

/**
 * Days the database's daily backups are kept: the spec's, or one more than point-in-time recovery where
 * that is as long. Backup and DR refuses a Cloud SQL plan unless a daily rule keeps its backups longer
 * than the logs ("log_retention_days < backup_retention_days of that rule": the API's error quoted in
 * GoogleCloudPlatform/magic-modules#14622), and Cloud SQL its own backups likewise ("backup retention
 * should be > transaction log retention", terraform-google-modules/terraform-google-sql-db#785).
 */
export function databaseDailyDays(spec: PlatformSpec): number {
  return Math.max(spec.backup.dailyRetentionDays, pointInTimeDays(spec) + 1);
}

/**
 * Days the data bucket keeps a replaced or deleted object as a noncurrent version: the daily retention
 * where the copy region keeps the weekly and monthly copies, otherwise the longest rule the spec asks
 * for, so that versions alone restore what a weekly or monthly backup would.
 */
export function noncurrentVersionDays(spec: PlatformSpec): number {
  if (spec.backup.copyRegion !== undefined) return spec.backup.dailyRetentionDays;
  return Math.max(...backupRuleDays(spec).map(([, days]) => days));
}

function observabilityProblems(spec: PlatformSpec): SpecProblem[] {
  const check = spec.observability.uptimeCheck;
  if (!check) return [];
  const problems: SpecProblem[] = [];
  if (check.intervalSeconds < uptimePeriodsSeconds[0]) {
    problems.push({ key: "observability.uptimeIntervalSeconds", value: check.intervalSeconds, message: `Cloud Monitoring uptime checks run every ${uptimePeriodsSeconds.join(", ")} seconds; the most frequent is ${uptimePeriodsSeconds[0]}` });
  }
  // The check requests the health path through the load balancer, which routes by path only.
  for (const [name, svc] of Object.entries(spec.services)) {
    const reached = routedService(svc.healthCheckPath, spec.services);
    if (reached !== name) {
      problems.push({
        key: `services.${name}.healthCheckPath`,
        value: svc.healthCheckPath,
        message: `the uptime check requests it through the load balancer, whose URL map sends it ${reached ? `to service ${reached}` : "nowhere (404)"}; use a path under this service's patterns (${svc.pathPatterns.join(", ")})`,
      });
    }
  }
  return problems;
}

export const gcpLimits = (spec: PlatformSpec): SpecProblem[] => {
  const problems: SpecProblem[] = [...serviceProblems(spec), ...loadBalancerProblems(spec), ...dataProblems(spec), ...observabilityProblems(spec), ...labelProblems(spec)];
  const copy = spec.backup.copyRegion;
  problems.push({
    key: "backup",
    severity: "warning",
    message:
      `Backup and DR does not take Cloud Storage buckets: on GCP the data bucket is protected by object versioning (noncurrent versions kept ${noncurrentVersionDays(spec)} days), ` +
      `soft delete (${spec.backup.continuousRetentionDays ?? 7} days) and ` +
      (copy ? `a copy in ${copy} by Storage Transfer Service (daily, weekly and monthly prefixes)` : "no copy in another region (set backup.copyRegion for one)") +
      (spec.database ? `; the database is in the Backup and DR vault${copy ? `, and exported every day into the copy bucket in ${copy}` : ""}` : ""),
  });
  if (spec.backup.monthlyRestoreTest) {
    // Backup and DR has no scheduled restore test of its own: say so rather than skip it quietly.
    problems.push({
      key: "backup.monthlyRestoreTest",
      value: true,
      severity: "warning",
      message: "GCP builds no automated monthly restore test (Backup and DR has no restore-testing plan): run the restore drill of the README each month and record it",
    });
  }
  if (spec.network.egress === "perZone") {
    problems.push({
      key: "network.egress",
      value: spec.network.egress,
      severity: "warning",
      message: "GCP has one regional Cloud NAT for all zones, which has no zonal single point of failure: perZone and shared build the same",
    });
  }
  return problems;
};
