// Alarms on GCP: notification channels per severity (e-mail; chat and pager webhooks with their URLs
// kept secret), alert policies with the seed thresholds per service (5xx share and count from the load
// balancer, so that its own 5xx count; p99 and average latency; CPU and memory; low traffic in
// production, where missing data is a breach), the database's alarms, an uptime check of every health
// path through the public entry with its availability and certificate alarms, and the dashboard.
import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AlarmOutputs, ContainerServiceOutputs, DataStoreOutputs, LoadBalancerOutputs, SecretsStoreOutputs, Severity } from "../model";
import { dashboard } from "./dashboard";
import { cloudSqlMaxConnections } from "./databaseSizes";
import { backendServiceName, cloudRunServiceName } from "./names";
import { type GcpStack, child, labels } from "./options";
import { uptimeChecks } from "./uptimeChecks";

export const severities: Severity[] = ["warning", "critical"];
const gcpSeverity: Record<Severity, string> = { warning: "WARNING", critical: "CRITICAL" };

/** A threshold condition on one metric: aligned per minute, reduced over the service's series. */
export interface Threshold {
  filter: pulumi.Input<string>;
  aligner: string;
  reducer: string;
  comparison: "COMPARISON_GT" | "COMPARISON_LT";
  value: number;
  durationSeconds: number;
  denominatorFilter?: pulumi.Input<string>;
  missingDataBreaches?: boolean;
  /** How long each point aggregates; a minute unless set. */
  alignmentSeconds?: number;
}

export interface AlarmDefinition {
  key: string;
  severity: Severity;
  title: string;
  threshold: Threshold;
}

const lbRequests = (backend: string) => `metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.label.backend_target_name="${backend}"`;
const run = (metric: string, service: string) => `metric.type="run.googleapis.com/${metric}" AND resource.type="cloud_run_revision" AND resource.label.service_name="${service}"`;

/** Every alarm of one service, from the spec's thresholds (percentages as the 0-1 fractions the metrics report). */
export function serviceAlarms(ctx: BlockContext, backend: string, cloudRunName: string): AlarmDefinition[] {
  const t = ctx.spec.alarms.thresholds;
  const minute = 60;
  const defs: AlarmDefinition[] = [
    {
      key: "5xx-rate",
      severity: "critical",
      title: `5xx responses above ${t.errorRatePercentCritical}% of requests`,
      threshold: {
        filter: `${lbRequests(backend)} AND metric.label.response_code_class=500`,
        denominatorFilter: lbRequests(backend),
        aligner: "ALIGN_DELTA",
        reducer: "REDUCE_SUM",
        comparison: "COMPARISON_GT",
        value: t.errorRatePercentCritical / 100,
        durationSeconds: 5 * minute,
      },
    },
    {
      key: "5xx-count",
      severity: "critical",
      title: `more than ${t.errorCountPerMinuteCritical} 5xx responses a minute for ${t.errorCountMinutes} minutes`,
      threshold: { filter: `${lbRequests(backend)} AND metric.label.response_code_class=500`, aligner: "ALIGN_DELTA", reducer: "REDUCE_SUM", comparison: "COMPARISON_GT", value: t.errorCountPerMinuteCritical, durationSeconds: t.errorCountMinutes * minute },
    },
    ...severities.map((severity): AlarmDefinition => {
      const ms = severity === "warning" ? t.latencyP99WarningMs : t.latencyP99CriticalMs;
      return { key: `latency-p99-${severity}`, severity, title: `p99 latency above ${ms} ms`, threshold: { filter: run("request_latencies", cloudRunName), aligner: "ALIGN_PERCENTILE_99", reducer: "REDUCE_MAX", comparison: "COMPARISON_GT", value: ms, durationSeconds: 5 * minute } };
    }),
    {
      key: "latency-average",
      severity: "warning",
      title: `average latency above ${t.latencyAverageWarningMs} ms`,
      threshold: { filter: run("request_latencies", cloudRunName), aligner: "ALIGN_MEAN", reducer: "REDUCE_MEAN", comparison: "COMPARISON_GT", value: t.latencyAverageWarningMs, durationSeconds: 5 * minute },
    },
    ...severities.map((severity): AlarmDefinition => {
      const pct = severity === "warning" ? t.cpuWarningPercent : t.cpuCriticalPercent;
      return { key: `cpu-${severity}`, severity, title: `CPU above ${pct}%`, threshold: { filter: run("container/cpu/utilizations", cloudRunName), aligner: "ALIGN_MEAN", reducer: "REDUCE_MEAN", comparison: "COMPARISON_GT", value: pct / 100, durationSeconds: 5 * minute } };
    }),
    ...severities.map((severity): AlarmDefinition => {
      const pct = severity === "warning" ? t.memoryWarningPercent : t.memoryCriticalPercent;
      return { key: `memory-${severity}`, severity, title: `memory above ${pct}%`, threshold: { filter: run("container/memory/utilizations", cloudRunName), aligner: "ALIGN_MEAN", reducer: "REDUCE_MEAN", comparison: "COMPARISON_GT", value: pct / 100, durationSeconds: 5 * minute } };
    }),
  ];
  if (t.requestsPerMinuteMin > 0) {
    defs.push({
      key: "low-traffic",
      severity: "warning",
      title: `fewer than ${t.requestsPerMinuteMin} requests a minute`,
      threshold: { filter: run("request_count", cloudRunName), aligner: "ALIGN_DELTA", reducer: "REDUCE_SUM", comparison: "COMPARISON_LT", value: t.requestsPerMinuteMin, durationSeconds: 10 * minute, missingDataBreaches: true },
    });
  }
  return defs;
}

/** The database's alarms; `databaseId` is `project:instance` as Cloud SQL metrics label it. */
export function databaseAlarms(ctx: BlockContext, databaseId: pulumi.Input<string>): AlarmDefinition[] {
  const t = ctx.spec.alarms.thresholds;
  const maxConnections = cloudSqlMaxConnections(ctx.spec.database!.size);
  const metric = (name: string) => pulumi.interpolate`metric.type="cloudsql.googleapis.com/${name}" AND resource.type="cloudsql_database" AND resource.label.database_id="${databaseId}"`;
  return severities.flatMap((severity): AlarmDefinition[] => {
    const warn = severity === "warning";
    const cpu = warn ? t.databaseCpuWarningPercent : t.databaseCpuCriticalPercent;
    const connections = warn ? t.databaseConnectionsWarningPercent : t.databaseConnectionsCriticalPercent;
    const free = warn ? t.databaseFreeStorageWarningPercent : t.databaseFreeStorageCriticalPercent;
    const base = { aligner: "ALIGN_MEAN", reducer: "REDUCE_MAX", comparison: "COMPARISON_GT" as const, durationSeconds: 300 };
    return [
      { key: `database-cpu-${severity}`, severity, title: `CPU above ${cpu}%`, threshold: { ...base, filter: metric("database/cpu/utilization"), value: cpu / 100 } },
      {
        key: `database-connections-${severity}`,
        severity,
        title: `connections above ${connections}% of ${maxConnections}`,
        threshold: { ...base, filter: metric("database/postgresql/num_backends"), value: Math.floor((maxConnections * connections) / 100) },
      },
      // Free storage below the share is used storage above its complement.
      { key: `database-storage-${severity}`, severity, title: `free storage below ${free}%`, threshold: { ...base, filter: metric("database/disk/utilization"), value: 1 - free / 100 } },
    ];
  });
}

function condition(title: string, t: Threshold): monitoring.AlertPolicyArgs["conditions"] {
  const aggregation = { alignmentPeriod: `${t.alignmentSeconds ?? 60}s`, perSeriesAligner: t.aligner, crossSeriesReducer: t.reducer };
  return [
    {
      displayName: title,
      conditionThreshold: {
        filter: t.filter,
        aggregations: [aggregation],
        // A ratio needs the same alignment in numerator and denominator.
        ...(t.denominatorFilter ? { denominatorFilter: t.denominatorFilter, denominatorAggregations: [aggregation] } : {}),
        comparison: t.comparison,
        thresholdValue: t.value,
        duration: `${t.durationSeconds}s`,
        trigger: { count: 1 },
        evaluationMissingData: t.missingDataBreaches ? "EVALUATION_MISSING_DATA_ACTIVE" : "EVALUATION_MISSING_DATA_INACTIVE",
      },
    },
  ];
}

export function alarms(
  ctx: BlockContext,
  stack: GcpStack,
  deps: { secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; containerService: ContainerServiceOutputs; dataStore: DataStoreOutputs },
): AlarmOutputs {
  const { spec } = ctx;
  const n = ctx.name;
  const project = stack.project;
  const channels: Record<Severity, pulumi.Output<string>[]> = { warning: [], critical: [] };
  spec.alarms.emails.forEach((email, i) => {
    const channel = new monitoring.NotificationChannel(
      `${n}-email-${i}`,
      { project, type: "email", displayName: `${spec.project}/${spec.stack}: ${email}`, labels: { email_address: email }, userLabels: labels(ctx) },
      child(ctx, stack),
    );
    for (const severity of severities) channels[severity].push(channel.id);
  });
  // Webhook URLs carry tokens: secret inputs, and the labels that hold them are secret outputs too.
  const webhook = (kind: "webhook" | "pager", list: pulumi.Output<string[]>, count: number, to: Severity[]) => {
    for (let i = 0; i < count; i++) {
      const channel = new monitoring.NotificationChannel(
        `${n}-${kind}-${i}`,
        { project, type: "webhook_tokenauth", displayName: `${spec.project}/${spec.stack}: ${kind} ${i + 1}`, labels: pulumi.secret(list.apply((urls) => ({ url: urls[i] }))), userLabels: labels(ctx) },
        child(ctx, stack, { additionalSecretOutputs: ["labels"] }),
      );
      for (const severity of to) channels[severity].push(channel.id);
    }
  };
  webhook("webhook", spec.alarms.webhooks, spec.alarms.webhookCount, severities);
  webhook("pager", spec.alarms.pagerWebhooks, spec.alarms.pagerWebhookCount, ["critical"]);

  const alarmNames: pulumi.Output<string>[] = [];
  const policy = (logical: string, def: AlarmDefinition, subject: string) => {
    const displayName = `${spec.project}/${spec.stack} ${subject}: ${def.title}`;
    const p = new monitoring.AlertPolicy(
      logical,
      {
        project,
        displayName,
        combiner: "OR",
        severity: gcpSeverity[def.severity],
        conditions: condition(def.title, def.threshold),
        notificationChannels: channels[def.severity],
        alertStrategy: { autoClose: "1800s" },
        documentation: { content: `${subject} of ${spec.project}/${spec.stack} (${spec.environment}): ${def.title}. Severity ${def.severity}.`, mimeType: "text/markdown" },
        userLabels: labels(ctx, { severity: def.severity }),
      },
      child(ctx, stack),
    );
    alarmNames.push(p.displayName);
    return p;
  };

  for (const svcName of Object.keys(spec.services)) {
    for (const def of serviceAlarms(ctx, backendServiceName(ctx.names, svcName), cloudRunServiceName(ctx.names, svcName))) policy(`${n}-${svcName}-${def.key}`, def, `service ${svcName}`);
  }
  if (deps.dataStore.databaseMetricsId) {
    for (const def of databaseAlarms(ctx, deps.dataStore.databaseMetricsId)) policy(`${n}-${def.key}`, def, "database");
  }
  const uptime = uptimeChecks(ctx, stack, { loadBalancer: deps.loadBalancer, containerService: deps.containerService, policy });
  const board = spec.observability.dashboard ? dashboard(ctx, stack, { loadBalancer: deps.loadBalancer, containerService: deps.containerService, dataStore: deps.dataStore }) : undefined;
  return {
    targetIds: { warning: pulumi.all(channels.warning).apply((ids) => ids.join(",")), critical: pulumi.all(channels.critical).apply((ids) => ids.join(",")) },
    alarmNames,
    uptimeCheckIds: uptime.checkIds,
    dashboardName: board?.name,
    dashboardUrl: board?.url,
  };
}
