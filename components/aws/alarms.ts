// Alarms on AWS: one encrypted SNS topic per severity (email and chat webhooks on both, the pager
// on critical only) and per service the CloudWatch alarms of REQUIREMENTS.md section 6.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { Namer } from "../naming";
import type { AlarmOutputs, ContainerServiceOutputs, LoadBalancerOutputs, SecretsStoreOutputs, Severity } from "../model";
import { child, tags } from "./options";

interface AlarmDefinition {
  key: string;
  severity: Severity;
  description: string;
  args: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "name" | "alarmDescription" | "tags">;
}

export const severities = ["warning", "critical"] as const satisfies readonly Severity[];

/** The SNS topic of a severity; the key policy (secrets store) names the same topics. */
export function alarmTopicName(names: Namer, severity: Severity): string {
  return names.name("awsSnsTopic", "alarms", severity);
}

export function alarms(
  ctx: BlockContext,
  deps: { secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; containerService: ContainerServiceOutputs },
): AlarmOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const a = spec.alarms;
  const t = a.thresholds;

  const topics = {} as Record<Severity, aws.sns.Topic>;
  for (const severity of severities) {
    topics[severity] = new aws.sns.Topic(
      `${n}-${severity}`,
      { name: alarmTopicName(names, severity), kmsMasterKeyId: deps.secrets.encryptionKeyId, tags: tags(ctx) },
      child(ctx),
    );
    a.emails.forEach((email) => {
      new aws.sns.TopicSubscription(`${n}-${severity}-email-${email}`, { topic: topics[severity].arn, protocol: "email", endpoint: email }, child(ctx));
    });
    // Keyed by position: the URLs are secret, so they cannot appear in logical names.
    for (let i = 0; i < a.webhookCount; i++) {
      webhookSubscription(ctx, `${n}-${severity}-webhook-${i}`, topics[severity], a.webhooks.apply((urls) => urls[i]), false);
    }
  }
  for (let i = 0; i < a.pagerWebhookCount; i++) {
    // Pager services (PagerDuty, Opsgenie) confirm SNS subscriptions themselves.
    webhookSubscription(ctx, `${n}-critical-pager-${i}`, topics.critical, a.pagerWebhooks.apply((urls) => urls[i]), true);
  }

  const alarmNames: pulumi.Output<string>[] = [];
  for (const svcName of Object.keys(spec.services)) {
    const lbDims = { LoadBalancer: deps.loadBalancer.metricsId, TargetGroup: deps.loadBalancer.backendMetricsIds[svcName] };
    const ecsDims = { ClusterName: deps.containerService.clusterName, ServiceName: deps.containerService.serviceNames[svcName] };
    const perMinute = { period: 60, evaluationPeriods: 5, datapointsToAlarm: 3 };
    const definitions: AlarmDefinition[] = [
      {
        key: "5xx-rate",
        severity: "critical",
        description: `5xx responses above ${t.errorRatePercentCritical}% of requests`,
        args: {
          comparisonOperator: "GreaterThanThreshold",
          threshold: t.errorRatePercentCritical,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          treatMissingData: "notBreaching",
          metricQueries: [
            { id: "errors", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: lbDims, period: 60, stat: "Sum" } },
            { id: "requests", metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: lbDims, period: 60, stat: "Sum" } },
            { id: "rate", expression: "IF(requests > 0, 100 * errors / requests, 0)", label: "5xx percent", returnData: true },
          ],
        },
      },
      {
        key: "5xx-count",
        severity: "critical",
        description: `more than ${t.errorCountPerMinuteCritical} 5xx per minute for ${t.errorCountMinutes} minutes (seed 000)`,
        args: {
          namespace: "AWS/ApplicationELB",
          metricName: "HTTPCode_Target_5XX_Count",
          dimensions: lbDims,
          statistic: "Sum",
          period: 60,
          evaluationPeriods: t.errorCountMinutes,
          comparisonOperator: "GreaterThanThreshold",
          threshold: t.errorCountPerMinuteCritical,
          treatMissingData: "notBreaching",
        },
      },
      ...(["warning", "critical"] as const).map((severity) => ({
        key: `latency-p99-${severity}`,
        severity,
        description: `p99 response time above ${severity === "warning" ? t.latencyP99WarningMs : t.latencyP99CriticalMs} ms`,
        args: {
          namespace: "AWS/ApplicationELB",
          metricName: "TargetResponseTime",
          dimensions: lbDims,
          extendedStatistic: "p99",
          ...perMinute,
          comparisonOperator: "GreaterThanThreshold",
          threshold: (severity === "warning" ? t.latencyP99WarningMs : t.latencyP99CriticalMs) / 1000,
          treatMissingData: "notBreaching",
        },
      })),
      {
        key: "latency-average",
        severity: "warning",
        description: `average response time above ${t.latencyAverageWarningMs} ms`,
        args: { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: lbDims, statistic: "Average", ...perMinute, comparisonOperator: "GreaterThanThreshold", threshold: t.latencyAverageWarningMs / 1000, treatMissingData: "notBreaching" },
      },
      // No datapoints means no requests at all: that breaches too.
      ...(t.requestsPerMinuteMin > 0
        ? [
            {
              key: "low-traffic",
              severity: "warning" as const,
              description: `fewer than ${t.requestsPerMinuteMin} requests per minute`,
              args: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: lbDims, statistic: "Sum", period: 60, evaluationPeriods: 10, datapointsToAlarm: 10, comparisonOperator: "LessThanThreshold", threshold: t.requestsPerMinuteMin, treatMissingData: "breaching" },
            },
          ]
        : []),
      ...(["cpu", "memory"] as const).flatMap((resource) =>
        (["warning", "critical"] as const).map((severity) => {
          const threshold = resource === "cpu" ? (severity === "warning" ? t.cpuWarningPercent : t.cpuCriticalPercent) : severity === "warning" ? t.memoryWarningPercent : t.memoryCriticalPercent;
          return {
            key: `${resource}-${severity}`,
            severity,
            description: `${resource} above ${threshold}%`,
            args: {
              namespace: "AWS/ECS",
              metricName: resource === "cpu" ? "CPUUtilization" : "MemoryUtilization",
              dimensions: ecsDims,
              statistic: "Average",
              ...perMinute,
              comparisonOperator: "GreaterThanThreshold",
              threshold,
              treatMissingData: "missing",
            },
          };
        }),
      ),
    ];
    for (const d of definitions) {
      const alarm = new aws.cloudwatch.MetricAlarm(
        `${n}-${svcName}-${d.key}`,
        {
          ...d.args,
          name: names.name("awsAlarm", svcName, d.key),
          alarmDescription: `[${d.severity}] ${svcName}: ${d.description}`,
          alarmActions: [topics[d.severity].arn],
          okActions: [topics[d.severity].arn],
          tags: { ...tags(ctx), severity: d.severity, service: svcName },
        },
        child(ctx),
      );
      alarmNames.push(alarm.name);
    }
  }
  return { topicIds: { warning: topics.warning.arn, critical: topics.critical.arn }, alarmNames };
}

/**
 * An https subscription: the endpoint must answer SNS's subscription confirmation (pager services
 * do; a Slack incoming webhook does not and needs AWS Chatbot or a forwarder, see the README).
 */
function webhookSubscription(ctx: BlockContext, name: string, topic: aws.sns.Topic, url: pulumi.Output<string>, autoConfirms: boolean): void {
  new aws.sns.TopicSubscription(
    name,
    { topic: topic.arn, protocol: "https", endpoint: pulumi.secret(url), endpointAutoConfirms: autoConfirms },
    child(ctx, { additionalSecretOutputs: ["endpoint"] }),
  );
}
