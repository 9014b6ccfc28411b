// Network on Azure: a VNet with three subnets by role (Azure subnets span every zone of the region):
// the Container Apps infrastructure subnet (delegated to a workload-profiles environment, egress
// through a NAT gateway, inbound HTTPS from Front Door only), the private endpoints subnet, and the
// database's delegated subnet with its private DNS zone; one NSG per subnet; VNet flow logs with
// traffic analytics where the spec asks. Subnets are written one after another: parallel writes to
// one VNet's subnets fail with AnotherOperationInProgress.
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { NetworkOutputs } from "../model";
import type { Foundation } from "./foundation";
import { type AzureNames, builtInRoles } from "./names";
import { child, keptWith, stateful, tags } from "./options";
import { privateEndpoint } from "./privateEndpoints";
import { grant } from "./roles";
import { type AzureSecrets, encryptionKeyName } from "./secretsStore";
import { subnetLayout } from "./subnets";

/** PostgreSQL's port: the only one the database subnet admits from the apps. */
export const postgresPort = 5432;

export interface AzureNetwork {
  outputs: NetworkOutputs;
  virtualNetworkId: pulumi.Output<string>;
  appsSubnetId: pulumi.Output<string>;
  endpointsSubnetId: pulumi.Output<string>;
  databaseSubnetId: pulumi.Output<string>;
  databaseDnsZoneId: pulumi.Output<string>;
  /** The NSG that admits the apps to the database: the neutral `accessId` of the database. */
  databaseSecurityGroupId: pulumi.Output<string>;
}

export function azureNetwork(ctx: BlockContext, f: Foundation, names: AzureNames, secrets: AzureSecrets): AzureNetwork {
  const { spec } = ctx;
  const n = ctx.name;
  const rg = f.resourceGroupName;
  const layout = subnetLayout(spec.network.cidr);
  const zoneRedundant = spec.network.zones.length >= 2;

  const vnet = new network.VirtualNetwork(
    `${n}-vnet`,
    { virtualNetworkName: names.network(), resourceGroupName: rg, addressSpace: { addressPrefixes: [spec.network.cidr] }, tags: tags(ctx) },
    child(ctx),
  );

  const rule = (name: string, priority: number, access: "Allow" | "Deny", r: { protocol: string; sourceAddressPrefix: string; destinationAddressPrefix: string; ports: string | string[]; description: string }) => ({
    name,
    priority,
    access,
    direction: "Inbound",
    protocol: r.protocol,
    sourceAddressPrefix: r.sourceAddressPrefix,
    sourcePortRange: "*",
    destinationAddressPrefix: r.destinationAddressPrefix,
    ...(typeof r.ports === "string" ? { destinationPortRange: r.ports } : { destinationPortRanges: r.ports }),
    description: r.description,
  });
  const nsg = (role: string, securityRules: ReturnType<typeof rule>[]) =>
    new network.NetworkSecurityGroup(`${n}-${role}-nsg`, { networkSecurityGroupName: names.network(role), resourceGroupName: rg, securityRules, tags: tags(ctx) }, child(ctx));
  // Container Apps ingress (workload profiles, external) reaches the replicas in this subnet through
  // the environment's load balancer, which keeps the client address: only Front Door's backends may
  // connect, over HTTPS, on 443 and the node port 31443 a workload-profiles environment receives it
  // on. The load balancer's probes are admitted by the default rules ("Securing a virtual network in
  // Azure Container Apps", NSG allow rules for workload profiles).
  const appsNsg = nsg("apps", [
    rule("from-front-door-https", 100, "Allow", { protocol: "Tcp", sourceAddressPrefix: "AzureFrontDoor.Backend", destinationAddressPrefix: layout.apps, ports: ["443", "31443"], description: "Front Door's backends only" }),
    rule("deny-internet", 4000, "Deny", { protocol: "*", sourceAddressPrefix: "Internet", destinationAddressPrefix: "*", ports: "*", description: "Nothing else from the internet" }),
  ]);
  const endpointsNsg = nsg("endpoints", [
    rule("from-vnet-https", 100, "Allow", { protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: layout.endpoints, ports: "443", description: "Private endpoints: HTTPS from the VNet" }),
    rule("deny-rest", 4000, "Deny", { protocol: "*", sourceAddressPrefix: "*", destinationAddressPrefix: "*", ports: "*", description: "Nothing else" }),
  ]);
  const databaseNsg = nsg("database", [
    rule("from-apps-postgres", 100, "Allow", { protocol: "Tcp", sourceAddressPrefix: layout.apps, destinationAddressPrefix: layout.database, ports: String(postgresPort), description: "The services, on the PostgreSQL port only" }),
    // The standby and the primary of a zone-redundant server replicate inside the subnet.
    rule("within-subnet", 110, "Allow", { protocol: "*", sourceAddressPrefix: layout.database, destinationAddressPrefix: layout.database, ports: "*", description: "High-availability replication inside the subnet" }),
    rule("deny-vnet", 4000, "Deny", { protocol: "*", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "*", ports: "*", description: "Nothing else from the VNet (the default rule would admit it)" }),
  ]);

  // A zone-redundant Standard public IP serves a non-zonal NAT gateway in every zone of the region
  // ("Azure NAT Gateway and availability zones"); the NAT gateway itself is placed by Azure.
  const natIp = new network.PublicIPAddress(
    `${n}-nat-ip`,
    {
      publicIpAddressName: names.network("nat"),
      resourceGroupName: rg,
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      zones: zoneRedundant ? [...spec.network.zones] : undefined,
      tags: tags(ctx),
    },
    child(ctx),
  );
  const nat = new network.NatGateway(
    `${n}-nat`,
    { natGatewayName: names.network("nat"), resourceGroupName: rg, sku: { name: "Standard" }, idleTimeoutInMinutes: 4, publicIpAddresses: [{ id: natIp.id }], tags: tags(ctx) },
    child(ctx),
  );

  const apps = new network.Subnet(
    `${n}-apps`,
    {
      subnetName: "apps",
      virtualNetworkName: vnet.name,
      resourceGroupName: rg,
      addressPrefix: layout.apps,
      // A workload-profiles environment requires the delegation; it cannot move to another subnet.
      delegations: [{ name: "container-apps", serviceName: "Microsoft.App/environments" }],
      natGateway: { id: nat.id },
      networkSecurityGroup: { id: appsNsg.id },
      defaultOutboundAccess: false,
    },
    child(ctx),
  );
  const endpoints = new network.Subnet(
    `${n}-endpoints`,
    {
      subnetName: "endpoints",
      virtualNetworkName: vnet.name,
      resourceGroupName: rg,
      addressPrefix: layout.endpoints,
      networkSecurityGroup: { id: endpointsNsg.id },
      // The NSG applies to private endpoints only with their network policies on.
      privateEndpointNetworkPolicies: "Enabled",
      defaultOutboundAccess: false,
    },
    child(ctx, { dependsOn: [apps] }),
  );
  const database = new network.Subnet(
    `${n}-database`,
    {
      subnetName: "database",
      virtualNetworkName: vnet.name,
      resourceGroupName: rg,
      addressPrefix: layout.database,
      delegations: [{ name: "postgres", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" }],
      networkSecurityGroup: { id: databaseNsg.id },
    },
    child(ctx, { dependsOn: [endpoints] }),
  );

  // A server with private access resolves through a private zone that ends in
  // .postgres.database.azure.com, linked to the VNet ("Networking with private access (VNET
  // integration)"); the server registers its own record there.
  const dnsZone = new privatedns.PrivateZone(`${n}-database-dns`, { privateZoneName: names.databaseDnsZone, resourceGroupName: rg, location: "global", tags: tags(ctx) }, child(ctx));
  const dnsLink = new privatedns.VirtualNetworkLink(
    `${n}-database-dns-link`,
    { privateZoneName: dnsZone.name, resourceGroupName: rg, location: "global", registrationEnabled: false, virtualNetwork: { id: vnet.id }, virtualNetworkLinkName: names.network("database", "link"), tags: tags(ctx) },
    child(ctx),
  );

  if (spec.network.interfaceEndpoints) {
    privateEndpoint(ctx, names, { resourceGroupName: rg, virtualNetworkId: vnet.id, endpointsSubnetId: endpoints.id }, "vault", secrets.vaultId);
  }

  if (spec.network.flowLogs) flowLogs(ctx, f, names, vnet, secrets);

  return {
    outputs: { networkId: vnet.id, publicSubnetIds: [], privateSubnetIds: [apps.id, endpoints.id, database.id] },
    virtualNetworkId: vnet.id,
    appsSubnetId: apps.id,
    endpointsSubnetId: endpoints.id,
    databaseSubnetId: database.id,
    // The server needs the zone linked before it registers its record.
    databaseDnsZoneId: pulumi.all([dnsZone.id, dnsLink.id]).apply(([id]) => id),
    databaseSecurityGroupId: databaseNsg.id,
  };
}

/**
 * VNet flow logs (NSG flow logs can no longer be created: "Network security group flow logs",
 * retirement) into a storage account of their own, encrypted with the platform key like the data
 * store (an existing account takes the key in place: "Configure customer-managed keys for an existing
 * storage account"), kept as long as the audit logs, with traffic analytics into the audit workspace
 * every 10 minutes. A flow log lives with the region's Network Watcher, which Azure creates in
 * NetworkWatcherRG with the first VNet of a subscription and region.
 */
function flowLogs(ctx: BlockContext, f: Foundation, names: AzureNames, vnet: network.VirtualNetwork, secrets: AzureSecrets): void {
  const { spec } = ctx;
  const n = ctx.name;
  const identity = new managedidentity.UserAssignedIdentity(`${n}-flow-logs-identity`, { resourceName: names.identity("flow-logs"), resourceGroupName: f.resourceGroupName, tags: tags(ctx) }, keptWith(ctx));
  const keyAccess = grant(
    ctx,
    `${n}-flow-logs-key-access`,
    {
      scope: secrets.keyId,
      role: builtInRoles.keyVaultCryptoServiceEncryptionUser,
      principalId: identity.principalId,
      subscriptionId: f.subscriptionId,
      description: "The flow logs' storage account wraps its data keys with the platform key",
    },
    { retainOnDelete: spec.deletionProtection },
  );
  const account = new storage.StorageAccount(
    `${n}-flow-logs-storage`,
    {
      accountName: f.nameSuffix.apply(names.flowLogStorageAccount),
      resourceGroupName: f.resourceGroupName,
      kind: "StorageV2",
      sku: { name: spec.network.zones.length >= 2 ? "Standard_ZRS" : "Standard_LRS" },
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
      encryption: {
        keySource: "Microsoft.Keyvault",
        // No version: the account follows the key's rotation on its own.
        keyVaultProperties: { keyName: encryptionKeyName, keyVaultUri: pulumi.interpolate`https://${secrets.vaultName}.vault.azure.net/` },
        encryptionIdentity: { encryptionUserAssignedIdentity: identity.id },
        services: { blob: { enabled: true, keyType: "Account" } },
      },
      tags: tags(ctx),
    },
    stateful(ctx, { dependsOn: [keyAccess] }),
  );
  new network.FlowLog(
    `${n}-flow-log`,
    {
      flowLogName: names.network("vnet", "flow-log"),
      networkWatcherName: `NetworkWatcher_${spec.region}`,
      resourceGroupName: "NetworkWatcherRG",
      targetResourceId: vnet.id,
      storageId: account.id,
      enabled: true,
      format: { type: "JSON", version: 2 },
      retentionPolicy: { enabled: true, days: spec.logs.auditRetentionDays },
      flowAnalyticsConfiguration: {
        networkWatcherFlowAnalyticsConfiguration: {
          enabled: true,
          workspaceResourceId: f.auditWorkspaceId,
          workspaceId: f.auditWorkspaceCustomerId,
          workspaceRegion: spec.region,
          trafficAnalyticsInterval: 10,
        },
      },
      tags: tags(ctx),
    },
    child(ctx),
  );
}
