// Which clouds are implemented, and the rules each enforces on a spec. Free of cloud SDKs so that
// config validation can use it before any provider is loaded.
import { awsLimits } from "./aws/limits";
import type { CloudName, SpecLimits } from "./model";

/** `undefined`: the cloud is planned but not implemented yet. */
export const cloudLimits: Record<CloudName, SpecLimits | undefined> = {
  aws: awsLimits,
  azure: undefined,
  gcp: undefined,
};
