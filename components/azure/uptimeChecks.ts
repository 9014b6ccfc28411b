// External uptime checks on Azure (seed 001): an Application Insights standard availability test of
// each service's health path through Front Door, from five locations, with an urgent alert when the
// share of successful tests drops under the spec's minimum; and TLS certificate monitoring (seed 004)
// as two more tests of the custom domain that fail when its certificate has fewer days left than the
// warning and critical thresholds. Front Door renews a managed certificate on its own; a test still
// failing means the renewal is stuck (its validation record is gone) or a customer certificate ages.
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ContainerServiceOutputs, LoadBalancerOutputs } from "../model";
import type { MetricAlertDefinition } from "./alarms";
import type { Foundation } from "./foundation";
import type { AzureNames } from "./names";
import { child, tags } from "./options";
import { uptimeRouting, webTestFrequency, webTestLocations } from "./uptimeLimits";

export interface UptimeChecks {
  /** Service name -> web test id. */
  checkIds: Record<string, pulumi.Output<string>>;
  /** Service name -> web test name (the availability metric's dimension). */
  webTestNames: Record<string, string>;
  componentId?: pulumi.Output<string>;
  alarmNames: pulumi.Output<string>[];
}

export interface UptimeDeps {
  foundation: Foundation;
  names: AzureNames;
  loadBalancer: LoadBalancerOutputs;
  containerService: ContainerServiceOutputs;
  metricAlert: (subject: string, label: string, def: MetricAlertDefinition, extraTags: Record<string, string>) => pulumi.Output<string>;
}

export function uptimeChecks(ctx: BlockContext, d: UptimeDeps): UptimeChecks {
  const { spec } = ctx;
  const n = ctx.name;
  const f = d.foundation;
  const check = spec.observability.uptimeCheck;
  const certificate = d.loadBalancer.certificateId !== undefined && spec.loadBalancer.domain !== undefined;
  const none: UptimeChecks = { checkIds: {}, webTestNames: {}, alarmNames: [] };
  if (!check && !certificate) return none;

  // Workspace-based: the test results land in the application workspace (AppAvailabilityResults).
  const component = new applicationinsights.Component(
    `${n}-insights`,
    {
      resourceName: d.names.monitor("uptime"),
      resourceGroupName: f.resourceGroupName,
      kind: "web",
      applicationType: "web",
      workspaceResourceId: f.logsWorkspaceId,
      ingestionMode: "LogAnalytics",
      tags: tags(ctx),
    },
    child(ctx),
  );
  const componentScope = component.id;
  const test = (key: string, testName: string, url: pulumi.Input<string>, frequency: number, locations: readonly string[], certificateDays?: number) =>
    new applicationinsights.WebTest(
      `${n}-${key}`,
      {
        webTestName: testName,
        syntheticMonitorId: testName,
        resourceGroupName: f.resourceGroupName,
        kind: "standard",
        webTestKind: "standard",
        enabled: true,
        frequency,
        timeout: 30,
        retryEnabled: true,
        locations: locations.map((location) => ({ location })),
        request: { requestUrl: url, httpVerb: "GET", followRedirects: false, parseDependentRequests: false },
        // A certificate test answers on the certificate only, whatever the path returns.
        validationRules: certificateDays === undefined ? { expectedHttpStatusCode: 200, sSLCheck: true } : { ignoreHttpStatusCode: true, sSLCheck: true, sSLCertRemainingLifetimeCheck: certificateDays },
        // The link Application Insights requires between a test and its component.
        tags: pulumi.all([componentScope]).apply(([id]) => tags(ctx, { [`hidden-link:${id}`]: "Resource" })),
      },
      child(ctx),
    );
  const availability = (key: string, severity: "warning" | "critical", description: string, testName: string, threshold: number, window: string): MetricAlertDefinition => ({
    key,
    severity,
    description,
    scope: componentScope,
    namespace: "microsoft.insights/components",
    metric: "availabilityResults/availabilityPercentage",
    aggregation: "Average",
    operator: "LessThan",
    threshold,
    window,
    frequency: "PT1M",
    dimensions: [{ name: "availabilityResult/name", operator: "Include", values: [testName] }],
  });

  const result: UptimeChecks = { checkIds: {}, webTestNames: {}, componentId: component.id, alarmNames: [] };
  if (check) {
    const { checked, elsewhere } = uptimeRouting(spec);
    for (const [svcName, target] of Object.entries(elsewhere)) {
      const svc = spec.services[svcName];
      pulumi.log.warn(
        `platform:services.${svcName}.healthCheckPath ${svc.healthCheckPath} is routed by Front Door ${target === undefined ? "to no service" : `to ${target}`}, not to ${svcName}: ${svcName} gets no external uptime check. Give it a health path under its own path patterns (${svc.pathPatterns.join(", ")}) that it answers.`,
      );
    }
    const frequency = webTestFrequency(check);
    for (const svcName of checked) {
      // A held service has no app yet: its check would only fail.
      if (d.containerService.heldServices.includes(svcName)) continue;
      const svc = spec.services[svcName];
      const testName = d.names.monitor(svcName, "uptime");
      // Checked once the service runs its release (where the spec waits for rollouts).
      const url = pulumi.all([d.loadBalancer.url, d.containerService.releases[svcName]]).apply(([base]) => `${base}${svc.healthCheckPath}`);
      result.checkIds[svcName] = test(`${svcName}-uptime-test`, testName, url, frequency, webTestLocations).id;
      result.webTestNames[svcName] = testName;
      result.alarmNames.push(
        d.metricAlert(
          svcName,
          svcName,
          availability(
            "uptime",
            "critical",
            `availability of ${svc.healthCheckPath} through Front Door below ${check.availabilityPercentMin}% over ${check.availabilityWindowMinutes} minutes (seed 001)`,
            testName,
            check.availabilityPercentMin,
            `PT${check.availabilityWindowMinutes}M`.replace("PT60M", "PT1H"),
          ),
          { service: svcName },
        ),
      );
    }
  }
  if (certificate) {
    const t = spec.alarms.thresholds;
    for (const severity of ["warning", "critical"] as const) {
      const days = severity === "warning" ? t.certificateExpiryDaysWarning : t.certificateExpiryDaysCritical;
      const testName = d.names.monitor("TLS", "certificate", severity);
      // Once every 15 minutes from one location: the days left change once a day.
      test(`TLS-certificate-${severity}`, testName, d.loadBalancer.url, 900, webTestLocations.slice(0, 1), days);
      result.alarmNames.push(
        d.metricAlert("TLS", "TLS certificate", availability(`certificate-expiry-${severity}`, severity, `the certificate of ${spec.loadBalancer.domain} expires in fewer than ${days} days (or is not valid)`, testName, 100, "PT15M"), {}),
      );
    }
  }
  return result;
}
