// Alarms on Azure: action groups (short names of at most 12 characters, the pager on critical only,
// the common alert schema), metric alerts with the seed thresholds, log alerts for what metric alerts
// cannot express (a service's own 5xx share, more than 10 5xx a minute for 5 minutes in a row, p99),
// the operator written out ("GreaterThan", never the SDK enum's "gt"), database alerts, the restore
// test's alert, the uptime and certificate tests, and the dashboard.
import { dashboardLenses } from "../../../components/azure/dashboard";
import { accessLog, kql, serverErrorRate } from "../../../components/azure/logQueries";
import { defaultAlarmThresholds } from "../../../stacks/presets";
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";

const webhook = "https://hooks.example.com/services/T0000/B0000/chat-token-abc123";
const pager = "https://events.pagerduty.example.com/integration/pager-token-xyz789/enqueue";

let dev: SynthResult;
let staging: SynthResult;
let production: SynthResult;
let noAccessLogs: SynthResult;
beforeAll(async () => {
  dev = await runProgram({ stack: "dev", cloud: "azure" });
  staging = await runProgram({ stack: "staging", cloud: "azure" });
  production = await runProgram({ stack: "production", cloud: "azure", setSecret: [`platform:alarmWebhooks[0]=${webhook}`, `platform:pagerWebhooks[0]=${pager}`] });
  noAccessLogs = await runProgram({ stack: "dev", cloud: "azure", set: ["platform:loadBalancer.accessLogs=false"] });
  for (const r of [dev, staging, production, noAccessLogs]) expect(r.error).toBeUndefined();
}, 120_000);

const criteria = (r: SynthResult, name: string) => (named(r, name).inputs.criteria as any).allOf[0];

describe("action groups", () => {
  it("one per severity, short names of at most 12 characters, the common alert schema", async () => {
    const groups = ofType(production, "azure-native:monitor:ActionGroup");
    expect(groups.map((g) => [g.name, g.inputs.groupShortName])).toEqual([
      ["alarms-warning", "production-w"],
      ["alarms-critical", "production-c"],
    ]);
    for (const g of groups) {
      expect(String(g.inputs.groupShortName).length).toBeLessThanOrEqual(12);
      expect(g.inputs).toMatchObject({ location: "Global", enabled: true, emailReceivers: [{ emailAddress: "platform-oncall@example.com", useCommonAlertSchema: true }] });
    }
    const long = await runProgram({ stack: "dev", cloud: "azure", stackName: "feature-very-long-branch-name" });
    expect(long.error).toBeUndefined();
    for (const g of ofType(long, "azure-native:monitor:ActionGroup")) expect(String(g.inputs.groupShortName)).toMatch(/^[a-zA-Z0-9-]{1,12}$/);
  });

  it("sends to the webhooks on both, to the pager on critical only, keeping every URL secret", () => {
    expect(named(production, "alarms-warning").inputs.webhookReceivers).toBe("[secret]");
    expect(named(production, "alarms-critical").inputs.webhookReceivers).toBe("[secret]");
    expect(JSON.stringify(production.resources)).not.toContain("chat-token-abc123");
    expect(JSON.stringify(production.resources)).not.toContain("pager-token-xyz789");
    expect(named(production, "alarms-critical").additionalSecretOutputs).toContain("webhookReceivers");
  });
});

describe("metric alerts", () => {
  it("watch each app's CPU (80/90%), memory (85/95%) and replica floor with the seed thresholds", () => {
    const expected: [string, string, string, number, number][] = [
      ["alarms-api-cpu-warning", "CpuPercentage", "GreaterThan", 80, 2],
      ["alarms-api-cpu-critical", "CpuPercentage", "GreaterThan", 90, 0],
      ["alarms-api-memory-warning", "MemoryPercentage", "GreaterThan", 85, 2],
      ["alarms-api-memory-critical", "MemoryPercentage", "GreaterThan", 95, 0],
      ["alarms-api-replicas", "Replicas", "LessThan", 2, 0],
    ];
    for (const [name, metric, operator, threshold, severity] of expected) {
      expect(criteria(production, name)).toMatchObject({ criterionType: "StaticThresholdCriterion", metricNamespace: "Microsoft.App/containerApps", metricName: metric, operator, threshold });
      expect(named(production, name).inputs).toMatchObject({ severity, location: "global", windowSize: "PT5M", scopes: [expect.stringContaining("/containerApps/platform-production-api")] });
    }
  });

  it("watch Front Door's 5xx share above 1% and average latency above 5 s", () => {
    expect(criteria(production, "alarms-AFD-5xx-rate")).toMatchObject({ metricNamespace: "Microsoft.Cdn/profiles", metricName: "Percentage5XX", operator: "GreaterThan", threshold: 1, timeAggregation: "Average" });
    expect(criteria(production, "alarms-AFD-latency-average")).toMatchObject({ metricName: "TotalLatency", threshold: 5000 });
  });

  it("watch the database: CPU, connections as a share of the SKU's limit, free storage, availability", () => {
    expect(criteria(production, "alarms-DB-cpu-critical")).toMatchObject({ metricNamespace: "Microsoft.DBforPostgreSQL/flexibleServers", metricName: "cpu_percent", threshold: 90 });
    expect(criteria(production, "alarms-DB-connections-warning")).toMatchObject({ metricName: "active_connections", threshold: Math.floor(859 * 0.8) });
    expect(criteria(production, "alarms-DB-free-storage-critical")).toMatchObject({ metricName: "storage_percent", operator: "GreaterThan", threshold: 90 });
    expect(criteria(production, "alarms-DB-availability")).toMatchObject({ metricName: "is_db_alive", operator: "LessThan", threshold: 1 });
    expect(named(production, "alarms-DB-connections-warning").inputs.windowSize).toBe("PT30M");
  });
});

describe("log alerts on Front Door's access log", () => {
  it("fire on more than 10 5xx a minute for 5 minutes in a row", () => {
    const rule = named(production, "alarms-api-5xx-count").inputs as any;
    expect(rule).toMatchObject({ kind: "LogAlert", windowSize: "PT1M", evaluationFrequency: "PT1M", skipQueryValidation: true, scopes: [expect.stringContaining("platform-production-audit")] });
    expect(rule.criteria.allOf[0]).toMatchObject({ timeAggregation: "Count", operator: "GreaterThan", threshold: 10, failingPeriods: { numberOfEvaluationPeriods: 5, minFailingPeriodsToAlert: 5 } });
    expect(rule.criteria.allOf[0].query).toContain('routingRuleName_s == "api"');
    expect(rule.criteria.allOf[0].query).toContain("| where status >= 500");
  });

  it("compute a service's own 5xx share and its p99 (500/1000 ms), which metric alerts cannot", () => {
    expect(criteria(production, "alarms-api-5xx-rate")).toMatchObject({ timeAggregation: "Average", metricMeasureColumn: "errorRate", threshold: 1, failingPeriods: { numberOfEvaluationPeriods: 5, minFailingPeriodsToAlert: 3 } });
    expect(criteria(production, "alarms-api-latency-p99-warning")).toMatchObject({ metricMeasureColumn: "p99", threshold: 500 });
    expect(criteria(production, "alarms-api-latency-p99-critical")).toMatchObject({ metricMeasureColumn: "p99", threshold: 1000 });
    expect(criteria(production, "alarms-api-latency-p99-critical").query).toContain("percentile(durationMs, 99)");
    expect(named(production, "alarms-api-latency-p99-critical").inputs.severity).toBe(0);
  });

  it("use the literal GreaterThan and LessThan, never the SDK enum's short forms", () => {
    for (const r of [dev, production]) {
      for (const rule of ofType(r, "azure-native:monitor:ScheduledQueryRule")) expect(["GreaterThan", "LessThan"]).toContain((rule.inputs.criteria as any).allOf[0].operator);
    }
  });

  it("watch traffic below 10 a minute in production only (no rows count as zero)", () => {
    expect(criteria(production, "alarms-api-low-traffic")).toMatchObject({ timeAggregation: "Count", operator: "LessThan", threshold: 50, failingPeriods: { numberOfEvaluationPeriods: 2, minFailingPeriodsToAlert: 2 } });
    expect(staging.resources.find((r) => r.name === "alarms-api-low-traffic")).toBeUndefined();
  });

  it("are not built without access logs, which they read, and a warning says so", () => {
    expect(noAccessLogs.warnings.some((w) => w.startsWith("platform:loadBalancer.accessLogs: without Front Door's access logs"))).toBe(true);
    expect(ofType(noAccessLogs, "azure-native:monitor:ScheduledQueryRule").filter((r) => r.name.startsWith("alarms-api-") || r.name.startsWith("alarms-AFD-"))).toEqual([]);
    expect(named(noAccessLogs, "alarms-AFD-5xx-rate").type).toBe("azure-native:monitor:MetricAlert");
  });

  it("read the status and the time taken from whichever typed column the access log has", () => {
    expect(accessLog("api")).toContain('column_ifexists("httpStatusCode_d", "")');
    expect(accessLog("api")).toContain('column_ifexists("timeTaken_s", "")');
    expect(serverErrorRate("api")).toContain("iff(requests > 0, 100.0 * errors / requests, 0.0)");
    expect(kql('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});

describe("the restore test's alert", () => {
  it("fires on the job's failure line, critical", () => {
    const rule = named(production, "alarms-Backup-restore-test").inputs as any;
    expect(rule).toMatchObject({ severity: 0, windowSize: "PT6H", evaluationFrequency: "PT1H", scopes: [expect.stringContaining("platform-production-logs")] });
    expect(rule.criteria.allOf[0].query).toContain('Log has "RESTORE-TEST RESULT: FAILED" and Log has "job=platform-production-restore-test"');
    expect(dev.resources.find((r) => r.name === "alarms-Backup-restore-test")).toBeUndefined();
  });
});

describe("uptime and certificate checks", () => {
  it("test each service's health path through Front Door from 5 locations, with an urgent alert below 99%", () => {
    const test = named(production, "alarms-api-uptime-test").inputs as any;
    expect(test).toMatchObject({ kind: "standard", webTestKind: "standard", frequency: 300, request: { requestUrl: "https://platform.example.com/api/v1/health", httpVerb: "GET" }, validationRules: { expectedHttpStatusCode: 200, sSLCheck: true } });
    expect(test.locations).toHaveLength(5);
    expect(Object.keys(test.tags).some((k) => k.startsWith("hidden-link:") && k.endsWith("/components/platform-production-uptime"))).toBe(true);
    const alert = named(production, "alarms-api-uptime");
    expect(alert.type).toBe("azure-native:monitor:MetricAlert");
    expect(criteria(production, "alarms-api-uptime")).toMatchObject({ metricName: "availabilityResults/availabilityPercentage", operator: "LessThan", threshold: 99, dimensions: [{ name: "availabilityResult/name", operator: "Include", values: ["platform-production-api-uptime"] }] });
    expect(alert.inputs).toMatchObject({ severity: 0, windowSize: "PT5M" });
    expect(production.outputs.uptimeChecks).toEqual({ api: expect.stringContaining("/webtests/platform-production-api-uptime") });
    expect(dev.outputs.uptimeChecks).toEqual({});
  });

  it("warn 45 days and page 14 days before the custom domain's certificate expires", () => {
    expect((named(production, "alarms-TLS-certificate-warning").inputs as any).validationRules).toEqual({ ignoreHttpStatusCode: true, sSLCheck: true, sSLCertRemainingLifetimeCheck: defaultAlarmThresholds.certificateExpiryDaysWarning });
    expect((named(production, "alarms-TLS-certificate-critical").inputs as any).validationRules.sSLCertRemainingLifetimeCheck).toBe(14);
    expect(named(production, "alarms-TLS-certificate-expiry-critical").inputs.severity).toBe(0);
    // Front Door's own host name in dev has Microsoft's certificate: nothing to watch.
    expect(dev.resources.filter((r) => r.name.startsWith("alarms-TLS-"))).toEqual([]);
  });
});

describe("the dashboard", () => {
  it("is one portal dashboard per stack with Front Door, each app, the database and the uptime tests, and a link", () => {
    const lens = (named(production, "alarms-dashboard").inputs.properties as any).lenses[0];
    const titles = lens.parts.map((p: any) => p.metadata.inputs.find((i: any) => i.name === "options")?.value.chart.title ?? p.metadata.inputs.find((i: any) => i.name === "PartTitle")?.value ?? p.metadata.settings?.content?.settings?.title);
    expect(titles).toEqual(
      expect.arrayContaining(["Requests", "5xx share (%), alert above 1%", "api: CPU and memory (%), alerts at 80/85", "Database: connections", "Availability of the uptime tests (%)", "Response time per route (ms): p50 and p99"]),
    );
    expect(String(production.outputs.dashboardUrl)).toMatch(/^https:\/\/portal\.azure\.com\/#@[0-9a-f-]{36}\/dashboard\/arm\/subscriptions\/.*\/dashboards\/platform-production$/);
  });

  it("lays its parts out without overlap, a pure function of the resources it shows", () => {
    const [lens] = dashboardLenses({ title: "t", frontDoorId: "fd", services: [{ name: "a", appId: "a" }, { name: "b" }], webTests: {}, auditWorkspaceId: "w", thresholds: defaultAlarmThresholds });
    const cells = new Set<string>();
    for (const part of lens.parts as any[]) {
      for (let x = part.position.x; x < part.position.x + part.position.colSpan; x++) {
        for (let y = part.position.y; y < part.position.y + part.position.rowSpan; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
    expect(JSON.stringify(lens)).toContain("b (held)");
  });
});
