// What the ALB takes of the neutral routes and timeouts. No SDK import: runs while config is validated.
import type { PlatformSpec, SpecProblem } from "../model";
import { awsPartitionOf } from "./regions";

/**
 * A path-pattern condition value: at most 128 characters (Elastic Load Balancing API reference,
 * PathPatternConditionConfig) of A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & and the wildcards (ELB user
 * guide, "Path conditions"); the neutral form already keeps out ? and a * anywhere but the end.
 */
export const albMaxPathPatternLength = 128;
const albPathCharacters = /^[A-Za-z0-9_\-.$/~"'@:+&*]*$/;
/** "Condition values per rule": 5 (ELB user guide, "Quotas for your Application Load Balancers"). */
export const albMaxConditionValues = 5;

/** ELB user guide, "Edit attributes for your Application Load Balancer": connection idle timeout 1-4000 s. */
export const albIdleTimeoutSeconds = { min: 1, max: 4000 } as const;
/**
 * The same page, "HTTP client keepalive duration": 60 s to 7 days (604800 s), default 3600; the
 * provider's `clientKeepAlive` input (@pulumi/aws 7.48, aws.lb.LoadBalancer) documents the same range.
 */
export const albClientKeepAliveSeconds = { min: 60, max: 604_800 } as const;
/**
 * AWS announced the keepalive setting for its commercial regions, and updated the announcement to say
 * it is not in GovCloud ("Application Load Balancer now supports configuring HTTP client keepalive
 * duration", What's New, March 2024, updated May 2024): elsewhere it may be refused at `pulumi up`.
 */
const clientKeepAlivePartitions = ["aws"];

export function loadBalancerProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [name, svc] of Object.entries(spec.services)) {
    if (svc.pathPatterns.length > albMaxConditionValues) {
      problems.push({
        key: `services.${name}.pathPatterns`,
        value: svc.pathPatterns,
        message: `an ALB listener rule matches at most ${albMaxConditionValues} path patterns (condition values per rule); this service has ${svc.pathPatterns.length}: route a shorter common prefix`,
      });
    }
    svc.pathPatterns.forEach((pattern, i) => {
      const key = `services.${name}.pathPatterns[${i}]`;
      if (pattern.length > albMaxPathPatternLength) {
        problems.push({ key, value: pattern, message: `an ALB path condition takes at most ${albMaxPathPatternLength} characters; this pattern has ${pattern.length}` });
      } else if (!albPathCharacters.test(pattern)) {
        problems.push({ key, value: pattern, message: `an ALB path condition takes letters, digits and _ - . $ / ~ " ' @ : + & only (no percent-escapes): route a prefix without the other characters` });
      }
    });
  }
  const lb = spec.loadBalancer;
  const backend = lb.backendTimeoutSeconds;
  if (backend < albIdleTimeoutSeconds.min || backend > albIdleTimeoutSeconds.max) {
    problems.push({
      key: "loadBalancer.backendTimeoutSeconds",
      value: backend,
      message: `on AWS this is the ALB idle timeout, which takes ${albIdleTimeoutSeconds.min} to ${albIdleTimeoutSeconds.max} seconds`,
    });
  }
  const client = lb.clientIdleTimeoutSeconds;
  if (client !== undefined && (client < albClientKeepAliveSeconds.min || client > albClientKeepAliveSeconds.max)) {
    problems.push({
      key: "loadBalancer.clientIdleTimeoutSeconds",
      value: client,
      message: `on AWS this is the ALB HTTP client keepalive duration, which takes ${albClientKeepAliveSeconds.min} to ${albClientKeepAliveSeconds.max} seconds (7 days)`,
    });
  } else if (client !== undefined) {
    const partition = awsPartitionOf(spec.region);
    if (partition !== undefined && !clientKeepAlivePartitions.includes(partition)) {
      problems.push({
        key: "loadBalancer.clientIdleTimeoutSeconds",
        value: client,
        severity: "warning",
        message: `AWS announced the ALB HTTP client keepalive setting for its commercial regions only (not GovCloud); region ${spec.region} is in partition ${partition}, where \`pulumi up\` may refuse it: leave the key unset there if it does`,
      });
    }
  }
  return problems;
}
