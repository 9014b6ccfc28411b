// Private endpoints in the network's endpoints subnet (`network.interfaceEndpoints`): the services
// reach Key Vault, blob storage and the registry on private addresses of the VNet, resolved through
// the service's privatelink DNS zone linked to the VNet ("Azure Private Endpoint private DNS zone
// values"). The public endpoints stay open to the operator; RBAC decides who may do what.
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import type * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AzureNames } from "./names";
import { child, tags } from "./options";

/** Group id of the private link resource, and its privatelink zone. */
export const privateLinkTargets = {
  vault: { groupId: "vault", zone: "privatelink.vaultcore.azure.net" },
  blob: { groupId: "blob", zone: "privatelink.blob.core.windows.net" },
  registry: { groupId: "registry", zone: "privatelink.azurecr.io" },
} as const;

export interface EndpointsNetwork {
  resourceGroupName: pulumi.Output<string>;
  virtualNetworkId: pulumi.Output<string>;
  endpointsSubnetId: pulumi.Output<string>;
}

export function privateEndpoint(ctx: BlockContext, names: AzureNames, net: EndpointsNetwork, key: keyof typeof privateLinkTargets, resourceId: pulumi.Input<string>): network.PrivateEndpoint {
  const n = `${ctx.name}-${key}-endpoint`;
  const target = privateLinkTargets[key];
  const zone = new privatedns.PrivateZone(`${n}-zone`, { privateZoneName: target.zone, resourceGroupName: net.resourceGroupName, location: "global", tags: tags(ctx) }, child(ctx));
  new privatedns.VirtualNetworkLink(
    `${n}-zone-link`,
    { privateZoneName: zone.name, resourceGroupName: net.resourceGroupName, location: "global", registrationEnabled: false, virtualNetwork: { id: net.virtualNetworkId }, virtualNetworkLinkName: names.network(key, "link"), tags: tags(ctx) },
    child(ctx),
  );
  const endpoint = new network.PrivateEndpoint(
    n,
    {
      privateEndpointName: names.network(key, "endpoint"),
      resourceGroupName: net.resourceGroupName,
      subnet: { id: net.endpointsSubnetId },
      privateLinkServiceConnections: [{ name: key, privateLinkServiceId: resourceId, groupIds: [target.groupId] }],
      tags: tags(ctx),
    },
    child(ctx),
  );
  new network.PrivateDnsZoneGroup(
    `${n}-dns`,
    { privateEndpointName: endpoint.name, privateDnsZoneGroupName: "default", resourceGroupName: net.resourceGroupName, privateDnsZoneConfigs: [{ name: key, privateDnsZoneId: zone.id }] },
    child(ctx),
  );
  return endpoint;
}
