// Regions and their zone names, known without a cloud call so that `pulumi preview` and the offline
// synth plan the same subnets as `pulumi up`, and a region that does not exist stops the program
// before anything is planned. Regions without known zones need `platform:network.availabilityZones`.
import { awsRegionProblem } from "../components/aws/regions";
import { gcpRegionProblem, gcpRegions } from "../components/gcp/regions";
import { azureRegionProblem, azureZones } from "../components/azure/regions";
import type { CloudName } from "../components/model";

/** AWS zone letters that every account sees in the region (public AWS region documentation). */
const awsZoneLetters: Record<string, string> = {
  "us-east-1": "abcdef",
  "us-east-2": "abc",
  "us-west-1": "ac",
  "us-west-2": "abcd",
  "ca-central-1": "abd",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "eu-central-1": "abc",
  "eu-north-1": "abc",
  "ap-northeast-1": "acd",
  "ap-northeast-2": "abcd",
  "ap-northeast-3": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "ap-south-1": "abc",
  "sa-east-1": "abc",
};

/**
 * GCP zone suffixes (`gcloud compute zones list`; Google Cloud "Regions and zones"). Most regions
 * have zones a, b and c; the exceptions are listed. Every region in components/gcp/regions.ts is here.
 */
const gcpZoneSuffixExceptions: Record<string, string> = {
  "us-central1": "abcf",
  "us-east1": "bcd",
  "europe-west1": "bcd",
};
const gcpZoneSuffixes = (region: string): string | undefined =>
  (gcpRegions as readonly string[]).includes(region) ? (gcpZoneSuffixExceptions[region] ?? "abc") : undefined;

/** Zones the region offers, or undefined when the region is not known here. */
export function knownZones(cloud: CloudName, region: string): string[] | undefined {
  switch (cloud) {
    case "aws": {
      const letters = awsZoneLetters[region];
      return letters ? [...letters].map((l) => `${region}${l}`) : undefined;
    }
    case "gcp": {
      const suffixes = gcpZoneSuffixes(region);
      return suffixes ? [...suffixes].map((s) => `${region}-${s}`) : undefined;
    }
    case "azure":
      // Azure numbers availability zones 1-3 in every region that has them; [] where a region has none.
      return azureZones(region);
  }
}

/**
 * Why `region` is not a region of `cloud`, if it is not. AWS, Azure and GCP regions are listed offline.
 */
export function regionProblem(cloud: CloudName, region: string): string | undefined {
  if (cloud === "aws") return awsRegionProblem(region);
  if (cloud === "azure") return azureRegionProblem(region);
  if (cloud === "gcp") return gcpRegionProblem(region);
  return undefined;
}
