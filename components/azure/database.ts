// The platform's PostgreSQL database on Azure: a flexible server with private access only (VNet
// integration in the network's delegated database subnet, resolved through its private DNS zone),
// Microsoft Entra authentication only (no password exists anywhere: each service signs in as its own
// managed identity, made an Entra administrator by the container service), TLS 1.2 or newer required,
// zone-redundant high availability and geo-redundant backups where the spec asks, its data encrypted
// with the platform key (its geo-redundant backups with a key in the region's pair), its server logs
// in the application workspace. The backup vault block builds it and protects it.
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { DatabaseOutputs, DatabaseSpec } from "../model";
import { flexibleServerRetentionDays, flexibleServerSku, flexibleServerStorage } from "./databaseLimits";
import { diagnosticSetting } from "./diagnostics";
import type { Foundation } from "./foundation";
import { type AzureNames, builtInRoles } from "./names";
import { type AzureNetwork, postgresPort } from "./network";
import { keptWith, stateful, tags } from "./options";
import { deleteLock, grant } from "./roles";

/** Sunday 02:00-03:00 UTC, before the vault's backups (05:00): updates and restarts happen when traffic is low. */
export const maintenanceWindow = { customWindow: "Enabled", dayOfWeek: 0, startHour: 2, startMinute: 0 } as const;

/** Server parameters the platform sets, one after another (a server takes one parameter change at a time). */
export const serverParameters = {
  // Refuses every connection without TLS, and TLS below 1.2 ("Networking overview: TLS and SSL").
  require_secure_transport: "on",
  ssl_min_protocol_version: "TLSv1.2",
} as const;

export interface AzureDatabase {
  outputs: DatabaseOutputs;
  serverId: pulumi.Output<string>;
  serverName: pulumi.Output<string>;
  /** The identities the server reads its keys with: whoever restores it into a new server assigns them to it. */
  encryptionIdentityIds: pulumi.Output<string>[];
}

/** The platform key, and the identity that may use it, for the server's data; the pair's key for its geo-redundant backups. */
export interface DatabaseEncryption {
  identityId: pulumi.Output<string>;
  keyUri: pulumi.Output<string>;
  keyAccess: pulumi.Resource;
  geoKey?: { keyId: pulumi.Output<string>; keyUri: pulumi.Output<string> };
}

export function database(ctx: BlockContext, db: DatabaseSpec, f: Foundation, names: AzureNames, net: AzureNetwork, encryption: DatabaseEncryption): AzureDatabase {
  const { spec } = ctx;
  const n = `${ctx.name}-db`;
  const sku = flexibleServerSku(db.size, db.highAvailability);
  const zones = spec.network.zones;
  const zoneRedundant = db.highAvailability && zones.length >= 2;
  const geoBackups = spec.backup.copyRegion !== undefined;
  if (geoBackups && !encryption.geoKey) throw new Error("the database's geo-redundant backups need the key of the secrets store in the region's pair");

  // Geo-redundant backups are encrypted through an identity of their own, in their region ("Data
  // encryption at rest in Azure Database for PostgreSQL flexible server": the primary's identity cannot
  // also authenticate to the geo-backup key's vault).
  const geo =
    geoBackups && encryption.geoKey
      ? (() => {
          const identity = new managedidentity.UserAssignedIdentity(
            `${n}-geo-encryption-identity`,
            { resourceName: names.identity("database-geo-encryption"), resourceGroupName: f.resourceGroupName, location: spec.backup.copyRegion, tags: tags(ctx) },
            keptWith(ctx),
          );
          const keyAccess = grant(
            ctx,
            `${n}-geo-encryption-key-access`,
            {
              scope: encryption.geoKey.keyId,
              role: builtInRoles.keyVaultCryptoServiceEncryptionUser,
              principalId: identity.principalId,
              subscriptionId: f.subscriptionId,
              description: "The database's geo-redundant backups wrap their data keys with the pair region's key",
            },
            { retainOnDelete: spec.deletionProtection },
          );
          return { identity, keyAccess, keyUri: encryption.geoKey.keyUri };
        })()
      : undefined;
  const identityIds = [encryption.identityId, ...(geo ? [geo.identity.id] : [])];
  const server = new dbforpostgresql.Server(
    n,
    {
      serverName: f.nameSuffix.apply(names.postgresServer),
      resourceGroupName: f.resourceGroupName,
      version: db.version,
      sku: { name: sku.name, tier: sku.tier },
      storage: {
        storageSizeGB: flexibleServerStorage(db.storageGb) ?? db.storageGb,
        autoGrow: db.maxStorageGb > db.storageGb ? "Enabled" : "Disabled",
      },
      backup: {
        backupRetentionDays: flexibleServerRetentionDays(db),
        // Copies the server's backups to the paired region, restorable there (creation time only).
        geoRedundantBackup: spec.backup.copyRegion !== undefined ? "Enabled" : "Disabled",
      },
      // The standby is in another zone where the network spans zones; otherwise in the same zone.
      highAvailability: db.highAvailability ? { mode: zoneRedundant ? "ZoneRedundant" : "SameZone", standbyAvailabilityZone: zoneRedundant ? zones[1] : undefined } : { mode: "Disabled" },
      availabilityZone: zones.length > 0 ? zones[0] : undefined,
      // Private access: an address in the delegated subnet, a name in the private zone, never public.
      network: { delegatedSubnetResourceId: net.databaseSubnetId, privateDnsZoneArmResourceId: net.databaseDnsZoneId, publicNetworkAccess: "Disabled" },
      authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Disabled", tenantId: f.tenantId },
      // The platform key, chosen when the server is created and never after (same source: "the mode can
      // only be selected at server creation time"); versionless URIs follow the keys' rotation.
      identity: { type: "UserAssigned", userAssignedIdentities: pulumi.all(identityIds).apply((ids) => Object.fromEntries(ids.map((id) => [id, {}]))) },
      dataEncryption: {
        type: "AzureKeyVault",
        primaryKeyURI: encryption.keyUri,
        primaryUserAssignedIdentityId: encryption.identityId,
        ...(geo ? { geoBackupKeyURI: geo.keyUri, geoBackupUserAssignedIdentityId: geo.identity.id } : {}),
      },
      maintenanceWindow,
      tags: tags(ctx),
    },
    stateful(ctx, {
      dependsOn: [encryption.keyAccess, ...(geo ? [geo.keyAccess] : [])],
      // Flexible Server takes a new zone, standby zone, network or encryption mode only by a new server;
      // keep them as created (a server created before the platform key keeps the service-managed key).
      ignoreChanges: ["availabilityZone", "network", "highAvailability.standbyAvailabilityZone", "dataEncryption"],
    }),
  );
  deleteLock(ctx, `${n}-lock`, server.id, "the platform database");

  let previous: pulumi.Resource = server;
  for (const [parameter, value] of Object.entries(serverParameters)) {
    previous = new dbforpostgresql.Configuration(
      `${n}-${parameter.replaceAll("_", "-")}`,
      { serverName: server.name, resourceGroupName: f.resourceGroupName, configurationName: parameter, value, source: "user-override" },
      keptWith(ctx, { dependsOn: [previous] }),
    );
  }
  const database = new dbforpostgresql.Database(
    `${n}-database`,
    { serverName: server.name, resourceGroupName: f.resourceGroupName, databaseName: db.databaseName, charset: "UTF8", collation: "en_US.utf8" },
    stateful(ctx, { dependsOn: [previous] }),
  );
  diagnosticSetting(ctx, `${n}-logs`, names.monitor("logs"), server.id, { categories: ["PostgreSQLLogs"], workspaceId: f.logsWorkspaceId });

  return {
    outputs: {
      host: pulumi.all([server.fullyQualifiedDomainName, database.name]).apply(([host]) => host),
      port: postgresPort,
      databaseName: db.databaseName,
      // No stored credentials: the Microsoft Entra administrators of the server, where each service's
      // identity is declared, are what admits a service (README: the database on Azure).
      credentialsRef: pulumi.interpolate`${server.id}/administrators`,
      accessId: net.databaseSecurityGroupId,
      instanceId: server.name,
    },
    serverId: server.id,
    serverName: server.name,
    encryptionIdentityIds: identityIds,
  };
}
