// The platform's PostgreSQL database on Azure: a flexible server with private access only (VNet
// integration in the network's delegated database subnet, resolved through its private DNS zone),
// Microsoft Entra authentication only (no password exists anywhere: each service signs in as its own
// managed identity, made an Entra administrator by the container service), TLS 1.2 or newer required,
// zone-redundant high availability and geo-redundant backups where the spec asks, its server logs in
// the application workspace. The backup vault block builds it and protects it.
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { DatabaseOutputs, DatabaseSpec } from "../model";
import { flexibleServerRetentionDays, flexibleServerSku, flexibleServerStorage } from "./databaseLimits";
import { diagnosticSetting } from "./diagnostics";
import type { Foundation } from "./foundation";
import type { AzureNames } from "./names";
import { type AzureNetwork, postgresPort } from "./network";
import { keptWith, stateful, tags } from "./options";
import { deleteLock } from "./roles";

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
}

export function database(ctx: BlockContext, db: DatabaseSpec, f: Foundation, names: AzureNames, net: AzureNetwork): AzureDatabase {
  const { spec } = ctx;
  const n = `${ctx.name}-db`;
  const sku = flexibleServerSku(db.size, db.highAvailability);
  const zones = spec.network.zones;
  const zoneRedundant = db.highAvailability && zones.length >= 2;
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
      maintenanceWindow,
      tags: tags(ctx),
    },
    stateful(ctx, {
      // Flexible Server takes a new zone, standby zone or network only by a new server; keep them as created.
      ignoreChanges: ["availabilityZone", "network", "highAvailability.standbyAvailabilityZone"],
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
  };
}
