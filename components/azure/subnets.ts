// The subnet layout of the Azure network, cut from the network's CIDR block by role (not by zone:
// Azure subnets span every zone of the region), and whether it holds what runs in it. The layout of a
// block never changes: the Container Apps subnet cannot be resized once the environment uses it, and
// the database's delegated subnet moves only with a new server. No SDK import.
import { cidrBlockProblem } from "../addressing";
import type { PlatformSpec, SpecProblem } from "../model";

export const subnetRoles = ["apps", "endpoints", "database"] as const;
export type SubnetRole = (typeof subnetRoles)[number];

/**
 * Extra prefix bits of each role: the apps get the first half of the block (replicas come and go
 * there), the private endpoints and the database a quarter each. A /16 gives a /17 and two /18s.
 */
const roleBits: Record<SubnetRole, { bits: number; slot: number }> = {
  apps: { bits: 1, slot: 0 },
  endpoints: { bits: 2, slot: 2 },
  database: { bits: 2, slot: 3 },
};

/**
 * A workload-profiles environment needs an infrastructure subnet of at least /27 ("Networking in Azure
 * Container Apps environment", subnet size), delegated to Microsoft.App/environments.
 */
export const containerAppsMinPrefix = 27;
/** Azure reserves the first four and the last address of every subnet (Azure Virtual Network FAQ). */
export const azureReservedPerSubnet = 5;
/**
 * Addresses Container Apps takes in the infrastructure subnet for the environment itself (the same
 * page: 12 addresses of a workload-profiles environment's subnet are reserved for its infrastructure).
 */
export const containerAppsReserved = 12;
/** Single-revision rollouts run the old and the new revision side by side until the new one is ready. */
const rolloutFactor = 2;

const toNumber = (ip: string) => ip.split(".").reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
const toIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
const addresses = (prefix: number) => 2 ** (32 - prefix);

export function subnetCidr(cidr: string, role: SubnetRole): string {
  const [ip, bitsText] = cidr.split("/");
  const prefix = Number(bitsText) + roleBits[role].bits;
  const start = toNumber(ip) + roleBits[role].slot * addresses(Number(bitsText) + 2);
  return `${toIp(start)}/${prefix}`;
}

export function subnetLayout(cidr: string): Record<SubnetRole, string> {
  return { apps: subnetCidr(cidr, "apps"), endpoints: subnetCidr(cidr, "endpoints"), database: subnetCidr(cidr, "database") };
}

/** Addresses the Container Apps subnet must hold: every replica at maxInstances twice over, plus the reserved ones. */
export function appsAddressesNeeded(spec: PlatformSpec): number {
  const replicas = Object.values(spec.services).reduce((sum, svc) => sum + svc.maxInstances * rolloutFactor, 0);
  return replicas + containerAppsReserved + azureReservedPerSubnet;
}

export function azureSubnetProblem(spec: PlatformSpec): SpecProblem | undefined {
  const { cidr } = spec.network;
  if (cidrBlockProblem(cidr) !== undefined) return undefined;
  const vnetPrefix = Number(cidr.split("/")[1]);
  const appsPrefix = vnetPrefix + roleBits.apps.bits;
  const needed = appsAddressesNeeded(spec);
  if (appsPrefix <= containerAppsMinPrefix && addresses(appsPrefix) >= needed) return undefined;
  let smallest: number | undefined;
  for (let bits = vnetPrefix - 1; bits >= 16 && smallest === undefined; bits--) {
    if (addresses(bits + roleBits.apps.bits) >= needed) smallest = bits;
  }
  const fix = smallest === undefined ? "even a /16 is too small: lower maxInstances" : `the smallest network that works is a /${smallest}`;
  return {
    key: "network.cidr",
    value: cidr,
    message:
      `too small: the Azure Container Apps subnet (the first half of the network, /${appsPrefix}, ${addresses(appsPrefix)} addresses) must hold ${needed}: ` +
      `every replica at maxInstances twice over (a rollout runs two revisions), the ${containerAppsReserved} the environment reserves and the ${azureReservedPerSubnet} Azure reserves; ` +
      `it cannot be resized once the environment uses it, so ${fix}`,
  };
}
