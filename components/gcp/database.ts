// The database on GCP: Cloud SQL for PostgreSQL with a private IP only (private services access),
// TLS only, the platform's key, a standby in another zone where the spec asks (REGIONAL), point-in-time
// recovery, deletion protection at both the provider and the Cloud SQL API, IAM database
// authentication on, and a cross-region read replica where the spec names a copy region (Backup and DR
// vaults are regional: the replica is the copy that survives the region). The services connect with the
// `app` user, whose password is in Secret Manager; the instance name ends in a random suffix because a
// deleted instance's name cannot be reused for up to a week.
import * as kms from "@pulumi/gcp/kms";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as sql from "@pulumi/gcp/sql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BlockContext } from "../cloud";
import type { DatabaseOutputs, DatabaseSpec, NetworkOutputs, SecretsStoreOutputs } from "../model";
import { cloudSqlTiers } from "./databaseSizes";
import { databaseDailyDays, pointInTimeDays } from "./limits";
import { type GcpStack, child, labels, stateful } from "./options";

export const postgresPort = 5432;
export const databaseUser = "app";

export interface Database {
  outputs: DatabaseOutputs;
  instance: sql.DatabaseInstance;
  /** `project:instance`, as Cloud SQL metrics name the database (label database_id). */
  metricsId: pulumi.Output<string>;
}

export function database(
  ctx: BlockContext,
  stack: GcpStack,
  db: DatabaseSpec,
  deps: { secrets: SecretsStoreOutputs; network: NetworkOutputs; copyKeyId?: pulumi.Output<string> },
): Database {
  const { spec, names } = ctx;
  const n = `${ctx.name}-database`;
  const project = stack.project;
  const size = cloudSqlTiers[db.size];
  const suffix = new random.RandomId(`${n}-suffix`, { byteLength: 4 }, { parent: ctx.parent, protect: spec.deletionProtection });
  const zones = spec.network.zones;
  const settings = {
    tier: size.tier,
    // PostgreSQL 16 and later default to Enterprise Plus, which runs no custom machine types.
    edition: "ENTERPRISE",
    diskType: "PD_SSD",
    diskSize: db.storageGb,
    diskAutoresize: db.maxStorageGb > db.storageGb,
    diskAutoresizeLimit: db.maxStorageGb > db.storageGb ? db.maxStorageGb : 0,
    deletionProtectionEnabled: spec.deletionProtection,
    ipConfiguration: { ipv4Enabled: false, privateNetwork: deps.network.networkId, sslMode: "ENCRYPTED_ONLY" },
    databaseFlags: [{ name: "cloudsql.iam_authentication", value: "on" }],
    insightsConfig: { queryInsightsEnabled: true },
    userLabels: labels(ctx),
  };
  const instance = new sql.DatabaseInstance(
    n,
    {
      name: pulumi.interpolate`${names.name("gcpSqlInstance")}-${suffix.hex}`,
      project,
      region: spec.region,
      databaseVersion: `POSTGRES_${db.version}`,
      encryptionKeyName: deps.secrets.encryptionKeyId,
      deletionProtection: spec.deletionProtection,
      settings: {
        ...settings,
        availabilityType: db.highAvailability ? "REGIONAL" : "ZONAL",
        locationPreference: { zone: zones[0], ...(db.highAvailability && zones.length > 1 ? { secondaryZone: zones[1] } : {}) },
        // Until Backup and DR takes over the instance's backups (the association below), and for the logs
        // point-in-time recovery replays. 17:00 UTC is 02:00 in Tokyo (seed 004).
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: pointInTimeDays(spec),
          // Cloud SQL keeps more backups than days of logs, or refuses the configuration (limits.ts).
          backupRetentionSettings: { retainedBackups: databaseDailyDays(spec), retentionUnit: "COUNT" },
          startTime: "17:00",
        },
        maintenanceWindow: { day: 7, hour: 18, updateTrack: "stable" },
        retainBackupsOnDelete: spec.deletionProtection,
      },
    },
    // The association rewrites the backup configuration, and Cloud SQL refuses to change it while a
    // Backup and DR plan is attached (hashicorp/terraform-provider-google#24932): left as it is after creation.
    stateful(ctx, stack, { dependsOn: [stack.privateServices!, stack.keyGrants.sqladmin!], ignoreChanges: ["settings.backupConfiguration"] }),
  );
  new sql.Database(`${n}-db`, { name: db.databaseName, instance: instance.name, project }, stateful(ctx, stack));

  const password = new random.RandomPassword(`${n}-password`, { length: 40, special: false }, { parent: ctx.parent, additionalSecretOutputs: ["result", "bcryptHash"] });
  new sql.User(`${n}-user`, { name: databaseUser, instance: instance.name, project, password: password.result }, child(ctx, stack, { additionalSecretOutputs: ["password"] }));
  const secret = (kind: string, data: pulumi.Input<string>) => {
    const s = new secretmanager.Secret(
      `${n}-${kind}`,
      {
        secretId: names.name("gcpSecretId", "database", kind),
        project,
        replication: { userManaged: { replicas: [{ location: spec.region, customerManagedEncryption: { kmsKeyName: deps.secrets.encryptionKeyId } }] } },
        deletionProtection: spec.deletionProtection,
        labels: labels(ctx, { source: "database" }),
      },
      stateful(ctx, stack, { dependsOn: [stack.keyGrants.secretmanager!] }),
    );
    const v = new secretmanager.SecretVersion(`${n}-${kind}-version`, { secret: s.id, secretData: data, deletionPolicy: spec.deletionProtection ? "DISABLE" : "DELETE" }, child(ctx, stack, { additionalSecretOutputs: ["secretData"] }));
    return { secret: s, version: v };
  };
  // The JSON the neutral contract promises (credentialsRef), and the password alone: Cloud Run injects a
  // whole secret version, it cannot pick a key out of JSON.
  const credentials = secret("credentials", pulumi.jsonStringify({ username: databaseUser, password: password.result }));
  const passwordSecret = secret("password", password.result);
  stack.databasePasswordSecretId = passwordSecret.secret.secretId;
  stack.databasePasswordVersion = passwordSecret.version.version;
  stack.databaseUser = databaseUser;
  stack.databaseInstanceName = instance.name;

  const copyRegion = spec.backup.copyRegion;
  if (copyRegion !== undefined && deps.copyKeyId !== undefined) {
    const grant = new kms.CryptoKeyIAMMember(`${n}-copy-key-sqladmin`, { cryptoKeyId: deps.copyKeyId, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: stack.agents.sqladmin! }, child(ctx, stack));
    const replicaSuffix = new random.RandomId(`${n}-replica-suffix`, { byteLength: 4 }, { parent: ctx.parent, protect: spec.deletionProtection });
    new sql.DatabaseInstance(
      `${n}-replica`,
      {
        name: pulumi.interpolate`${names.name("gcpSqlInstance", "replica")}-${replicaSuffix.hex}`,
        project,
        region: copyRegion,
        databaseVersion: `POSTGRES_${db.version}`,
        masterInstanceName: instance.name,
        replicaConfiguration: { failoverTarget: false },
        encryptionKeyName: deps.copyKeyId,
        deletionProtection: spec.deletionProtection,
        settings: { ...settings, availabilityType: "ZONAL" },
      },
      stateful(ctx, stack, { dependsOn: [grant] }),
    );
  }
  return {
    instance,
    metricsId: pulumi.interpolate`${project}:${instance.name}`,
    outputs: {
      host: instance.privateIpAddress,
      port: postgresPort,
      databaseName: db.databaseName,
      credentialsRef: credentials.secret.id,
      accessId: deps.network.networkId,
      instanceId: instance.name,
    },
  };
}
