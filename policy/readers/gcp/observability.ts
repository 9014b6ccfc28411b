// Observability on GCP: the Cloud Monitoring alert policies that watch each Cloud Run service (by the
// service's name and its backend service's name, as the metrics label them) and whom they notify, the
// uptime checks of each service, and how long each log bucket keeps what its sinks route into it.
import type { AlarmsFact, LogRetentionFact, Signal, StackResourceView } from "../../facts";
import { signals } from "../../facts";
import { StackGraph } from "../../graph";
import type { StackReader } from "../types";
import { keptLive, sinkBuckets } from "./relations";
import { gcp } from "./tokens";

/** What one alert condition watches: the metric type and the labels its filter pins. */
interface Watched {
  metric: string;
  labels: Record<string, string>;
}

/** `metric.type="..." AND resource.label.service_name="..." AND metric.label.response_code_class=500` (Cloud Monitoring, "Monitoring filters"). */
export function parseFilter(filter: string): Watched {
  const labels: Record<string, string> = {};
  for (const m of filter.matchAll(/\b(?:resource|metric)\.labels?\.([a-z_]+)\s*=\s*("([^"]*)"|[^\s)]+)/g)) labels[m[1]] = m[3] ?? m[2];
  return { metric: /\bmetric\.type\s*=\s*"([^"]+)"/.exec(filter)?.[1] ?? "", labels };
}

interface Condition {
  conditionThreshold?: { filter?: string; denominatorFilter?: string };
  conditionAbsent?: { filter?: string };
}

function watched(policy: StackResourceView): Watched[] {
  return ((policy.props.conditions ?? []) as Condition[]).flatMap((c) => {
    const filter = c.conditionThreshold?.filter ?? c.conditionAbsent?.filter;
    return filter === undefined ? [] : [parseFilter(String(filter))];
  });
}

interface Subject {
  /** The Cloud Run service's name (label service_name of run.googleapis.com metrics). */
  service: string;
  /** Its backend services' names (label backend_target_name of the load balancer's metrics). */
  backends: Set<string>;
}

const serverError = (code: string | undefined) => code === "500" || code === "5xx";

/**
 * The metrics that carry each signal (Cloud Monitoring, "Google Cloud metrics": run.googleapis.com and
 * loadbalancing.googleapis.com): 5xx responses of the load balancer's backend or of Cloud Run, request
 * latency at either, and Cloud Run's container CPU and memory utilization.
 */
const carries: Record<Exclude<Signal, "uptime">, (w: Watched, s: Subject) => boolean> = {
  errorRate: (w, s) =>
    (w.metric === "loadbalancing.googleapis.com/https/request_count" && s.backends.has(w.labels.backend_target_name) && serverError(w.labels.response_code_class)) ||
    (w.metric === "run.googleapis.com/request_count" && w.labels.service_name === s.service && serverError(w.labels.response_code_class)),
  latency: (w, s) =>
    (w.metric === "run.googleapis.com/request_latencies" && w.labels.service_name === s.service) ||
    (["loadbalancing.googleapis.com/https/backend_latencies", "loadbalancing.googleapis.com/https/total_latencies"].includes(w.metric) && s.backends.has(w.labels.backend_target_name)),
  cpu: (w, s) => w.metric === "run.googleapis.com/container/cpu/utilizations" && w.labels.service_name === s.service,
  memory: (w, s) => w.metric === "run.googleapis.com/container/memory/utilizations" && w.labels.service_name === s.service,
};

/** Whether a policy is on and sends to an enabled notification channel of the stack (the channel is its subscriber). */
function notifies(graph: StackGraph, policy: StackResourceView): boolean {
  return policy.props.enabled !== false && graph.sources(policy, "notificationChannels", gcp.notificationChannel).some((c) => c.props.enabled !== false);
}

export const alarms: StackReader<AlarmsFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const policies = graph.ofType(gcp.alertPolicy).filter((p) => p.props.enabled !== false);
  const serverless = graph.ofType(gcp.neg).filter((neg) => neg.props.cloudRun?.service !== undefined);
  const backendsOf = (name: string) =>
    new Set(serverless.filter((neg) => neg.props.cloudRun.service === name).flatMap((neg) => graph.users(neg, gcp.backendService, "backends").map((b) => String(b.props.name))));
  const running = graph.ofType(gcp.cloudRunService);
  const names = new Set(running.map((s) => String(s.props.name)));
  // A service held until its image or secret value exists has no Cloud Run service yet; the serverless
  // NEG the load balancer routes its paths to already names it.
  const held = serverless.filter((neg) => !names.has(String(neg.props.cloudRun.service)));
  const subjects = [...running.map((s) => ({ view: s, name: String(s.props.name), held: false })), ...held.map((neg) => ({ view: neg, name: String(neg.props.cloudRun.service), held: true }))];
  return subjects.map(({ view, name, held }) => {
    const subject: Subject = { service: name, backends: backendsOf(name) };
    // An uptime check follows the release of the service it checks (its host waits for the service).
    const checks = held ? [] : graph.users(view, gcp.uptimeCheck, "monitoredResource");
    const result = {} as AlarmsFact["signals"];
    for (const signal of signals) {
      const candidates =
        signal === "uptime"
          ? policies.filter((p) => watched(p).some((w) => w.metric === "monitoring.googleapis.com/uptime_check/check_passed") && graph.sources(p, "conditions", gcp.uptimeCheck).some((c) => checks.includes(c)))
          : policies.filter((p) => watched(p).some((w) => carries[signal](w, subject)));
      result[signal] = { alarmed: candidates.length > 0, notifies: candidates.some((p) => notifies(graph, p)) };
    }
    return { urn: view.urn, held, signals: result };
  });
};

/**
 * Audit and security records (seed 000 §5.1): Cloud Audit Logs, the load balancer's request logs, VPC
 * flow logs, firewall rule logs and Cloud NAT logs, by the log names and resource types they carry
 * (Cloud Logging, "Monitored resource types").
 */
const auditMarkers = [/cloudaudit\.googleapis\.com/, /resource\.type\s*=\s*"?(http_load_balancer|gce_subnetwork|gce_firewall_rule|nat_gateway)\b/];
const routesAudit = (sinks: StackResourceView[]) => sinks.some((s) => s.props.disabled !== true && auditMarkers.some((m) => m.test(String(s.props.filter ?? ""))));

export const logRetention: StackReader<LogRetentionFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const facts: LogRetentionFact[] = graph.ofType(gcp.logBucket).map((bucket) => {
    const audit = routesAudit(graph.users(bucket, gcp.logSink, "destination"));
    const days = bucket.props.retentionDays;
    return {
      urn: bucket.urn,
      what: "log bucket",
      audit,
      // LogBucket.retentionDays: 0 or unset at creation is the default of 30 days.
      retentionDays: typeof days === "number" && days > 0 ? days : 30,
      setting: typeof days === "number" && days > 0 ? `retentionDays${bucket.props.locked === true ? " (locked)" : ""}` : "retentionDays not set: 30",
    };
  });
  for (const [urn, sinks] of sinkBuckets(graph)) {
    const bucket = resources.find((r) => r.urn === urn)!;
    const days = keptLive(bucket);
    facts.push({ urn, what: "log storage bucket", audit: routesAudit(sinks), retentionDays: days, setting: days === "forever" ? "no lifecycle rule deletes by age" : "lifecycleRules age" });
  }
  return facts;
};
