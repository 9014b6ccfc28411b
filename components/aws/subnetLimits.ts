// Whether the subnets `subnetLayout` cuts from the network's CIDR block hold what AWS puts in them.
// The layout itself never changes for a block that is large enough (no existing subnet may move);
// a block that is too small is refused, naming the smallest prefix that works and why.
import { cidrBlockProblem, subnetPrefixLength, widenedCidr } from "../addressing";
import type { PlatformSpec, SpecProblem } from "../model";

/** AWS reserves the first four and the last address of every subnet (VPC user guide, "Subnet CIDR blocks"). */
export const reservedPerSubnet = 5;
/** ELB user guide, "Subnets for your load balancer": each subnet at least a /27 with at least 8 free addresses. */
const albMinPrefix = 27;
const albFreeAddresses = 8;
/**
 * With `network.interfaceEndpoints`, one network interface per endpoint in each private subnet:
 * ECR API, ECR Docker registry, CloudWatch Logs and Secrets Manager (what a task needs to start).
 */
export const interfaceEndpointServices = ["ecr.api", "ecr.dkr", "logs", "secretsmanager"] as const;
/** ECS deploymentMaximumPercent of every service: a rollout may run twice the tasks for a while. */
const deploymentMaximumPercent = 200;
/** The largest VPC AWS allows. */
const largestVpcPrefix = 16;

const addresses = (prefix: number) => 2 ** (32 - prefix);

interface Needs {
  /** Task addresses per zone at maxInstances during a deployment, each service spread over the zones. */
  tasksPerZone: number;
  endpointsPerZone: number;
  /** Addresses a private subnet must have, reserved ones included. */
  privateAddresses: number;
}

function needs(spec: PlatformSpec): Needs {
  const zones = spec.network.zones.length;
  const tasksPerZone = Object.values(spec.services).reduce((sum, svc) => sum + Math.ceil((svc.maxInstances * deploymentMaximumPercent) / 100 / zones), 0);
  const endpointsPerZone = spec.network.interfaceEndpoints ? interfaceEndpointServices.length : 0;
  return { tasksPerZone, endpointsPerZone, privateAddresses: tasksPerZone + endpointsPerZone + reservedPerSubnet };
}

/** Whether subnets of `prefix` hold the load balancer and the private needs. */
function fits(prefix: number, n: Needs): boolean {
  return prefix <= albMinPrefix && addresses(prefix) - reservedPerSubnet >= albFreeAddresses && addresses(prefix) >= n.privateAddresses;
}

export function subnetSizeProblem(spec: PlatformSpec): SpecProblem | undefined {
  const { cidr } = spec.network;
  const zones = spec.network.zones.length;
  // A malformed block, or fewer than two zones, is reported by its own rule.
  if (cidrBlockProblem(cidr) !== undefined || zones < 2) return undefined;
  const n = needs(spec);
  const prefix = subnetPrefixLength(cidr, zones);
  if (fits(prefix, n)) return undefined;

  const reasons: string[] = [];
  if (prefix > albMinPrefix) {
    reasons.push(`the load balancer needs subnets of at least /${albMinPrefix} with ${albFreeAddresses} free addresses in each zone`);
  }
  if (addresses(prefix) < n.privateAddresses) {
    const services = Object.entries(spec.services);
    const what = services.length === 1 ? `service ${services[0][0]} at ${services[0][1].maxInstances} tasks` : `${services.length} services at their maxInstances`;
    const endpoints = n.endpointsPerZone > 0 ? `, ${n.endpointsPerZone} interface endpoints` : "";
    reasons.push(
      `each private subnet must hold ${n.privateAddresses} addresses: ${n.tasksPerZone} tasks (${what}, ${deploymentMaximumPercent}% during a deployment, over ${zones} zones)${endpoints} and the ${reservedPerSubnet} AWS reserves`,
    );
  }
  const vpcPrefix = Number(cidr.split("/")[1]);
  let smallest: number | undefined;
  for (let bits = vpcPrefix - 1; bits >= largestVpcPrefix && smallest === undefined; bits--) {
    if (fits(subnetPrefixLength(widenedCidr(cidr, bits), zones), n)) smallest = bits;
  }
  const fix =
    smallest === undefined
      ? `even a /${largestVpcPrefix}, the largest VPC, gives /${subnetPrefixLength(widenedCidr(cidr, largestVpcPrefix), zones)} subnets: lower maxInstances or spread over more zones`
      : `the smallest network that works is a /${smallest} (e.g. ${widenedCidr(cidr, smallest)})`;
  return {
    key: "network.cidr",
    value: cidr,
    message: `too small: its subnets would be /${prefix} (${addresses(prefix)} addresses each), but ${reasons.join("; and ")}; ${fix}`,
  };
}
