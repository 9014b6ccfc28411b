// Uptime checks on GCP: Cloud Monitoring requests each service's health path through the public entry
// from its checker regions, at the longest period within the spec's interval (60, 300, 600 or 900 s),
// an urgent alarm below the spec's availability over its window, and, over HTTPS, the certificate's
// days to expiry as the checkers see them (uptime_check/time_until_ssl_cert_expires). A held service
// gets its check once it runs: until then the load balancer answers its paths with an error, and its
// check would only page.
import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ContainerServiceOutputs, LoadBalancerOutputs, Severity, UptimeCheckSpec } from "../model";
import type { AlarmDefinition } from "./alarms";
import { uptimePeriodsSeconds } from "./limits";
import { type GcpStack, child, labels } from "./options";

/** Checked at least as often as the spec says: the longest Cloud Monitoring period within its interval. */
export function uptimePeriodSeconds(check: UptimeCheckSpec): number {
  return [...uptimePeriodsSeconds].reverse().find((p) => p <= check.intervalSeconds) ?? uptimePeriodsSeconds[0];
}

export function uptimeChecks(
  ctx: BlockContext,
  stack: GcpStack,
  deps: { loadBalancer: LoadBalancerOutputs; containerService: ContainerServiceOutputs; policy: (logical: string, def: AlarmDefinition, subject: string) => monitoring.AlertPolicy },
): { checkIds: Record<string, pulumi.Output<string>> } {
  const { spec } = ctx;
  const check = spec.observability.uptimeCheck;
  const checkIds: Record<string, pulumi.Output<string>> = {};
  if (!check) return { checkIds };
  const n = ctx.name;
  const https = spec.loadBalancer.https;
  const t = spec.alarms.thresholds;
  let first: monitoring.UptimeCheckConfig | undefined;
  for (const [svcName, svc] of Object.entries(spec.services)) {
    if (deps.containerService.heldServices.includes(svcName)) continue;
    // Checked once the service runs its release: the host waits for the service, so a check never
    // counts the first start-up as downtime, and the check is recorded as the service's.
    const host = pulumi.all([deps.loadBalancer.hostname, deps.containerService.releases[svcName]]).apply(([hostname]) => hostname);
    const uptime = new monitoring.UptimeCheckConfig(
      `${n}-${svcName}-uptime`,
      {
        project: stack.project,
        displayName: `${spec.project}/${spec.stack} ${svcName} ${svc.healthCheckPath}`,
        monitoredResource: { type: "uptime_url", labels: { project_id: stack.project, host } },
        httpCheck: { path: svc.healthCheckPath, port: https ? 443 : 80, useSsl: https, validateSsl: https, requestMethod: "GET", acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }] },
        period: `${uptimePeriodSeconds(check)}s`,
        timeout: "10s",
        checkerType: "STATIC_IP_CHECKERS",
        userLabels: labels(ctx, { service: svcName }),
      },
      child(ctx, stack),
    );
    first ??= uptime;
    checkIds[svcName] = uptime.uptimeCheckId;
    deps.policy(
      `${n}-${svcName}-availability`,
      {
        key: "availability",
        severity: "critical",
        title: `health path available less than ${check.availabilityPercentMin}% over ${check.availabilityWindowMinutes} minutes`,
        threshold: {
          filter: pulumi.interpolate`metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND resource.type="uptime_url" AND metric.label.check_id="${uptime.uptimeCheckId}"`,
          aligner: "ALIGN_FRACTION_TRUE",
          reducer: "REDUCE_MEAN",
          comparison: "COMPARISON_LT",
          value: check.availabilityPercentMin / 100,
          durationSeconds: 0,
          alignmentSeconds: check.availabilityWindowMinutes * 60,
          missingDataBreaches: true,
        },
      },
      `service ${svcName}`,
    );
  }
  if (https && first) {
    const id = first.uptimeCheckId;
    for (const severity of ["warning", "critical"] as Severity[]) {
      const days = severity === "warning" ? t.certificateExpiryDaysWarning : t.certificateExpiryDaysCritical;
      deps.policy(
        `${n}-certificate-expiry-${severity}`,
        {
          key: `certificate-expiry-${severity}`,
          severity,
          title: `certificate expires in less than ${days} days`,
          threshold: {
            filter: pulumi.interpolate`metric.type="monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires" AND resource.type="uptime_url" AND metric.label.check_id="${id}"`,
            aligner: "ALIGN_MIN",
            reducer: "REDUCE_MIN",
            comparison: "COMPARISON_LT",
            value: days,
            durationSeconds: 600,
            alignmentSeconds: 600,
          },
        },
        "public entry",
      );
    }
  }
  return { checkIds };
}
