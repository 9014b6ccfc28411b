// External uptime checks (seed 001) and TLS certificate monitoring (seed 004) on AWS: a Route 53
// health check of each service's health path through the public entry, an urgent alarm on the share
// of checkers that find it healthy (in us-east-1, where Route 53 publishes its metrics, with a topic
// there for stacks elsewhere), the AWS rules on the neutral uptime spec, and DaysToExpiry alarms.
import { pathPatternMatches, routedService } from "../../../components/aws/listenerRules";
import { route53FailureThreshold, route53RequestInterval } from "../../../components/aws/uptimeLimits";
import type { PlatformSpec } from "../../../components/model";
import { loadPlatformSpec } from "../../../stacks/config";
import { ConfigError } from "../../../stacks/configErrors";
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";
import { applySet, readStackFile, toEngineConfig } from "../../harness/stackFiles";

const healthCheckType = "aws:route53/healthCheck:HealthCheck";
const alarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";
const webhook = "https://hooks.slack.com/services/T0/B0/one";
const pager = "https://events.pager.example.com/v2/enqueue/abc";
/** A second service whose health path sits under its own path pattern, so the public entry reaches it. */
const web = ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0", "platform:services.web.pathPatterns[0]=/web/*", "platform:services.web.healthCheckPath=/web/health"];
const euWest = "aws:region=eu-west-1";

/** The spec of a committed stack with overrides, or the config problems it is refused with. */
function specOf(stack: string, set: string[] = []): PlatformSpec {
  const file = readStackFile(stack);
  for (const assignment of set) applySet(file, assignment);
  return loadPlatformSpec({ project: file.project, stack: file.stack, values: toEngineConfig(file), secretKeys: file.secretKeys }).spec;
}
function problemsOf(stack: string, set: string[]): { key: string; value?: unknown; message: string }[] {
  try {
    specOf(stack, set);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

const topicArn = (r: SynthResult, severity: "warning" | "critical") => (r.outputs.alarmTopics as Record<string, string>)[severity];

let production: SynthResult;
let europe: SynthResult;
let devChecked: SynthResult;

beforeAll(async () => {
  production = await runProgram({ stack: "production", set: web });
  europe = await runProgram({ stack: "production", set: [euWest, ...web], setSecret: [`platform:alarmWebhooks[0]=${webhook}`, `platform:pagerWebhooks[0]=${pager}`] });
  devChecked = await runProgram({ stack: "dev", set: ["platform:observability.uptimeChecks=true"] });
  for (const r of [production, europe, devChecked]) expect(r.error).toBeUndefined();
}, 120_000);

describe.each([
  ["api", "/api/v1/health"],
  ["web", "/web/health"],
])("the uptime check of %s in production (us-east-1)", (svc, path) => {
  it("requests the health path through the domain over HTTPS on 443 with SNI, every 30 s, down after 2 failures (a minute)", () => {
    expect(named(production, `alarms-${svc}-health-check`).inputs).toMatchObject({
      type: "HTTPS",
      fqdn: "platform.example.com",
      port: 443,
      resourcePath: path,
      enableSni: true,
      requestInterval: 30,
      failureThreshold: 2,
    });
    expect(named(production, `alarms-${svc}-health-check`).inputs.searchString).toBeUndefined();
  });

  it("pages (critical topic) when under 99% of the checkers find it healthy over 5 minutes, read in us-east-1", () => {
    const id = (production.outputs.uptimeChecks as Record<string, string>)[svc];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // In us-east-1 the alarm takes the provider's region, which is the one Route 53 publishes in.
    expect(named(production, `alarms-${svc}-uptime`).inputs.region).toBeUndefined();
    expect(topicArn(production, "critical")).toMatch(/^arn:aws:sns:us-east-1:/);
    expect(named(production, `alarms-${svc}-uptime`).inputs).toMatchObject({
      name: `platform-production-${svc}-uptime`,
      namespace: "AWS/Route53",
      metricName: "HealthCheckPercentageHealthy",
      dimensions: { HealthCheckId: id },
      statistic: "Average",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "LessThanThreshold",
      threshold: 99,
      alarmActions: [topicArn(production, "critical")],
      okActions: [topicArn(production, "critical")],
      tags: expect.objectContaining({ severity: "critical", service: svc }),
    });
    expect(String(named(production, `alarms-${svc}-uptime`).inputs.alarmDescription)).toMatch(new RegExp(`^\\[critical\\] ${svc}: `));
  });
});

describe("a stack in us-east-1", () => {
  it("notifies its own critical topic and builds no second topic or key", () => {
    expect(topicArn(production, "critical")).toMatch(/^arn:aws:sns:us-east-1:/);
    expect(ofType(production, "aws:sns/topic:Topic").map((t) => t.name).sort()).toEqual(["alarms-critical", "alarms-warning"]);
    expect(ofType(production, "aws:kms/key:Key").filter((k) => k.name.startsWith("alarms-"))).toEqual([]);
  });
});

describe("a stack in eu-west-1", () => {
  const uptimeTopic = () => named(europe, "alarms-critical-us-east-1");

  it("keeps its own alarms and topics in eu-west-1", () => {
    expect(topicArn(europe, "critical")).toMatch(/^arn:aws:sns:eu-west-1:/);
    expect(named(europe, "alarms-api-5xx-rate").inputs.region).toBeUndefined();
    expect(named(europe, "alarms-api-5xx-rate").inputs.alarmActions).toEqual([topicArn(europe, "critical")]);
  });

  it("puts the uptime alarms in us-east-1 with a critical topic there, since an alarm only notifies topics of its own region", () => {
    for (const svc of ["api", "web"]) {
      const alarm = named(europe, `alarms-${svc}-uptime`).inputs;
      expect(alarm.region).toBe("us-east-1");
      expect(alarm.alarmActions).toEqual([expect.stringMatching(/^arn:aws:sns:us-east-1:123456789012:platform-production-alarms-critical-us-east-1$/)]);
      expect(alarm.alarmActions).toEqual(alarm.okActions);
    }
    expect(uptimeTopic().inputs).toMatchObject({ region: "us-east-1", name: "platform-production-alarms-critical-us-east-1" });
  });

  it("encrypts that topic with a key in us-east-1 that lets this account's alarms there publish into it only", () => {
    const key = named(europe, "alarms-critical-us-east-1-key").inputs;
    expect(key).toMatchObject({ region: "us-east-1", enableKeyRotation: true });
    expect(uptimeTopic().inputs.kmsMasterKeyId).toMatch(/^arn:aws:kms:us-east-1:/);
    const statements = JSON.parse(String(key.policy)).Statement as { Sid: string; Principal: Record<string, string>; Condition?: Record<string, Record<string, string>> }[];
    const publish = statements.find((s) => s.Sid === "CloudWatchAlarmsPublish")!;
    expect(publish.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
    expect(publish.Condition).toEqual({
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" },
      StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:us-east-1:123456789012:platform-production-alarms-critical-us-east-1" },
    });
  });

  it("subscribes that topic like the critical topic: the same emails, chat webhooks and pager, in us-east-1", () => {
    const subs = ofType(europe, "aws:sns/topicSubscription:TopicSubscription");
    const suffixes = (prefix: string) =>
      subs
        .filter((s) => s.name.startsWith(`${prefix}-`) && !s.name.startsWith(`${prefix}-us-east-1`))
        .map((s) => s.name.slice(prefix.length))
        .sort();
    const critical = suffixes("alarms-critical");
    expect(critical).toEqual(["-email-platform-oncall@example.com", "-pager-0", "-webhook-0"]);
    expect(suffixes("alarms-critical-us-east-1")).toEqual(critical);
    for (const s of subs.filter((x) => x.name.startsWith("alarms-critical-us-east-1-"))) {
      expect(s.inputs).toMatchObject({ region: "us-east-1", topic: expect.stringMatching(/^arn:aws:sns:us-east-1:/) });
      if (s.inputs.protocol === "https") expect(s.secretPaths).toEqual(["endpoint"]);
    }
  });
});

describe("a dev stack without a domain, uptime checks turned on", () => {
  it("checks over HTTP on 80 at the load balancer's own DNS name, without SNI", () => {
    const hostname = String(devChecked.outputs.hostname);
    expect(hostname).toMatch(/\.elb\.amazonaws\.com$/);
    expect(named(devChecked, "alarms-api-health-check").inputs).toMatchObject({ type: "HTTP", fqdn: hostname, port: 80, resourcePath: "/api/v1/health", enableSni: false });
    expect(named(devChecked, "alarms-api-uptime").inputs).toMatchObject({ metricName: "HealthCheckPercentageHealthy", alarmActions: [topicArn(devChecked, "critical")] });
  });
});

describe("turning uptime checks off", () => {
  it("leaves no health check and no uptime alarm (dev by default, production when asked)", async () => {
    const off = await runProgram({ stack: "production", set: ["platform:observability.uptimeChecks=false"] });
    const dev = await runProgram({ stack: "dev" });
    for (const r of [off, dev]) {
      expect(r.error).toBeUndefined();
      expect(ofType(r, healthCheckType)).toEqual([]);
      expect(ofType(r, alarmType).filter((a) => a.name.endsWith("-uptime"))).toEqual([]);
      expect(r.outputs.uptimeChecks).toEqual({});
    }
  });

  it("is on in staging and production by default, off in dev", () => {
    expect(specOf("staging").observability.uptimeCheck).toEqual({ intervalSeconds: 60, availabilityPercentMin: 99, availabilityWindowMinutes: 5 });
    expect(specOf("production").observability.uptimeCheck).toBeDefined();
    expect(specOf("dev").observability.uptimeCheck).toBeUndefined();
  });
});

describe("the neutral interval, window and minimum on AWS", () => {
  it.each([
    [10, 10, 1],
    [30, 30, 1],
    [45, 30, 1],
    [60, 30, 2],
    [120, 30, 4],
    [300, 30, 10],
  ])("every %i s: Route 53 requests every %i s and reports down after %i failures", (seconds, interval, failures) => {
    const check = { intervalSeconds: seconds, availabilityPercentMin: 99, availabilityWindowMinutes: 5 };
    expect(route53RequestInterval(check)).toBe(interval);
    expect(route53FailureThreshold(check)).toBe(failures);
  });

  it("refuses an interval Route 53 cannot honour (between 10 and 30 s), naming the key", () => {
    const problems = problemsOf("production", ["platform:observability.uptimeIntervalSeconds=20"]);
    expect(problems).toEqual([
      { key: "platform:observability.uptimeIntervalSeconds", value: 20, message: expect.stringContaining("Route 53 health checkers request every 10 or 30 seconds") },
    ]);
    expect(problemsOf("production", ["platform:observability.uptimeIntervalSeconds=10"])).toEqual([]);
    expect(problemsOf("production", ["platform:observability.uptimeIntervalSeconds=30"])).toEqual([]);
  });

  it("builds the fast interval, the window and the minimum the stack asks for", async () => {
    const r = await runProgram({ stack: "staging", set: ["platform:observability.uptimeIntervalSeconds=10", "platform:observability.availabilityWindowMinutes=15", "platform:observability.availabilityPercentMin=98"] });
    expect(r.error).toBeUndefined();
    expect(named(r, "alarms-api-health-check").inputs).toMatchObject({ requestInterval: 10, failureThreshold: 1, fqdn: "staging.platform.example.com" });
    expect(named(r, "alarms-api-uptime").inputs).toMatchObject({ period: 900, threshold: 98 });
  });

  it("refuses a window or minimum outside the neutral ranges", () => {
    expect(problemsOf("production", ["platform:observability.availabilityWindowMinutes=0"])[0]).toMatchObject({ key: "platform:observability.availabilityWindowMinutes", message: "expected minutes from 1 to 60" });
    expect(problemsOf("production", ["platform:observability.availabilityPercentMin=101"])[0]).toMatchObject({ key: "platform:observability.availabilityPercentMin" });
  });

  it("builds no checks outside the aws partition (their alarms read us-east-1), and says so", async () => {
    const r = await runProgram({ stack: "production", set: ["aws:region=cn-north-1", "platform:network.availabilityZones[0]=cn-north-1a", "platform:network.availabilityZones[1]=cn-north-1b"] });
    expect(r.error).toBeUndefined();
    expect(ofType(r, healthCheckType)).toEqual([]);
    expect(r.warnings.find((w) => w.startsWith("platform:observability.uptimeChecks"))).toContain("no uptime checks are built in region cn-north-1");
  });
});

describe("the path a check requests must reach its own service through the load balancer", () => {
  const seedServices = ["frontend", "auth"].map((s) => `platform:services.${s}.imageTag=1.0.0`);

  it("matches listener path patterns as the ALB does: * any run, ? one character, case-sensitive, query ignored", () => {
    expect(pathPatternMatches("/api/*", "/api/v1/health")).toBe(true);
    expect(pathPatternMatches("/api/*", "/API/v1/health")).toBe(false);
    expect(pathPatternMatches("/*", "/health?verbose=1")).toBe(true);
    expect(pathPatternMatches("/v?/health", "/v1/health")).toBe(true);
    expect(pathPatternMatches("/v?/health", "/v10/health")).toBe(false);
    expect(pathPatternMatches("/a.b", "/aXb")).toBe(false);
  });

  it("follows rule priority: a catch-all comes after specific patterns", () => {
    const spec = specOf("production", seedServices);
    expect(routedService("/api/v1/health", spec.services)).toBe("api");
    expect(routedService("/health", spec.services)).toBe("frontend");
    expect(routedService("/auth/health", spec.services)).toBe("auth");
  });

  it("checks only services the path reaches, and says why another gets none", async () => {
    const r = await runProgram({ stack: "production", set: seedServices });
    expect(r.error).toBeUndefined();
    expect(ofType(r, healthCheckType).map((h) => h.name).sort()).toEqual(["alarms-api-health-check", "alarms-frontend-health-check"]);
    expect(r.warnings).toContain(
      "platform:services.auth.healthCheckPath /health is routed by the load balancer to frontend, not to auth: auth gets no external uptime check. Give it a health path under its own path patterns (/auth/*) that it answers.",
    );
  });

  it("warns when the path reaches no service at all (the listener's 404)", async () => {
    const r = await runProgram({ stack: "staging", set: ["platform:services.web.port=3000"] });
    expect(r.error).toBeUndefined();
    expect(r.resources.some((x) => x.name === "alarms-web-health-check")).toBe(false);
    expect(r.warnings.find((w) => w.startsWith("platform:services.web.healthCheckPath"))).toContain("routed by the load balancer to no service (the load balancer answers 404)");
  });

  it("leaves out a service held at 0 tasks (its image is not pushed yet): its check could only fail", async () => {
    const held = await runProgram({ stack: "production", set: web, account: { repositories: { "platform/production/web": {} } } });
    expect(held.error).toBeUndefined();
    expect(held.outputs.heldServices).toEqual(["web"]);
    expect(Object.keys(held.outputs.uptimeChecks as object)).toEqual(["api"]);
  });

  it("refuses a checked health path longer than Route 53 takes (255 characters)", () => {
    const path = `/api/${"h".repeat(251)}`;
    expect(problemsOf("production", [`platform:services.api.healthCheckPath=${path}`])).toEqual([
      { key: "platform:services.api.healthCheckPath", value: path, message: "a Route 53 health check takes a path of at most 255 characters; this one has 256" },
    ]);
    expect(problemsOf("production", [`platform:services.api.healthCheckPath=/api/${"h".repeat(250)}`])).toEqual([]);
  });
});

describe("the checkers against the WAF rate rule (100 requests per 60 s per address)", () => {
  const services = (count: number) =>
    Array.from({ length: count - 1 }, (_, i) => [`platform:services.s${i}.port=${9000 + i}`, `platform:services.s${i}.pathPatterns[0]=/s${i}/*`, `platform:services.s${i}.healthCheckPath=/s${i}/health`, `platform:services.s${i}.imageTag=1.0.0`]).flat();

  it("allows 25 checks: each checker sends 2 per minute per check, 50 from one address, half the limit", () => {
    expect(problemsOf("production", services(25))).toEqual([]);
  });

  it("refuses the 26th check, with the limit that fits", () => {
    expect(problemsOf("production", services(26))).toEqual([
      {
        key: "platform:loadBalancer.rateLimit.requests",
        value: 100,
        message:
          "each Route 53 health checker would send 52 requests per 60 s from one address (26 uptime checks, each requested every 30 s), and the rate rule blocks an address past 100; keep the checkers under half of it: set at least 104, or set platform:observability.uptimeChecks to false",
      },
    ]);
    expect(problemsOf("production", [...services(26), "platform:loadBalancer.rateLimit.requests=104"])).toEqual([]);
    expect(problemsOf("production", [...services(26), "platform:observability.uptimeChecks=false"])).toEqual([]);
  });

  it("counts the fast interval and longer windows", () => {
    expect(problemsOf("production", [...services(9), "platform:observability.uptimeIntervalSeconds=10"])[0]).toMatchObject({ key: "platform:loadBalancer.rateLimit.requests", message: expect.stringContaining("54 requests per 60 s") });
    expect(problemsOf("production", [...services(9), "platform:loadBalancer.rateLimit.windowSeconds=300", "platform:loadBalancer.rateLimit.requests=100"])[0]).toMatchObject({ message: expect.stringContaining("90 requests per 300 s") });
  });
});

describe("TLS certificate monitoring (seed 004)", () => {
  const alarm = (r: SynthResult, severity: string) => named(r, `alarms-TLS-certificate-expiry-${severity}`).inputs;

  it("watches the issued certificate's DaysToExpiry: warning under 45 days, critical under 14", () => {
    const certificateArn = named(production, "lb-https").inputs.certificateArn;
    expect(certificateArn).toMatch(/^arn:aws:acm:us-east-1:/);
    for (const [severity, days] of [["warning", 45], ["critical", 14]] as const) {
      expect(alarm(production, severity)).toMatchObject({
        namespace: "AWS/CertificateManager",
        metricName: "DaysToExpiry",
        dimensions: { CertificateArn: certificateArn },
        statistic: "Minimum",
        period: 86400,
        comparisonOperator: "LessThanThreshold",
        threshold: days,
        alarmActions: [topicArn(production, severity)],
        name: `platform-production-TLS-certificate-expiry-${severity}`,
      });
      expect(alarm(production, severity).region).toBeUndefined();
    }
  });

  it("watches a certificate the stack is given, in the stack's region", async () => {
    const given = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
    const r = await runProgram({ stack: "production", set: [euWest, `platform:loadBalancer.certificate=${given}`] });
    expect(r.error).toBeUndefined();
    expect(alarm(r, "critical")).toMatchObject({ dimensions: { CertificateArn: given }, alarmActions: [topicArn(r, "critical")] });
    expect(topicArn(r, "critical")).toMatch(/^arn:aws:sns:eu-west-1:/);
  });

  it("follows the thresholds the stack sets, and refuses a warning that would come after the critical alarm", async () => {
    const r = await runProgram({ stack: "staging", set: ["platform:alarms.thresholds.certificateExpiryDaysWarning=30", "platform:alarms.thresholds.certificateExpiryDaysCritical=7"] });
    expect(alarm(r, "warning").threshold).toBe(30);
    expect(alarm(r, "critical").threshold).toBe(7);
    expect(problemsOf("staging", ["platform:alarms.thresholds.certificateExpiryDaysWarning=7", "platform:alarms.thresholds.certificateExpiryDaysCritical=14"])).toEqual([
      {
        key: "platform:alarms.thresholds.certificateExpiryDaysWarning",
        value: 7,
        message: "must be above alarms.thresholds.certificateExpiryDaysCritical (14): the warning comes before the critical alarm",
      },
    ]);
  });

  it("has nothing to watch over plain HTTP (dev without a certificate)", () => {
    expect(devChecked.resources.some((x) => x.name.startsWith("alarms-TLS-"))).toBe(false);
  });
});
