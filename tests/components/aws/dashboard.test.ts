// The stack's CloudWatch dashboard (seed 003's overview): what it shows per stack and per service,
// the database widgets when there is a database, the WAF and uptime metrics by the names and regions
// they are published under, and that the body stays within CloudWatch's rules for 50 services.
import { type DashboardInput, type DashboardWidget, dashboardBody, dashboardConsoleUrl, type MetricEntry, maxMetricsPerWidget, maxWidgets } from "../../../components/aws/dashboard";
import { nameRules, physicalName } from "../../../components/naming";
import { defaultAlarmThresholds } from "../../../stacks/presets";
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";

const dashboardType = "aws:cloudwatch/dashboard:Dashboard";
const web = ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0", "platform:services.web.pathPatterns[0]=/web/*", "platform:services.web.healthCheckPath=/web/health"];

interface Body {
  widgets: DashboardWidget[];
}
const bodyOf = (r: SynthResult): Body => JSON.parse(String(named(r, "alarms-dashboard").inputs.dashboardBody)) as Body;
const widget = (body: Body, title: string): DashboardWidget => {
  const found = body.widgets.find((w) => w.properties.title === title);
  if (!found) throw new Error(`no widget "${title}"; have ${body.widgets.map((w) => w.properties.title).join(", ")}`);
  return found;
};
const metricsOf = (w: DashboardWidget) => w.properties.metrics as MetricEntry[];
/** The plain metrics of a widget as { namespace, name, dims, options }. */
const plain = (w: DashboardWidget) =>
  metricsOf(w)
    .filter((m) => typeof m[0] === "string")
    .map((m) => {
      const last = m[m.length - 1];
      const options = typeof last === "object" ? (last as Record<string, unknown>) : {};
      const strings = m.filter((x): x is string => typeof x === "string");
      const dims: Record<string, string> = {};
      for (let i = 2; i < strings.length; i += 2) dims[strings[i]] = strings[i + 1];
      return { namespace: strings[0], name: strings[1], dims, options };
    });

/** Problems of one widget against the documented dashboard body structure. */
function widgetProblems(w: DashboardWidget): string[] {
  const out: string[] = [];
  if (w.x < 0 || w.width < 1 || w.x + w.width > 24) out.push(`x ${w.x} width ${w.width} outside the 24-unit grid`);
  if (w.height < 1 || w.height > 1000) out.push(`height ${w.height}`);
  if (w.type === "text") return typeof w.properties.markdown === "string" ? out : [...out, "text widget without markdown"];
  if (w.type !== "metric") return [...out, `unknown type ${w.type}`];
  const p = w.properties;
  if (typeof p.region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(p.region)) out.push(`region ${String(p.region)}`);
  const metrics = metricsOf(w);
  if (metrics.length < 1 || metrics.length > maxMetricsPerWidget) out.push(`${metrics.length} metrics`);
  const ids = new Set<string>();
  const expressions: string[] = [];
  for (const m of metrics) {
    if (m.length === 1 && typeof m[0] === "object") {
      const e = m[0] as { id?: string; expression?: string };
      if (typeof e.expression !== "string" || typeof e.id !== "string") out.push(`expression entry ${JSON.stringify(m)}`);
      else expressions.push(e.expression);
      if (e.id) ids.add(e.id);
      continue;
    }
    const options = typeof m[m.length - 1] === "object" ? (m[m.length - 1] as { id?: string }) : undefined;
    const strings = options ? m.slice(0, -1) : m;
    // [namespace, metric, dimName, dimValue, ...]: strings only, dimensions in pairs.
    if (strings.some((s) => typeof s !== "string" || s === "" || s === "undefined") || strings.length < 2 || strings.length % 2 !== 0) out.push(`metric entry ${JSON.stringify(m)}`);
    if (options?.id) ids.add(options.id);
  }
  for (const id of ids) if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) out.push(`id ${id} must start with a lowercase letter`);
  for (const expression of expressions) {
    for (const ref of expression.match(/\b[a-z][a-zA-Z0-9_]*\b/g) ?? []) if (!["FILL", "IF", "MAX"].includes(ref) && !ids.has(ref)) out.push(`expression ${expression} refers to ${ref}, not in the widget`);
  }
  return out;
}

function layoutProblems(widgets: DashboardWidget[]): string[] {
  const taken = new Set<string>();
  const out: string[] = [];
  for (const w of widgets) {
    for (let x = w.x; x < w.x + w.width; x++) {
      for (let y = w.y; y < w.y + w.height; y++) {
        if (taken.has(`${x},${y}`)) out.push(`${String(w.properties.title)} overlaps at ${x},${y}`);
        taken.add(`${x},${y}`);
      }
    }
  }
  return out;
}

let production: SynthResult;
let europe: SynthResult;
let dev: SynthResult;

beforeAll(async () => {
  production = await runProgram({ stack: "production", set: web });
  europe = await runProgram({ stack: "production", set: ["aws:region=eu-west-1", ...web] });
  dev = await runProgram({ stack: "dev" });
  for (const r of [production, europe, dev]) expect(r.error).toBeUndefined();
}, 120_000);

describe("the dashboard of production (us-east-1, services api and web)", () => {
  it("is one CloudWatch dashboard named after the stack, opened from the dashboardUrl output", () => {
    const boards = ofType(production, dashboardType);
    expect(boards.map((b) => b.name)).toEqual(["alarms-dashboard"]);
    expect(boards[0].inputs.dashboardName).toBe("platform-production");
    expect(production.outputs.dashboardUrl).toBe("https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=platform-production");
  });

  it("holds only valid widgets, without overlaps, with a header that says the config owns it", () => {
    const body = bodyOf(production);
    expect(body.widgets.flatMap((w) => widgetProblems(w).map((p) => `${String(w.properties.title)}: ${p}`))).toEqual([]);
    expect(layoutProblems(body.widgets)).toEqual([]);
    expect(body.widgets[0]).toMatchObject({ type: "text", x: 0, y: 0, width: 24 });
    expect(String(body.widgets[0].properties.markdown)).toContain("change the config, not this dashboard");
  });

  it("shows requests, the error rate with the load balancer's own 5xx, and latency p50/p99 for the whole stack", () => {
    const body = bodyOf(production);
    const albName = String(named(production, "lb-alb").inputs.name);
    const lb = expect.stringMatching(new RegExp(`^app/${albName}/[0-9a-f]+$`));
    expect(plain(widget(body, "Requests per minute"))).toEqual([{ namespace: "AWS/ApplicationELB", name: "RequestCount", dims: { LoadBalancer: lb }, options: { label: "requests" } }]);
    const errors = widget(body, "5xx error rate, the load balancer's own included (%)");
    expect(plain(errors).map((m) => m.name).sort()).toEqual(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"]);
    for (const m of plain(errors)) expect(m).toMatchObject({ dims: { LoadBalancer: lb }, options: { stat: "Sum", visible: false } });
    expect(metricsOf(errors).filter((m) => typeof m[0] === "object" && (m[0] as { visible?: boolean }).visible !== false)).toEqual([
      [{ id: "rate", expression: "IF(errors > 0, 100 * errors / MAX([FILL(requests, 0), errors]), 0)", label: "5xx %" }],
    ]);
    expect(errors.properties.annotations).toEqual({ horizontal: [{ label: "critical", value: 1 }] });
    const latency = widget(body, "Response time p50 / p99 (s)");
    expect(plain(latency).map((m) => [m.name, m.options.stat])).toEqual([["TargetResponseTime", "p50"], ["TargetResponseTime", "p99"]]);
  });

  it.each(["api", "web"])("shows %s's requests and 5xx rate, latency, CPU and memory, and healthy tasks", (svc) => {
    const body = bodyOf(production);
    const tgName = String(named(production, `lb-tg-${svc}`).inputs.name);
    const tg = expect.stringMatching(new RegExp(`^targetgroup/${tgName}/[0-9a-f]+$`));
    const ecs = { ClusterName: named(production, "app-cluster").inputs.name, ServiceName: named(production, `app-${svc}-service`).inputs.name };
    expect(plain(widget(body, `${svc}: requests and 5xx rate`)).map((m) => [m.name, m.dims.TargetGroup])).toEqual([["RequestCount", tg], ["HTTPCode_Target_5XX_Count", tg]]);
    expect(plain(widget(body, `${svc}: response time p50 / p99 (s)`)).map((m) => [m.options.stat, m.dims.TargetGroup])).toEqual([["p50", tg], ["p99", tg]]);
    const resources = widget(body, `${svc}: CPU and memory (%)`);
    expect(plain(resources)).toEqual([
      { namespace: "AWS/ECS", name: "CPUUtilization", dims: ecs, options: { label: "CPU" } },
      { namespace: "AWS/ECS", name: "MemoryUtilization", dims: ecs, options: { label: "memory" } },
    ]);
    expect(resources.properties.stat).toBe("Average");
    const healthy = widget(body, `${svc}: healthy tasks`);
    expect(plain(healthy)[0]).toMatchObject({ name: "HealthyHostCount", dims: { TargetGroup: tg } });
    expect(healthy.properties.annotations).toEqual({ horizontal: [{ label: "minimum", value: 2 }] });
  });

  it("counts WAF blocks by the web ACL's and the rate rule's metric names, in the stack's region", () => {
    const acl = named(production, "lb-waf").inputs as { visibilityConfig: { metricName: string }; rules: { visibilityConfig: { metricName: string } }[] };
    expect(plain(widget(bodyOf(production), "Requests blocked by the WAF rate limit"))).toEqual([
      { namespace: "AWS/WAFV2", name: "BlockedRequests", dims: { WebACL: acl.visibilityConfig.metricName, Region: "us-east-1", Rule: acl.rules[0].visibilityConfig.metricName }, options: { label: "blocked (429)" } },
    ]);
  });

  it("shows every uptime check from us-east-1, and the certificate's days to expiry", () => {
    const body = bodyOf(production);
    const uptime = widget(body, "Uptime: checkers that find the service healthy (%)");
    expect(uptime.properties.region).toBe("us-east-1");
    const ids = production.outputs.uptimeChecks as Record<string, string>;
    expect(plain(uptime)).toEqual(["api", "web"].map((svc) => ({ namespace: "AWS/Route53", name: "HealthCheckPercentageHealthy", dims: { HealthCheckId: ids[svc] }, options: { label: svc } })));
    const certificate = widget(body, "TLS certificate: days to expiry");
    expect(plain(certificate)[0]).toMatchObject({ namespace: "AWS/CertificateManager", name: "DaysToExpiry", dims: { CertificateArn: named(production, "lb-https").inputs.certificateArn } });
    expect(certificate.properties).toMatchObject({ region: "us-east-1", stat: "Minimum", period: 86400 });
  });

  it("shows the stack's own database (RDS instance platform-production-db), and none with database.enabled false", async () => {
    const db = bodyOf(production).widgets.filter((w) => String(w.properties.title).startsWith("Database"));
    expect(db.length).toBeGreaterThan(0);
    expect(JSON.stringify(db)).toContain('"DBInstanceIdentifier","platform-production-db"');
    const withoutDb = await runProgram({ stack: "production", set: ["platform:database.enabled=false"] });
    expect(withoutDb.error).toBeUndefined();
    expect(bodyOf(withoutDb).widgets.some((w) => String(w.properties.title).startsWith("Database"))).toBe(false);
  });
});

describe("the dashboard of a stack in eu-west-1", () => {
  it("reads every metric in eu-west-1 except the uptime checks, which Route 53 publishes in us-east-1", () => {
    const body = bodyOf(europe);
    for (const w of body.widgets.filter((x) => x.type === "metric")) {
      expect({ title: w.properties.title, region: w.properties.region }).toEqual({ title: w.properties.title, region: String(w.properties.title).startsWith("Uptime") ? "us-east-1" : "eu-west-1" });
    }
    expect(plain(widget(body, "Requests blocked by the WAF rate limit"))[0].dims.Region).toBe("eu-west-1");
    expect(europe.outputs.dashboardUrl).toBe("https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=platform-production");
  });
});

describe("the dashboard of dev (plain HTTP, no uptime checks)", () => {
  it("exists, without uptime or certificate widgets", () => {
    const titles = bodyOf(dev).widgets.map((w) => String(w.properties.title));
    expect(titles).toContain("api: CPU and memory (%)");
    expect(titles.some((t) => t.startsWith("Uptime") || t.startsWith("TLS"))).toBe(false);
  });

  it("goes away with observability.dashboard false", async () => {
    const r = await runProgram({ stack: "dev", set: ["platform:observability.dashboard=false"] });
    expect(r.error).toBeUndefined();
    expect(ofType(r, dashboardType)).toEqual([]);
    expect(r.outputs.dashboardUrl).toBeUndefined();
  });
});

/** A dashboard input with every name at its longest, so sizes are upper bounds. */
function input(services: number, over: Partial<DashboardInput> = {}): DashboardInput {
  const hex = (n: number, len: number) => n.toString(16).padStart(len, "0");
  const names = Array.from({ length: services }, (_, i) => `service-${String(i).padStart(3, "0")}-${"n".repeat(18)}`);
  return {
    title: `${"p".repeat(60)} / ${"s".repeat(60)}`,
    environment: "production",
    region: "ap-southeast-2",
    loadBalancer: `app/${"l".repeat(32)}/${hex(1, 16)}`,
    services: names.map((name, i) => ({ name, targetGroup: `targetgroup/${"t".repeat(32)}/${hex(i, 16)}`, cluster: "c".repeat(255), service: `${"e".repeat(225)}${name}`, minInstances: 2 })),
    webAcl: { acl: "a".repeat(128), rateRule: "r".repeat(128) },
    uptimeChecks: Object.fromEntries(names.map((name, i) => [name, `${hex(i, 8)}-0000-4000-8000-000000000000`])),
    availabilityPercentMin: 99,
    certificateArn: "arn:aws:acm:ap-southeast-2:123456789012:certificate/12345678-1234-1234-1234-123456789012",
    databaseId: "d".repeat(63),
    thresholds: defaultAlarmThresholds,
    ...over,
  };
}

describe("the dashboard body", () => {
  it("shows the database's CPU, connections and free storage when there is a database", () => {
    const body = JSON.parse(dashboardBody(input(1))) as Body;
    const db = body.widgets.filter((w) => String(w.properties.title).startsWith("Database"));
    expect(db.map((w) => plain(w)[0])).toEqual([
      { namespace: "AWS/RDS", name: "CPUUtilization", dims: { DBInstanceIdentifier: "d".repeat(63) }, options: { label: "CPU" } },
      { namespace: "AWS/RDS", name: "DatabaseConnections", dims: { DBInstanceIdentifier: "d".repeat(63) }, options: { label: "connections" } },
      { namespace: "AWS/RDS", name: "FreeStorageSpace", dims: { DBInstanceIdentifier: "d".repeat(63) }, options: { label: "free storage" } },
    ]);
    const without = JSON.parse(dashboardBody(input(1, { databaseId: undefined }))) as Body;
    expect(without.widgets.some((w) => String(w.properties.title).startsWith("Database"))).toBe(false);
    expect(without.widgets).toHaveLength(body.widgets.length - 3);
  });

  it("stays under 1 MB, 500 widgets and 100 metrics per graph with 50 services, every widget valid", () => {
    const text = dashboardBody(input(50));
    expect(Buffer.byteLength(text, "utf8")).toBeLessThan(1_000_000);
    const body = JSON.parse(text) as Body;
    expect(body.widgets.length).toBeLessThanOrEqual(maxWidgets);
    expect(body.widgets.filter((w) => String(w.properties.title).endsWith(": healthy tasks"))).toHaveLength(50);
    expect(metricsOf(widget(body, "Uptime: checkers that find the service healthy (%)"))).toHaveLength(50);
    expect(body.widgets.flatMap((w) => widgetProblems(w))).toEqual([]);
    expect(layoutProblems(body.widgets)).toEqual([]);
  });

  it("holds the 100 services an ALB listener routes, and refuses what CloudWatch would", () => {
    expect(() => dashboardBody(input(100))).not.toThrow();
    expect(() => dashboardBody(input(130))).toThrow('the graph "Uptime: checkers that find the service healthy (%)" would hold 130 metrics; CloudWatch takes at most 100');
    expect(() => dashboardBody(input(130, { uptimeChecks: {} }))).toThrow("the dashboard would hold 529 widgets; CloudWatch takes at most 500");
  });

  it("opens in the console of the stack's partition", () => {
    expect(dashboardConsoleUrl("cn-north-1", "platform-x")).toBe("https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#dashboards:name=platform-x");
    expect(dashboardConsoleUrl("us-gov-west-1", "platform-x")).toBe("https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#dashboards:name=platform-x");
  });
});

describe("dashboard names", () => {
  it("follow CloudWatch's rule: 1-255 letters, digits, - and _", () => {
    expect(nameRules.awsDashboard.valid.test("platform-production")).toBe(true);
    expect(nameRules.awsDashboard.valid.test("platform.production")).toBe(false);
    expect(nameRules.awsDashboard.valid.test("a".repeat(256))).toBe(false);
    expect(physicalName("awsDashboard", ["platform", "feature-very-long-branch-name-for-preview-environments-123.x_y"])).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
    expect(physicalName("awsDashboard", ["p".repeat(200), "s".repeat(200)])).toHaveLength(255);
  });
});
