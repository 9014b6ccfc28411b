// Alarms on AWS: one encrypted SNS topic per severity (email and chat webhooks on both, the pager
// on critical only), per service the CloudWatch alarms of REQUIREMENTS.md section 6 and a healthy
// task floor, load-balancer-wide 5xx alarms that count the responses the ALB makes itself (an
// outage), the monthly restore test, the TLS certificate's expiry, the external uptime checks,
// the database and the stack's dashboard.
import * as aws from "./sdk";
import type * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { Namer } from "../naming";
import type { AlarmOutputs, ContainerServiceOutputs, DataStoreOutputs, LoadBalancerOutputs, SecretsStoreOutputs, Severity } from "../model";
import { subscribeAlarmTargets } from "./alarmTargets";
import { certificateExpiryAlarms } from "./certificateExpiry";
import { dashboard } from "./dashboard";
import { child, tags } from "./options";
import { databaseAlarms } from "./databaseAlarms";
import { restoreTestNames } from "./restoreValidation";
import { uptimeChecks } from "./uptimeChecks";

export interface AlarmDefinition {
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

/** A healthy task floor breached this many consecutive minutes: longer than ECS takes to replace a task. */
export const healthyHostMinutes = 5;

export function alarms(
  ctx: BlockContext,
  deps: { secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; containerService: ContainerServiceOutputs; dataStore: DataStoreOutputs },
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
    subscribeAlarmTargets(ctx, `${n}-${severity}`, topics[severity].arn, severity);
  }

  const alarmNames: pulumi.Output<string>[] = [];
  for (const [svcName, svc] of Object.entries(spec.services)) {
    const lbDims = { LoadBalancer: deps.loadBalancer.metricsId, TargetGroup: deps.loadBalancer.backendMetricsIds[svcName] };
    const ecsDims = { ClusterName: deps.containerService.runtimeName, ServiceName: deps.containerService.serviceNames[svcName] };
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
      // An outage leaves the target metrics without data: the floor of healthy tasks catches it,
      // and no data at all (no target registered) breaches too.
      ...(deps.containerService.heldServices.includes(svcName)
        ? []
        : [
            {
              key: "healthy-hosts",
              severity: "critical" as const,
              description: `fewer than ${svc.minInstances} healthy tasks (the service's minimum) for ${healthyHostMinutes} minutes`,
              args: {
                namespace: "AWS/ApplicationELB",
                metricName: "HealthyHostCount",
                dimensions: lbDims,
                statistic: "Minimum",
                period: 60,
                evaluationPeriods: healthyHostMinutes,
                datapointsToAlarm: healthyHostMinutes,
                comparisonOperator: "LessThanThreshold",
                threshold: svc.minInstances,
                treatMissingData: "breaching",
              },
            },
          ]),
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
    for (const d of definitions) alarmNames.push(metricAlarm(ctx, svcName, svcName, d, topics, { service: svcName }));
  }

  // Platform-wide subjects are named in uppercase, which no service name can be, so that their
  // logical and physical names never meet a service's.
  for (const d of loadBalancerAlarms(ctx, deps.loadBalancer)) alarmNames.push(metricAlarm(ctx, "ALB", "load balancer", d, topics, {}));
  if (spec.backup.monthlyRestoreTest) alarmNames.push(metricAlarm(ctx, "Backup", "backup", restoreTestAlarm(ctx), topics, {}));
  for (const d of databaseAlarms(ctx)) alarmNames.push(metricAlarm(ctx, "DB", "database", d, topics, {}));
  const certificateId = deps.loadBalancer.certificateId;
  if (certificateId) for (const d of certificateExpiryAlarms(ctx, certificateId)) alarmNames.push(metricAlarm(ctx, "TLS", "TLS certificate", d, topics, {}));

  const uptime = spec.observability.uptimeCheck ? uptimeChecks(ctx, { loadBalancer: deps.loadBalancer, containerService: deps.containerService, criticalTopicArn: topics.critical.arn }) : undefined;
  alarmNames.push(...(uptime?.alarmNames ?? []));
  const board = spec.observability.dashboard
    ? dashboard(ctx, { loadBalancer: deps.loadBalancer, containerService: deps.containerService, dataStore: deps.dataStore, uptimeCheckIds: uptime?.checkIds ?? {} })
    : undefined;
  return {
    targetIds: { warning: topics.warning.arn, critical: topics.critical.arn },
    alarmNames,
    uptimeCheckIds: uptime?.checkIds ?? {},
    dashboardName: board?.name,
    dashboardUrl: board?.url,
  };
}

function metricAlarm(ctx: BlockContext, subject: string, label: string, d: AlarmDefinition, topics: Record<Severity, aws.sns.Topic>, extraTags: Record<string, string>): pulumi.Output<string> {
  const alarm = new aws.cloudwatch.MetricAlarm(
    `${ctx.name}-${subject}-${d.key}`,
    {
      ...d.args,
      name: ctx.names.name("awsAlarm", subject, d.key),
      alarmDescription: `[${d.severity}] ${label}: ${d.description}`,
      alarmActions: [topics[d.severity].arn],
      okActions: [topics[d.severity].arn],
      tags: { ...tags(ctx), severity: d.severity, ...extraTags },
    },
    child(ctx),
  );
  return alarm.name;
}

/**
 * 5xx over the whole load balancer, the ALB's own included: with no healthy target it answers 502
 * or 503 itself (HTTPCode_ELB_5XX_Count), a metric that exists per load balancer only, never per
 * target group (Elastic Load Balancing user guide, "CloudWatch metrics for your Application Load
 * Balancer"). A 503 for want of a target is not in RequestCount, so the rate's denominator is at
 * least the error count: with no request counted, every error is 100%.
 */
function loadBalancerAlarms(ctx: BlockContext, lb: LoadBalancerOutputs): AlarmDefinition[] {
  const t = ctx.spec.alarms.thresholds;
  const dims = { LoadBalancer: lb.metricsId };
  const sum = (id: string, metricName: string) => ({ id, metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: dims, period: 60, stat: "Sum" } });
  const errors = [sum("elb", "HTTPCode_ELB_5XX_Count"), sum("target", "HTTPCode_Target_5XX_Count")];
  const errorSum = { id: "errors", expression: "FILL(elb, 0) + FILL(target, 0)", label: "5xx responses (ALB and targets)" };
  return [
    {
      key: "5xx-rate",
      severity: "critical",
      description: `5xx responses, the ALB's own included, above ${t.errorRatePercentCritical}% of requests`,
      args: {
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.errorRatePercentCritical,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        metricQueries: [
          ...errors,
          sum("requests", "RequestCount"),
          errorSum,
          { id: "rate", expression: "IF(errors > 0, 100 * errors / MAX([FILL(requests, 0), errors]), 0)", label: "5xx percent", returnData: true },
        ],
      },
    },
    {
      key: "5xx-count",
      severity: "critical",
      description: `more than ${t.errorCountPerMinuteCritical} 5xx per minute, the ALB's own included, for ${t.errorCountMinutes} minutes (seed 000)`,
      args: {
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.errorCountPerMinuteCritical,
        evaluationPeriods: t.errorCountMinutes,
        treatMissingData: "notBreaching",
        metricQueries: [...errors, { ...errorSum, returnData: true }],
      },
    },
  ];
}

/**
 * A restore job of the monthly test that failed, or a restored copy the validation found wrong
 * (the metric the validation Lambda records), or the validation itself failing (its errors).
 */
function restoreTestAlarm(ctx: BlockContext): AlarmDefinition {
  const names = restoreTestNames(ctx.names);
  const fiveMinutes = 300;
  return {
    key: "restore-test",
    severity: "critical",
    description: "the monthly restore test failed: restore job failed, restored copy invalid, or the validation could not run",
    args: {
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
      metricQueries: [
        { id: "failed", metric: { namespace: names.metricNamespace, metricName: names.metricName, dimensions: { [names.metricDimension]: names.planName }, period: fiveMinutes, stat: "Sum" } },
        { id: "errors", metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: names.functionName }, period: fiveMinutes, stat: "Sum" } },
        { id: "failures", expression: "FILL(failed, 0) + FILL(errors, 0)", label: "restore test failures", returnData: true },
      ],
    },
  };
}
