// Observability on Azure: the metric alerts, log alerts and availability tests that watch each
// container app, whom their action groups notify, and how long each log is kept.
import type { AlarmsFact, LogRetentionFact, Signal, StackResourceView } from "../../facts";
import { signals } from "../../facts";
import { StackGraph } from "../../graph";
import type { StackReader } from "../types";
import { logsSentTo, routesOf } from "./relations";
import { az } from "./tokens";

interface Criterion {
  metricName?: string;
  metricNamespace?: string;
  dimensions?: { name?: string; operator?: string; values?: string[] }[];
}

const criteria = (alert: StackResourceView): Criterion[] => alert.props.criteria?.allOf ?? [];

/** The app's own metrics ("Supported metrics for Microsoft.App/containerApps"). */
const appMetrics: Partial<Record<Signal, string[]>> = { cpu: ["CpuPercentage", "UsageNanoCores"], memory: ["MemoryPercentage", "WorkingSetBytes"] };

/** Requests with status code category 5xx: the app's Requests metric, split by its statusCodeCategory dimension. */
const countsServerErrors = (c: Criterion) => c.metricName === "Requests" && (c.dimensions ?? []).some((d) => d.name === "statusCodeCategory" && d.operator === "Include" && (d.values ?? []).includes("5xx"));

/** Availability tests' results ("Application Insights availability tests": availabilityResults/availabilityPercentage). */
const availabilityMetric = "availabilityResults/availabilityPercentage";

/**
 * Log alert queries over Front Door's access log ("Azure Front Door logs": FrontDoorAccessLog,
 * routingRuleName, httpStatusCode, timeTaken) for one of the app's routes: the service's own traffic.
 */
function watchesRoute(query: string, routes: string[]): boolean {
  return /FrontDoorAccessLog/.test(query) && routes.some((route) => query.includes(`routingRuleName_s == "${route}"`) || query.includes(`routingRuleName_s endswith "/${route}"`));
}
const queryWatches: Record<"errorRate" | "latency", (query: string) => boolean> = {
  errorRate: (query) => />=\s*500\b/.test(query),
  latency: (query) => /timeTaken/.test(query) && /\b(percentile|avg)\s*\(/.test(query),
};

/** Action groups with a receiver of any kind ("Action groups": email, SMS, webhook, ... receivers). */
function hasReceivers(group: StackResourceView): boolean {
  if (group.props.enabled === false) return false;
  const kinds = ["emailReceivers", "smsReceivers", "webhookReceivers", "voiceReceivers", "azureAppPushReceivers", "logicAppReceivers", "azureFunctionReceivers", "armRoleReceivers", "eventHubReceivers", "itsmReceivers", "automationRunbookReceivers"];
  return kinds.some((kind) => Array.isArray(group.props[kind]) && group.props[kind].length > 0);
}

const notifies = (graph: StackGraph, alert: StackResourceView) => alert.props.enabled !== false && graph.sources(alert, "actions", az.actionGroup).some(hasReceivers);

export const alarms: StackReader<AlarmsFact> = (resources) => {
  const graph = StackGraph.of(resources);
  return graph.ofType(az.containerApp).map((app) => {
    const metricAlerts = graph.users(app, az.metricAlert, "scopes");
    const routes = routesOf(graph, app);
    const routeNames = routes.map((r) => String(r.props.routeName ?? ""));
    // Log alerts count only where the workspace they query receives the access log of the routes' profile.
    const accessLogWorkspaces = new Set(
      routes
        .flatMap((r) => graph.sources(r, "profileName", az.frontDoorProfile))
        .flatMap((profile) => graph.users(profile, az.diagnosticSetting, "resourceUri"))
        .flatMap((setting) => logsSentTo(graph, setting, (log) => log.category === "FrontDoorAccessLog" || log.categoryGroup === "allLogs"))
        .map((w) => w.urn),
    );
    const logAlerts = graph
      .ofType(az.logAlert)
      .filter((rule) => graph.sources(rule, "scopes", az.workspace).some((w) => accessLogWorkspaces.has(w.urn)))
      .filter((rule) => criteria(rule).some((c) => watchesRoute(String((c as { query?: string }).query ?? ""), routeNames)));
    // An availability test of the service follows its release (its URL waits for the app), and its
    // alert watches the test's results in the component the test reports to.
    const tests = graph.users(app, az.webTest, "request").filter((t) => t.props.validationRules?.ignoreHttpStatusCode !== true);
    const result = {} as AlarmsFact["signals"];
    for (const signal of signals) {
      let candidates: StackResourceView[];
      if (signal === "uptime") {
        candidates = graph.ofType(az.metricAlert).filter((alert) =>
          tests.some(
            (test) =>
              graph.sources(alert, "criteria", az.webTest).includes(test) ||
              (criteria(alert).some((c) => c.metricName === availabilityMetric && (c.dimensions ?? []).some((d) => d.operator === "Include" && (d.values ?? []).includes(String(test.props.webTestName)))) &&
                graph.sources(alert, "scopes", az.insightsComponent).some((component) => graph.sources(test, "tags", az.insightsComponent).includes(component))),
          ),
        );
      } else if (signal === "errorRate" || signal === "latency") {
        candidates = [
          ...logAlerts.filter((rule) => criteria(rule).some((c) => queryWatches[signal](String((c as { query?: string }).query ?? "")))),
          ...(signal === "errorRate" ? metricAlerts.filter((alert) => criteria(alert).some(countsServerErrors)) : []),
        ];
      } else {
        candidates = metricAlerts.filter((alert) => criteria(alert).some((c) => appMetrics[signal]!.includes(String(c.metricName))));
      }
      result[signal] = { alarmed: candidates.length > 0, notifies: candidates.some((a) => notifies(graph, a)) };
    }
    return { urn: app.urn, held: false, signals: result };
  });
};

/**
 * Audit and security records: what diagnostic settings send as the `audit` category group, Front Door's
 * access and WAF logs, Key Vault's AuditEvent, and the traffic analytics of flow logs.
 */
const auditCategories = new Set(["FrontDoorAccessLog", "FrontDoorWebApplicationFirewallLog", "AuditEvent"]);

/** A workspace without retentionInDays keeps 30 days ("Manage data retention in a Log Analytics workspace"). */
const workspaceDefaultDays = 30;

export const logRetention: StackReader<LogRetentionFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const audit = new Set([
    ...graph.ofType(az.diagnosticSetting).flatMap((s) => logsSentTo(graph, s, (log) => log.categoryGroup === "audit" || auditCategories.has(String(log.category)))),
    ...graph.ofType(az.flowLog).flatMap((f) => graph.sources(f, "flowAnalyticsConfiguration", az.workspace)),
  ].map((w) => w.urn));
  const facts: LogRetentionFact[] = [];
  const workspaceDays = new Map<string, number>();
  for (const workspace of graph.ofType(az.workspace)) {
    const days = typeof workspace.props.retentionInDays === "number" ? workspace.props.retentionInDays : workspaceDefaultDays;
    workspaceDays.set(workspace.urn, days);
    facts.push({ urn: workspace.urn, what: "log workspace", audit: audit.has(workspace.urn), retentionDays: days, setting: workspace.props.retentionInDays === undefined ? "retentionInDays is not set (30)" : "retentionInDays" });
  }
  // A table keeps its total retention (interactive and long-term), its interactive retention without
  // one, and the workspace's otherwise; -1 is the workspace default ("Manage data retention": Tables API).
  for (const table of graph.ofType(az.table)) {
    const workspace = graph.sources(table, "workspaceName", az.workspace)[0];
    const total = table.props.totalRetentionInDays;
    const interactive = table.props.retentionInDays;
    const [days, setting] =
      typeof total === "number" && total > 0
        ? [total, "totalRetentionInDays"]
        : typeof interactive === "number" && interactive > 0
          ? [interactive, "retentionInDays"]
          : [workspace ? (workspaceDays.get(workspace.urn) ?? workspaceDefaultDays) : workspaceDefaultDays, "the workspace's retentionInDays"];
    facts.push({ urn: table.urn, what: `table ${table.props.tableName ?? table.name}`, audit: workspace !== undefined && audit.has(workspace.urn), retentionDays: days, setting });
  }
  // Flow logs are network records in their storage account, deleted after retentionPolicy.days; 0 or no
  // policy keeps them ("Manage virtual network flow logs": retention days, 0 retains forever).
  for (const flow of graph.ofType(az.flowLog)) {
    const policy = flow.props.retentionPolicy;
    const days = policy?.enabled === true && typeof policy.days === "number" && policy.days > 0 ? policy.days : "forever";
    facts.push({ urn: flow.urn, what: "flow log", audit: true, retentionDays: days, setting: "retentionPolicy.days" });
  }
  return facts;
};
