// Inputs that force a new resource, per azure-native type the program registers (azure-native
// 3.28.0). azure-native is not bridged from Terraform: its provider decides replacement itself, in
// calculateDetailedDiff (pulumi/pulumi-azure-native provider/pkg/provider/diff.go), from metadata
// generated out of the ARM REST API specs:
//  - every parameter in the resource's URL path forces a new resource: the resource group, the
//    resource's own name and its parents' names, a scope. They are exactly the arguments of the
//    SDK's get<Resource> function (a GET takes the PUT's path), less its query parameters;
//  - a top-level property the spec marks create-only (`x-ms-mutability` without `update`; TypeSpec
//    `@visibility(Lifecycle.Read, Lifecycle.Create)`), such as `location` of the common-types
//    TrackedResource (common-types/resource-management/v5/types.json);
//  - the provider's own forceNewMap (provider/pkg/gen/replacement.go): location of CDN profiles,
//    public IPs, VNets, resource groups and storage accounts; a CDN profile's sku.name; a public
//    IP's sku and version; a role assignment's principalId and scope.
// A create-only property nested in an object does not force a new resource: azure-native plans an
// update, which ARM refuses ("a non-updatable property at a subtype level does not mandate the
// replacement of the whole resource", properties.go). Where the spec could not be read for a
// property the program sets, the input is listed as unverified and a change of it is shown as
// "may be a replacement". The JS SDK carries none of this (`replaceOnChanges` appears in no
// azure-native 3.28.0 module except a doc comment in containerservice/managedCluster.js).
import type { ReplacementRule, ReplacementTable } from "./table";

const apiVersions = {
  app: "2025-02-02-preview",
  applicationinsightsComponent: "2020-02-02",
  applicationinsightsWebTest: "2022-06-15",
  lock: "2020-05-01",
  roleAssignment: "2022-04-01",
  roleDefinition: "2022-05-01-preview",
  cdn: "2025-06-01",
  containerregistry: "2023-01-01-preview",
  dataprotection: "2025-01-01",
  dbforpostgresql: "2025-08-01",
  frontdoor: "2025-11-01",
  keyvault: "2024-11-01",
  managedidentity: "2023-01-31",
  actionGroup: "2024-10-01-preview",
  diagnosticSetting: "2021-05-01-preview",
  metricAlert: "2018-03-01",
  scheduledQueryRule: "2025-01-01-preview",
  network: "2024-05-01",
  operationalinsights: "2023-09-01",
  portal: "2022-12-01-preview",
  privatedns: "2024-06-01",
  resources: "2024-03-01",
  storage: "2024-01-01",
} as const;

interface Extra {
  /** Create-only top-level properties, and forceNewMap entries. */
  forcing?: readonly string[];
  unverified?: readonly string[];
  note?: string;
}

/** `path`: the URL path parameters, as the SDK's get<Resource> names them. */
function arm(resource: string, armType: string, apiVersion: string, path: readonly string[], extra: Extra = {}): ReplacementRule {
  return {
    inputs: [...path, ...(extra.forcing ?? [])],
    source: `azure-native ${resource} (${armType} ${apiVersion})`,
    ...(extra.unverified ? { unverified: extra.unverified } : {}),
    ...(extra.note ? { note: extra.note } : {}),
  };
}

/** The location of a tracked resource whose spec could not be read here: ARM cannot move one in place either way. */
const locationUnverified = "location";

export const azureReplacements: ReplacementTable = {
  // ContainerApps.json 2025-02-02-preview: managedEnvironmentId and environmentId are create-only; the app is a v5 TrackedResource.
  "azure-native:app:ContainerApp": arm("app:ContainerApp", "Microsoft.App/containerApps", apiVersions.app, ["resourceGroupName", "containerAppName"], { forcing: ["location", "managedEnvironmentId", "environmentId"] }),
  "azure-native:app:Job": arm("app:Job", "Microsoft.App/jobs", apiVersions.app, ["resourceGroupName", "jobName"], { unverified: ["environmentId", locationUnverified] }),
  // ManagedEnvironments.json 2025-02-02-preview: zoneRedundant and infrastructureResourceGroup are create-only, location from
  // the v5 TrackedResource. vnetConfiguration.infrastructureSubnetId is create-only too, but nested: an update ARM refuses.
  "azure-native:app:ManagedEnvironment": arm("app:ManagedEnvironment", "Microsoft.App/managedEnvironments", apiVersions.app, ["resourceGroupName", "environmentName"], {
    forcing: ["location", "zoneRedundant", "infrastructureResourceGroup"],
    note: "vnetConfiguration.* is create-only but nested: azure-native plans an update that ARM refuses",
  }),
  "azure-native:applicationinsights:Component": arm("applicationinsights:Component", "Microsoft.Insights/components", apiVersions.applicationinsightsComponent, ["resourceGroupName", "resourceName"], {
    unverified: ["applicationType", "kind", "flowType", "requestSource", locationUnverified],
  }),
  "azure-native:applicationinsights:WebTest": arm("applicationinsights:WebTest", "Microsoft.Insights/webtests", apiVersions.applicationinsightsWebTest, ["resourceGroupName", "webTestName"], {
    unverified: ["kind", "webTestKind", "syntheticMonitorId", locationUnverified],
  }),
  "azure-native:authorization:ManagementLockByScope": arm("authorization:ManagementLockByScope", "Microsoft.Authorization/locks", apiVersions.lock, ["scope", "lockName"]),
  // forceNewMap: principalId and scope. ARM refuses any other change of an existing assignment.
  "azure-native:authorization:RoleAssignment": arm("authorization:RoleAssignment", "Microsoft.Authorization/roleAssignments", apiVersions.roleAssignment, ["scope", "roleAssignmentName"], {
    forcing: ["principalId"],
    unverified: ["roleDefinitionId", "principalType"],
  }),
  "azure-native:authorization:RoleDefinition": arm("authorization:RoleDefinition", "Microsoft.Authorization/roleDefinitions", apiVersions.roleDefinition, ["scope", "roleDefinitionId"]),
  "azure-native:cdn:AFDCustomDomain": arm("cdn:AFDCustomDomain", "Microsoft.Cdn/profiles/customDomains", apiVersions.cdn, ["resourceGroupName", "profileName", "customDomainName"], { unverified: ["hostName"] }),
  "azure-native:cdn:AFDEndpoint": arm("cdn:AFDEndpoint", "Microsoft.Cdn/profiles/afdEndpoints", apiVersions.cdn, ["resourceGroupName", "profileName", "endpointName"], { unverified: [locationUnverified] }),
  "azure-native:cdn:AFDOrigin": arm("cdn:AFDOrigin", "Microsoft.Cdn/profiles/originGroups/origins", apiVersions.cdn, ["resourceGroupName", "profileName", "originGroupName", "originName"]),
  "azure-native:cdn:AFDOriginGroup": arm("cdn:AFDOriginGroup", "Microsoft.Cdn/profiles/originGroups", apiVersions.cdn, ["resourceGroupName", "profileName", "originGroupName"]),
  // forceNewMap: location and the sku's name (Standard <-> Premium is a new profile).
  "azure-native:cdn:Profile": arm("cdn:Profile", "Microsoft.Cdn/profiles", apiVersions.cdn, ["resourceGroupName", "profileName"], { forcing: ["location", "sku.name"] }),
  "azure-native:cdn:Route": arm("cdn:Route", "Microsoft.Cdn/profiles/afdEndpoints/routes", apiVersions.cdn, ["resourceGroupName", "profileName", "endpointName", "routeName"]),
  "azure-native:cdn:Rule": arm("cdn:Rule", "Microsoft.Cdn/profiles/ruleSets/rules", apiVersions.cdn, ["resourceGroupName", "profileName", "ruleSetName", "ruleName"]),
  "azure-native:cdn:RuleSet": arm("cdn:RuleSet", "Microsoft.Cdn/profiles/ruleSets", apiVersions.cdn, ["resourceGroupName", "profileName", "ruleSetName"]),
  "azure-native:cdn:SecurityPolicy": arm("cdn:SecurityPolicy", "Microsoft.Cdn/profiles/securityPolicies", apiVersions.cdn, ["resourceGroupName", "profileName", "securityPolicyName"]),
  // containerregistry.json 2023-01-01-preview: zoneRedundancy carries no x-ms-mutability, so azure-native updates it in place
  // (RegistryPropertiesUpdateParameters has no such property: ARM keeps the old value or refuses).
  "azure-native:containerregistry:Registry": arm("containerregistry:Registry", "Microsoft.ContainerRegistry/registries", apiVersions.containerregistry, ["resourceGroupName", "registryName"], {
    unverified: [locationUnverified],
    note: "zoneRedundancy is not create-only in the spec: an update, which ARM does not apply to an existing registry",
  }),
  "azure-native:dataprotection:BackupInstance": arm("dataprotection:BackupInstance", "Microsoft.DataProtection/backupVaults/backupInstances", apiVersions.dataprotection, ["resourceGroupName", "vaultName", "backupInstanceName"]),
  "azure-native:dataprotection:BackupPolicy": arm("dataprotection:BackupPolicy", "Microsoft.DataProtection/backupVaults/backupPolicies", apiVersions.dataprotection, ["resourceGroupName", "vaultName", "backupPolicyName"]),
  "azure-native:dataprotection:BackupVault": arm("dataprotection:BackupVault", "Microsoft.DataProtection/backupVaults", apiVersions.dataprotection, ["resourceGroupName", "vaultName"], {
    unverified: [locationUnverified],
    note: "properties.storageSettings (the vault's redundancy) is nested: an update, which ARM refuses once anything is protected",
  }),
  // objectId is part of the URL: another principal is another administrator.
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": arm("dbforpostgresql:AdministratorsMicrosoftEntra", "Microsoft.DBforPostgreSQL/flexibleServers/administrators", apiVersions.dbforpostgresql, ["resourceGroupName", "serverName", "objectId"], {
    unverified: ["principalName", "principalType", "tenantId"],
  }),
  "azure-native:dbforpostgresql:Configuration": arm("dbforpostgresql:Configuration", "Microsoft.DBforPostgreSQL/flexibleServers/configurations", apiVersions.dbforpostgresql, ["resourceGroupName", "serverName", "configurationName"]),
  // DatabaseProperties (PostgreSQL/models.tsp): charset and collation carry no visibility restriction: updates.
  "azure-native:dbforpostgresql:Database": arm("dbforpostgresql:Database", "Microsoft.DBforPostgreSQL/flexibleServers/databases", apiVersions.dbforpostgresql, ["resourceGroupName", "serverName", "databaseName"]),
  // ServerProperties (PostgreSQL/models.tsp): administratorLogin and availabilityZone are Read+Create only; version is
  // updatable (an in-place major version upgrade). backup.geoRedundantBackup and network.* are create-only but nested.
  "azure-native:dbforpostgresql:Server": arm("dbforpostgresql:Server", "Microsoft.DBforPostgreSQL/flexibleServers", apiVersions.dbforpostgresql, ["resourceGroupName", "serverName"], {
    forcing: ["administratorLogin", "availabilityZone"],
    unverified: [locationUnverified],
    note: "backup.geoRedundantBackup and network.delegatedSubnetResourceId are create-only but nested: an update ARM refuses",
  }),
  "azure-native:frontdoor:Policy": arm("frontdoor:Policy", "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies", apiVersions.frontdoor, ["resourceGroupName", "policyName"], { unverified: ["sku", locationUnverified] }),
  // Keys - Create If Not Exist: "does not create subsequent versions, and does not update existing keys"
  // (learn.microsoft.com/javascript/api/@azure/arm-keyvault/keysoperations): a changed property is an update that writes nothing.
  "azure-native:keyvault:Key": arm("keyvault:Key", "Microsoft.KeyVault/vaults/keys", apiVersions.keyvault, ["resourceGroupName", "vaultName", "keyName"], {
    note: "properties changes are updates that write nothing (Keys - Create If Not Exist never updates an existing key)",
  }),
  "azure-native:keyvault:Secret": arm("keyvault:Secret", "Microsoft.KeyVault/vaults/secrets", apiVersions.keyvault, ["resourceGroupName", "vaultName", "secretName"]),
  "azure-native:keyvault:Vault": arm("keyvault:Vault", "Microsoft.KeyVault/vaults", apiVersions.keyvault, ["resourceGroupName", "vaultName"], { unverified: [locationUnverified] }),
  "azure-native:managedidentity:UserAssignedIdentity": arm("managedidentity:UserAssignedIdentity", "Microsoft.ManagedIdentity/userAssignedIdentities", apiVersions.managedidentity, ["resourceGroupName", "resourceName"], {
    unverified: [locationUnverified],
  }),
  "azure-native:monitor:ActionGroup": arm("monitor:ActionGroup", "Microsoft.Insights/actionGroups", apiVersions.actionGroup, ["resourceGroupName", "actionGroupName"], { unverified: [locationUnverified] }),
  "azure-native:monitor:DiagnosticSetting": arm("monitor:DiagnosticSetting", "Microsoft.Insights/diagnosticSettings", apiVersions.diagnosticSetting, ["resourceUri", "name"]),
  "azure-native:monitor:MetricAlert": arm("monitor:MetricAlert", "Microsoft.Insights/metricAlerts", apiVersions.metricAlert, ["resourceGroupName", "ruleName"], { unverified: [locationUnverified] }),
  // pulumi/pulumi-azure-native#4839 (azure-native 3.28.0): a change of scopes is planned as an update, which ARM refuses
  // with 400 "Scope can not be updated".
  "azure-native:monitor:ScheduledQueryRule": arm("monitor:ScheduledQueryRule", "Microsoft.Insights/scheduledQueryRules", apiVersions.scheduledQueryRule, ["resourceGroupName", "ruleName"], {
    unverified: ["kind", locationUnverified],
    note: "scopes: an update in 3.28.0 that ARM refuses (pulumi/pulumi-azure-native#4839)",
  }),
  "azure-native:network:FlowLog": arm("network:FlowLog", "Microsoft.Network/networkWatchers/flowLogs", apiVersions.network, ["resourceGroupName", "networkWatcherName", "flowLogName"], {
    unverified: ["targetResourceId", locationUnverified],
  }),
  // network.json's Resource has a plain location: only forceNewMap makes it force a new public IP or VNet.
  "azure-native:network:NatGateway": arm("network:NatGateway", "Microsoft.Network/natGateways", apiVersions.network, ["resourceGroupName", "natGatewayName"], { unverified: [locationUnverified] }),
  "azure-native:network:NetworkSecurityGroup": arm("network:NetworkSecurityGroup", "Microsoft.Network/networkSecurityGroups", apiVersions.network, ["resourceGroupName", "networkSecurityGroupName"], {
    unverified: [locationUnverified],
  }),
  // publicIpAddress.json 2024-05-01: zones carries no x-ms-mutability: azure-native plans an update, though Azure cannot move
  // an address between zones.
  "azure-native:network:PublicIPAddress": arm("network:PublicIPAddress", "Microsoft.Network/publicIPAddresses", apiVersions.network, ["resourceGroupName", "publicIpAddressName"], {
    forcing: ["location", "publicIPAddressVersion", "sku"],
    note: "zones: an update that Azure refuses for an existing address (replace it with `pulumi up --replace`)",
  }),
  // forceNewMap: Subnet has no force-news beyond its path.
  "azure-native:network:Subnet": arm("network:Subnet", "Microsoft.Network/virtualNetworks/subnets", apiVersions.network, ["resourceGroupName", "virtualNetworkName", "subnetName"]),
  "azure-native:network:VirtualNetwork": arm("network:VirtualNetwork", "Microsoft.Network/virtualNetworks", apiVersions.network, ["resourceGroupName", "virtualNetworkName"], { forcing: ["location"] }),
  "azure-native:operationalinsights:Table": arm("operationalinsights:Table", "Microsoft.OperationalInsights/workspaces/tables", apiVersions.operationalinsights, ["resourceGroupName", "workspaceName", "tableName"]),
  "azure-native:operationalinsights:Workspace": arm("operationalinsights:Workspace", "Microsoft.OperationalInsights/workspaces", apiVersions.operationalinsights, ["resourceGroupName", "workspaceName"], {
    unverified: [locationUnverified],
  }),
  "azure-native:portal:Dashboard": arm("portal:Dashboard", "Microsoft.Portal/dashboards", apiVersions.portal, ["resourceGroupName", "dashboardName"], { unverified: [locationUnverified] }),
  "azure-native:privatedns:PrivateZone": arm("privatedns:PrivateZone", "Microsoft.Network/privateDnsZones", apiVersions.privatedns, ["resourceGroupName", "privateZoneName"], { unverified: [locationUnverified] }),
  "azure-native:privatedns:VirtualNetworkLink": arm("privatedns:VirtualNetworkLink", "Microsoft.Network/privateDnsZones/virtualNetworkLinks", apiVersions.privatedns, ["resourceGroupName", "privateZoneName", "virtualNetworkLinkName"], {
    unverified: ["virtualNetwork", locationUnverified],
  }),
  "azure-native:resources:ResourceGroup": arm("resources:ResourceGroup", "Microsoft.Resources/resourceGroups", apiVersions.resources, ["resourceGroupName"], { forcing: ["location"] }),
  // forceNewMap: BlobContainer has no force-news beyond its path.
  "azure-native:storage:BlobContainer": arm("storage:BlobContainer", "Microsoft.Storage/storageAccounts/blobServices/containers", apiVersions.storage, ["resourceGroupName", "accountName", "containerName"]),
  "azure-native:storage:BlobServiceProperties": arm("storage:BlobServiceProperties", "Microsoft.Storage/storageAccounts/blobServices", apiVersions.storage, ["resourceGroupName", "accountName", "blobServicesName"]),
  "azure-native:storage:ManagementPolicy": arm("storage:ManagementPolicy", "Microsoft.Storage/storageAccounts/managementPolicies", apiVersions.storage, ["resourceGroupName", "accountName", "managementPolicyName"]),
  // forceNewMap: isHnsEnabled and location.
  "azure-native:storage:StorageAccount": arm("storage:StorageAccount", "Microsoft.Storage/storageAccounts", apiVersions.storage, ["resourceGroupName", "accountName"], {
    forcing: ["location", "isHnsEnabled"],
    unverified: ["kind"],
  }),
};

/**
 * Types that take a `location`: azure-native fills in the resource group's location when the program
 * sets none (pulumi/pulumi-azure-native#66), and the program's resource groups are in the stack's
 * location, so a missing location is the plan's.
 */
export const azureLocatedTypes: ReadonlySet<string> = new Set([
  "azure-native:app:ContainerApp",
  "azure-native:app:Job",
  "azure-native:app:ManagedEnvironment",
  "azure-native:applicationinsights:Component",
  "azure-native:applicationinsights:WebTest",
  "azure-native:cdn:AFDEndpoint",
  "azure-native:cdn:Profile",
  "azure-native:containerregistry:Registry",
  "azure-native:dataprotection:BackupVault",
  "azure-native:dbforpostgresql:Server",
  "azure-native:frontdoor:Policy",
  "azure-native:keyvault:Vault",
  "azure-native:managedidentity:UserAssignedIdentity",
  "azure-native:monitor:ActionGroup",
  "azure-native:monitor:MetricAlert",
  "azure-native:monitor:ScheduledQueryRule",
  "azure-native:network:FlowLog",
  "azure-native:network:NatGateway",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:VirtualNetwork",
  "azure-native:operationalinsights:Workspace",
  "azure-native:portal:Dashboard",
  "azure-native:privatedns:PrivateZone",
  "azure-native:privatedns:VirtualNetworkLink",
  "azure-native:resources:ResourceGroup",
  "azure-native:storage:StorageAccount",
]);
