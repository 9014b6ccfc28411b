// The committed stacks on GCP, as the tests run them: staging and production name a Route 53 zone id,
// so they get the Cloud DNS zone the GCP mocks know instead.
import { committedGcpZone } from "../../harness/gcpMocks";
import { type RunOptions, runProgram, type SynthResult } from "../../harness/run";

export const gcpStacks = ["dev", "staging", "production"] as const;

export function runGcp(stack: string, options: Partial<RunOptions> = {}): Promise<SynthResult> {
  const zone = stack === "dev" ? [] : [`platform:loadBalancer.dnsZone=${committedGcpZone.name}`];
  return runProgram({ stack, cloud: "gcp", ...options, set: [...zone, ...(options.set ?? [])] });
}
