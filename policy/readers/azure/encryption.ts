// Encryption at rest on Azure: which stores wrap their data keys with a key of the stack's Key Vault,
// whether that key rotates, and the default encryption of every storage account.
//
// Not read here, each for its reason (README, policy on Azure):
// - Key Vault secrets and keys: Key Vault is the customer-managed key store itself; its objects are
//   protected by the vault's own HSM-backed key hierarchy, which no customer key replaces.
// - Log Analytics workspaces: a customer-managed key needs a dedicated cluster with a commitment tier
//   of at least 100 GB a day ("Azure Monitor customer-managed key": the key is set on the cluster and
//   workspaces are linked to it), which the platform does not buy: a documented deviation.
// - Action groups hold no messages at rest (the alarm topics' counterpart on AWS does).
import type { EncryptionFact, ObjectStoreEncryptionFact, StoreKind } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { az } from "./tokens";

const store = (kind: StoreKind, customerManagedKey: boolean, setting: string): EncryptionFact => ({ kind: "store", store: kind, customerManagedKey, setting });

/**
 * A Key Vault key rotates when its rotation policy has a `Rotate` lifetime action with a trigger
 * ("Configure cryptographic key auto-rotation in Azure Key Vault": lifetimeActions, timeAfterCreate or
 * timeBeforeExpiry).
 */
function rotates(policy: { lifetimeActions?: { action?: { type?: string }; trigger?: { timeAfterCreate?: string; timeBeforeExpiry?: string } }[] } | undefined): boolean {
  return (policy?.lifetimeActions ?? []).some((a) => String(a.action?.type ?? "").toLowerCase() === "rotate" && (a.trigger?.timeAfterCreate !== undefined || a.trigger?.timeBeforeExpiry !== undefined));
}

export const encryptionAtRest: ResourceReaders<EncryptionFact> = {
  [az.key]: ({ props }) => {
    const on = rotates(props.properties?.rotationPolicy);
    return [{ kind: "key", rotates: on, setting: on ? "properties.rotationPolicy rotates" : "properties.rotationPolicy has no Rotate lifetime action" }];
  },
  // "Data encryption at rest in Azure Database for PostgreSQL flexible server": a service-managed key
  // unless dataEncryption.type is AzureKeyVault, chosen when the server is created and never changed.
  [az.postgresServer]: ({ props }) => {
    if (props.createMode === "Replica") return [];
    const type = props.dataEncryption?.type;
    return [store("database", type === "AzureKeyVault", type === undefined ? "dataEncryption is not set: the service-managed key" : `dataEncryption.type ${type}`)];
  },
  [az.backupVault]: ({ props }) => {
    const settings = props.properties?.securitySettings?.encryptionSettings;
    const on = settings?.state === "Enabled" && settings.keyVaultProperties !== undefined;
    return [store("backup vault", on, on ? "securitySettings.encryptionSettings with keyVaultProperties" : `securitySettings.encryptionSettings ${settings === undefined ? "is not set: the platform-managed key" : `state ${settings.state ?? "not set"}`}`)];
  },
  // "Encrypt registry using a customer-managed key": Premium registries only, set at creation.
  [az.registry]: ({ props }) => {
    const status = props.encryption?.status;
    const on = String(status ?? "").toLowerCase() === "enabled";
    return [store("image registry", on, status === undefined ? "encryption is not set: the service-managed key" : `encryption.status ${status}`)];
  },
};

/** "Customer-managed keys for Azure Storage encryption": keySource Microsoft.Keyvault, else Microsoft-managed keys. */
export const objectStorageEncrypted: StackReader<ObjectStoreEncryptionFact> = (resources) =>
  StackGraph.of(resources)
    .ofType(az.storageAccount)
    .map((account) => {
      const source = account.props.encryption?.keySource;
      const customer = String(source ?? "").toLowerCase() === "microsoft.keyvault";
      return {
        urn: account.urn,
        encryption: customer ? "customerKey" : "providerKey",
        setting: source === undefined ? "encryption.keySource is not set: Microsoft-managed keys" : `encryption.keySource ${source}`,
        customerKeyAllowed: true,
      };
    });
