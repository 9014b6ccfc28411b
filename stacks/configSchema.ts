// The shape of the `platform:*` stack config. Every message says what is allowed, so that the
// error a user sees names the key, the value and the rule. Unknown keys are refused (strict objects).
import { z } from "zod";
import { clouds, databaseSizes, egressModes, environments, logLevels, risks } from "../components/model";
import { cpuProblem, decimalFromText, vcpuExpected } from "./cpuUnits";
import { emailProblem } from "./emails";
import { pathPatternExpected, pathPatternProblem } from "./pathPatterns";

const int = (min: number, max: number, what = "an integer") =>
  z
    .number({ error: `expected ${what} from ${min} to ${max}` })
    .int({ error: `expected ${what} from ${min} to ${max}` })
    .min(min, { error: `expected ${what} from ${min} to ${max}` })
    .max(max, { error: `expected ${what} from ${min} to ${max}` });

const percent = int(1, 100, "a percentage");
const bool = z.boolean({ error: "expected true or false" });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of: ${values.join(", ")}` });

/** A string matching `re`; a number, list or null in its place gets the same message, not zod's default. */
const pattern = (re: RegExp, error: string) => z.string({ error }).regex(re, { error });

export const serviceNamePattern = /^[a-z][a-z0-9-]{0,28}[a-z0-9]$/;
const serviceName = pattern(serviceNamePattern, "expected a service name of 2-30 lowercase letters, digits and hyphens, starting with a letter");

export const secretNamePattern = /^[A-Z][A-Z0-9_]{0,63}$/;
const secretName = pattern(secretNamePattern, "expected an env-var style secret name: uppercase letters, digits and _, starting with a letter (e.g. JWT_SECRET)");

const envName = pattern(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "expected an env var name: letters, digits and _, not starting with a digit");

const cidr = pattern(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, "expected an IPv4 CIDR block such as 10.0.0.0/16");

const hostname = pattern(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "expected a lowercase DNS name such as app.example.com");

const certificateExpected = "expected the reference of an existing certificate, as the stack's cloud names it";
const dnsZoneExpected = "expected the reference of a DNS zone, as the stack's cloud names it";
const maxTimeoutSeconds = 604_800;

/**
 * A reference only one cloud understands (a certificate, a DNS zone): one string for the stack's
 * cloud, or one per cloud, so that a stack file can be planned on any cloud (`--cloud`).
 */
const cloudReference = (expected: string) => {
  const reference = z.string({ error: expected }).min(1, { error: expected });
  const perCloud = z.strictObject(Object.fromEntries(clouds.map((cloud) => [cloud, reference.optional()])) as Record<(typeof clouds)[number], z.ZodOptional<typeof reference>>);
  return z.union([reference, perCloud], { error: `${expected}, or one per cloud (${clouds.map((cloud) => `${cloud}: ...`).join(", ")})` });
};

const httpsUrl = pattern(/^https:\/\/[^\s]+$/, "expected an https:// URL");
const email = z.string({ error: "expected an email address such as oncall@example.com" }).superRefine((address, ctx) => {
  const problem = emailProblem(address);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * An HTTP field value (RFC 9110 section 5.5) as a response header the load balancer adds: visible
 * ASCII and spaces. A CR or LF would end the header and start another one (response splitting).
 */
const headerValue = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .min(1, { error: `expected ${what}` })
    .superRefine((value, ctx) => {
      if (/[\r\n]/.test(value)) ctx.addIssue({ code: "custom", message: "a header value may not contain a line break (CR or LF): it would end the header and start another one" });
      else if (/[\x00-\x1f\x7f]/.test(value)) ctx.addIssue({ code: "custom", message: "a header value may not contain control characters (tab included); use visible ASCII characters and spaces" });
      else if (/[^\x20-\x7e]/.test(value)) ctx.addIssue({ code: "custom", message: "a header value may hold visible ASCII characters and spaces only; non-ASCII text must be percent-encoded" });
    });

// Image references as the OCI distribution spec allows: registry/path[:tag][@digest].
const imageRef = pattern(
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
  "expected a container image reference such as registry.example.com/team/api:1.4.2",
);
const imageTag = pattern(/^[\w][\w.-]{0,127}$/, "expected an image tag: letters, digits, _ . -, at most 128 chars");

/** Checked with a rule that says what to write instead (pathPatterns.ts); each cloud adds its limits. */
const pathPattern = z.string({ error: pathPatternExpected }).superRefine((value, ctx) => {
  const problem = pathPatternProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const healthPath = pattern(/^\/[A-Za-z0-9_\-.$/~"'@:+&?=%]{0,1023}$/, "expected a URL path starting with /");

export const serviceSchema = z.strictObject({
  image: imageRef.optional(),
  imageTag: imageTag.optional(),
  port: int(1, 65535, "a port").optional(),
  // vCPU since model v2; a value in the old CPU units gets a message that says what it means now.
  cpu: z
    .preprocess(
      decimalFromText,
      z.number({ error: vcpuExpected }).superRefine((value, ctx) => {
        const problem = cpuProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    )
    .optional(),
  memory: int(128, 122880, "memory in MiB").optional(),
  // How many a route may hold is a rule of each cloud's router (its limits).
  pathPatterns: z.array(pathPattern, { error: "expected a list of path patterns" }).min(1, { error: "expected at least one path pattern" }).optional(),
  healthCheckPath: healthPath.optional(),
  env: z.record(envName, z.string({ error: "expected a string value" })).optional(),
  secrets: z.array(secretName).optional(),
  minInstances: int(0, 1000, "an instance count").optional(),
  maxInstances: int(1, 1000, "an instance count").optional(),
  /** Deprecated since model v2: the old names of minInstances and maxInstances (config.ts warns). */
  minTasks: int(0, 1000, "an instance count").optional(),
  maxTasks: int(1, 1000, "an instance count").optional(),
  cpuTarget: percent.optional(),
  memoryTarget: percent.optional(),
});

const secretSchema = z.strictObject({
  source: oneOf(["generated", "external"] as const),
  length: int(32, 4096, "a length").optional(),
});

const thresholdsSchema = z.strictObject({
  errorRatePercentCritical: z.number({ error: "expected a number" }).positive({ error: "expected a number above 0" }).max(100, { error: "expected at most 100" }),
  errorCountPerMinuteCritical: int(1, 1_000_000),
  errorCountMinutes: int(1, 60, "minutes"),
  latencyP99WarningMs: int(1, 600_000, "milliseconds"),
  latencyP99CriticalMs: int(1, 600_000, "milliseconds"),
  latencyAverageWarningMs: int(1, 600_000, "milliseconds"),
  cpuWarningPercent: percent,
  cpuCriticalPercent: percent,
  memoryWarningPercent: percent,
  memoryCriticalPercent: percent,
  requestsPerMinuteMin: int(0, 1_000_000),
  certificateExpiryDaysWarning: int(1, 365, "days"),
  certificateExpiryDaysCritical: int(1, 365, "days"),
  databaseCpuWarningPercent: percent,
  databaseCpuCriticalPercent: percent,
  databaseConnectionsWarningPercent: percent,
  databaseConnectionsCriticalPercent: percent,
  databaseFreeStorageWarningPercent: percent,
  databaseFreeStorageCriticalPercent: percent,
}).partial();

export const platformConfigSchema = z.strictObject({
  cloud: oneOf(clouds),
  environment: oneOf(environments),
  deletionProtection: bool.optional(),
  immutableImageTags: bool.optional(),
  // Each cloud has its own tag rules (characters, lengths, reserved prefixes, count): see its limits.
  tags: z.record(z.string(), z.string({ error: "expected a string value" })).optional(),
  network: z
    .strictObject({
      cidr,
      zones: int(1, 6, "a zone count"),
      availabilityZones: z.array(pattern(/^[a-z0-9-]+$/, "expected a zone name"), { error: "expected a list of 1 to 6 zone names" }).min(1, { error: "expected a list of 1 to 6 zone names" }).max(6, { error: "expected a list of 1 to 6 zone names" }),
      egress: oneOf(egressModes),
      /** Deprecated since model v2: single is egress shared, perZone is egress perZone (config.ts warns). */
      natGateways: oneOf(["single", "perZone"] as const),
      flowLogs: bool,
      interfaceEndpoints: bool,
    })
    .partial()
    .optional(),
  services: z.record(serviceName, serviceSchema).optional(),
  secrets: z.record(secretName, secretSchema).optional(),
  loadBalancer: z
    .strictObject({
      domain: hostname,
      // A reference as the stack's cloud names it: each cloud's limits check its form.
      certificate: cloudReference(certificateExpected),
      dnsZone: cloudReference(dnsZoneExpected),
      rateLimit: z.strictObject({ requests: int(10, 2_000_000_000, "requests"), windowSeconds: z.union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)], { error: "expected one of: 60, 120, 300, 600" }) }).partial(),
      securityHeaders: z.strictObject({ contentTypeOptions: z.literal("nosniff", { error: "expected nosniff (the only value browsers honour)" }), frameOptions: oneOf(["DENY", "SAMEORIGIN"] as const), strictTransportSecurity: pattern(/^max-age=\d+(; ?includeSubDomains)?(; ?preload)?$/, "expected max-age=<seconds>[; includeSubDomains][; preload]"), contentSecurityPolicy: headerValue("a Content-Security-Policy value such as default-src 'self'") }).partial(),
      accessLogs: bool,
      // Whole seconds up to a week; each cloud's limits narrow the range to what it can set.
      backendTimeoutSeconds: int(1, maxTimeoutSeconds, "seconds"),
      clientIdleTimeoutSeconds: int(1, maxTimeoutSeconds, "seconds"),
      /** Deprecated since model v2: the old name of backendTimeoutSeconds (config.ts warns). */
      idleTimeoutSeconds: int(1, maxTimeoutSeconds, "seconds"),
    })
    .partial()
    .optional(),
  alarms: z.strictObject({ emails: z.array(email), thresholds: thresholdsSchema }).partial().optional(),
  alarmWebhooks: z.array(httpsUrl).optional(),
  pagerWebhooks: z.array(httpsUrl).optional(),
  logs: z.strictObject({ level: oneOf(logLevels), appRetentionDays: int(1, 3653, "days"), auditRetentionDays: int(1, 3653, "days") }).partial().optional(),
  backup: z
    .strictObject({
      dailyRetentionDays: int(1, 35, "days"),
      weeklyRetentionWeeks: int(1, 52, "weeks"),
      monthlyRetentionMonths: int(1, 120, "months"),
      continuousRetentionDays: int(1, 35, "days"),
      monthlyRestoreTest: bool,
      copyRegion: pattern(/^[a-z0-9-]+$/, "expected a region name"),
    })
    .partial()
    .optional(),
  database: z
    .strictObject({
      enabled: bool,
      // `pulumi config set --path platform:database.version 17` stores a number: the major either way.
      version: z.preprocess((v) => (typeof v === "number" && Number.isInteger(v) ? String(v) : v), pattern(/^\d{2}$/, "expected a PostgreSQL major version such as 16")),
      size: oneOf(databaseSizes),
      storageGb: int(20, 65536, "GiB"),
      maxStorageGb: int(20, 65536, "GiB"),
      highAvailability: bool,
      pointInTimeRecoveryDays: int(1, 35, "days"),
      name: pattern(/^[a-z][a-z0-9_]{0,62}$/, "expected a database name: lowercase letters, digits and _, starting with a letter, at most 63 chars"),
    })
    .partial()
    .optional(),
  observability: z
    .strictObject({
      uptimeChecks: bool,
      uptimeIntervalSeconds: int(10, 300, "seconds"),
      availabilityPercentMin: z.number({ error: "expected a percentage from 50 to 100" }).min(50, { error: "expected a percentage from 50 to 100" }).max(100, { error: "expected a percentage from 50 to 100" }),
      availabilityWindowMinutes: int(1, 60, "minutes"),
      dashboard: bool,
    })
    .partial()
    .optional(),
  waitForRollout: bool.optional(),
  acceptRisks: z.array(oneOf(risks), { error: `expected a list of risk names: ${risks.join(", ")}` }).optional(),
});

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export const platformConfigKeys = Object.keys(platformConfigSchema.shape);
