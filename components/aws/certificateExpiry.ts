// TLS certificate monitoring (seed 004): the days left before the certificate the load balancer
// presents expires, whether the platform issued it or was given it. An uptime check over HTTPS does
// not cover this: Route 53 HTTPS health checks do not validate the certificate at all ("Do HTTPS
// health checks validate the endpoint's SSL certificate? No", Route 53 FAQ), so an expired
// certificate fails every browser while the checks stay green.
import type * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AlarmDefinition } from "./alarms";

/** ACM publishes DaysToExpiry once a day per certificate, in the certificate's region. */
const oneDay = 86400;

/**
 * A warning and a critical alarm on AWS/CertificateManager DaysToExpiry (dimension CertificateArn).
 * ACM stops publishing the metric once the certificate has expired; missing data keeps the alarm in
 * the state it had (ALARM by then, the critical threshold having been crossed days before) instead of
 * paging on the first day of a new certificate, before ACM has published its first value.
 */
export function certificateExpiryAlarms(ctx: BlockContext, certificateId: pulumi.Output<string>): AlarmDefinition[] {
  const t = ctx.spec.alarms.thresholds;
  return (["warning", "critical"] as const).map((severity) => {
    const days = severity === "warning" ? t.certificateExpiryDaysWarning : t.certificateExpiryDaysCritical;
    return {
      key: `certificate-expiry-${severity}`,
      severity,
      description: `the load balancer's certificate expires in fewer than ${days} days (renew or re-import it)`,
      args: {
        namespace: "AWS/CertificateManager",
        metricName: "DaysToExpiry",
        dimensions: { CertificateArn: certificateId },
        statistic: "Minimum",
        period: oneDay,
        evaluationPeriods: 1,
        comparisonOperator: "LessThanThreshold",
        threshold: days,
        treatMissingData: "missing",
      },
    };
  });
}
