// The Pulumi program: config -> validated spec -> Platform component -> stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { Platform } from "../components/platform";
import { loadPlatformSpec, stackConfigFromRuntime } from "./config";

export async function main(): Promise<Record<string, unknown>> {
  // Validation throws one ConfigError before any resource is registered.
  const { spec, warnings } = loadPlatformSpec(stackConfigFromRuntime());
  for (const warning of warnings) pulumi.log.warn(warning);
  const platform = new Platform("platform", spec);
  return { cloud: spec.cloud, environment: spec.environment, region: spec.region, ...platform.outputs };
}
