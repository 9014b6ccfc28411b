// Encryption at rest on GCP: the Cloud KMS key each store names (CMEK), rotation of the keys, and the
// default key of every Cloud Storage bucket. Without a key GCP encrypts with a Google-owned key.
import type { EncryptionFact, ObjectStoreEncryptionFact, StoreKind } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { gcp } from "./tokens";

/** A Cloud KMS key name (`projects/.../cryptoKeys/...`); GCP has no provider-managed key a store could name instead. */
const isKey = (value: unknown) => typeof value === "string" && value !== "";

const keySetting = (name: string, value: unknown) => (isKey(value) ? `${name} ${String(value)}` : `${name} is not set: a Google-owned key`);

const store = (kind: StoreKind, key: unknown, setting: string): EncryptionFact => ({ kind: "store", store: kind, customerManagedKey: isKey(key), setting: keySetting(setting, key) });

interface Replica {
  location?: string;
  customerManagedEncryption?: { kmsKeyName?: string };
}

export const encryptionAtRest: ResourceReaders<EncryptionFact> = {
  [gcp.secret]: ({ props }) => {
    // Secret Manager, "Enable customer-managed encryption keys": automatic replication takes one key,
    // user-managed replication one key per replica, each in the replica's location.
    const replication = props.replication ?? {};
    if (replication.auto !== undefined) return [store("secrets", replication.auto.customerManagedEncryption?.kmsKeyName, "replication.auto.customerManagedEncryption.kmsKeyName")];
    const replicas: Replica[] = replication.userManaged?.replicas ?? [];
    if (replicas.length === 0) return [store("secrets", undefined, "replication")];
    return replicas.map((r) => store("secrets", r.customerManagedEncryption?.kmsKeyName, `replication.userManaged.replicas (${r.location ?? "?"}).customerManagedEncryption.kmsKeyName`));
  },
  [gcp.sqlInstance]: ({ props }) => [store("database", props.encryptionKeyName, "encryptionKeyName")],
  [gcp.artifactRepository]: ({ props }) => [store("image registry", props.kmsKeyName, "kmsKeyName")],
  [gcp.logBucket]: ({ props }) => [store("logs", props.cmekSettings?.kmsKeyName, "cmekSettings.kmsKeyName")],
  [gcp.pubsubTopic]: ({ props }) => [store("topic", props.kmsKeyName, "kmsKeyName")],
  // Backup and DR, "Customer-managed encryption keys (CMEK)": a vault's key protects Compute Engine
  // instance backups only; Persistent Disk backups keep the disk's key, and Cloud SQL backups (what the
  // platform keeps in its vault) cannot use CMEK at all. A vault is held to the key it names; one without
  // a key is not refused, since the cloud allows none for what it holds (README: policy, GCP).
  [gcp.backupVault]: ({ props }) => (isKey(props.encryptionConfig?.kmsKeyName) ? [store("backup vault", props.encryptionConfig.kmsKeyName, "encryptionConfig.kmsKeyName")] : []),
  [gcp.cryptoKey]: ({ props }) => {
    // Cloud KMS, "Key rotation": automatic rotation is for symmetric encryption keys only.
    const purpose = props.purpose ?? "ENCRYPT_DECRYPT";
    if (purpose !== "ENCRYPT_DECRYPT") return [];
    const period = props.rotationPeriod;
    return [{ kind: "key", rotates: typeof period === "string" && period !== "", setting: typeof period === "string" && period !== "" ? `rotationPeriod ${period}` : "rotationPeriod is not set" }];
  },
};

export const objectStorageEncrypted: StackReader<ObjectStoreEncryptionFact> = (resources) =>
  StackGraph.of(resources)
    .ofType(gcp.bucket)
    .map((bucket) => {
      const key = bucket.props.encryption?.defaultKmsKeyName;
      return {
        urn: bucket.urn,
        // Cloud Storage, "Customer-managed encryption keys": without a default key, objects are encrypted with a Google-owned key.
        encryption: isKey(key) ? "customerKey" : "providerKey",
        customerKeyAllowed: true,
        setting: keySetting("encryption.defaultKmsKeyName", key),
      };
    });
