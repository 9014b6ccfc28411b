// GCP regions known offline, so that a stack naming a region that does not exist (or a typo of one)
// is refused before anything is planned. No SDK import: runs while config is validated.
// Source: Google Cloud "Global locations" (cloud.google.com/about/locations) and `gcloud compute regions list`.

export const gcpRegions = [
  "africa-south1",
  "asia-east1",
  "asia-east2",
  "asia-northeast1",
  "asia-northeast2",
  "asia-northeast3",
  "asia-south1",
  "asia-south2",
  "asia-southeast1",
  "asia-southeast2",
  "australia-southeast1",
  "australia-southeast2",
  "europe-central2",
  "europe-north1",
  "europe-north2",
  "europe-southwest1",
  "europe-west1",
  "europe-west2",
  "europe-west3",
  "europe-west4",
  "europe-west6",
  "europe-west8",
  "europe-west9",
  "europe-west10",
  "europe-west12",
  "me-central1",
  "me-central2",
  "me-west1",
  "northamerica-northeast1",
  "northamerica-northeast2",
  "northamerica-south1",
  "southamerica-east1",
  "southamerica-west1",
  "us-central1",
  "us-east1",
  "us-east4",
  "us-east5",
  "us-south1",
  "us-west1",
  "us-west2",
  "us-west3",
  "us-west4",
] as const;

/** Why `region` is not a GCP region, if it is not. */
export function gcpRegionProblem(region: string): string | undefined {
  if ((gcpRegions as readonly string[]).includes(region)) return undefined;
  const near = gcpRegions.filter((r) => r.split("-")[0] === region.split("-")[0]);
  return `not a Google Cloud region${near.length > 0 ? `; regions there: ${near.join(", ")}` : ""} (gcloud compute regions list)`;
}
