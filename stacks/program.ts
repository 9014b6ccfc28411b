// The Pulumi program: config -> validated spec -> a look at the account -> Platform component -> stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { loadCloud, Platform } from "../components/platform";
import { loadPlatformSpec, stackConfigFromRuntime } from "./config";
import { ConfigError } from "./configErrors";

export async function main(): Promise<Record<string, unknown>> {
  // Validation throws one ConfigError before any resource is registered.
  const { spec, warnings, configKey } = loadPlatformSpec(stackConfigFromRuntime());
  for (const warning of warnings) pulumi.log.warn(warning);
  // Only the spec's cloud is loaded, and made for this stack (it may keep stack-wide handles).
  const cloud = await loadCloud(spec);
  // Look before planning: what the account holds (images, secret values, the DNS zone) decides how
  // each service is deployed, and config the account contradicts is refused like any bad config.
  const account = await cloud.inspectAccount(spec);
  if (account.problems.length > 0) throw new ConfigError(account.problems.map((p) => ({ ...p, key: configKey(p.key) })));
  for (const warning of account.warnings) pulumi.log.warn(warning);
  const platform = new Platform("platform", spec, { cloud, release: account.release });
  // Where the spec waits for rollouts: once every service's update is over, a service that does not
  // run its new release fails the update with the cloud's account of what happened.
  const failures = await platform.rolloutFailures();
  if (failures.length > 0) throw new pulumi.RunError(failures.join("\n"));
  return { cloud: spec.cloud, environment: spec.environment, region: spec.region, ...platform.outputs };
}
