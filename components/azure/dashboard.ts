// The stack's Azure portal dashboard (seed 003's overview and detail): Front Door's requests, 5xx
// share, latency and WAF blocks, the response-time distribution per route from the access log, per
// service its CPU, memory, replicas and requests, the database's health and the uptime tests. The
// parts are a pure function of resolved ids (`dashboardLenses`), so they are shown and tested as sent.
import * as portal from "@pulumi/azure-native/portal";
import type * as azureTypes from "@pulumi/azure-native/types";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AlarmThresholds, DataStoreOutputs } from "../model";
import type { AzureApps } from "./containerService";
import type { Foundation } from "./foundation";
import type { AzureFrontDoor } from "./frontDoor";
import { latencyByRoute } from "./logQueries";
import { type AzureNames, uuidV5 } from "./names";
import { child, tags } from "./options";

/** The portal grid is 12 columns wide in this layout; each chart 4 by 3. */
const chartWidth = 4;
const chartHeight = 3;
const columns = 12;

/** Azure portal metric aggregations (MonitorChartPart): 1 sum, 2 minimum, 3 maximum, 4 average. */
const aggregation = { Total: 1, Minimum: 2, Maximum: 3, Average: 4 } as const;

interface Chart {
  title: string;
  resourceId: string;
  namespace: string;
  metrics: { name: string; aggregation: keyof typeof aggregation; label: string }[];
}

export interface DashboardInput {
  title: string;
  frontDoorId: string;
  services: { name: string; appId?: string }[];
  databaseId?: string;
  componentId?: string;
  webTests: Record<string, string>;
  auditWorkspaceId: string;
  thresholds: AlarmThresholds;
}

function chartPart(chart: Chart, x: number, y: number) {
  return {
    position: { x, y, colSpan: chartWidth, rowSpan: chartHeight },
    metadata: {
      type: "Extension/HubsExtension/PartType/MonitorChartPart",
      inputs: [
        {
          name: "options",
          value: {
            chart: {
              title: chart.title,
              titleKind: 2,
              metrics: chart.metrics.map((m) => ({
                resourceMetadata: { id: chart.resourceId },
                name: m.name,
                aggregationType: aggregation[m.aggregation],
                namespace: chart.namespace,
                metricVisualization: { displayName: m.label },
              })),
              visualization: { chartType: 2 },
              timespan: { relative: { duration: 86_400_000 } },
            },
          },
        },
        { name: "sharedTimeRange", isOptional: true },
      ],
      settings: {},
    },
  };
}

function markdownPart(title: string, content: string, x: number, y: number, colSpan: number) {
  return {
    position: { x, y, colSpan, rowSpan: 2 },
    metadata: { type: "Extension/HubsExtension/PartType/MarkdownPart", inputs: [], settings: { content: { settings: { title, subtitle: "", content } } } },
  };
}

function logsPart(title: string, workspaceId: string, query: string, x: number, y: number) {
  const input = (name: string, value?: unknown) => ({ name, isOptional: true, ...(value === undefined ? {} : { value }) });
  return {
    position: { x, y, colSpan: columns, rowSpan: 4 },
    metadata: {
      type: "Extension/Microsoft_OperationsManagementSuite_Workspace/PartType/LogsDashboardPart",
      inputs: [
        input("resourceTypeMode", "workspace"),
        input("Scope", { resourceIds: [workspaceId] }),
        input("PartId", uuidV5(`${workspaceId}|${title}`)),
        input("Version", "2.0"),
        input("TimeRange", "P1D"),
        input("Query", query),
        input("ControlType", "FrameControlChart"),
        input("SpecificChart", "Line"),
        input("PartTitle", title),
        input("IsQueryContainTimeRange", false),
      ],
      settings: {},
    },
  };
}

export function dashboardLenses(input: DashboardInput) {
  const t = input.thresholds;
  const charts: Chart[] = [
    { title: "Requests", resourceId: input.frontDoorId, namespace: "Microsoft.Cdn/profiles", metrics: [{ name: "RequestCount", aggregation: "Total", label: "requests" }] },
    { title: `5xx share (%), alert above ${t.errorRatePercentCritical}%`, resourceId: input.frontDoorId, namespace: "Microsoft.Cdn/profiles", metrics: [{ name: "Percentage5XX", aggregation: "Average", label: "5xx %" }] },
    { title: `Latency (ms), alert above ${t.latencyAverageWarningMs} ms average`, resourceId: input.frontDoorId, namespace: "Microsoft.Cdn/profiles", metrics: [{ name: "TotalLatency", aggregation: "Average", label: "average" }, { name: "OriginLatency", aggregation: "Average", label: "origin" }] },
    { title: "WAF requests (rate limit and managed rules)", resourceId: input.frontDoorId, namespace: "Microsoft.Cdn/profiles", metrics: [{ name: "WebApplicationFirewallRequestCount", aggregation: "Total", label: "WAF" }] },
    { title: "Origin health (%)", resourceId: input.frontDoorId, namespace: "Microsoft.Cdn/profiles", metrics: [{ name: "OriginHealthPercentage", aggregation: "Average", label: "healthy" }] },
  ];
  for (const svc of input.services) {
    if (!svc.appId) continue;
    const app = { resourceId: svc.appId, namespace: "Microsoft.App/containerApps" };
    charts.push(
      { title: `${svc.name}: CPU and memory (%), alerts at ${t.cpuWarningPercent}/${t.memoryWarningPercent}`, ...app, metrics: [{ name: "CpuPercentage", aggregation: "Average", label: "CPU %" }, { name: "MemoryPercentage", aggregation: "Average", label: "memory %" }] },
      { title: `${svc.name}: replicas and restarts`, ...app, metrics: [{ name: "Replicas", aggregation: "Average", label: "replicas" }, { name: "RestartCount", aggregation: "Total", label: "restarts" }] },
      { title: `${svc.name}: requests`, ...app, metrics: [{ name: "Requests", aggregation: "Total", label: "requests" }] },
    );
  }
  if (input.databaseId) {
    const db = { resourceId: input.databaseId, namespace: "Microsoft.DBforPostgreSQL/flexibleServers" };
    charts.push(
      { title: "Database: CPU and storage (%)", ...db, metrics: [{ name: "cpu_percent", aggregation: "Average", label: "CPU %" }, { name: "storage_percent", aggregation: "Maximum", label: "storage %" }] },
      { title: "Database: connections", ...db, metrics: [{ name: "active_connections", aggregation: "Maximum", label: "active" }] },
      { title: "Database: alive", ...db, metrics: [{ name: "is_db_alive", aggregation: "Minimum", label: "alive" }] },
    );
  }
  if (input.componentId && Object.keys(input.webTests).length > 0) {
    charts.push({ title: "Availability of the uptime tests (%)", resourceId: input.componentId, namespace: "microsoft.insights/components", metrics: [{ name: "availabilityResults/availabilityPercentage", aggregation: "Average", label: "availability" }] });
  }
  const parts: unknown[] = [markdownPart(input.title, `Services: ${input.services.map((s) => (s.appId ? s.name : `${s.name} (held)`)).join(", ")}. Alerts: the stack's action groups; thresholds from the environment preset.`, 0, 0, columns)];
  charts.forEach((chart, i) => parts.push(chartPart(chart, (i % (columns / chartWidth)) * chartWidth, 2 + Math.floor(i / (columns / chartWidth)) * chartHeight)));
  const below = 2 + Math.ceil(charts.length / (columns / chartWidth)) * chartHeight;
  parts.push(logsPart("Response time per route (ms): p50 and p99", input.auditWorkspaceId, latencyByRoute(), 0, below));
  return [{ order: 0, parts }];
}

export interface DashboardDeps {
  foundation: Foundation;
  names: AzureNames;
  frontDoor: AzureFrontDoor;
  apps: AzureApps;
  dataStore: DataStoreOutputs;
  webTests: Record<string, string>;
  componentId?: pulumi.Output<string>;
}

export function dashboard(ctx: BlockContext, d: DashboardDeps): { name: pulumi.Output<string>; url: pulumi.Output<string> } {
  const { spec } = ctx;
  const services = Object.keys(spec.services);
  const lenses = pulumi
    .all([d.frontDoor.profileId, pulumi.all(services.map((s) => d.apps.appIds[s] ?? pulumi.output(""))), d.dataStore.databaseMetricsId ?? pulumi.output(""), d.componentId ?? pulumi.output(""), d.foundation.auditWorkspaceId])
    .apply(([frontDoorId, appIds, databaseId, componentId, auditWorkspaceId]) =>
      dashboardLenses({
        title: `${spec.project}/${spec.stack} (${spec.environment})`,
        frontDoorId,
        services: services.map((name, i) => ({ name, appId: appIds[i] || undefined })),
        databaseId: databaseId || undefined,
        componentId: componentId || undefined,
        webTests: d.webTests,
        auditWorkspaceId,
        thresholds: spec.alarms.thresholds,
      }),
    );
  const board = new portal.Dashboard(
    `${ctx.name}-dashboard`,
    { dashboardName: d.names.dashboard, resourceGroupName: d.foundation.resourceGroupName, location: spec.region, properties: { lenses: lenses as pulumi.Output<azureTypes.input.portal.DashboardLensArgs[]>, metadata: { model: { timeRange: { value: { relative: { duration: 24, timeUnit: 1 } }, type: "MsPortalFx.Composition.Configuration.ValueTypes.TimeRange" } } } }, tags: tags(ctx, { "hidden-title": `${spec.project}/${spec.stack}` }) },
    child(ctx),
  );
  return { name: board.name, url: pulumi.interpolate`https://portal.azure.com/#@${d.foundation.tenantId}/dashboard/arm${board.id}` };
}
