// Required tags on GCP are labels: every resource type the platform creates (or the readers know)
// whose arguments take labels, with the argument that holds them. tests/policy/gcpReaders.test.ts
// compares this table with the @pulumi/gcp declarations of every type the committed stacks register on
// GCP, so a new labelable type is not missed.
import type { TagsFact } from "../../facts";
import type { ResourceReaders } from "../types";

/**
 * Type -> the input that holds its labels. Cloud Monitoring keeps resource labels in userLabels (a
 * notification channel's `labels` configure the channel: its address); Cloud SQL in settings.userLabels.
 */
export const labelFields = {
  "gcp:artifactregistry/repository:Repository": "labels",
  "gcp:backupdisasterrecovery/backupVault:BackupVault": "labels",
  "gcp:cloudrunv2/job:Job": "labels",
  "gcp:cloudrunv2/service:Service": "labels",
  "gcp:compute/forwardingRule:ForwardingRule": "labels",
  "gcp:compute/globalAddress:GlobalAddress": "labels",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": "labels",
  "gcp:compute/instance:Instance": "labels",
  "gcp:compute/securityPolicy:SecurityPolicy": "labels",
  "gcp:kms/cryptoKey:CryptoKey": "labels",
  "gcp:monitoring/alertPolicy:AlertPolicy": "userLabels",
  "gcp:monitoring/notificationChannel:NotificationChannel": "userLabels",
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": "userLabels",
  "gcp:pubsub/topic:Topic": "labels",
  "gcp:secretmanager/secret:Secret": "labels",
  "gcp:sql/databaseInstance:DatabaseInstance": "settings.userLabels",
  "gcp:storage/bucket:Bucket": "labels",
} as const;

// The provider's default_labels would add labels the inputs do not show; the platform sets them per resource.
const readLabels =
  (path: string) =>
  ({ props }: { props: Record<string, any> }): TagsFact[] => [{ tags: path.split(".").reduce<any>((value, key) => value?.[key], props), setting: path }];

export const requiredTags: ResourceReaders<TagsFact> = Object.fromEntries(Object.entries(labelFields).map(([type, path]) => [type, readLabels(path)]));
