// Physical names that both the blocks and the account inspection use: the inspection looks up
// exactly what the blocks create, so the two can never drift apart. No SDK import.
import type { Namer } from "../naming";

export const repositoryName = (names: Namer, service: string): string => names.name("awsEcrRepository", service);
export const secretName = (names: Namer, secret: string): string => names.name("awsSecret", secret);
export const clusterName = (names: Namer): string => names.name("awsEcsName");
export const ecsServiceName = (names: Namer, service: string): string => names.name("awsEcsName", service);

/**
 * The web ACL and its rate rule as CloudWatch names them (their visibility metric names): the load
 * balancer sets them, the dashboard reads the ACL's metrics by them.
 */
export const webAclNames = (names: Namer): { acl: string; rateRule: string } => ({
  acl: names.name("awsWafName", "web-acl"),
  rateRule: names.name("awsWafName", "web-acl", "rate-limit"),
});
