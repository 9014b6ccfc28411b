// Reachability on Azure: public network access of the database and of the Container Apps environment,
// network security group rules that admit the internet and what they guard, and the zones of each
// service and data store.
//
// Front Door, the public entry, reaches the apps through the environment's public address, which the
// apps subnet's NSG opens to the AzureFrontDoor.Backend service tag only. That tag covers every Front
// Door profile, not only the stack's: each app checks the X-Azure-FDID header against FRONT_DOOR_ID
// ("Secure traffic to Azure Front Door origins"). Private Link from Front Door Premium would close it
// in the network (README: Only Front Door reaches the apps), which the platform does not build.
import type { IngressTarget, PublicAddressFact, PublicIngressFact, StackResourceView, ZonesFact } from "../../facts";
import { StackGraph } from "../../graph";
import { isInternetSource } from "../aws/network";
import type { ResourceReaders, StackReader } from "../types";
import { environmentOf, isExternalEnvironment, subnetTarget } from "./relations";
import { az } from "./tokens";

const address = (what: string, reachable: boolean, setting: string): PublicAddressFact[] => [{ what, reachableFromInternet: reachable, setting }];

export const noPublicAddress: ResourceReaders<PublicAddressFact> = {
  // "Networking overview for Azure Database for PostgreSQL flexible server": public access (firewall
  // rules on a public endpoint) unless publicNetworkAccess is Disabled (private access or endpoints).
  [az.postgresServer]: ({ props }) => address("database", props.network?.publicNetworkAccess !== "Disabled", `network.publicNetworkAccess ${props.network?.publicNetworkAccess ?? "is not set (Enabled)"}`),
  // An external environment's public address is filtered by the NSG of the subnet it runs in (read by
  // no-public-ingress); without a VNet of the stack nothing filters it.
  [az.managedEnvironment]: ({ props }) => {
    const external = props.publicNetworkAccess !== "Disabled" && props.vnetConfiguration?.internal !== true;
    const inVnet = props.vnetConfiguration !== undefined && "infrastructureSubnetId" in props.vnetConfiguration;
    return address(
      "container apps environment",
      external && !inVnet,
      external ? (inVnet ? "public address behind its subnet's network security group" : "publicNetworkAccess without vnetConfiguration: no network security group can filter its public address") : "internal",
    );
  },
  // A public IP on a network interface makes a VM addressable; a NAT gateway's is for egress only.
  [az.networkInterface]: ({ props }) => {
    const ipConfigurations: { publicIPAddress?: unknown }[] = props.ipConfigurations ?? [];
    return address("instance", ipConfigurations.some((c) => c.publicIPAddress !== undefined), "ipConfigurations[].publicIPAddress");
  },
};

type Ports = PublicIngressFact["ports"];

function portRanges(rule: { destinationPortRange?: string; destinationPortRanges?: string[] }): Ports[] {
  const ranges = [...(rule.destinationPortRange !== undefined ? [rule.destinationPortRange] : []), ...(rule.destinationPortRanges ?? [])];
  if (ranges.length === 0) return ["all"];
  return ranges.map((range) => {
    if (range === "*") return "all";
    const [from, to = from] = range.split("-").map(Number);
    return Number.isInteger(from) && Number.isInteger(to) ? { from, to } : "all";
  });
}

/**
 * Sources an NSG rule names that are not the internet: the VNet, Azure's load balancer probes, private
 * ranges, and Front Door's backends, the public entry's own (the shared-tag caveat is in the header).
 * Any other service tag is a range of public Azure addresses any customer can hold ("Virtual network
 * service tags").
 */
const internalTags = new Set(["virtualnetwork", "azureloadbalancer", "azurefrontdoor.backend"]);
function isInternet(source: string): boolean {
  const tag = source.toLowerCase();
  if (source === "*" || tag === "internet") return true;
  if (internalTags.has(tag)) return false;
  return /^[a-z]/.test(tag) || isInternetSource(source);
}

interface NsgRule {
  name?: string;
  access?: string;
  direction?: string;
  priority?: number;
  protocol?: string;
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationPortRange?: string;
  destinationPortRanges?: string[];
}

const sources = (rule: NsgRule) => [...(rule.sourceAddressPrefix !== undefined ? [rule.sourceAddressPrefix] : []), ...(rule.sourceAddressPrefixes ?? [])];

/**
 * NSG rules are processed by priority, the first match decides ("Network security groups: security
 * rules"): an allow is shadowed by a deny of a lower priority number for every protocol and port whose
 * source covers it.
 */
function shadowed(rule: NsgRule, source: string, all: NsgRule[]): boolean {
  return all.some(
    (deny) =>
      deny.access === "Deny" &&
      deny.direction === "Inbound" &&
      (deny.priority ?? 4096) < (rule.priority ?? 4096) &&
      (deny.protocol ?? "*") === "*" &&
      portRanges(deny).includes("all") &&
      sources(deny).some((s) => s === "*" || s === source || (s.toLowerCase() === "internet" && isInternet(source))),
  );
}

function ruleFacts(urn: string, target: IngressTarget, rule: NsgRule, all: NsgRule[]): PublicIngressFact[] {
  if (rule.access !== "Allow" || rule.direction !== "Inbound") return [];
  return sources(rule)
    .filter((source) => isInternet(source) && !shadowed(rule, source, all))
    .flatMap((source) => portRanges(rule).map((ports) => ({ urn, target, ports, source })));
}

export const noPublicIngress: StackReader<PublicIngressFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const facts: PublicIngressFact[] = [];
  const targetOf = (nsg: StackResourceView): IngressTarget => {
    const kinds = graph.users(nsg, az.subnet, "networkSecurityGroup").map((subnet) => subnetTarget(graph, subnet));
    return kinds.find((k) => k === "database") ?? kinds.find((k) => k === "compute") ?? "other";
  };
  for (const nsg of graph.ofType(az.networkSecurityGroup)) {
    const inline: NsgRule[] = nsg.props.securityRules ?? [];
    const separate = graph.users(nsg, az.securityRule, "networkSecurityGroupName");
    const all = [...inline, ...separate.map((r) => r.props as NsgRule)];
    const target = targetOf(nsg);
    for (const rule of inline) facts.push(...ruleFacts(nsg.urn, target, rule, all));
    for (const rule of separate) facts.push(...ruleFacts(rule.urn, target, rule.props as NsgRule, all));
  }
  // Without an NSG on its subnet an external environment's address takes every client ("Securing a
  // virtual network in Azure Container Apps": the NSG is what restricts inbound traffic).
  for (const environment of graph.ofType(az.managedEnvironment).filter(isExternalEnvironment)) {
    for (const subnet of graph.sources(environment, "vnetConfiguration", az.subnet)) {
      if (graph.sources(subnet, "networkSecurityGroup", az.networkSecurityGroup).length === 0) facts.push({ urn: subnet.urn, target: "compute", ports: "all", source: "the internet (no network security group on the subnet)" });
    }
  }
  // Firewall rules open a flexible server's public endpoint to an address range, on PostgreSQL's port.
  for (const rule of graph.ofType(az.postgresFirewallRule)) {
    const start = String(rule.props.startIpAddress ?? "");
    const end = String(rule.props.endIpAddress ?? "");
    if (isInternetSource(start) || isInternetSource(end)) facts.push({ urn: rule.urn, target: "database", ports: { from: 5432, to: 5432 }, source: `${start}-${end}` });
  }
  return facts;
};

/** Regions with availability zones have three ("What are Azure availability zones?"); the platform refuses the others. */
const regionZones = 3;

/** Storage redundancy: ZRS and GZRS keep copies in three zones, LRS and GRS in one datacenter of the primary region ("Azure Storage redundancy"). */
const zoneRedundantSku = /^(Standard|Premium)_(ZRS|GZRS|RAGZRS)$/;

export const multiZone: StackReader<ZonesFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const facts: ZonesFact[] = [];
  // A zone-redundant environment spreads each app's replicas over the region's zones ("Reliability in
  // Azure Container Apps"); zoneRedundant is fixed when the environment is created.
  for (const app of graph.ofType(az.containerApp)) {
    const environment = environmentOf(graph, app);
    const redundant = environment?.props.zoneRedundant === true;
    facts.push({ urn: app.urn, what: "service", zones: redundant ? regionZones : 1, setting: environment ? `its environment's zoneRedundant ${environment.props.zoneRedundant ?? "is not set (false)"}` : "no environment of the stack" });
  }
  for (const account of graph.ofType(az.storageAccount)) {
    const sku = String(account.props.sku?.name ?? "");
    facts.push({ urn: account.urn, what: "storage account", zones: zoneRedundantSku.test(sku) ? regionZones : 1, setting: `sku.name ${sku || "is not set"}` });
  }
  // Front Door is a global service, served from every edge location: no zones to choose. The database's
  // delegated subnet is regional; whether it runs in a second zone is its standby's (database-ha).
  return facts;
};
