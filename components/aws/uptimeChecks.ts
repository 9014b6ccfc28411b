// External uptime checks on AWS (seed 001): a Route 53 health check of each service's health path
// through the public entry (the stack's domain over HTTPS, or the load balancer's own name over
// HTTP in a dev stack without one), and an urgent alarm when the share of checkers that find it
// healthy drops under the spec's minimum. Route 53 publishes its metrics in us-east-1 only, and an
// alarm notifies topics of its own region only: a stack elsewhere gets a critical topic of its own
// in us-east-1, encrypted and subscribed like the stack's critical topic.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ContainerServiceOutputs, LoadBalancerOutputs } from "../model";
import { subscribeAlarmTargets } from "./alarmTargets";
import { accountAdministers, cloudWatchAlarmsPublish } from "./keyPolicy";
import { callerArnParts, child, tags } from "./options";
import { route53FailureThreshold, route53MetricsRegion, route53RequestInterval, uptimeChecksBuildable, uptimeRouting } from "./uptimeLimits";

export interface UptimeChecks {
  /** Service name -> Route 53 health check id. */
  checkIds: Record<string, pulumi.Output<string>>;
  alarmNames: pulumi.Output<string>[];
}

export function uptimeChecks(
  ctx: BlockContext,
  deps: { loadBalancer: LoadBalancerOutputs; containerService: ContainerServiceOutputs; criticalTopicArn: pulumi.Output<string> },
): UptimeChecks {
  const { spec, names } = ctx;
  const check = spec.observability.uptimeCheck;
  if (!check) return { checkIds: {}, alarmNames: [] };
  if (!uptimeChecksBuildable(spec)) {
    pulumi.log.warn(
      `platform:observability.uptimeChecks: no uptime checks are built in region ${spec.region}: the platform builds them as Route 53 health checks read in ${route53MetricsRegion}, ` +
        `which is not in this region's partition. Set it to false to acknowledge, and watch the public entry from outside by other means.`,
    );
    return { checkIds: {}, alarmNames: [] };
  }
  const n = ctx.name;
  const { checked, elsewhere } = uptimeRouting(spec);
  for (const [svcName, target] of Object.entries(elsewhere)) pulumi.log.warn(unroutedWarning(ctx, svcName, target));

  // Over HTTPS on 443: port 80 answers every path with the redirect to HTTPS, a 3xx that Route 53
  // counts as healthy whatever the service does. SNI sends the domain, so the listener presents the
  // certificate of that name (Route 53 does not validate it either way).
  const https = spec.loadBalancer.https;
  // In us-east-1 the provider's own region is the right one; elsewhere the alarms move there.
  const inMetricsRegion = spec.region === route53MetricsRegion;
  const where = inMetricsRegion ? {} : { region: route53MetricsRegion };
  const topicArn = inMetricsRegion ? deps.criticalTopicArn : criticalTopicInMetricsRegion(ctx);
  const checkIds: Record<string, pulumi.Output<string>> = {};
  const alarmNames: pulumi.Output<string>[] = [];
  for (const svcName of checked) {
    // A held service runs no task until its image or secret value exists: its check would only fail.
    if (deps.containerService.heldServices.includes(svcName)) continue;
    const svc = spec.services[svcName];
    // Checked only once the service runs its release (where the spec waits for rollouts): a check of
    // a service still starting would count its start-up as downtime and page on the first deploy.
    const fqdn = pulumi.all([deps.loadBalancer.hostname, deps.containerService.releases[svcName]]).apply(([hostname]) => hostname);
    const healthCheck = new aws.route53.HealthCheck(
      `${n}-${svcName}-health-check`,
      {
        type: https ? "HTTPS" : "HTTP",
        fqdn,
        port: https ? 443 : 80,
        resourcePath: svc.healthCheckPath,
        enableSni: https,
        requestInterval: route53RequestInterval(check),
        failureThreshold: route53FailureThreshold(check),
        // No string match: the platform does not know what a service's health body says, and a
        // 2xx or 3xx within the checker's timeout is what the load balancer's own check asks too.
        // No regions: Route 53 then checks from all eight of its checking regions. A check by name
        // resolves A records only ("Values that you specify ..."): the domain's alias is one.
        tags: tags(ctx, names.name("awsTagValue", svcName, "uptime")),
      },
      child(ctx),
    );
    checkIds[svcName] = healthCheck.id;
    const alarm = new aws.cloudwatch.MetricAlarm(
      `${n}-${svcName}-uptime`,
      {
        ...where,
        name: names.name("awsAlarm", svcName, "uptime"),
        alarmDescription: `[critical] ${svcName}: availability of ${svc.healthCheckPath} through the public entry below ${check.availabilityPercentMin}% over ${check.availabilityWindowMinutes} minutes (seed 001)`,
        namespace: "AWS/Route53",
        metricName: "HealthCheckPercentageHealthy",
        dimensions: { HealthCheckId: healthCheck.id },
        statistic: "Average",
        period: check.availabilityWindowMinutes * 60,
        evaluationPeriods: 1,
        comparisonOperator: "LessThanThreshold",
        threshold: check.availabilityPercentMin,
        // A service that does not answer still has data (0% healthy); none at all means Route 53 has
        // not reported yet, as in the first minutes of a new check.
        treatMissingData: "missing",
        alarmActions: [topicArn],
        okActions: [topicArn],
        tags: { ...tags(ctx), severity: "critical", service: svcName },
      },
      child(ctx),
    );
    alarmNames.push(alarm.name);
  }
  return { checkIds, alarmNames };
}

function unroutedWarning(ctx: BlockContext, svcName: string, target: string | undefined): string {
  const svc = ctx.spec.services[svcName];
  const where = target === undefined ? "to no service (the load balancer answers 404)" : `to ${target}`;
  return (
    `platform:services.${svcName}.healthCheckPath ${svc.healthCheckPath} is routed by the load balancer ${where}, not to ${svcName}: ` +
    `${svcName} gets no external uptime check. Give it a health path under its own path patterns (${svc.pathPatterns.join(", ")}) that it answers.`
  );
}

/**
 * The critical topic for alarms in us-east-1, for a stack in another region: encrypted with a key
 * there (SNS encrypts with a key of its own region), which admits CloudWatch alarms of this account
 * into this topic only (the conditions of the SNS guide, "Enable compatibility between event sources
 * from AWS services and encrypted topics": aws:SourceArn and kms:EncryptionContext:aws:sns:topicArn).
 */
function criticalTopicInMetricsRegion(ctx: BlockContext): pulumi.Output<string> {
  const { names } = ctx;
  const n = ctx.name;
  const region = route53MetricsRegion;
  const topicName = names.name("awsSnsTopic", "alarms", "critical", region);
  const { accountId, partition } = callerArnParts(ctx);
  const policy = pulumi.all([accountId, partition]).apply(([account, part]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        accountAdministers(part, account),
        cloudWatchAlarmsPublish(part, region, account, `arn:${part}:sns:${region}:${account}:${topicName}`),
      ],
    }),
  );
  const key = new aws.kms.Key(
    `${n}-critical-${region}-key`,
    {
      region,
      description: `${ctx.spec.project}/${ctx.spec.stack}: the critical alarm topic in ${region} (uptime alarms)`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      // It encrypts notifications in flight only: nothing to recover once the stack is gone.
      deletionWindowInDays: 7,
      policy,
      tags: tags(ctx),
    },
    // Protected where stateful resources are: a replaced or deleted key silences the uptime alarms.
    // Not kept on destroy: it guards nothing once the stack is gone.
    child(ctx, { protect: ctx.spec.deletionProtection }),
  );
  const topic = new aws.sns.Topic(`${n}-critical-${region}`, { region, name: topicName, kmsMasterKeyId: key.arn, tags: tags(ctx) }, child(ctx));
  subscribeAlarmTargets(ctx, `${n}-critical-${region}`, topic.arn, "critical", region);
  return topic.arn;
}
