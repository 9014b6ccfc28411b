// The cloud-neutral contract: what each building block is asked to build (its spec) and
// what it hands to the blocks after it (its outputs). No cloud SDK type may appear here.
import type * as pulumi from "@pulumi/pulumi";

export const clouds = ["aws", "azure", "gcp"] as const;
export type CloudName = (typeof clouds)[number];

export const environments = ["dev", "staging", "production"] as const;
export type EnvironmentName = (typeof environments)[number];

export const logLevels = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof logLevels)[number];

export type Severity = "warning" | "critical";

/**
 * Production refuses each of these unless the stack file names it in `platform:acceptRisks`: the
 * safety a production stack gets by default, switched off only on purpose and in writing.
 */
export const risks = [
  "deletionProtection",
  "singleZone",
  "flowLogs",
  "accessLogs",
  "hsts",
  "mutableImageTags",
  "externalSecretOverwrite",
  "databaseSingleZone",
] as const;
export type RiskName = (typeof risks)[number];

/**
 * How the services reach the internet. `perZone`: each zone has its own egress path, so one zone
 * failing leaves the others online; `shared`: one egress path for the whole network, cheaper, and
 * lost with its zone. Each cloud's limits say what it builds for each (or refuse one it cannot).
 */
export const egressModes = ["perZone", "shared"] as const;
export type EgressMode = (typeof egressModes)[number];

export interface NetworkSpec {
  cidr: string;
  /** Zone names, resolved without a cloud call so that a preview never depends on credentials. */
  zones: string[];
  egress: EgressMode;
  flowLogs: boolean;
  /** Private endpoints for the cloud APIs the services call (registry, logs, secrets), instead of NAT. */
  interfaceEndpoints: boolean;
}

export interface ServiceSpec {
  /** Full image reference; when absent the service runs `imageTag` from its own registry repository. */
  image?: string;
  imageTag: string;
  port: number;
  /** vCPU, a decimal (0.25, 0.5, 1, 2, ...); each cloud's limits say which values, and which memory with each, it runs. */
  cpu: number;
  /** MiB. */
  memory: number;
  /** Routes every cloud's router can express: an exact path (`/health`), a prefix ending in `/*` (`/api/*`), or `/*`. */
  pathPatterns: string[];
  healthCheckPath: string;
  env: Record<string, string>;
  /** Names of entries in `PlatformSpec.secrets`, injected by reference as env vars of the same name. */
  secrets: string[];
  /** Running instances (tasks on AWS, replicas on Azure, instances on GCP) that autoscaling keeps. */
  minInstances: number;
  maxInstances: number;
  cpuTarget: number;
  memoryTarget?: number;
}

export interface SecretSpec {
  /** `generated`: the platform makes the value (e.g. JWT_SECRET); `external`: an operator puts it in the store. */
  source: "generated" | "external";
  length: number;
}

export interface SecurityHeaders {
  contentTypeOptions: string;
  frameOptions: string;
  strictTransportSecurity: string;
  contentSecurityPolicy: string;
}

export interface LoadBalancerSpec {
  domain?: string;
  /**
   * An existing certificate, as the stack's cloud names it (an ACM certificate ARN on AWS; later a Key
   * Vault certificate on Azure, a Certificate Manager or SSL certificate on GCP); when absent and a
   * domain is set, one is issued.
   */
  certificate?: string;
  /**
   * The DNS zone where validation and alias records are written, as the stack's cloud names it (a
   * Route 53 hosted zone id on AWS; later an Azure DNS zone id, a Cloud DNS zone name on GCP).
   */
  dnsZone?: string;
  /** False only for a dev stack without a domain or certificate: HTTP on port 80. */
  https: boolean;
  rateLimit: { requests: number; windowSeconds: number };
  securityHeaders: SecurityHeaders;
  accessLogs: boolean;
  /**
   * How long the load balancer waits on a backend, in seconds: the ALB idle timeout on AWS (later the
   * Cloud Run request timeout on GCP, the origin response timeout on Azure).
   */
  backendTimeoutSeconds: number;
  /**
   * How long an idle client connection is kept open, in seconds: the ALB HTTP client keepalive on AWS
   * (later the proxy's HTTP keep-alive on GCP; Azure cannot set it). Absent: the cloud's default.
   */
  clientIdleTimeoutSeconds?: number;
}

export interface AlarmThresholds {
  errorRatePercentCritical: number;
  errorCountPerMinuteCritical: number;
  errorCountMinutes: number;
  latencyP99WarningMs: number;
  latencyP99CriticalMs: number;
  latencyAverageWarningMs: number;
  cpuWarningPercent: number;
  cpuCriticalPercent: number;
  memoryWarningPercent: number;
  memoryCriticalPercent: number;
  /** 0: no low-traffic alarm. */
  requestsPerMinuteMin: number;
  /** Days before the public entry's TLS certificate expires (seed 004: certificate monitoring). */
  certificateExpiryDaysWarning: number;
  certificateExpiryDaysCritical: number;
  databaseCpuWarningPercent: number;
  databaseCpuCriticalPercent: number;
  /** Share of the instance's connection limit in use (seed 004: connection pool above 80%). */
  databaseConnectionsWarningPercent: number;
  databaseConnectionsCriticalPercent: number;
  /** Free storage below this share of `database.storageGb`; the critical one is the lower. */
  databaseFreeStorageWarningPercent: number;
  databaseFreeStorageCriticalPercent: number;
}

export interface AlarmSpec {
  emails: string[];
  /** https endpoints (chat webhooks) for warning and critical; secret because their URLs carry tokens. */
  webhooks: pulumi.Output<string[]>;
  webhookCount: number;
  /** https endpoints of the pager, critical only; secret for the same reason. */
  pagerWebhooks: pulumi.Output<string[]>;
  pagerWebhookCount: number;
  thresholds: AlarmThresholds;
}

export interface BackupSpec {
  dailyRetentionDays: number;
  weeklyRetentionWeeks?: number;
  monthlyRetentionMonths?: number;
  /** Point-in-time recovery window; the continuous backup that keeps RPO at 1 h (seed 003). */
  continuousRetentionDays?: number;
  /** Restore the latest backup into a scratch copy every month and check it (seeds 001, 004). */
  monthlyRestoreTest: boolean;
  copyRegion?: string;
}

export interface LogSpec {
  level: LogLevel;
  appRetentionDays: number;
  auditRetentionDays: number;
}

/** Neutral instance classes: each cloud maps them to its own (README: the database). */
export const databaseSizes = ["small", "medium", "large", "xlarge"] as const;
export type DatabaseSize = (typeof databaseSizes)[number];

/** The platform's managed PostgreSQL database, protected by the backup vault. */
export interface DatabaseSpec {
  engine: "postgres";
  /** Major version, e.g. "16". */
  version: string;
  size: DatabaseSize;
  /** Storage allocated at creation, and the ceiling it may grow to on its own (GiB). */
  storageGb: number;
  maxStorageGb: number;
  /** A standby in another zone that takes over on failure. */
  highAvailability: boolean;
  /** The cloud's own point-in-time recovery window, in days (RPO minutes, seed 003). */
  pointInTimeRecoveryDays: number;
  /** The database the services connect to. */
  databaseName: string;
}

export interface UptimeCheckSpec {
  /**
   * The longest a service may go unchecked from each checking location: its health path is requested
   * through the public entry at least this often (seed 001: every minute). A cloud that can only check
   * at fixed intervals checks more often, never less.
   */
  intervalSeconds: number;
  /** Below this share of successful checks, over the window below, an urgent alarm fires (seed 001: 99%). */
  availabilityPercentMin: number;
  /** The window the availability is measured over. */
  availabilityWindowMinutes: number;
}

export interface ObservabilitySpec {
  /** External checks of each service's health path; absent: none. */
  uptimeCheck?: UptimeCheckSpec;
  /** One dashboard per stack (seed 003's overview). */
  dashboard: boolean;
}

export interface PlatformSpec {
  project: string;
  stack: string;
  cloud: CloudName;
  environment: EnvironmentName;
  region: string;
  /**
   * The cloud project the stack deploys into, where the cloud's resources must name it and the stack
   * file says which (GCP: `gcp:project`); absent on clouds that take it from the credentials (AWS).
   */
  cloudProject?: string;
  tags: Record<string, string>;
  /** Protect stateful resources: `protect`, deletion protection, retain on delete. */
  deletionProtection: boolean;
  /** A pushed image tag can never point at other content. */
  immutableImageTags: boolean;
  /** `pulumi up` waits until every service runs its new release, and fails when the rollout fails. */
  waitForRollout: boolean;
  /** Risks the stack file acknowledges by name (`platform:acceptRisks`). */
  acceptedRisks: RiskName[];
  network: NetworkSpec;
  secrets: Record<string, SecretSpec>;
  loadBalancer: LoadBalancerSpec;
  services: Record<string, ServiceSpec>;
  alarms: AlarmSpec;
  backup: BackupSpec;
  logs: LogSpec;
  /** Absent when `database.enabled` is false. */
  database?: DatabaseSpec;
  observability: ObservabilitySpec;
}

// ---- what each block hands to the next ----

export interface SecretsStoreOutputs {
  /** The managed key every other block encrypts with. */
  encryptionKeyId: pulumi.Output<string>;
  /** Secret name -> the reference a service uses to read it (an ARN on AWS). */
  secretRefs: Record<string, pulumi.Output<string>>;
  /** Secret name -> id of the value services read; changes when the value does. Absent while a secret has no value. */
  secretVersions: Record<string, pulumi.Output<string>>;
}

export interface NetworkOutputs {
  networkId: pulumi.Output<string>;
  publicSubnetIds: pulumi.Output<string>[];
  privateSubnetIds: pulumi.Output<string>[];
}

export interface DataStoreOutputs {
  dataStoreName: pulumi.Output<string>;
  /** Where services find the data store, as a URL of the cloud's object store (`s3://<bucket>` on AWS). */
  dataStoreUrl: pulumi.Output<string>;
  dataStoreId: pulumi.Output<string>;
  backupVaultName: pulumi.Output<string>;
  /** The database as the metrics service names it (an RDS instance identifier on AWS); absent without a database. */
  databaseMetricsId?: pulumi.Output<string>;
  /** Absent when the spec has no database. */
  database?: DatabaseOutputs;
}

/** How services reach the database: never a URL with a password, only references. */
export interface DatabaseOutputs {
  host: pulumi.Output<string>;
  port: number;
  databaseName: string;
  /**
   * The secret the cloud keeps the credentials in, as JSON with `username` and `password` (an ARN on
   * AWS). The cloud generates and rotates them; their value never passes through the program.
   */
  credentialsRef: pulumi.Output<string>;
  /** The identity that admits the services to the database (its security group on AWS). */
  accessId: pulumi.Output<string>;
  /** The instance as the cloud and its metrics name it (the DB instance identifier on AWS). */
  instanceId: pulumi.Output<string>;
}

export interface LoadBalancerOutputs {
  url: pulumi.Output<string>;
  hostname: pulumi.Output<string>;
  loadBalancerId: pulumi.Output<string>;
  /** The identity that services accept traffic from (a security group on AWS). */
  ingressSourceId: pulumi.Output<string>;
  /** Service name -> the backend the service registers with (a target group on AWS). */
  backendIds: Record<string, pulumi.Output<string>>;
  /** Metric dimensions: the load balancer and per-service backend as the metrics service names them. */
  metricsId: pulumi.Output<string>;
  backendMetricsIds: Record<string, pulumi.Output<string>>;
  /** The TLS certificate the public entry presents (issued or given), watched for its expiry; absent over plain HTTP. */
  certificateId?: pulumi.Output<string>;
}

export interface ContainerServiceOutputs {
  /** The runtime that hosts the services (the ECS cluster on AWS; later the Container Apps environment, the Cloud Run region). */
  runtimeName: pulumi.Output<string>;
  serviceNames: Record<string, pulumi.Output<string>>;
  imageRepositories: Record<string, pulumi.Output<string>>;
  /** Services created with no running tasks because their image or a secret value is missing (see the warnings). */
  heldServices: string[];
  /**
   * Service name -> the release it runs (a task definition on AWS). Where the spec waits for rollouts,
   * it resolves only once the service's update is over, and says so when the cloud runs another release.
   */
  releases: Record<string, pulumi.Output<ReleaseStatus>>;
}

export interface ReleaseStatus {
  /** The release this deployment asked for. */
  release: string;
  /** Set when the cloud runs another release after the deployment (a rollback): what happened and what to do. */
  failure?: string;
}

export interface AutoscalingOutputs {
  policyIds: Record<string, pulumi.Output<string>[]>;
}

export interface AlarmOutputs {
  /** Per severity, where alarms are sent (an SNS topic on AWS; later an action group, a notification channel). */
  targetIds: Record<Severity, pulumi.Output<string>>;
  alarmNames: pulumi.Output<string>[];
  /** Service name -> its external uptime check; empty without uptime checks. */
  uptimeCheckIds: Record<string, pulumi.Output<string>>;
  /** The stack's dashboard and where to open it; absent when the spec asks for none. */
  dashboardName?: pulumi.Output<string>;
  dashboardUrl?: pulumi.Output<string>;
}

/** A spec value a cloud cannot accept; `key` is the config path (e.g. `services.api.cpu`). */
export interface SpecProblem {
  key: string;
  value?: unknown;
  message: string;
  /**
   * `warning`: the cloud builds the value, but not as the spec says it (a key it maps to what it has,
   * a tag it must rewrite): shown as a warning, and the run goes on. Absent: the value is refused.
   */
  severity?: "warning";
}

/** The rules a cloud enforces on a spec, checked before any resource is registered. */
export type SpecLimits = (spec: PlatformSpec) => SpecProblem[];
