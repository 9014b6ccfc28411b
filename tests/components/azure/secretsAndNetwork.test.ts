// The Azure secrets store and network: Key Vault with RBAC, purge protection and soft delete per
// environment, the rotating key, one secret per declared name (generated values never in plain text,
// external ones created with a placeholder and never updated by the program), audit logs; the VNet's
// subnets by role written one after another, the delegated and deliberately sized Container Apps
// subnet, NSGs that admit Front Door only to the apps and the apps only to the database, the NAT
// gateway, the database's private DNS zone, flow logs in production; the workspaces and retention.
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";

let dev: SynthResult;
let production: SynthResult;
let endpoints: SynthResult;
beforeAll(async () => {
  dev = await runProgram({ stack: "dev", cloud: "azure" });
  production = await runProgram({ stack: "production", cloud: "azure" });
  endpoints = await runProgram({ stack: "dev", cloud: "azure", set: ["platform:network.interfaceEndpoints=true"] });
  for (const r of [dev, production, endpoints]) expect(r.error).toBeUndefined();
}, 120_000);

describe("the foundation", () => {
  it("is one resource group per stack carrying the random name suffix, protected in production", () => {
    const rg = named(production, "secrets-resource-group");
    expect(rg.inputs).toMatchObject({ resourceGroupName: "platform-production", location: "japaneast", tags: { "platform-name-suffix": expect.stringMatching(/^[a-z0-9]{4}$/) } });
    expect(rg).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(dev, "secrets-resource-group")).toMatchObject({ protect: false, retainOnDelete: false });
    expect(named(production, "secrets-name-suffix").inputs).toMatchObject({ length: 4, upper: false, special: false });
  });

  it("keeps application logs the preset's days per table and audit logs 365 days in a workspace of their own", () => {
    for (const [r, days] of [[dev, 7], [production, 30]] as const) {
      const tables = ofType(r, "azure-native:operationalinsights:Table");
      expect(tables.map((t) => t.inputs.tableName).sort()).toEqual(["AppAvailabilityResults", "AzureDiagnostics", "ContainerAppConsoleLogs", "ContainerAppSystemLogs"]);
      for (const t of tables) expect(t.inputs).toMatchObject({ retentionInDays: days, totalRetentionInDays: days });
      expect(named(r, "secrets-logs").inputs.retentionInDays).toBe(30);
      expect(named(r, "secrets-audit-logs").inputs).toMatchObject({ retentionInDays: 365, sku: { name: "PerGB2018" } });
      // The audit workspace has no table of the application retention: nothing there can be shortened by it.
      for (const t of tables) expect(t.inputs.workspaceName).not.toBe(named(r, "secrets-audit-logs").inputs.workspaceName);
    }
    // Both workspaces hold logs a deletion would lose (the pack's stateful-protected); their tables stay with them.
    for (const name of ["secrets-logs", "secrets-audit-logs"]) expect(named(production, name)).toMatchObject({ protect: true, retainOnDelete: true });
    for (const t of ofType(production, "azure-native:operationalinsights:Table")) expect(t).toMatchObject({ protect: false, retainOnDelete: true });
    expect(named(dev, "secrets-logs")).toMatchObject({ protect: false, retainOnDelete: false });
  });
});

describe("Key Vault", () => {
  it("authorizes by RBAC, with purge protection on and soft delete 90 days in production, 7 in dev", () => {
    for (const [r, days, sku] of [[production, 90, "premium"], [dev, 7, "standard"]] as const) {
      const vault = named(r, "secrets-vault");
      expect(vault.inputs.properties).toMatchObject({ enableRbacAuthorization: true, enablePurgeProtection: true, enableSoftDelete: true, softDeleteRetentionInDays: days, sku: { family: "A", name: sku } });
      expect(vault.inputs.vaultName).toMatch(/^platform-[a-z0-9-]+-[a-z0-9]{4}$/);
    }
    expect(named(production, "secrets-vault")).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("has a key that rotates yearly (HSM-backed in production), the customer-managed key of storage and the backup vault", () => {
    const key = named(production, "secrets-key");
    expect(key.inputs.properties).toMatchObject({ kty: "RSA-HSM", keySize: 3072, keyOps: ["wrapKey", "unwrapKey"], rotationPolicy: { attributes: { expiryTime: "P2Y" }, lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P1Y" } }, { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }] } });
    expect(named(dev, "secrets-key").inputs.properties).toMatchObject({ kty: "RSA" });
    const vault = String(named(production, "secrets-vault").inputs.vaultName);
    expect((named(production, "backup-vault").inputs.properties as { securitySettings: { encryptionSettings: { keyVaultProperties: { keyUri: string } } } }).securitySettings.encryptionSettings.keyVaultProperties.keyUri).toBe(`https://${vault}.vault.azure.net/keys/data-encryption`);
    expect(named(production, "backup-storage").inputs.encryption).toMatchObject({ keySource: "Microsoft.Keyvault", keyVaultProperties: { keyName: "data-encryption", keyVaultUri: `https://${vault}.vault.azure.net/` }, requireInfrastructureEncryption: true });
  });

  it("holds one secret per declared name, named without _, the generated value secret everywhere", () => {
    const secrets = ofType(dev, "azure-native:keyvault:Secret");
    expect(secrets.map((s) => s.inputs.secretName).sort()).toEqual(["ANTHROPIC-API-KEY", "JWT-SECRET"]);
    const jwt = named(dev, "secrets-JWT_SECRET");
    expect(jwt.inputs.properties).toBe("[secret]");
    expect(jwt.inputs.tags).toMatchObject({ "platform-secret-source": "generated", "platform-secret-length": "64" });
    expect(JSON.stringify(dev)).not.toMatch(/mock-[0-9a-f]{20}/);
  });

  it("creates an external secret with a placeholder that the program never updates, so the operator's value stays", () => {
    const key = named(dev, "secrets-ANTHROPIC_API_KEY");
    expect(key.inputs.properties).toMatchObject({ contentType: "application/x-platform-placeholder" });
    expect(key.ignoreChanges).toEqual(["properties", "tags"]);
    expect(named(dev, "secrets-JWT_SECRET").ignoreChanges).toEqual([]);
  });

  it("sends its audit events to the audit workspace", () => {
    expect(named(dev, "secrets-vault-audit").inputs).toMatchObject({ logs: [{ categoryGroup: "audit", enabled: true }], workspaceId: expect.stringContaining("/workspaces/platform-dev-audit") });
  });

  it("is reached through a private endpoint where the spec asks for interface endpoints", () => {
    const endpoint = named(endpoints, "network-vault-endpoint");
    expect(endpoint.inputs).toMatchObject({ subnet: { id: expect.stringMatching(/\/subnets\/endpoints$/) }, privateLinkServiceConnections: [{ groupIds: ["vault"] }] });
    expect(named(endpoints, "network-vault-endpoint-zone").inputs.privateZoneName).toBe("privatelink.vaultcore.azure.net");
    expect(named(endpoints, "backup-blob-endpoint-zone").inputs.privateZoneName).toBe("privatelink.blob.core.windows.net");
    expect(named(endpoints, "app-registry-endpoint-zone").inputs.privateZoneName).toBe("privatelink.azurecr.io");
    expect(named(endpoints, "app-registry").inputs.sku).toEqual({ name: "Premium" });
    expect(ofType(dev, "azure-native:network:PrivateEndpoint")).toEqual([]);
  });
});

describe("the network", () => {
  it("writes its three subnets one after another", () => {
    expect(named(dev, "network-endpoints").dependsOn).toEqual(["network-apps"]);
    expect(named(dev, "network-database").dependsOn).toEqual(["network-endpoints"]);
  });

  it("gives the Container Apps environment half the VNet, delegated to it, egress through the NAT gateway only", () => {
    const apps = named(dev, "network-apps");
    expect(apps.inputs).toMatchObject({ addressPrefix: "10.0.0.0/17", delegations: [{ serviceName: "Microsoft.App/environments" }], defaultOutboundAccess: false, natGateway: { id: expect.stringContaining("/natGateways/") } });
    expect(named(dev, "network-database").inputs).toMatchObject({ addressPrefix: "10.0.192.0/18", delegations: [{ serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" }] });
    expect(named(dev, "network-endpoints").inputs).toMatchObject({ addressPrefix: "10.0.128.0/18", privateEndpointNetworkPolicies: "Enabled" });
  });

  it("admits HTTPS from Front Door's backends only to the apps, and the apps only on 5432 to the database", () => {
    const apps = named(dev, "network-apps-nsg").inputs.securityRules as Record<string, unknown>[];
    expect(apps).toContainEqual(expect.objectContaining({ access: "Allow", sourceAddressPrefix: "AzureFrontDoor.Backend", destinationPortRanges: ["443", "31443"], protocol: "Tcp" }));
    expect(apps).toContainEqual(expect.objectContaining({ access: "Deny", sourceAddressPrefix: "Internet", priority: 4000 }));
    const db = named(dev, "network-database-nsg").inputs.securityRules as Record<string, unknown>[];
    expect(db).toContainEqual(expect.objectContaining({ access: "Allow", sourceAddressPrefix: "10.0.0.0/17", destinationPortRange: "5432" }));
    expect(db).toContainEqual(expect.objectContaining({ access: "Deny", sourceAddressPrefix: "VirtualNetwork" }));
  });

  it("has one NAT gateway with a zone-redundant Standard public IP", () => {
    expect(ofType(production, "azure-native:network:NatGateway")).toHaveLength(1);
    expect(named(production, "network-nat-ip").inputs).toMatchObject({ sku: { name: "Standard" }, publicIPAllocationMethod: "Static", zones: ["1", "2", "3"] });
    expect(named(dev, "network-nat-ip").inputs.zones).toEqual(["1", "2"]);
  });

  it("resolves the database through a private zone linked to the VNet", () => {
    expect(named(dev, "network-database-dns").inputs.privateZoneName).toBe("platform-dev.private.postgres.database.azure.com");
    expect(named(dev, "network-database-dns-link").inputs).toMatchObject({ registrationEnabled: false, virtualNetwork: { id: expect.stringContaining("/virtualNetworks/platform-dev") } });
  });

  it("keeps VNet flow logs with traffic analytics into the audit workspace in production only", () => {
    expect(ofType(dev, "azure-native:network:FlowLog")).toEqual([]);
    const flow = named(production, "network-flow-log");
    expect(flow.inputs).toMatchObject({
      networkWatcherName: "NetworkWatcher_japaneast",
      resourceGroupName: "NetworkWatcherRG",
      targetResourceId: expect.stringContaining("/virtualNetworks/platform-production"),
      format: { type: "JSON", version: 2 },
      retentionPolicy: { enabled: true, days: 365 },
      flowAnalyticsConfiguration: { networkWatcherFlowAnalyticsConfiguration: { enabled: true, workspaceResourceId: expect.stringContaining("platform-production-audit") } },
    });
    expect(named(production, "network-flow-logs-storage").inputs).toMatchObject({ minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false });
  });

  it("encrypts the flow logs' storage account with the platform key, through an identity of its own that may use that key only", () => {
    const account = named(production, "network-flow-logs-storage");
    expect(account.inputs).toMatchObject({
      identity: { type: "UserAssigned", userAssignedIdentities: [expect.stringMatching(/\/userAssignedIdentities\/platform-production-flow-logs$/)] },
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: { keyName: "data-encryption", keyVaultUri: expect.stringMatching(/^https:\/\/platform-production-[a-z0-9]{4}\.vault\.azure\.net\/$/) },
        encryptionIdentity: { encryptionUserAssignedIdentity: expect.stringMatching(/platform-production-flow-logs$/) },
      },
    });
    expect(account.dependsOn).toEqual(["network-flow-logs-key-access"]);
    const access = named(production, "network-flow-logs-key-access").inputs;
    expect(access.roleDefinitionId).toMatch(/\/roleDefinitions\/e147488a-f6f5-4113-8e2d-b22465e65bf6$/);
    expect(access.scope).toMatch(/\/vaults\/platform-production-[a-z0-9]{4}\/keys\/data-encryption$/);
    expect(named(production, "network-flow-logs-key-access").retainOnDelete).toBe(true);
  });

  it("exports the VNet and the three subnets, no public subnet", () => {
    expect(dev.outputs.privateSubnetIds).toHaveLength(3);
    expect(dev.outputs.publicSubnetIds).toEqual([]);
  });
});
