// The Azure data stores and backup vault: the storage account (TLS 1.2, no public or shared-key
// access, versioning, soft delete, point-in-time restore where the spec keeps continuous backups,
// customer-managed key, geo-zone-redundant in production), the PostgreSQL flexible server (private
// access, Entra authentication only, TLS, zone-redundant HA and geo backup in production), the Data
// Protection vault (geo-redundant with cross-region restore in production, soft delete and
// immutability where data is protected, destroyable in dev), its policies with the preset's daily,
// weekly and monthly retention, its instances and roles, and the monthly restore test.
import { backupPolicyProperties, retentionTags } from "../../../components/azure/backupPolicies";
import { restoreTestScript } from "../../../components/azure/restoreTest";
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";

let dev: SynthResult;
let staging: SynthResult;
let production: SynthResult;
let noDatabase: SynthResult;
beforeAll(async () => {
  dev = await runProgram({ stack: "dev", cloud: "azure" });
  staging = await runProgram({ stack: "staging", cloud: "azure" });
  production = await runProgram({ stack: "production", cloud: "azure" });
  noDatabase = await runProgram({ stack: "production", cloud: "azure", set: ["platform:database.enabled=false"] });
  for (const r of [dev, staging, production, noDatabase]) expect(r.error).toBeUndefined();
}, 120_000);

const props = (r: SynthResult, name: string) => named(r, name).inputs.properties as Record<string, any>;

describe("the storage account", () => {
  it("takes TLS 1.2, Microsoft Entra ID only, no public blobs, and the platform key through its own identity", () => {
    for (const r of [dev, production]) {
      expect(named(r, "backup-storage").inputs).toMatchObject({
        kind: "StorageV2",
        minimumTlsVersion: "TLS1_2",
        enableHttpsTrafficOnly: true,
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        identity: { type: "UserAssigned", userAssignedIdentities: [expect.stringContaining("/userAssignedIdentities/platform-")] },
        encryption: { keySource: "Microsoft.Keyvault", encryptionIdentity: { encryptionUserAssignedIdentity: expect.stringContaining("data-encryption") } },
      });
      expect(named(r, "backup-storage").dependsOn).toEqual(["backup-encryption-key-access"]);
      expect(named(r, "backup-encryption-key-access").inputs.roleDefinitionId).toMatch(/\/roleDefinitions\/e147488a-f6f5-4113-8e2d-b22465e65bf6$/);
    }
  });

  it("is geo-zone-redundant where backups go to the pair, zone-redundant elsewhere", () => {
    expect(named(production, "backup-storage").inputs.sku).toEqual({ name: "Standard_GZRS" });
    expect(named(dev, "backup-storage").inputs.sku).toEqual({ name: "Standard_ZRS" });
  });

  it("versions blobs, keeps deleted ones, and restores to a point in time where the spec keeps continuous backups", () => {
    expect(named(production, "backup-storage-blob-service").inputs).toMatchObject({ isVersioningEnabled: true, changeFeed: { enabled: true }, deleteRetentionPolicy: { enabled: true, days: 8 }, restorePolicy: { enabled: true, days: 7 } });
    expect(named(dev, "backup-storage-blob-service").inputs).toMatchObject({ isVersioningEnabled: true, deleteRetentionPolicy: { enabled: true, days: 7 }, restorePolicy: { enabled: false } });
    expect(named(dev, "backup-storage-data").inputs).toMatchObject({ containerName: "data", publicAccess: "None" });
    expect(named(dev, "backup-storage-lifecycle").inputs.policy).toMatchObject({ rules: [{ definition: { actions: { version: { delete: { daysAfterCreationGreaterThan: 7 } } } } }] });
  });

  it("is the data store services read: its data container's URL, and it is locked and kept in production", () => {
    expect(production.outputs.dataStoreUrl).toBe(`https://${named(production, "backup-storage").inputs.accountName}.blob.core.windows.net/data`);
    expect(named(production, "backup-storage")).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(production, "backup-storage-lock").inputs).toMatchObject({ level: "CanNotDelete", scope: expect.stringContaining("/storageAccounts/") });
    expect(ofType(dev, "azure-native:authorization:ManagementLockByScope")).toEqual([]);
    expect(named(dev, "backup-storage")).toMatchObject({ protect: false, retainOnDelete: false });
  });
});

describe("the PostgreSQL flexible server", () => {
  it("is reachable on private addresses only, in the delegated subnet and the private zone", () => {
    expect(named(production, "backup-db").inputs.network).toEqual({
      delegatedSubnetResourceId: expect.stringMatching(/\/subnets\/database$/),
      privateDnsZoneArmResourceId: expect.stringMatching(/\/privateDnsZones\/platform-production\.private\.postgres\.database\.azure\.com$/),
      publicNetworkAccess: "Disabled",
    });
  });

  it("signs in with Microsoft Entra ID only: no password exists", () => {
    const server = named(production, "backup-db").inputs;
    expect(server.authConfig).toMatchObject({ activeDirectoryAuth: "Enabled", passwordAuth: "Disabled" });
    expect(server.administratorLogin).toBeUndefined();
    expect(server.administratorLoginPassword).toBeUndefined();
    expect(JSON.stringify(production.resources)).not.toMatch(/administratorLoginPassword/);
    const login = named(production, "app-api-database-login").inputs;
    expect(login).toMatchObject({ principalType: "ServicePrincipal", objectId: expect.stringMatching(/^[0-9a-f-]{36}$/), principalName: "platform-production-api" });
  });

  it("requires TLS 1.2 or newer", () => {
    expect(named(production, "backup-db-require-secure-transport").inputs).toMatchObject({ configurationName: "require_secure_transport", value: "on" });
    expect(named(production, "backup-db-ssl-min-protocol-version").inputs).toMatchObject({ configurationName: "ssl_min_protocol_version", value: "TLSv1.2" });
    expect(named(production, "backup-db-ssl-min-protocol-version").dependsOn).toEqual(["backup-db-require-secure-transport"]);
  });

  it("has a zone-redundant standby and geo-redundant backups in production, neither in dev", () => {
    expect(named(production, "backup-db").inputs).toMatchObject({ highAvailability: { mode: "ZoneRedundant", standbyAvailabilityZone: "2" }, availabilityZone: "1", backup: { geoRedundantBackup: "Enabled", backupRetentionDays: 7 }, sku: { name: "Standard_D2ds_v5", tier: "GeneralPurpose" }, storage: { storageSizeGB: 64, autoGrow: "Enabled" } });
    expect(named(dev, "backup-db").inputs).toMatchObject({ highAvailability: { mode: "Disabled" }, backup: { geoRedundantBackup: "Disabled", backupRetentionDays: 7 }, sku: { name: "Standard_B2s", tier: "Burstable" } });
  });

  it("is encrypted with the platform key through the data-encryption identity, its geo-redundant backups with a key in the pair", () => {
    const server = named(production, "backup-db");
    expect(server.inputs.dataEncryption).toEqual({
      type: "AzureKeyVault",
      primaryKeyURI: expect.stringMatching(/^https:\/\/platform-production-[a-z0-9]{4}\.vault\.azure\.net\/keys\/data-encryption$/),
      primaryUserAssignedIdentityId: expect.stringMatching(/\/userAssignedIdentities\/platform-production-data-encryption$/),
      geoBackupKeyURI: expect.stringMatching(/^https:\/\/platform-pro-[0-9a-f]{6}-[a-z0-9]{4}\.vault\.azure\.net\/keys\/data-encryption$/),
      geoBackupUserAssignedIdentityId: expect.stringMatching(/\/userAssignedIdentities\/platform-production-database-geo-encryption$/),
    });
    expect(Object.keys((server.inputs.identity as { userAssignedIdentities: object }).userAssignedIdentities).map((id) => id.split("/").pop())).toEqual(["platform-production-data-encryption", "platform-production-database-geo-encryption"]);
    // The geo key's vault and its identity are in the region the geo-redundant backups are stored in.
    expect(named(production, "secrets-geo-vault")).toMatchObject({ protect: true, inputs: { location: "japanwest", properties: { enablePurgeProtection: true, enableRbacAuthorization: true } } });
    expect(named(production, "secrets-geo-key").inputs.properties).toEqual(named(production, "secrets-key").inputs.properties);
    expect(named(production, "backup-db-geo-encryption-identity").inputs.location).toBe("japanwest");
    expect(named(production, "backup-db-geo-encryption-key-access").inputs).toMatchObject({ scope: expect.stringMatching(/\/vaults\/platform-pro-[0-9a-f]{6}-[a-z0-9]{4}\/keys\/data-encryption$/), roleDefinitionId: expect.stringMatching(/e147488a-f6f5-4113-8e2d-b22465e65bf6$/) });
    expect(server.dependsOn).toEqual(["backup-encryption-key-access", "backup-db-geo-encryption-key-access"]);
    // Chosen when a server is created: one created before keeps the service-managed key.
    expect(server.ignoreChanges).toContain("dataEncryption");
    // Without geo-redundant backups, the platform key only.
    expect(named(dev, "backup-db").inputs.dataEncryption).toEqual({ type: "AzureKeyVault", primaryKeyURI: expect.stringContaining("/keys/data-encryption"), primaryUserAssignedIdentityId: expect.stringMatching(/platform-dev-data-encryption$/) });
    expect(ofType(dev, "azure-native:keyvault:Vault").map((v) => v.name)).toEqual(["secrets-vault"]);
    expect(ofType(noDatabase, "azure-native:keyvault:Vault").map((v) => v.name)).toEqual(["secrets-vault"]);
  });

  it("is protected, locked and kept in production, destroyable in dev", () => {
    expect(named(production, "backup-db")).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(production, "backup-db-lock").inputs.level).toBe("CanNotDelete");
    expect(named(dev, "backup-db")).toMatchObject({ protect: false, retainOnDelete: false });
  });

  it("hands services its address and database by reference: the same neutral outputs as on AWS", () => {
    expect(production.outputs.database).toEqual({
      host: expect.stringMatching(/^platform-production-[a-z0-9]{4}\.postgres\.database\.azure\.com$/),
      port: 5432,
      name: "app",
      instance: expect.stringMatching(/^platform-production-[a-z0-9]{4}$/),
      credentialsRef: expect.stringMatching(/\/flexibleServers\/platform-production-[a-z0-9]{4}\/administrators$/),
    });
    expect(noDatabase.outputs.database).toBeUndefined();
    expect(ofType(noDatabase, "azure-native:dbforpostgresql:Server")).toEqual([]);
  });
});

describe("the backup vault", () => {
  it("is geo-redundant with cross-region restore in production, zone-redundant elsewhere", () => {
    expect(props(production, "backup-vault")).toMatchObject({ storageSettings: [{ datastoreType: "VaultStore", type: "GeoRedundant" }], featureSettings: { crossRegionRestoreSettings: { state: "Enabled" } } });
    expect(props(dev, "backup-vault")).toMatchObject({ storageSettings: [{ datastoreType: "VaultStore", type: "ZoneRedundant" }] });
    expect(props(dev, "backup-vault").featureSettings).toBeUndefined();
  });

  it("keeps deleted recovery points (soft delete, immutability) where data is protected; dev and staging can be destroyed at once", () => {
    expect(props(production, "backup-vault").securitySettings).toMatchObject({ softDeleteSettings: { state: "On", retentionDurationInDays: 14 }, immutabilitySettings: { state: "Unlocked" } });
    for (const r of [dev, staging]) expect(props(r, "backup-vault").securitySettings).toMatchObject({ softDeleteSettings: { state: "Off" }, immutabilitySettings: { state: "Disabled" } });
    expect(named(production, "backup-vault")).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("encrypts with the platform key and has a system identity for its roles", () => {
    expect(named(dev, "backup-vault").inputs.identity).toMatchObject({ type: "SystemAssigned,UserAssigned" });
    expect(props(dev, "backup-vault").securitySettings.encryptionSettings).toMatchObject({ state: "Enabled", kekIdentity: { identityType: "UserAssigned" }, infrastructureEncryption: "Enabled" });
  });

  it("retains daily backups 7 days, weekly 4 weeks, monthly 12 months as the preset says", () => {
    const policy = props(production, "backup-postgres-policy");
    const retention = Object.fromEntries(policy.policyRules.filter((r: any) => r.objectType === "AzureRetentionRule").map((r: any) => [r.name, r.lifecycles[0].deleteAfter.duration]));
    expect(retention).toEqual({ Default: "P7D", Weekly: "P4W", Monthly: "P12M" });
    const tagging = policy.policyRules[0].trigger.taggingCriteria;
    expect(tagging).toContainEqual(expect.objectContaining({ tagInfo: { tagName: "Monthly" }, criteria: [{ objectType: "ScheduleBasedBackupCriteria", absoluteCriteria: ["FirstOfMonth"] }] }));
    expect(policy.policyRules[0]).toMatchObject({ backupParameters: { backupType: "Full" }, trigger: { schedule: { repeatingTimeIntervals: ["R/2025-01-05T05:00:00+00:00/P1D"] } } });
    expect(props(staging, "backup-blob-policy").policyRules.filter((r: any) => r.objectType === "AzureRetentionRule").map((r: any) => r.name)).toEqual(["Default", "Weekly"]);
    expect(props(dev, "backup-blob-policy").policyRules.filter((r: any) => r.objectType === "AzureRetentionRule").map((r: any) => r.name)).toEqual(["Default"]);
    expect(props(dev, "backup-blob-policy").datasourceTypes).toEqual(["Microsoft.Storage/storageAccounts/blobServices"]);
    expect(props(dev, "backup-blob-policy").policyRules[0]).toMatchObject({ backupParameters: { backupType: "Discrete" } });
  });

  it("names a policy after its rules: a change of retention is a new policy, as PostgreSQL policies cannot change", () => {
    const names = [dev, staging, production].map((r) => String(named(r, "backup-postgres-policy").inputs.backupPolicyName));
    expect(new Set(names).size).toBe(3);
    expect(retentionTags({ dailyRetentionDays: 7, monthlyRestoreTest: false })).toEqual([{ tag: "Default", priority: 99, duration: "P7D" }]);
    expect(backupPolicyProperties("postgres", { dailyRetentionDays: 7, monthlyRestoreTest: false }).datasourceTypes).toEqual(["Microsoft.DBforPostgreSQL/flexibleServers"]);
  });

  it("protects the data container and the database, each after the vault's roles on it", () => {
    expect(props(production, "backup-blob-backup")).toMatchObject({ dataSourceInfo: { datasourceType: "Microsoft.Storage/storageAccounts/blobServices", resourceType: "Microsoft.Storage/storageAccounts" }, policyInfo: { policyParameters: { backupDatasourceParametersList: [{ containersList: ["data"] }] } } });
    expect(named(production, "backup-blob-backup").dependsOn).toEqual(["backup-vault-storage-access", "backup-storage-data"]);
    expect(named(production, "backup-vault-storage-access").inputs.roleDefinitionId).toMatch(/e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1$/);
    expect(props(production, "backup-postgres-backup")).toMatchObject({ dataSourceInfo: { datasourceType: "Microsoft.DBforPostgreSQL/flexibleServers" } });
    expect(named(production, "backup-postgres-backup").dependsOn).toEqual(["backup-vault-database-access", "backup-vault-group-reader"]);
    expect(ofType(noDatabase, "azure-native:dataprotection:BackupInstance").map((r) => r.name)).toEqual(["backup-blob-backup"]);
  });
});

describe("the monthly restore test", () => {
  it("is a scheduled job on the 2nd of each month that may take as long as the RTO", () => {
    const job = named(production, "app-restore-test");
    expect(job.type).toBe("azure-native:app:Job");
    expect(job.inputs.configuration).toMatchObject({ triggerType: "Schedule", scheduleTriggerConfig: { cronExpression: "0 6 2 * *" }, replicaTimeout: 14400, replicaRetryLimit: 0 });
    expect(ofType(dev, "azure-native:app:Job")).toEqual([]);
    expect(ofType(noDatabase, "azure-native:app:Job")).toEqual([]);
  });

  it("restores the live server to a scratch server in a group of its own, checks it, and deletes it", () => {
    expect(restoreTestScript).toContain('az postgres flexible-server restore --resource-group "$SCRATCH_GROUP"');
    expect(restoreTestScript).toContain("trap cleanup EXIT");
    expect(restoreTestScript).toContain('az postgres flexible-server db show --resource-group "$SCRATCH_GROUP"');
    expect(restoreTestScript).toMatch(/result PASSED/);
    const env = Object.fromEntries((named(production, "app-restore-test").inputs.template as any).containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ SCRATCH_GROUP: "platform-production-restore-test", DATABASE_NAME: "app", RTO_MINUTES: "240", SOURCE_SERVER_ID: expect.stringContaining("/flexibleServers/") });
  });

  it("may create servers only in the scratch group, read the live server, join the subnet and zone, and assign the database's encryption identities", () => {
    const grants = ofType(production, "azure-native:authorization:RoleAssignment").filter((g) => g.name.startsWith("app-restore-test-"));
    expect(grants.map((g) => [g.name, String(g.inputs.scope).split("/").slice(-2).join("/")])).toEqual([
      ["app-restore-test-scratch", "resourceGroups/platform-production-restore-test"],
      ["app-restore-test-source", expect.stringMatching(/^flexibleServers\/platform-production-/)],
      ["app-restore-test-subnet", "subnets/database"],
      ["app-restore-test-dns", "privateDnsZones/platform-production.private.postgres.database.azure.com"],
      ["app-restore-test-encryption-identity", "userAssignedIdentities/platform-production-data-encryption"],
      ["app-restore-test-encryption-identity-geo", "userAssignedIdentities/platform-production-database-geo-encryption"],
    ]);
    for (const name of ["app-restore-test-encryption-identity", "app-restore-test-encryption-identity-geo"]) {
      expect(named(production, name).inputs.roleDefinitionId).toMatch(/\/roleDefinitions\/f1a07417-d97a-45cb-824c-7a7467783830$/);
    }
    expect((named(production, "app-restore-test-network-join").inputs.permissions as any)[0].actions).toEqual(["Microsoft.Network/virtualNetworks/subnets/join/action", "Microsoft.Network/privateDnsZones/join/action", "Microsoft.Network/privateDnsZones/read"]);
  });
});
