// The stack's CloudWatch dashboard (seed 003's overview): requests, error rate with the load
// balancer's own 5xx, latency p50/p99, WAF blocks, uptime, the certificate's days left, the database's
// health, and per service its traffic, latency, CPU and memory and healthy tasks. The body is built
// from the spec and the blocks' metric names; thresholds from the presets are drawn on the graphs.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AlarmThresholds, ContainerServiceOutputs, DataStoreOutputs, LoadBalancerOutputs } from "../model";
import { awsPartitionOf } from "./regions";
import { child } from "./options";
import { webAclNames } from "./resourceNames";
import { route53MetricsRegion } from "./uptimeLimits";

/** DashboardBody: "an array of between 0 and 500 widget objects" (CloudWatch API reference, "Dashboard Body Structure and Syntax"). */
export const maxWidgets = 500;
/** A metric graph takes 1-100 metrics and expressions ("GetMetricWidgetImage: Metric Widget Structure and Syntax"). */
export const maxMetricsPerWidget = 100;
/** The dashboard grid is 24 units wide. */
const gridWidth = 24;

/** One entry of a metric graph, in the documented form [namespace, metric, dimName, dimValue, ..., {options}], or a math expression. */
export type MetricEntry = (string | Record<string, unknown>)[];

export interface DashboardWidget {
  type: "metric" | "text";
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/** Everything the body shows, as resolved values: the dashboard is a pure function of it. */
export interface DashboardInput {
  title: string;
  environment: string;
  region: string;
  /** The load balancer as its metrics name it (`app/<name>/<id>`). */
  loadBalancer: string;
  services: { name: string; targetGroup: string; cluster: string; service: string; minInstances: number }[];
  webAcl: { acl: string; rateRule: string };
  /** Service -> Route 53 health check id, metrics in us-east-1. */
  uptimeChecks: Record<string, string>;
  availabilityPercentMin?: number;
  certificateArn?: string;
  /** The database's RDS instance identifier; absent without a database. */
  databaseId?: string;
  thresholds: AlarmThresholds;
}

interface Graph {
  width: number;
  title: string;
  metrics: MetricEntry[];
  region?: string;
  stat?: string;
  period?: number;
  yAxis?: Record<string, unknown>;
  lines?: { label: string; value: number }[];
}

const alb = "AWS/ApplicationELB";

export function dashboardBody(input: DashboardInput): string {
  const t = input.thresholds;
  const lb = ["LoadBalancer", input.loadBalancer];
  const rows: Graph[][] = [];

  // The load balancer's 5xx include its own (no healthy target): they exist per load balancer only.
  rows.push([
    { width: 8, title: "Requests per minute", stat: "Sum", metrics: [[alb, "RequestCount", ...lb, { label: "requests" }]] },
    {
      width: 8,
      title: "5xx error rate, the load balancer's own included (%)",
      metrics: [
        [alb, "RequestCount", ...lb, { id: "requests", stat: "Sum", visible: false }],
        [alb, "HTTPCode_ELB_5XX_Count", ...lb, { id: "elb", stat: "Sum", visible: false }],
        [alb, "HTTPCode_Target_5XX_Count", ...lb, { id: "target", stat: "Sum", visible: false }],
        [{ id: "errors", expression: "FILL(elb, 0) + FILL(target, 0)", label: "5xx responses", visible: false }],
        [{ id: "rate", expression: "IF(errors > 0, 100 * errors / MAX([FILL(requests, 0), errors]), 0)", label: "5xx %" }],
      ],
      yAxis: { left: { min: 0, label: "%", showUnits: false } },
      lines: [{ label: "critical", value: t.errorRatePercentCritical }],
    },
    latencyGraph("Response time p50 / p99 (s)", lb, t),
  ]);

  const second: Graph[] = [
    {
      width: 8,
      title: "Requests blocked by the WAF rate limit",
      stat: "Sum",
      metrics: [["AWS/WAFV2", "BlockedRequests", "WebACL", input.webAcl.acl, "Region", input.region, "Rule", input.webAcl.rateRule, { label: "blocked (429)" }]],
    },
  ];
  const checks = Object.entries(input.uptimeChecks);
  if (checks.length > 0) {
    second.push({
      width: 8,
      title: "Uptime: checkers that find the service healthy (%)",
      region: route53MetricsRegion,
      stat: "Average",
      metrics: checks.map(([svc, id]) => ["AWS/Route53", "HealthCheckPercentageHealthy", "HealthCheckId", id, { label: svc }]),
      yAxis: { left: { min: 0, max: 100, showUnits: false } },
      lines: input.availabilityPercentMin === undefined ? [] : [{ label: "urgent below", value: input.availabilityPercentMin }],
    });
  }
  if (input.certificateArn !== undefined) {
    second.push({
      width: 8,
      title: "TLS certificate: days to expiry",
      stat: "Minimum",
      period: 86400,
      metrics: [["AWS/CertificateManager", "DaysToExpiry", "CertificateArn", input.certificateArn, { label: "days left" }]],
      yAxis: { left: { min: 0, showUnits: false } },
      lines: [
        { label: "warning", value: t.certificateExpiryDaysWarning },
        { label: "critical", value: t.certificateExpiryDaysCritical },
      ],
    });
  }
  rows.push(second);

  if (input.databaseId !== undefined) {
    const db = ["DBInstanceIdentifier", input.databaseId];
    rows.push([
      { width: 8, title: "Database CPU (%)", stat: "Average", metrics: [["AWS/RDS", "CPUUtilization", ...db, { label: "CPU" }]], yAxis: { left: { min: 0, max: 100, showUnits: false } } },
      { width: 8, title: "Database connections", stat: "Maximum", metrics: [["AWS/RDS", "DatabaseConnections", ...db, { label: "connections" }]] },
      { width: 8, title: "Database free storage (bytes)", stat: "Minimum", metrics: [["AWS/RDS", "FreeStorageSpace", ...db, { label: "free storage" }]] },
    ]);
  }

  for (const svc of input.services) {
    const tg = ["TargetGroup", svc.targetGroup, ...lb];
    const ecs = ["ClusterName", svc.cluster, "ServiceName", svc.service];
    rows.push([
      {
        width: 6,
        title: `${svc.name}: requests and 5xx rate`,
        metrics: [
          [alb, "RequestCount", ...tg, { id: "requests", stat: "Sum", label: "requests" }],
          [alb, "HTTPCode_Target_5XX_Count", ...tg, { id: "errors", stat: "Sum", visible: false }],
          [{ id: "rate", expression: "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)", label: "5xx %", yAxis: "right" }],
        ],
        yAxis: { right: { min: 0, label: "%", showUnits: false } },
      },
      latencyGraph(`${svc.name}: response time p50 / p99 (s)`, tg, t, 6),
      {
        width: 6,
        title: `${svc.name}: CPU and memory (%)`,
        stat: "Average",
        metrics: [
          ["AWS/ECS", "CPUUtilization", ...ecs, { label: "CPU" }],
          ["AWS/ECS", "MemoryUtilization", ...ecs, { label: "memory" }],
        ],
        yAxis: { left: { min: 0, max: 100, showUnits: false } },
        lines: [
          { label: "CPU warning", value: t.cpuWarningPercent },
          { label: "memory warning", value: t.memoryWarningPercent },
        ],
      },
      {
        width: 6,
        title: `${svc.name}: healthy tasks`,
        stat: "Minimum",
        metrics: [[alb, "HealthyHostCount", ...tg, { label: "healthy" }]],
        yAxis: { left: { min: 0, showUnits: false } },
        lines: [{ label: "minimum", value: svc.minInstances }],
      },
    ]);
  }

  const header: DashboardWidget = {
    type: "text",
    x: 0,
    y: 0,
    width: gridWidth,
    height: 2,
    properties: {
      markdown:
        `# ${input.title}\n${input.environment} in ${input.region}. Built by Pulumi from the stack config: change the config, not this dashboard ` +
        "(the next `pulumi up` puts it back). Uptime checks are Route 53 health checks; their metrics are in us-east-1.",
    },
  };
  const widgets: DashboardWidget[] = [header];
  let y = header.height;
  for (const row of rows) {
    let x = 0;
    for (const graph of row) {
      widgets.push(metricWidget(graph, x, y, input.region));
      x += graph.width;
    }
    y += 6;
  }
  if (widgets.length > maxWidgets) throw new Error(`the dashboard would hold ${widgets.length} widgets; CloudWatch takes at most ${maxWidgets}`);
  return JSON.stringify({ start: "-PT6H", periodOverride: "inherit", widgets });
}

function latencyGraph(title: string, dims: string[], t: AlarmThresholds, width = 8): Graph {
  return {
    width,
    title,
    metrics: [
      [alb, "TargetResponseTime", ...dims, { stat: "p50", label: "p50" }],
      [alb, "TargetResponseTime", ...dims, { stat: "p99", label: "p99" }],
    ],
    yAxis: { left: { min: 0, showUnits: false } },
    lines: [
      { label: "p99 warning", value: t.latencyP99WarningMs / 1000 },
      { label: "p99 critical", value: t.latencyP99CriticalMs / 1000 },
    ],
  };
}

function metricWidget(graph: Graph, x: number, y: number, region: string): DashboardWidget {
  if (graph.metrics.length > maxMetricsPerWidget) throw new Error(`the graph "${graph.title}" would hold ${graph.metrics.length} metrics; CloudWatch takes at most ${maxMetricsPerWidget}`);
  const properties: Record<string, unknown> = {
    title: graph.title,
    view: "timeSeries",
    stacked: false,
    // Metric widgets need their region; the uptime metrics live in us-east-1 whatever the stack's.
    region: graph.region ?? region,
    period: graph.period ?? 60,
    metrics: graph.metrics,
  };
  if (graph.stat) properties.stat = graph.stat;
  if (graph.yAxis) properties.yAxis = graph.yAxis;
  if (graph.lines && graph.lines.length > 0) properties.annotations = { horizontal: graph.lines.map((l) => ({ label: l.label, value: l.value })) };
  return { type: "metric", x, y, width: graph.width, height: 6, properties };
}

/** The console page of a dashboard (dashboards are global; the region only picks the console's home). */
export function dashboardConsoleUrl(region: string, name: string): string | undefined {
  const hosts: Partial<Record<string, string>> = { aws: "console.aws.amazon.com", "aws-cn": "console.amazonaws.cn", "aws-us-gov": "console.amazonaws-us-gov.com" };
  const host = hosts[awsPartitionOf(region) ?? ""];
  return host === undefined ? undefined : `https://${host}/cloudwatch/home?region=${region}#dashboards:name=${name}`;
}

export function dashboard(
  ctx: BlockContext,
  deps: { loadBalancer: LoadBalancerOutputs; containerService: ContainerServiceOutputs; dataStore: DataStoreOutputs; uptimeCheckIds: Record<string, pulumi.Output<string>> },
): { name: pulumi.Output<string>; url?: pulumi.Output<string> } {
  const { spec, names } = ctx;
  const serviceNames = Object.keys(spec.services);
  // The database widgets need both: a database in the spec and the data store's name for its metrics.
  const databaseId = spec.database ? deps.dataStore.databaseMetricsId : undefined;
  const body = pulumi
    .output({
      loadBalancer: deps.loadBalancer.metricsId,
      targetGroups: deps.loadBalancer.backendMetricsIds,
      cluster: deps.containerService.runtimeName,
      ecsServices: deps.containerService.serviceNames,
      uptimeChecks: deps.uptimeCheckIds,
      certificateArn: deps.loadBalancer.certificateId ?? pulumi.output(""),
      databaseId: databaseId ?? pulumi.output(""),
    })
    .apply((v) =>
      dashboardBody({
        title: `${spec.project} / ${spec.stack}`,
        environment: spec.environment,
        region: spec.region,
        loadBalancer: v.loadBalancer,
        services: serviceNames.map((svcName) => ({ name: svcName, targetGroup: v.targetGroups[svcName], cluster: v.cluster, service: v.ecsServices[svcName], minInstances: spec.services[svcName].minInstances })),
        webAcl: webAclNames(names),
        uptimeChecks: v.uptimeChecks,
        availabilityPercentMin: spec.observability.uptimeCheck?.availabilityPercentMin,
        certificateArn: deps.loadBalancer.certificateId ? v.certificateArn : undefined,
        databaseId: databaseId ? v.databaseId : undefined,
        thresholds: spec.alarms.thresholds,
      }),
    );
  const dashboardName = names.name("awsDashboard");
  const board = new aws.cloudwatch.Dashboard(`${ctx.name}-dashboard`, { dashboardName, dashboardBody: body }, child(ctx));
  const url = dashboardConsoleUrl(spec.region, dashboardName);
  return { name: board.dashboardName, url: url === undefined ? undefined : pulumi.output(url) };
}
