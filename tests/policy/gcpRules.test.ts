// Every rule of the pack on GCP's production plan, as tests/policy/rules.test.ts does for AWS: quiet on
// the resources as the program builds them (and reading them, not skipping them), firing on a resource
// changed to break it, and degrading to the engine's advisory when a value it reads is unknown.
import type { ControlName } from "../../policy/controls";
import type { PlanResource } from "../../policy/offline";
import { synthUnknown } from "../../policy/offline";
import { gcpReaders } from "../../policy/readers/gcp";
import { type ControlCase, describeControlCases } from "./controlCases";
import { edit, plan, rewire, without } from "./plans";

let production: PlanResource[];

beforeAll(async () => {
  production = await plan("production", { cloud: "gcp" });
});

type Container = { name: string; image: string; envs: object[] };
const containers = (i: any): Container[] => i.template.containers;
const armorRule = (i: any, action: string) => (i.rules as { action: string }[]).find((r) => r.action === action) as any;

const cases: Record<ControlName, ControlCase> = {
  "encryption-at-rest": {
    reads: "secrets-JWT_SECRET",
    breaches: [
      {
        what: "a secret replica without a key",
        change: (p) => edit(p, "secrets-JWT_SECRET", (i) => delete i.replication.userManaged.replicas[0].customerManagedEncryption),
        on: "secrets-JWT_SECRET",
        reports: "the secrets are not encrypted with a customer-managed key (replication.userManaged.replicas (asia-northeast1).customerManagedEncryption.kmsKeyName is not set: a Google-owned key)",
      },
      { what: "a secret replicated automatically under Google's key", change: (p) => edit(p, "secrets-JWT_SECRET", (i) => (i.replication = { auto: {} })), on: "secrets-JWT_SECRET", reports: "replication.auto.customerManagedEncryption.kmsKeyName is not set" },
      { what: "a database without a key", change: (p) => edit(p, "backup-database", (i) => delete i.encryptionKeyName), on: "backup-database", reports: "the database are not encrypted with a customer-managed key (encryptionKeyName is not set: a Google-owned key)" },
      { what: "the database's replica without a key", change: (p) => edit(p, "backup-database-replica", (i) => delete i.encryptionKeyName), on: "backup-database-replica", reports: "(encryptionKeyName is not set" },
      { what: "an image repository without a key", change: (p) => edit(p, "app-repository", (i) => delete i.kmsKeyName), on: "app-repository", reports: "the image registry are not encrypted with a customer-managed key (kmsKeyName is not set" },
      { what: "a log bucket without a key", change: (p) => edit(p, "app-app-logs", (i) => delete i.cmekSettings), on: "app-app-logs", reports: "the logs are not encrypted with a customer-managed key (cmekSettings.kmsKeyName is not set" },
      { what: "a key that does not rotate", change: (p) => edit(p, "secrets-key", (i) => delete i.rotationPeriod), on: "secrets-key", reports: "the key does not rotate automatically (rotationPeriod is not set)" },
    ],
    unknown: (p) => edit(p, "backup-database", (i) => (i.encryptionKeyName = synthUnknown)),
  },
  "object-storage-encrypted": {
    reads: "backup-data",
    breaches: [
      { what: "the data bucket under Google's key", change: (p) => edit(p, "backup-data", (i) => delete i.encryption), on: "backup-data", reports: "encrypted with the provider's key, not a customer-managed one (encryption.defaultKmsKeyName is not set: a Google-owned key)" },
      { what: "the copy bucket under Google's key", change: (p) => edit(p, "backup-data-copy", (i) => delete i.encryption.defaultKmsKeyName), on: "backup-data-copy", reports: "encryption.defaultKmsKeyName is not set" },
    ],
    unknown: (p) => edit(p, "backup-data", (i) => (i.encryption.defaultKmsKeyName = synthUnknown)),
  },
  "https-only": {
    reads: "lb-tls",
    breaches: [
      { what: "an SSL policy from TLS 1.0", change: (p) => edit(p, "lb-tls", (i) => (i.minTlsVersion = "TLS_1_0")), on: "lb-tls", reports: "TLS 1.0 is accepted; the minimum is 1.2 (minTlsVersion TLS_1_0, profile MODERN)" },
      { what: "an SSL policy without a minimum (TLS 1.0)", change: (p) => edit(p, "lb-tls", (i) => delete i.minTlsVersion), on: "lb-tls", reports: "TLS 1.0 is accepted; the minimum is 1.2 (minTlsVersion not set: TLS_1_0" },
      { what: "the HTTPS proxy without an SSL policy", change: (p) => edit(p, "lb-https-proxy", (i) => delete i.sslPolicy), on: "lb-https-proxy", reports: "TLS 1.0 is accepted; the minimum is 1.2 (sslPolicy is not set: Google's default SSL policy, TLS 1.0)" },
      { what: "the HTTP map redirecting without HTTPS", change: (p) => edit(p, "lb-redirect", (i) => (i.defaultUrlRedirect.httpsRedirect = false)), on: "lb-redirect", reports: "plain HTTP is served instead of redirected to HTTPS (defaultUrlRedirect httpsRedirect false)" },
      {
        what: "the HTTP map serving a path besides redirecting",
        change: (p) => edit(p, "lb-redirect", (i) => (i.hostRules = [{ hosts: ["*"], pathMatcher: "m" }])),
        on: "lb-redirect",
        reports: "plain HTTP is served instead of redirected to HTTPS (defaultUrlRedirect httpsRedirect true, with 1 host or path rules that serve)",
      },
    ],
    unknown: (p) => edit(p, "lb-tls", (i) => (i.minTlsVersion = synthUnknown)),
  },
  "security-headers": {
    reads: "lb-api-backend",
    breaches: [
      {
        what: "a short HSTS max-age",
        change: (p) => edit(p, "lb-api-backend", (i) => (i.customResponseHeaders = i.customResponseHeaders.map((h: string) => (h.startsWith("Strict-Transport-Security") ? "Strict-Transport-Security: max-age=300" : h)))),
        on: "lb-api-backend",
        reports: "Strict-Transport-Security max-age is 300, below 31536000 (customResponseHeaders Strict-Transport-Security)",
      },
      {
        what: "framing allowed",
        change: (p) => edit(p, "lb-api-backend", (i) => (i.customResponseHeaders = i.customResponseHeaders.map((h: string) => (h.startsWith("X-Frame-Options") ? "X-Frame-Options: ALLOW-FROM https://x.example" : h)))),
        on: "lb-api-backend",
        reports: 'X-Frame-Options is "ALLOW-FROM https://x.example"',
      },
      {
        what: "no CSP",
        change: (p) => edit(p, "lb-api-backend", (i) => (i.customResponseHeaders = i.customResponseHeaders.filter((h: string) => !h.startsWith("Content-Security-Policy")))),
        on: "lb-api-backend",
        reports: "Content-Security-Policy is not set (customResponseHeaders Content-Security-Policy)",
      },
      { what: "no headers at all", change: (p) => edit(p, "lb-api-backend", (i) => delete i.customResponseHeaders), on: "lb-api-backend", reports: "X-Content-Type-Options is not set (customResponseHeaders X-Content-Type-Options)" },
    ],
    unknown: (p) => edit(p, "lb-api-backend", (i) => (i.customResponseHeaders = synthUnknown)),
  },
  "rate-limit": {
    reads: "lb-api-backend",
    breaches: [
      { what: "the Cloud Armor policy detached", change: (p) => rewire(edit(p, "lb-api-backend", (i) => delete i.securityPolicy), "lb-api-backend", (d) => (d.securityPolicy = [])), on: "lb-api-backend", reports: "the public entry point has no rate-limit rule" },
      { what: "a throttle on one budget for everyone", change: (p) => edit(p, "lb-armor", (i) => delete armorRule(i, "throttle").rateLimitOptions.enforceOnKey), on: "lb-api-backend", reports: "the rate-limit rule is not keyed on the client IP (security policy rule 2000: enforceOnKey ALL" },
      { what: "a throttle in preview", change: (p) => edit(p, "lb-armor", (i) => (armorRule(i, "throttle").preview = true)), on: "lb-api-backend", reports: "the rate-limit rule does not block (security policy rule 2000: enforceOnKey IP, exceedAction deny(429), in preview (logged, not enforced))" },
      {
        what: "an earlier rule that allows everyone",
        change: (p) => edit(p, "lb-armor", (i) => i.rules.push({ priority: 10, action: "allow", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } } })),
        on: "lb-api-backend",
        reports: "after rule 10 that allows every source",
      },
    ],
    unknown: (p) => edit(p, "lb-armor", (i) => (armorRule(i, "throttle").rateLimitOptions.enforceOnKey = synthUnknown)),
  },
  "no-public-address": {
    reads: "app-api-service",
    breaches: [
      { what: "a service reachable at its run.app URL", change: (p) => edit(p, "app-api-service", (i) => (i.ingress = "INGRESS_TRAFFIC_ALL")), on: "app-api-service", reports: "the service is reachable from the internet (ingress INGRESS_TRAFFIC_ALL)" },
      { what: "a service without an ingress setting", change: (p) => edit(p, "app-api-service", (i) => delete i.ingress), on: "app-api-service", reports: "(ingress not set: INGRESS_TRAFFIC_ALL)" },
      { what: "a database with a public IP", change: (p) => edit(p, "backup-database", (i) => (i.settings.ipConfiguration.ipv4Enabled = true)), on: "backup-database", reports: "the database is reachable from the internet (settings.ipConfiguration.ipv4Enabled true)" },
    ],
    unknown: (p) => edit(p, "app-api-service", (i) => (i.ingress = synthUnknown)),
  },
  "no-public-ingress": {
    reads: "lb-https",
    breaches: [
      { what: "the entry on another port", change: (p) => edit(p, "lb-https", (i) => (i.portRange = "8443")), on: "lb-https", reports: "the public entry admits 0.0.0.0/0 on port 8443; only 80, 443 are listener ports" },
      {
        what: "a firewall rule letting SSH in from anywhere",
        change: (p) => edit(p, "network-deny-ingress", (i) => ((i.allows = [{ protocol: "tcp", ports: ["22"] }]), delete i.denies)),
        on: "network-deny-ingress",
        reports: "the compute admits 0.0.0.0/0 on port 22",
      },
      {
        what: "the database open to an authorized network of the internet",
        change: (p) => edit(p, "backup-database", (i) => (i.settings.ipConfiguration = { ipv4Enabled: true, authorizedNetworks: [{ value: "0.0.0.0/0" }] })),
        on: "backup-database",
        reports: "the database admits 0.0.0.0/0 on port 5432",
      },
    ],
    unknown: (p) => edit(p, "lb-https", (i) => (i.portRange = synthUnknown)),
  },
  "object-storage-private": {
    reads: "backup-data",
    breaches: [
      { what: "public access prevention inherited", change: (p) => edit(p, "backup-data", (i) => (i.publicAccessPrevention = "inherited")), on: "backup-data", reports: "public access to the object store is not blocked (publicAccessPrevention inherited)" },
      { what: "a role for allUsers", change: (p) => edit(p, "app-api-data", (i) => (i.member = "allUsers")), on: "backup-data", reports: "the object store grants access to anyone: IAM role roles/storage.objectUser for allUsers" },
    ],
    unknown: (p) => edit(p, "backup-data", (i) => (i.publicAccessPrevention = synthUnknown)),
  },
  "secrets-by-reference": {
    reads: "app-api-service",
    breaches: [
      {
        what: "a password as a plain variable",
        change: (p) => edit(p, "app-api-service", (i) => containers(i)[0].envs.push({ name: "DB_PASSWORD", value: "hunter2" })),
        on: "app-api-service",
        reports: "container api sets DB_PASSWORD to a literal value; a variable of that name holds a secret",
      },
      {
        what: "a token under an innocent name",
        change: (p) => edit(p, "app-api-service", (i) => containers(i)[0].envs.push({ name: "UPSTREAM", value: `ghp_${"a".repeat(36)}` })),
        on: "app-api-service",
        reports: "container api sets UPSTREAM to a literal value that looks like a GitHub token (not shown)",
      },
    ],
    unknown: (p) => edit(p, "app-api-service", (i) => (i.template.containers = synthUnknown)),
  },
  "min-instances": {
    reads: "app-api-service",
    breaches: [
      { what: "one instance", change: (p) => edit(p, "app-api-service", (i) => (i.template.scaling.minInstanceCount = 1)), on: "app-api-service", reports: "the service keeps 1 instance, fewer than 2 (template.scaling.minInstanceCount 1)" },
      { what: "scale to zero", change: (p) => edit(p, "app-api-service", (i) => delete i.template.scaling), on: "app-api-service", reports: "the service keeps 0 instances, fewer than 2" },
    ],
    unknown: (p) => edit(p, "app-api-service", (i) => (i.template.scaling.minInstanceCount = synthUnknown)),
  },
  "multi-zone": {
    reads: "app-api-service",
    breaches: [{ what: "a service without zonal redundancy", change: (p) => edit(p, "app-api-service", (i) => (i.template.gpuZonalRedundancyDisabled = true)), on: "app-api-service", reports: "the service spans 1 zone, fewer than 2 (template.gpuZonalRedundancyDisabled)" }],
    unknown: (p) => edit(p, "app-api-service", (i) => (i.template.gpuZonalRedundancyDisabled = synthUnknown)),
  },
  "database-ha": {
    reads: "backup-database",
    breaches: [{ what: "a zonal instance", change: (p) => edit(p, "backup-database", (i) => (i.settings.availabilityType = "ZONAL")), on: "backup-database", reports: "the database has no standby in another zone (settings.availabilityType ZONAL)" }],
    unknown: (p) => edit(p, "backup-database", (i) => (i.settings.availabilityType = synthUnknown)),
  },
  "stateful-protected": {
    reads: "backup-data",
    breaches: [
      { what: "an unprotected bucket", change: (p) => p.map((r) => (r.name === "backup-data" ? { ...r, protect: false } : r)), on: "backup-data", reports: "the bucket is not protected (resource option protect)" },
      { what: "a bucket emptied on delete", change: (p) => edit(p, "backup-data", (i) => (i.forceDestroy = true)), on: "backup-data", reports: "forceDestroy deletes every object with the bucket" },
      { what: "a database the provider may delete", change: (p) => edit(p, "backup-database", (i) => (i.deletionProtection = false)), on: "backup-database", reports: "the database can be deleted with its data (deletionProtection is false)" },
      { what: "a database Cloud SQL lets anyone delete", change: (p) => edit(p, "backup-database", (i) => delete i.settings.deletionProtectionEnabled), on: "backup-database", reports: "settings.deletionProtectionEnabled is not true" },
      { what: "a secret deleted at once", change: (p) => edit(p, "secrets-JWT_SECRET", (i) => (i.deletionProtection = false)), on: "secrets-JWT_SECRET", reports: "the secret can be deleted with its data (deletionProtection is not true" },
      { what: "an unprotected vault", change: (p) => p.map((r) => (r.name === "backup-vault" ? { ...r, protect: false } : r)), on: "backup-vault", reports: "the backup vault is not protected (resource option protect)" },
    ],
    unknown: (p) => edit(p, "backup-data", (i) => (i.forceDestroy = synthUnknown)),
  },
  backups: {
    reads: "backup-database",
    breaches: [
      {
        what: "the database left out of Backup and DR (Cloud SQL's own daily backups remain)",
        change: (p) => without(p, "backup-plan-association"),
        on: "backup-database",
        reports: "the database has no weekly backup; it must be kept at least 28 days",
      },
      { what: "short weekly retention", change: (p) => edit(p, "backup-plan", (i) => (i.backupRules[1].backupRetentionDays = 14)), on: "backup-database", reports: "the database's weekly backup is kept 14 days, less than 28" },
      { what: "short point-in-time recovery", change: (p) => edit(p, "backup-plan", (i) => (i.logRetentionDays = 3)), on: "backup-database", reports: "the database's continuous backup is kept 3 days, less than 7" },
      { what: "no export to the copy region", change: (p) => without(p, "backup-database-copy"), on: "backup-database", reports: "the database's daily backups are not copied to another region" },
      { what: "the export paused", change: (p) => edit(p, "backup-database-copy", (i) => (i.paused = true)), on: "backup-database", reports: "the database's daily backups are not copied to another region" },
      { what: "no daily copy of the bucket", change: (p) => without(p, "backup-copy-daily"), on: "backup-data", reports: "the bucket's daily backups are not copied to another region" },
      {
        what: "the copy bucket keeping no replaced copies (a mirror of today only)",
        change: (p) => edit(p, "backup-data-copy", (i) => (i.versioning.enabled = false)),
        on: "backup-data",
        reports: "the bucket's weekly backup is kept 7 days, less than 28",
      },
      { what: "no soft delete on the data bucket", change: (p) => edit(p, "backup-data", (i) => (i.softDeletePolicy.retentionDurationSeconds = 0)), on: "backup-data", reports: "the bucket has no continuous backup; it must be kept at least 7 days" },
    ],
    unknown: (p) => edit(p, "backup-plan", (i) => (i.backupRules[0].standardSchedule.recurrenceType = synthUnknown)),
  },
  alarms: {
    reads: "app-api-service",
    breaches: [
      { what: "no CPU alarms", change: (p) => without(p, "alarms-api-cpu-warning", "alarms-api-cpu-critical"), on: "app-api-service", reports: "the service has no CPU alarm" },
      { what: "no uptime check", change: (p) => without(p, "alarms-api-uptime"), on: "app-api-service", reports: "the service has no uptime check alarm" },
      { what: "nobody notified", change: (p) => without(p, "alarms-email-0"), on: "app-api-service", reports: "the service's error rate alarm reaches no notification target with a subscriber" },
      { what: "a disabled channel", change: (p) => edit(p, "alarms-email-0", (i) => (i.enabled = false)), on: "app-api-service", reports: "the service's memory alarm reaches no notification target with a subscriber" },
      {
        what: "latency alarms turned off",
        change: (p) => ["alarms-api-latency-p99-warning", "alarms-api-latency-p99-critical", "alarms-api-latency-average"].reduce((q, name) => edit(q, name, (i) => (i.enabled = false)), [...p]),
        on: "app-api-service",
        reports: "the service has no latency alarm",
      },
    ],
    unknown: (p) => edit(p, "alarms-api-cpu-warning", (i) => (i.conditions = synthUnknown)),
  },
  "log-retention": {
    reads: "network-security-logs",
    breaches: [
      { what: "short audit logs", change: (p) => edit(p, "network-security-logs", (i) => (i.retentionDays = 90)), on: "network-security-logs", reports: "the log bucket (audit) is kept 90 days, less than 365 (retentionDays (locked))" },
      { what: "short service logs", change: (p) => edit(p, "app-app-logs", (i) => (i.retentionDays = 14)), on: "app-app-logs", reports: "the log bucket is kept 14 days, less than 30 (retentionDays)" },
      { what: "a bucket without retention (Cloud Logging's 30 days)", change: (p) => edit(p, "network-security-logs", (i) => delete i.retentionDays), on: "network-security-logs", reports: "is kept 30 days, less than 365 (retentionDays not set: 30)" },
    ],
    unknown: (p) => edit(p, "app-app-logs", (i) => (i.retentionDays = synthUnknown)),
  },
  "required-tags": {
    reads: "app-api-service",
    breaches: [
      { what: "no labels", change: (p) => edit(p, "app-api-service", (i) => delete i.labels), on: "app-api-service", reports: "missing required tags project, stack, environment, managed-by (labels)" },
      { what: "a database without its environment label", change: (p) => edit(p, "backup-database", (i) => delete i.settings.userLabels.environment), on: "backup-database", reports: "missing required tag environment (settings.userLabels)" },
      { what: "an alert policy without labels", change: (p) => edit(p, "alarms-api-cpu-warning", (i) => delete i.userLabels), on: "alarms-api-cpu-warning", reports: "(userLabels)" },
    ],
    unknown: (p) => edit(p, "app-api-service", (i) => (i.labels.project = synthUnknown)),
  },
  "pinned-images": {
    reads: "app-api-service",
    breaches: [
      { what: "a repository whose tags move", change: (p) => edit(p, "app-repository", (i) => (i.dockerConfig.immutableTags = false)), on: "app-api-service", reports: "tag 1.0.0 can be pushed again with other content (repository dockerConfig.immutableTags is not true)" },
      {
        what: "an outside image by tag",
        change: (p) => edit(p, "app-api-service", (i) => (containers(i)[0].image = "docker.io/library/nginx:1.27")),
        on: "app-api-service",
        reports: "the image docker.io/library/nginx:1.27 is not pinned: tag 1.27 of a registry outside the stack",
      },
    ],
    unknown: (p) => edit(p, "app-api-service", (i) => (i.template.containers = synthUnknown)),
  },
  "least-privilege": {
    reads: "app-api-sql-client",
    breaches: [
      { what: "Editor for the service's account", change: (p) => edit(p, "app-api-sql-client", (i) => (i.role = "roles/editor")), on: "app-api-sql-client", reports: "the owner-class role roles/editor is granted to a workload identity (role on the project for serviceAccount:platform-production-api@" },
      { what: "a service's admin role on a bucket", change: (p) => edit(p, "app-api-data", (i) => (i.role = "roles/storage.admin")), on: "app-api-data", reports: "the owner-class role roles/storage.admin is granted to a workload identity (role on a bucket" },
      {
        what: "a service running as the Compute Engine default service account",
        change: (p) => edit(p, "app-api-service", (i) => delete i.template.serviceAccount),
        on: "app-api-service",
        reports: "the owner-class role roles/editor (the Compute Engine default service account's) is granted to a workload identity (template.serviceAccount is not set)",
      },
      { what: "acting as any service account", change: (p) => edit(p, "app-api-sql-instance-user", (i) => (i.role = "roles/iam.serviceAccountTokenCreator")), on: "app-api-sql-instance-user", reports: "the owner-class role roles/iam.serviceAccountTokenCreator" },
    ],
    unknown: (p) => edit(p, "app-api-sql-client", (i) => (i.role = synthUnknown)),
  },
};

describeControlCases("GCP %s", gcpReaders, () => production, cases, "[\\w.\\[\\]]+");
