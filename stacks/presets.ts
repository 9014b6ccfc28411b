// Environment presets: the one place defaults live. Numbers and their sources are in
// ../shared/REQUIREMENTS.md (seed documents 000-004); every value can be overridden per stack.
import type { AlarmThresholds, DatabaseSize, EgressMode, EnvironmentName, LogLevel, SecurityHeaders } from "../components/model";
import type { ServiceConfig } from "./configSchema";

export interface EnvironmentPreset {
  /** Availability target (seed 000); informs alarm routing, not a resource. */
  slaPercent?: number;
  zones: number;
  /** Production keeps each zone's way out independent of the others (SLA 99.9%: one zone may fail). */
  egress: EgressMode;
  flowLogs: boolean;
  interfaceEndpoints: boolean;
  minInstances: number;
  maxInstances: number;
  logLevel: LogLevel;
  appLogRetentionDays: number;
  auditLogRetentionDays: number;
  backup: {
    dailyRetentionDays: number;
    weeklyRetentionWeeks?: number;
    monthlyRetentionMonths?: number;
    continuousRetentionDays?: number;
    monthlyRestoreTest: boolean;
    copyToSecondRegion: boolean;
  };
  deletionProtection: boolean;
  /** Whether a stack without any alarm target is worth a warning. */
  alarmTargetsExpected: boolean;
  pagerExpected: boolean;
  /** HTTP-only (no domain, no certificate) is tolerated with a warning, never in production. */
  httpOnlyAllowed: boolean;
  immutableImageTags: boolean;
  /** Whether `pulumi up` waits for each rollout to finish and fails when it does not. */
  waitForRollout: boolean;
  /** Idle stacks would raise the low-traffic alarm all day; only production expects steady traffic. */
  lowTrafficAlarm: boolean;
  database: { size: DatabaseSize; storageGb: number; maxStorageGb: number; highAvailability: boolean; pointInTimeRecoveryDays: number };
  /** External uptime checks of every service (seed 001); a stack nobody is paged for needs none. */
  uptimeChecks: boolean;
}

export const presets: Record<EnvironmentName, EnvironmentPreset> = {
  dev: {
    zones: 2,
    egress: "shared",
    flowLogs: false,
    interfaceEndpoints: false,
    minInstances: 1,
    maxInstances: 2,
    logLevel: "debug",
    appLogRetentionDays: 7,
    auditLogRetentionDays: 365,
    backup: { dailyRetentionDays: 7, monthlyRestoreTest: false, copyToSecondRegion: false },
    deletionProtection: false,
    alarmTargetsExpected: false,
    pagerExpected: false,
    httpOnlyAllowed: true,
    immutableImageTags: false,
    waitForRollout: false,
    lowTrafficAlarm: false,
    database: { size: "small", storageGb: 20, maxStorageGb: 100, highAvailability: false, pointInTimeRecoveryDays: 1 },
    uptimeChecks: false,
  },
  staging: {
    slaPercent: 99,
    zones: 2,
    egress: "shared",
    flowLogs: false,
    interfaceEndpoints: false,
    minInstances: 1,
    maxInstances: 4,
    logLevel: "info",
    appLogRetentionDays: 30,
    auditLogRetentionDays: 365,
    backup: { dailyRetentionDays: 7, weeklyRetentionWeeks: 4, monthlyRestoreTest: true, copyToSecondRegion: false },
    deletionProtection: false,
    alarmTargetsExpected: true,
    pagerExpected: false,
    httpOnlyAllowed: false,
    immutableImageTags: false,
    waitForRollout: true,
    lowTrafficAlarm: false,
    database: { size: "small", storageGb: 20, maxStorageGb: 100, highAvailability: false, pointInTimeRecoveryDays: 7 },
    uptimeChecks: true,
  },
  production: {
    slaPercent: 99.9,
    zones: 3,
    egress: "perZone",
    flowLogs: true,
    interfaceEndpoints: false,
    minInstances: 2,
    maxInstances: 10,
    logLevel: "warn",
    appLogRetentionDays: 30,
    auditLogRetentionDays: 365,
    // Continuous backup (point-in-time restore) keeps the RPO of 1 h (seed 003) that daily copies cannot.
    backup: { dailyRetentionDays: 7, weeklyRetentionWeeks: 4, monthlyRetentionMonths: 12, continuousRetentionDays: 7, monthlyRestoreTest: true, copyToSecondRegion: true },
    deletionProtection: true,
    alarmTargetsExpected: true,
    pagerExpected: true,
    httpOnlyAllowed: false,
    immutableImageTags: true,
    waitForRollout: true,
    lowTrafficAlarm: true,
    // A standby in another zone (seed 003: database availability 99.95%).
    database: { size: "medium", storageGb: 50, maxStorageGb: 500, highAvailability: true, pointInTimeRecoveryDays: 7 },
    uptimeChecks: true,
  },
};

/** Seed 003 (warning/critical pairs) and seed 000 (error rate, count, response time). */
export const defaultAlarmThresholds: AlarmThresholds = {
  errorRatePercentCritical: 1,
  errorCountPerMinuteCritical: 10,
  errorCountMinutes: 5,
  latencyP99WarningMs: 500,
  latencyP99CriticalMs: 1000,
  latencyAverageWarningMs: 5000,
  cpuWarningPercent: 80,
  cpuCriticalPercent: 90,
  memoryWarningPercent: 85,
  memoryCriticalPercent: 95,
  requestsPerMinuteMin: 10,
  // A managed certificate renews itself well before expiry: one still 45 days from it has not, and
  // one imported by hand never does. 14 days left is urgent.
  certificateExpiryDaysWarning: 45,
  certificateExpiryDaysCritical: 14,
  databaseCpuWarningPercent: 80,
  databaseCpuCriticalPercent: 90,
  // Seed 004: connection pool usage above 80% notifies (warning); 90% leaves little headroom.
  databaseConnectionsWarningPercent: 80,
  databaseConnectionsCriticalPercent: 90,
  databaseFreeStorageWarningPercent: 20,
  databaseFreeStorageCriticalPercent: 10,
};

/** Seed 000 §4: the headers every response carries. */
export const defaultSecurityHeaders: SecurityHeaders = {
  contentTypeOptions: "nosniff",
  frameOptions: "DENY",
  strictTransportSecurity: "max-age=31536000",
  contentSecurityPolicy: "default-src 'self'",
};

/** Seed 002-004: the applications run on PostgreSQL. */
export const defaultDatabase = { version: "16", name: "app" } as const;

/**
 * Seed 001: health checked every minute; availability below 99% is urgent. Measured over 5 minutes:
 * long enough that one lost check from one location does not page, short enough that a full outage
 * pages within minutes.
 */
export const defaultUptimeCheck = { intervalSeconds: 60, availabilityPercentMin: 99, availabilityWindowMinutes: 5 } as const;

/** Seed 000: 100 requests per 60 s per client IP. */
export const defaultRateLimit = { requests: 100, windowSeconds: 60 };

/** Seed 000/003: the backend API and the seed services, with their ports and health paths. */
export const seedServices: Record<string, Partial<ServiceConfig>> = {
  api: { port: 8001, healthCheckPath: "/api/v1/health", pathPatterns: ["/api/*"], secrets: ["JWT_SECRET", "ANTHROPIC_API_KEY"] },
  frontend: { port: 3000, healthCheckPath: "/health", pathPatterns: ["/*"] },
  auth: { port: 8001, healthCheckPath: "/health", pathPatterns: ["/auth/*"] },
  tenant: { port: 8002, healthCheckPath: "/health", pathPatterns: ["/tenant/*"] },
  settings: { port: 8003, healthCheckPath: "/health", pathPatterns: ["/settings/*"] },
};

/** The seed service secrets (seed 000 §4); declared secrets are added to these. */
export const seedSecrets: Record<string, { source: "generated" | "external"; length?: number }> = {
  JWT_SECRET: { source: "generated", length: 64 },
  ANTHROPIC_API_KEY: { source: "external" },
};

export const defaultCpuTargetPercent = 70;

/**
 * 1 vCPU with 2048 MiB: a size every cloud runs as is (Fargate 1 vCPU takes 2-8 GiB; Container Apps
 * consumption wants exactly 2 GiB per vCPU; Cloud Run below 1 vCPU would force one request at a time).
 */
export const defaultServiceSize = { cpu: 1, memory: 2048 } as const;

/** The load balancer's wait on a backend when the stack sets none (the ALB's own default on AWS). */
export const defaultBackendTimeoutSeconds = 60;
export const defaultNetworkCidr = "10.0.0.0/16";

/** Seed regions per cloud, used when the stack file names none. */
export const seedRegions = { aws: "us-east-1", azure: "japaneast", gcp: "asia-northeast1" } as const;

/** Second region for production backup copies (a region pair on each cloud). */
export const backupCopyRegions: Record<string, string> = {
  "us-east-1": "us-west-2",
  "us-east-2": "us-west-2",
  "us-west-1": "us-east-1",
  "us-west-2": "us-east-1",
  "eu-west-1": "eu-central-1",
  "eu-west-2": "eu-west-1",
  "eu-central-1": "eu-west-1",
  "ap-northeast-1": "ap-northeast-3",
  "ap-southeast-1": "ap-southeast-2",
  "ap-southeast-2": "ap-southeast-1",
  "ap-south-1": "ap-southeast-1",
  "ca-central-1": "us-east-1",
  "sa-east-1": "us-east-1",
  // Copies stay within a partition (AWS Backup cannot copy from China or GovCloud to elsewhere).
  "cn-north-1": "cn-northwest-1",
  "cn-northwest-1": "cn-north-1",
  "us-gov-west-1": "us-gov-east-1",
  "us-gov-east-1": "us-gov-west-1",
  japaneast: "japanwest",
  "asia-northeast1": "asia-northeast2",
};
