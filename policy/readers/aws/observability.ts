// Observability on AWS: the CloudWatch alarms and Route 53 health checks that watch each ECS service
// and whom they notify, and how long each log is kept.
import type { AlarmsFact, LogRetentionFact, Signal, StackResourceView } from "../../facts";
import { signals } from "../../facts";
import { StackGraph } from "../../graph";
import type { StackReader } from "../types";
import { accessLogBuckets, bucketRetention } from "./relations";
import { aws } from "./tokens";

/**
 * The metrics that carry each signal of a service: the ALB's per-target-group metrics and the ECS
 * service metrics (CloudWatch user guide, "CloudWatch metrics for your Application Load Balancer";
 * ECS developer guide, "Amazon ECS CloudWatch metrics").
 */
const signalMetrics: Record<Exclude<Signal, "uptime">, { namespace: string; metric: string }> = {
  errorRate: { namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count" },
  latency: { namespace: "AWS/ApplicationELB", metric: "TargetResponseTime" },
  cpu: { namespace: "AWS/ECS", metric: "CPUUtilization" },
  memory: { namespace: "AWS/ECS", metric: "MemoryUtilization" },
};

interface MetricQuery {
  metric?: { namespace?: string; metricName?: string };
}

/** The (namespace, metric) pairs an alarm watches, single metric or metric math. */
function watched(alarm: StackResourceView): { namespace: string; metric: string }[] {
  const out: { namespace: string; metric: string }[] = [];
  if (alarm.props.metricName !== undefined) out.push({ namespace: String(alarm.props.namespace), metric: String(alarm.props.metricName) });
  for (const q of (alarm.props.metricQueries ?? []) as MetricQuery[]) if (q.metric?.metricName !== undefined) out.push({ namespace: String(q.metric.namespace), metric: q.metric.metricName });
  return out;
}

/** Resources the alarm's dimensions came from (single metric or metric math). */
const dimensionSources = (graph: StackGraph, alarm: StackResourceView) => [...graph.sources(alarm, "dimensions"), ...graph.sources(alarm, "metricQueries")];

/** Whether an alarm's actions reach a topic with at least one subscriber. */
function notifies(graph: StackGraph, alarm: StackResourceView): boolean {
  return graph.sources(alarm, "alarmActions", aws.snsTopic).some((topic) => graph.users(topic, aws.snsSubscription, "topic").length > 0);
}

export const alarms: StackReader<AlarmsFact> = (resources) => {
  const graph = StackGraph.of(resources);
  // Each alarm is read once (what it watches, whose dimensions, whom it notifies), then indexed by
  // metric and by the resource its dimensions came from: a stack of 50 services has ~600 alarms.
  const byMetricAndSource = new Map<string, Map<string, StackResourceView[]>>();
  const alarmsOfSource = new Map<string, StackResourceView[]>();
  const notifying = new Map<StackResourceView, boolean>();
  for (const alarm of graph.ofType(aws.metricAlarm)) {
    const sources = dimensionSources(graph, alarm).map((d) => d.urn);
    for (const source of sources) alarmsOfSource.set(source, [...(alarmsOfSource.get(source) ?? []), alarm]);
    for (const w of watched(alarm)) {
      const bySource = byMetricAndSource.get(`${w.namespace}/${w.metric}`) ?? new Map<string, StackResourceView[]>();
      for (const source of sources) bySource.set(source, [...(bySource.get(source) ?? []), alarm]);
      byMetricAndSource.set(`${w.namespace}/${w.metric}`, bySource);
    }
  }
  const notifiesOnce = (alarm: StackResourceView) => {
    if (!notifying.has(alarm)) notifying.set(alarm, notifies(graph, alarm));
    return notifying.get(alarm)!;
  };
  const healthChecks = graph.ofType(aws.healthCheck);
  return graph.ofType(aws.ecsService).map((service) => {
    const subjects = [service.urn, ...graph.sources(service, "loadBalancers", aws.targetGroup).map((tg) => tg.urn)];
    const result = {} as AlarmsFact["signals"];
    for (const signal of signals) {
      let candidates: StackResourceView[];
      if (signal === "uptime") {
        // A health check follows the release of the service it checks (its fqdn waits for the service
        // or its task definition), and its alarm watches the check.
        const releases = new Set([service.urn, ...graph.sources(service, "taskDefinition").map((td) => td.urn)]);
        const checks = healthChecks.filter((h) => h.dependencies.some((d) => releases.has(d.urn)));
        candidates = [...new Set(checks.flatMap((check) => alarmsOfSource.get(check.urn) ?? []))].filter((a) => watched(a).some((w) => w.namespace === "AWS/Route53"));
      } else {
        const { namespace, metric } = signalMetrics[signal];
        const bySource = byMetricAndSource.get(`${namespace}/${metric}`);
        candidates = [...new Set(subjects.flatMap((subject) => bySource?.get(subject) ?? []))];
      }
      result[signal] = { alarmed: candidates.length > 0, notifies: candidates.some(notifiesOnce) };
    }
    return { urn: service.urn, held: (service.props.desiredCount ?? 0) === 0, signals: result };
  });
};

export const logRetention: StackReader<LogRetentionFact> = (resources) => {
  const graph = StackGraph.of(resources);
  // Network flow records are audit logs (seed 000 §5.1: security logs); so are the entry point's access logs.
  const flowLogGroups = new Set(graph.ofType(aws.flowLog).flatMap((f) => graph.sources(f, "logDestination", aws.logGroup).map((g) => g.urn)));
  const flowLogBuckets = new Set(graph.ofType(aws.flowLog).flatMap((f) => graph.sources(f, "logDestination", aws.bucket).map((b) => b.urn)));
  const facts: LogRetentionFact[] = graph.ofType(aws.logGroup).map((group) => {
    const days = group.props.retentionInDays;
    return {
      urn: group.urn,
      what: flowLogGroups.has(group.urn) ? "flow log group" : "log group",
      audit: flowLogGroups.has(group.urn),
      // CloudWatch Logs keeps events forever without a retention (PutRetentionPolicy; 0 is the provider's "never expire").
      retentionDays: typeof days === "number" && days > 0 ? days : "forever",
      setting: "retentionInDays",
    };
  });
  const logBuckets = new Set([...accessLogBuckets(graph), ...flowLogBuckets]);
  for (const bucket of graph.ofType(aws.bucket).filter((b) => logBuckets.has(b.urn))) {
    const { days, setting } = bucketRetention(graph, bucket);
    facts.push({ urn: bucket.urn, what: flowLogBuckets.has(bucket.urn) ? "flow log bucket" : "access log bucket", audit: true, retentionDays: days, setting });
  }
  return facts;
};
