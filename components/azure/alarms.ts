// Alarms on Azure: one action group per severity (e-mail and chat webhooks on both, the pager on
// critical only, all with the common alert schema), metric alerts for what Azure Monitor measures
// (Front Door's 5xx share and latency; each app's CPU, memory and replica floor; the database), log
// alerts on Front Door's access log for what a metric alert cannot express (a service's own 5xx share,
// more than 10 5xx a minute for 5 minutes in a row, p99 latency, traffic below a floor), the monthly
// restore test, the uptime checks and certificate checks as Application Insights standard tests, and
// the stack's dashboard.
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AlarmOutputs, ContainerServiceOutputs, DataStoreOutputs, LoadBalancerOutputs, Severity } from "../model";
import type { AzureApps } from "./containerService";
import { dashboard } from "./dashboard";
import { flexibleServerSku } from "./databaseLimits";
import type { Foundation } from "./foundation";
import type { AzureFrontDoor } from "./frontDoor";
import { accessLog, latencyAverage, latencyP99, restoreTestFailures, serverErrorRate, serverErrors } from "./logQueries";
import { type AzureNames, frontDoorChildName } from "./names";
import { child, tags } from "./options";
import { uptimeChecks } from "./uptimeChecks";

export const severities = ["warning", "critical"] as const satisfies readonly Severity[];
/** Azure Monitor severities: 0 Critical, 2 Warning ("Azure Monitor alerts overview", alert severity). */
export const azureSeverity: Record<Severity, number> = { critical: 0, warning: 2 };

export interface MetricAlertDefinition {
  key: string;
  severity: Severity;
  description: string;
  scope: pulumi.Input<string>;
  namespace: string;
  metric: string;
  aggregation: "Average" | "Minimum" | "Maximum" | "Total" | "Count";
  operator: "GreaterThan" | "LessThan";
  threshold: number;
  /** ISO 8601: the window evaluated (PT1M, PT5M, PT15M ...), and how often. */
  window: string;
  frequency: string;
  dimensions?: { name: string; operator: "Include"; values: pulumi.Input<string>[] }[];
}

export interface LogAlertDefinition {
  key: string;
  severity: Severity;
  description: string;
  workspaceId: pulumi.Input<string>;
  query: string;
  aggregation: "Count" | "Average";
  /** The column averaged (Average only). */
  measure?: string;
  // The operator is written out: monitor.ConditionOperator.GreaterThan is "gt" in this SDK (an enum of
  // the old API shares its name), which the scheduled query rules API refuses.
  operator: "GreaterThan" | "LessThan";
  threshold: number;
  window: string;
  frequency: string;
  /** Consecutive windows evaluated, and how many must breach. */
  failing?: { periods: number; breaching: number };
  autoMitigate?: boolean;
}

export interface AlarmDeps {
  foundation: Foundation;
  names: AzureNames;
  frontDoor: AzureFrontDoor;
  apps: AzureApps;
  loadBalancer: LoadBalancerOutputs;
  containerService: ContainerServiceOutputs;
  dataStore: DataStoreOutputs;
}

const perMinute = { window: "PT1M", frequency: "PT1M" } as const;
const fiveMinutes = { window: "PT5M", frequency: "PT1M" } as const;

export function alarms(ctx: BlockContext, d: AlarmDeps): AlarmOutputs {
  const { spec } = ctx;
  const n = ctx.name;
  const f = d.foundation;
  const t = spec.alarms.thresholds;
  const a = spec.alarms;

  const groups = {} as Record<Severity, monitor.ActionGroup>;
  for (const severity of severities) {
    groups[severity] = new monitor.ActionGroup(
      `${n}-${severity}`,
      {
        actionGroupName: d.names.monitor("alarms", severity),
        groupShortName: d.names.actionGroupShortName(severity),
        resourceGroupName: f.resourceGroupName,
        location: "Global",
        enabled: true,
        emailReceivers: a.emails.map((email, i) => ({ name: `email-${i}`, emailAddress: email, useCommonAlertSchema: true })),
        // Keyed by position: the URLs are secret. PagerDuty's Azure integration takes the common alert
        // schema; a Slack incoming webhook does not (README: alarms on Azure).
        webhookReceivers: pulumi.all([a.webhooks, severity === "critical" ? a.pagerWebhooks : pulumi.output<string[]>([])]).apply(([hooks, pagers]) =>
          [...hooks.map((serviceUri, i) => ({ name: `webhook-${i}`, serviceUri })), ...pagers.map((serviceUri, i) => ({ name: `pager-${i}`, serviceUri }))].map((r) => ({ ...r, useCommonAlertSchema: true })),
        ),
        tags: tags(ctx, { severity }),
      },
      child(ctx, { additionalSecretOutputs: ["webhookReceivers"] }),
    );
  }

  const metricAlert = (subject: string, label: string, def: MetricAlertDefinition, extraTags: Record<string, string>) =>
    new monitor.MetricAlert(
      `${n}-${subject}-${def.key}`,
      {
        ruleName: d.names.monitor(subject, def.key),
        resourceGroupName: f.resourceGroupName,
        location: "global",
        description: `[${def.severity}] ${label}: ${def.description}`,
        severity: azureSeverity[def.severity],
        enabled: true,
        scopes: [def.scope],
        evaluationFrequency: def.frequency,
        windowSize: def.window,
        autoMitigate: true,
        criteria: {
          odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
          allOf: [{ criterionType: "StaticThresholdCriterion", name: def.key, metricNamespace: def.namespace, metricName: def.metric, timeAggregation: def.aggregation, operator: def.operator, threshold: def.threshold, dimensions: def.dimensions }],
        },
        actions: [{ actionGroupId: groups[def.severity].id }],
        tags: tags(ctx, { severity: def.severity, ...extraTags }),
      },
      child(ctx),
    ).name;
  const logAlert = (subject: string, label: string, def: LogAlertDefinition, extraTags: Record<string, string>) =>
    new monitor.ScheduledQueryRule(
      `${n}-${subject}-${def.key}`,
      {
        ruleName: d.names.monitor(subject, def.key),
        resourceGroupName: f.resourceGroupName,
        location: spec.region,
        kind: "LogAlert",
        description: `[${def.severity}] ${label}: ${def.description}`,
        severity: azureSeverity[def.severity],
        enabled: true,
        scopes: [def.workspaceId],
        evaluationFrequency: def.frequency,
        windowSize: def.window,
        // The tables appear with their first log lines, after the rule exists.
        skipQueryValidation: true,
        autoMitigate: def.autoMitigate ?? true,
        criteria: {
          allOf: [
            {
              query: def.query,
              timeAggregation: def.aggregation,
              metricMeasureColumn: def.measure,
              operator: def.operator,
              threshold: def.threshold,
              failingPeriods: def.failing ? { numberOfEvaluationPeriods: def.failing.periods, minFailingPeriodsToAlert: def.failing.breaching } : { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
            },
          ],
        },
        actions: { actionGroups: [groups[def.severity].id] },
        tags: tags(ctx, { severity: def.severity, ...extraTags }),
      },
      child(ctx),
    ).name;

  const alarmNames: pulumi.Output<string>[] = [];
  const audit = f.auditWorkspaceId;
  for (const [svcName, svc] of Object.entries(spec.services)) {
    const route = frontDoorChildName(svcName);
    const logs: LogAlertDefinition[] = [];
    if (spec.loadBalancer.accessLogs) {
      logs.push(
        {
          key: "5xx-rate",
          severity: "critical",
          description: `5xx responses above ${t.errorRatePercentCritical}% of requests, 3 of 5 minutes`,
          workspaceId: audit,
          query: serverErrorRate(route),
          aggregation: "Average",
          measure: "errorRate",
          operator: "GreaterThan",
          threshold: t.errorRatePercentCritical,
          ...perMinute,
          failing: { periods: 5, breaching: 3 },
        },
        {
          key: "5xx-count",
          severity: "critical",
          description: `more than ${t.errorCountPerMinuteCritical} 5xx per minute for ${t.errorCountMinutes} minutes (seed 000)`,
          workspaceId: audit,
          query: serverErrors(route),
          aggregation: "Count",
          operator: "GreaterThan",
          threshold: t.errorCountPerMinuteCritical,
          ...perMinute,
          failing: { periods: Math.min(t.errorCountMinutes, 6), breaching: Math.min(t.errorCountMinutes, 6) },
        },
        ...(["warning", "critical"] as const).map(
          (severity): LogAlertDefinition => ({
            key: `latency-p99-${severity}`,
            severity,
            description: `p99 response time above ${severity === "warning" ? t.latencyP99WarningMs : t.latencyP99CriticalMs} ms, 3 of 5 minutes`,
            workspaceId: audit,
            query: latencyP99(route),
            aggregation: "Average",
            measure: "p99",
            operator: "GreaterThan",
            threshold: severity === "warning" ? t.latencyP99WarningMs : t.latencyP99CriticalMs,
            ...perMinute,
            failing: { periods: 5, breaching: 3 },
          }),
        ),
        {
          key: "latency-average",
          severity: "warning",
          description: `average response time above ${t.latencyAverageWarningMs} ms, 3 of 5 minutes`,
          workspaceId: audit,
          query: latencyAverage(route),
          aggregation: "Average",
          measure: "average",
          operator: "GreaterThan",
          threshold: t.latencyAverageWarningMs,
          ...perMinute,
          failing: { periods: 5, breaching: 3 },
        },
      );
      // No request at all is no row, which counts as zero: it breaches too.
      if (t.requestsPerMinuteMin > 0) {
        logs.push({
          key: "low-traffic",
          severity: "warning",
          description: `fewer than ${t.requestsPerMinuteMin} requests per minute for 10 minutes`,
          workspaceId: audit,
          query: accessLog(route),
          aggregation: "Count",
          operator: "LessThan",
          threshold: t.requestsPerMinuteMin * 5,
          ...fiveMinutes,
          failing: { periods: 2, breaching: 2 },
        });
      }
    }
    for (const def of logs) alarmNames.push(logAlert(svcName, svcName, def, { service: svcName }));

    const appId = d.apps.appIds[svcName];
    if (!appId) continue;
    const appMetric = (key: string, severity: Severity, description: string, metric: string, aggregation: MetricAlertDefinition["aggregation"], operator: MetricAlertDefinition["operator"], threshold: number): MetricAlertDefinition => ({
      key,
      severity,
      description,
      scope: appId,
      namespace: "Microsoft.App/containerApps",
      metric,
      aggregation,
      operator,
      threshold,
      ...fiveMinutes,
    });
    const metrics: MetricAlertDefinition[] = [
      appMetric("cpu-warning", "warning", `CPU above ${t.cpuWarningPercent}%`, "CpuPercentage", "Average", "GreaterThan", t.cpuWarningPercent),
      appMetric("cpu-critical", "critical", `CPU above ${t.cpuCriticalPercent}%`, "CpuPercentage", "Average", "GreaterThan", t.cpuCriticalPercent),
      appMetric("memory-warning", "warning", `memory above ${t.memoryWarningPercent}%`, "MemoryPercentage", "Average", "GreaterThan", t.memoryWarningPercent),
      appMetric("memory-critical", "critical", `memory above ${t.memoryCriticalPercent}%`, "MemoryPercentage", "Average", "GreaterThan", t.memoryCriticalPercent),
      // The floor of running replicas: below the minimum for 5 minutes is an outage in the making.
      appMetric("replicas", "critical", `fewer than ${svc.minInstances} replicas (the service's minimum) for 5 minutes`, "Replicas", "Minimum", "LessThan", svc.minInstances),
    ];
    for (const def of metrics) alarmNames.push(metricAlert(svcName, svcName, def, { service: svcName }));
  }

  // Platform-wide subjects are in uppercase, which no service name can be.
  const frontDoorMetric = { scope: d.frontDoor.profileId, namespace: "Microsoft.Cdn/profiles" };
  const stackAlerts: MetricAlertDefinition[] = [
    { key: "5xx-rate", severity: "critical", description: `5xx responses, Front Door's own included, above ${t.errorRatePercentCritical}% of requests`, ...frontDoorMetric, metric: "Percentage5XX", aggregation: "Average", operator: "GreaterThan", threshold: t.errorRatePercentCritical, ...fiveMinutes },
    { key: "latency-average", severity: "warning", description: `average response time above ${t.latencyAverageWarningMs} ms`, ...frontDoorMetric, metric: "TotalLatency", aggregation: "Average", operator: "GreaterThan", threshold: t.latencyAverageWarningMs, ...fiveMinutes },
  ];
  for (const def of stackAlerts) alarmNames.push(metricAlert("AFD", "Front Door", def, {}));
  if (spec.loadBalancer.accessLogs) {
    alarmNames.push(
      logAlert(
        "AFD",
        "Front Door",
        {
          key: "5xx-count",
          severity: "critical",
          description: `more than ${t.errorCountPerMinuteCritical} 5xx per minute, Front Door's own included, for ${t.errorCountMinutes} minutes (seed 000)`,
          workspaceId: audit,
          query: 'AzureDiagnostics\n| where Category == "FrontDoorAccessLog"\n| where toint(coalesce(tostring(column_ifexists("httpStatusCode_d", "")), tostring(column_ifexists("httpStatusCode_s", "")))) >= 500',
          aggregation: "Count",
          operator: "GreaterThan",
          threshold: t.errorCountPerMinuteCritical,
          ...perMinute,
          failing: { periods: Math.min(t.errorCountMinutes, 6), breaching: Math.min(t.errorCountMinutes, 6) },
        },
        {},
      ),
    );
  }
  for (const def of databaseAlerts(ctx, d)) alarmNames.push(metricAlert("DB", "database", def, {}));
  if (d.apps.restoreTestJobName) {
    alarmNames.push(
      logAlert(
        "Backup",
        "backup",
        {
          key: "restore-test",
          severity: "critical",
          description: `the monthly restore test failed: job ${d.apps.restoreTestJobName} could not restore the database within the RTO (see its console log)`,
          workspaceId: f.logsWorkspaceId,
          query: restoreTestFailures(d.apps.restoreTestJobName),
          aggregation: "Count",
          operator: "GreaterThan",
          threshold: 0,
          window: "PT6H",
          frequency: "PT1H",
        },
        {},
      ),
    );
  }

  const uptime = uptimeChecks(ctx, { foundation: f, names: d.names, loadBalancer: d.loadBalancer, containerService: d.containerService, metricAlert });
  alarmNames.push(...uptime.alarmNames);
  const board = spec.observability.dashboard
    ? dashboard(ctx, { foundation: f, names: d.names, frontDoor: d.frontDoor, apps: d.apps, dataStore: d.dataStore, webTests: uptime.webTestNames, componentId: uptime.componentId })
    : undefined;
  return {
    targetIds: { warning: groups.warning.id, critical: groups.critical.id },
    alarmNames,
    uptimeCheckIds: uptime.checkIds,
    dashboardName: board?.name,
    dashboardUrl: board?.url,
  };
}

/**
 * The database's metrics (Microsoft.DBforPostgreSQL/flexibleServers: cpu_percent, active_connections,
 * storage_percent, is_db_alive; "Monitoring and metrics in Azure Database for PostgreSQL flexible
 * server"), with the presets' neutral shares: connections as a share of the SKU's max_connections,
 * free storage as 100 minus the storage used.
 */
function databaseAlerts(ctx: BlockContext, d: AlarmDeps): MetricAlertDefinition[] {
  const db = ctx.spec.database;
  const serverId = d.dataStore.databaseMetricsId;
  if (!db || !serverId) return [];
  const t = ctx.spec.alarms.thresholds;
  const sku = flexibleServerSku(db.size, db.highAvailability);
  const on = { scope: serverId, namespace: "Microsoft.DBforPostgreSQL/flexibleServers" };
  const defs: MetricAlertDefinition[] = [];
  for (const [severity, cpu, connections, free] of [
    ["warning", t.databaseCpuWarningPercent, t.databaseConnectionsWarningPercent, t.databaseFreeStorageWarningPercent],
    ["critical", t.databaseCpuCriticalPercent, t.databaseConnectionsCriticalPercent, t.databaseFreeStorageCriticalPercent],
  ] as const) {
    // Warnings on a sustained load (seed 004: connections above 80% for 30 minutes); critical ones within 5 minutes.
    const windows = severity === "warning" ? { window: "PT30M", frequency: "PT5M" } : fiveMinutes;
    defs.push(
      { key: `cpu-${severity}`, severity, description: `CPU above ${cpu}%`, ...on, metric: "cpu_percent", aggregation: "Average", operator: "GreaterThan", threshold: cpu, ...windows },
      {
        key: `connections-${severity}`,
        severity,
        description: `more than ${connections}% of the ${sku.maxConnections} connections ${sku.name} allows by default in use`,
        ...on,
        metric: "active_connections",
        aggregation: "Maximum",
        operator: "GreaterThan",
        threshold: Math.floor((sku.maxConnections * connections) / 100),
        ...windows,
      },
      { key: `free-storage-${severity}`, severity, description: `free storage below ${free}% (storage autogrow adds space before the disk is full)`, ...on, metric: "storage_percent", aggregation: "Maximum", operator: "GreaterThan", threshold: 100 - free, ...fiveMinutes },
    );
  }
  defs.push({ key: "availability", severity: "critical", description: "the database server does not answer (is_db_alive)", ...on, metric: "is_db_alive", aggregation: "Minimum", operator: "LessThan", threshold: 1, ...fiveMinutes });
  return defs;
}
