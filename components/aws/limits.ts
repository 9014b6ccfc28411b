// What AWS refuses that a mock accepts, checked on the spec before anything is registered.
// No SDK import: this runs while config is validated.
import type { PlatformSpec, SecurityHeaders, SpecProblem } from "../model";
import { fargateSizeProblems } from "./fargateSizes";
import { loadBalancerProblems } from "./loadBalancerLimits";
import { databaseProblems } from "./databaseLimits";
import { awsPartitionOf, awsRegionProblem } from "./regions";
import { reservedEnvProblems } from "./serviceEnv";
import { subnetSizeProblem } from "./subnetLimits";
import { tagProblems } from "./tagLimits";
import { taskDefinitionSizeProblems } from "./taskDefinitionSize";
import { uptimeCheckProblems } from "./uptimeLimits";

/** CloudWatch Logs PutRetentionPolicy accepts only these day counts. */
export const cloudWatchRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const acmArn = /^arn:(aws[a-z-]*):acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
const hostedZoneId = /^Z[A-Z0-9]{1,31}$/;
/** An ALB listener holds at most 100 rules; one per service. */
const maxServices = 100;
/** CreateLoadBalancer: "You must specify subnets from at least two Availability Zones" (ELB API reference). */
const albMinZones = 2;
/**
 * The Elastic Load Balancing API documents no maximum of its own for a listener attribute value; 1024
 * characters is its documented maximum for an attribute value (LoadBalancerAttributeValue), kept as
 * the bound for the response headers the listener adds.
 */
export const maxHeaderValueLength = 1024;

const headerNames: Record<keyof SecurityHeaders, string> = {
  contentTypeOptions: "X-Content-Type-Options",
  frameOptions: "X-Frame-Options",
  strictTransportSecurity: "Strict-Transport-Security",
  contentSecurityPolicy: "Content-Security-Policy",
};

export const awsLimits = (spec: PlatformSpec): SpecProblem[] => {
  const problems: SpecProblem[] = [...fargateSizeProblems(spec), ...reservedEnvProblems(spec)];
  if (Object.keys(spec.services).length > maxServices) {
    problems.push({ key: "services", message: `an ALB listener holds at most ${maxServices} rules; got ${Object.keys(spec.services).length} services` });
  }
  for (const [field, days] of [["appRetentionDays", spec.logs.appRetentionDays], ["auditRetentionDays", spec.logs.auditRetentionDays]] as const) {
    if (!cloudWatchRetentionDays.includes(days)) {
      problems.push({ key: `logs.${field}`, value: days, message: `CloudWatch Logs accepts ${cloudWatchRetentionDays.join(", ")}` });
    }
  }
  // No zones at all: the zone names were not known, which is reported by its own rule.
  if (spec.network.zones.length > 0 && spec.network.zones.length < albMinZones) {
    problems.push({
      key: "network.zones",
      value: spec.network.zones.length,
      message: `an Application Load Balancer needs subnets in at least ${albMinZones} zones (AWS refuses it with fewer); use 2 or more`,
    });
  }
  const subnets = subnetSizeProblem(spec);
  if (subnets) problems.push(subnets);
  problems.push(...tagProblems(spec), ...taskDefinitionSizeProblems(spec), ...loadBalancerProblems(spec), ...uptimeCheckProblems(spec), ...databaseProblems(spec));

  const lb = spec.loadBalancer;
  const partition = awsPartitionOf(spec.region);
  if (lb.certificate !== undefined) {
    const match = acmArn.exec(lb.certificate);
    if (!match) {
      problems.push({ key: "loadBalancer.certificate", value: lb.certificate, message: "expected an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)" });
    } else if (partition !== undefined && match[1] !== partition) {
      problems.push({
        key: "loadBalancer.certificate",
        value: lb.certificate,
        message: `the certificate is in partition ${match[1]}, but region ${spec.region} is in partition ${partition}; an ALB can only use a certificate of its own partition and region`,
      });
    } else if (match[2] !== spec.region) {
      problems.push({ key: "loadBalancer.certificate", value: lb.certificate, message: `an ALB needs a certificate in its own region ${spec.region}, not ${match[2]}` });
    }
  }
  for (const [field, value] of Object.entries(lb.securityHeaders) as [keyof SecurityHeaders, string][]) {
    if (value.length > maxHeaderValueLength) {
      problems.push({
        key: `loadBalancer.securityHeaders.${field}`,
        value,
        message: `the ALB takes a ${headerNames[field]} value of at most ${maxHeaderValueLength} characters; this one has ${value.length}`,
      });
    }
  }
  if (lb.dnsZone !== undefined && !hostedZoneId.test(lb.dnsZone)) {
    problems.push({ key: "loadBalancer.dnsZone", value: lb.dnsZone, message: "expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" });
  }
  if (lb.domain !== undefined && lb.certificate === undefined && lb.dnsZone === undefined) {
    problems.push({ key: "loadBalancer.dnsZone", message: `required with loadBalancer.domain ${lb.domain} unless loadBalancer.certificate is set: ACM validates the new certificate through DNS records in that Route 53 zone` });
  }
  const copyRegion = spec.backup.copyRegion;
  if (copyRegion !== undefined) {
    const unknown = awsRegionProblem(copyRegion);
    const copyPartition = awsPartitionOf(copyRegion);
    if (unknown) {
      problems.push({ key: "backup.copyRegion", value: copyRegion, message: unknown });
    } else if (copyRegion === spec.region) {
      problems.push({ key: "backup.copyRegion", value: copyRegion, message: `a backup copy must go to a region other than the stack's own (${spec.region})` });
    } else if (partition !== undefined && copyPartition !== partition) {
      problems.push({
        key: "backup.copyRegion",
        value: copyRegion,
        message: `region ${copyRegion} is in partition ${copyPartition}, the stack's region ${spec.region} in ${partition}; AWS Backup copies only within a partition`,
      });
    }
  }
  return problems;
};
