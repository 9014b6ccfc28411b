// The platform's data stores on Azure (a storage account whose blob container is the data store and,
// where the spec has one, the PostgreSQL flexible server) and the Data Protection backup vault that
// protects both: a policy per datasource type, a backup instance per store, the vault's own roles on
// what it protects. The storage account and the vault are encrypted with the platform key (a
// customer-managed key through a user-assigned identity), the vault is geo-redundant where the spec
// copies backups to a second region (Azure copies to the region's pair only), soft delete and
// immutability keep production's recovery points, and dev's vault can be destroyed at once.
import * as dataprotection from "@pulumi/azure-native/dataprotection";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { BackupSpec, DataStoreOutputs } from "../model";
import { backupPolicyKey, backupPolicyProperties, datasourceTypes } from "./backupPolicies";
import { type AzureDatabase, database } from "./database";
import { diagnosticSetting } from "./diagnostics";
import type { Foundation } from "./foundation";
import { type AzureNames, builtInRoles } from "./names";
import type { AzureNetwork } from "./network";
import { child, keptWith, stateful, tags } from "./options";
import { privateEndpoint } from "./privateEndpoints";
import { deleteLock, grant } from "./roles";
import { encryptionKeyName, type AzureSecrets } from "./secretsStore";
import { blobContainerUrl } from "./serviceEnv";

/** The blob container services read and write: the data store. */
export const dataContainerName = "data";

/**
 * How long an overwritten or deleted blob's old version and a deleted blob stay recoverable in the
 * account: never shorter than the point-in-time window (the restore needs them), nor than the daily
 * backups are kept, as on AWS (aws/backupVault.ts, noncurrentVersionDays).
 */
export function blobRecoveryDays(backup: BackupSpec): number {
  return Math.max(backup.continuousRetentionDays ?? 0, backup.dailyRetentionDays);
}

export interface AzureDataStore {
  outputs: DataStoreOutputs;
  storageAccountId: pulumi.Output<string>;
  storageAccountName: pulumi.Output<string>;
  /** The data container's resource id: the scope of each service's data role. */
  containerId: pulumi.Output<string>;
  database?: AzureDatabase;
  backupVaultId: pulumi.Output<string>;
  /** The identity that may wrap and unwrap data keys with the platform key, and that grant. */
  encryptionIdentity: { id: pulumi.Output<string>; clientId: pulumi.Output<string>; keyAccess: pulumi.Resource };
}

export function dataStore(ctx: BlockContext, f: Foundation, names: AzureNames, secrets: AzureSecrets, net: AzureNetwork): AzureDataStore {
  const { spec } = ctx;
  const n = ctx.name;
  const rg = f.resourceGroupName;
  const zoneRedundant = spec.network.zones.length >= 2;
  const geo = spec.backup.copyRegion !== undefined;

  // The identity through which Storage and the vault unwrap their data keys with the platform key.
  const encryptionIdentity = new managedidentity.UserAssignedIdentity(`${n}-encryption-identity`, { resourceName: names.identity("data-encryption"), resourceGroupName: rg, tags: tags(ctx) }, keptWith(ctx));
  const keyAccess = grant(ctx, `${n}-encryption-key-access`, {
    scope: secrets.keyId,
    role: builtInRoles.keyVaultCryptoServiceEncryptionUser,
    principalId: encryptionIdentity.principalId,
    subscriptionId: f.subscriptionId,
    description: "Storage and the backup vault wrap their data keys with the platform key",
  }, { retainOnDelete: spec.deletionProtection });

  const account = new storage.StorageAccount(
    `${n}-storage`,
    {
      accountName: f.nameSuffix.apply(names.storageAccount),
      resourceGroupName: rg,
      kind: "StorageV2",
      // Geo-zone-redundant where backups go to a second region: the data itself is in the pair as well.
      sku: { name: geo ? "Standard_GZRS" : zoneRedundant ? "Standard_ZRS" : "Standard_LRS" },
      accessTier: "Hot",
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      // Microsoft Entra ID only: no account key, no SAS signed with one.
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      publicNetworkAccess: "Enabled",
      networkRuleSet: { defaultAction: "Allow", bypass: "AzureServices" },
      identity: { type: "UserAssigned", userAssignedIdentities: [encryptionIdentity.id] },
      encryption: {
        keySource: "Microsoft.Keyvault",
        // No version: Storage follows the key's rotation on its own.
        keyVaultProperties: { keyName: encryptionKeyName, keyVaultUri: pulumi.interpolate`https://${secrets.vaultName}.vault.azure.net/` },
        encryptionIdentity: { encryptionUserAssignedIdentity: encryptionIdentity.id },
        requireInfrastructureEncryption: true,
        services: { blob: { enabled: true, keyType: "Account" }, file: { enabled: true, keyType: "Account" } },
      },
      tags: tags(ctx),
    },
    stateful(ctx, { dependsOn: [keyAccess] }),
  );
  deleteLock(ctx, `${n}-storage-lock`, account.id, "the data store's storage account");

  const recoveryDays = blobRecoveryDays(spec.backup);
  const continuous = spec.backup.continuousRetentionDays;
  // Point-in-time restore of block blobs needs versioning, the change feed and soft delete, and its
  // window must be shorter than the soft-delete retention ("Point-in-time restore for block blobs").
  const blobService = new storage.BlobServiceProperties(
    `${n}-storage-blob-service`,
    {
      accountName: account.name,
      resourceGroupName: rg,
      blobServicesName: "default",
      isVersioningEnabled: true,
      changeFeed: { enabled: true, retentionInDays: continuous !== undefined ? recoveryDays + 1 : undefined },
      deleteRetentionPolicy: { enabled: true, days: continuous !== undefined ? Math.max(recoveryDays, continuous + 1) : recoveryDays },
      containerDeleteRetentionPolicy: { enabled: true, days: recoveryDays },
      restorePolicy: continuous !== undefined ? { enabled: true, days: continuous } : { enabled: false },
    },
    keptWith(ctx),
  );
  const container = new storage.BlobContainer(
    `${n}-storage-data`,
    { accountName: account.name, resourceGroupName: rg, containerName: dataContainerName, publicAccess: "None" },
    stateful(ctx, { dependsOn: [blobService] }),
  );
  // Versions kept forever are paid for in the account and in every vaulted backup.
  new storage.ManagementPolicy(
    `${n}-storage-lifecycle`,
    {
      accountName: account.name,
      resourceGroupName: rg,
      managementPolicyName: "default",
      policy: {
        rules: [
          {
            name: "expire-old-versions",
            type: "Lifecycle",
            enabled: true,
            definition: { filters: { blobTypes: ["blockBlob"] }, actions: { version: { delete: { daysAfterCreationGreaterThan: recoveryDays } } } },
          },
        ],
      },
    },
    keptWith(ctx, { dependsOn: [blobService] }),
  );
  diagnosticSetting(ctx, `${n}-storage-audit`, names.monitor("audit"), pulumi.interpolate`${account.id}/blobServices/default`, { categoryGroups: ["audit"], workspaceId: f.auditWorkspaceId });
  if (spec.network.interfaceEndpoints) {
    privateEndpoint(ctx, names, { resourceGroupName: rg, virtualNetworkId: net.virtualNetworkId, endpointsSubnetId: net.endpointsSubnetId }, "blob", account.id);
  }

  const db = spec.database ? database(ctx, spec.database, f, names, net, { identityId: encryptionIdentity.id, keyUri: secrets.keyUri, keyAccess, geoKey: secrets.geoKey }) : undefined;

  // Soft delete keeps deleted recovery points 14 days where the spec protects data; without it a dev
  // vault with backup instances can be deleted at once (a vault holding soft-deleted instances
  // cannot). Immutability (Unlocked: reversible) stops recovery points from being deleted early.
  const protect = spec.deletionProtection;
  const vault = new dataprotection.BackupVault(
    `${n}-vault`,
    {
      vaultName: names.backupVault,
      resourceGroupName: rg,
      identity: { type: "SystemAssigned,UserAssigned", userAssignedIdentities: [encryptionIdentity.id] },
      properties: {
        // Immutable once the vault protects anything: a change of redundancy is a new vault.
        storageSettings: [{ datastoreType: "VaultStore", type: geo ? "GeoRedundant" : zoneRedundant ? "ZoneRedundant" : "LocallyRedundant" }],
        featureSettings: geo ? { crossRegionRestoreSettings: { state: "Enabled" } } : undefined,
        securitySettings: {
          softDeleteSettings: protect ? { state: "On", retentionDurationInDays: 14 } : { state: "Off", retentionDurationInDays: 14 },
          immutabilitySettings: { state: protect ? "Unlocked" : "Disabled" },
          encryptionSettings: {
            state: "Enabled",
            keyVaultProperties: { keyUri: secrets.keyUri },
            kekIdentity: { identityType: "UserAssigned", identityId: encryptionIdentity.id },
            infrastructureEncryption: "Enabled",
          },
        },
        monitoringSettings: { azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" } },
      },
      tags: tags(ctx),
    },
    stateful(ctx, { dependsOn: [keyAccess] }),
  );
  diagnosticSetting(ctx, `${n}-vault-audit`, names.monitor("audit"), vault.id, { categoryGroups: ["allLogs"], workspaceId: f.auditWorkspaceId, dedicated: true });
  const vaultPrincipal = vault.identity.apply((identity) => {
    if (!identity?.principalId) throw new Error(`backup vault ${names.backupVault}: Azure reported no system-assigned identity`);
    return identity.principalId;
  });

  const protection = (source: "blob" | "postgres", resourceId: pulumi.Output<string>, resourceName: pulumi.Output<string>, roles: pulumi.Resource[], policyParameters?: object) => {
    const key = backupPolicyKey(source, spec.backup);
    const policy = new dataprotection.BackupPolicy(
      `${n}-${source}-policy`,
      { vaultName: vault.name, resourceGroupName: rg, backupPolicyName: `${source === "blob" ? "data" : "database"}-${key}`, properties: backupPolicyProperties(source, spec.backup) },
      child(ctx, { deleteBeforeReplace: false }),
    );
    new dataprotection.BackupInstance(
      `${n}-${source}-backup`,
      {
        vaultName: vault.name,
        resourceGroupName: rg,
        backupInstanceName: source === "blob" ? "data" : "database",
        properties: {
          objectType: "BackupInstance",
          friendlyName: source === "blob" ? "data" : "database",
          dataSourceInfo: {
            objectType: "Datasource",
            datasourceType: datasourceTypes[source],
            resourceType: source === "blob" ? "Microsoft.Storage/storageAccounts" : "Microsoft.DBforPostgreSQL/flexibleServers",
            resourceID: resourceId,
            resourceUri: resourceId,
            resourceName,
            resourceLocation: spec.region,
          },
          policyInfo: { policyId: policy.id, policyParameters },
        },
        tags: tags(ctx),
      },
      // The vault needs its roles before it can validate the instance (the first backup fails otherwise).
      child(ctx, { dependsOn: roles }),
    );
  };

  const storageRole = grant(ctx, `${n}-vault-storage-access`, {
    scope: account.id,
    role: builtInRoles.storageAccountBackupContributor,
    principalId: vaultPrincipal,
    subscriptionId: f.subscriptionId,
    description: "The backup vault backs up and restores the data store's blobs",
  });
  protection("blob", account.id, account.name, [storageRole, container], { backupDatasourceParametersList: [{ objectType: "BlobBackupDatasourceParameters", containersList: [dataContainerName] }] });

  if (db) {
    // The vault reads the server for its logical backups, and the resource group to discover it
    // ("Azure Database for PostgreSQL flexible server backup: prerequisites").
    const serverRole = grant(ctx, `${n}-vault-database-access`, {
      scope: db.serverId,
      role: builtInRoles.postgresLongTermRetentionBackup,
      principalId: vaultPrincipal,
      subscriptionId: f.subscriptionId,
      description: "The backup vault takes long-term backups of the platform database",
    });
    const groupReader = grant(ctx, `${n}-vault-group-reader`, {
      scope: f.resourceGroupId,
      role: builtInRoles.reader,
      principalId: vaultPrincipal,
      subscriptionId: f.subscriptionId,
      description: "The backup vault discovers the platform database in its resource group",
    });
    protection("postgres", db.serverId, db.serverName, [serverRole, groupReader]);
  }

  return {
    outputs: {
      dataStoreName: account.name,
      dataStoreUrl: account.name.apply((name) => blobContainerUrl(name, dataContainerName)),
      dataStoreId: container.id,
      backupVaultName: vault.name,
      database: db?.outputs,
      databaseMetricsId: db?.serverId,
    },
    storageAccountId: account.id,
    storageAccountName: account.name,
    containerId: container.id,
    database: db,
    backupVaultId: vault.id,
    encryptionIdentity: { id: encryptionIdentity.id, clientId: encryptionIdentity.clientId, keyAccess },
  };
}
