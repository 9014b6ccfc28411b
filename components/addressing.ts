// Subnet layout inside the network's CIDR block: public subnets first, private subnets in the
// upper half, one of each per zone, keyed by zone so adding a zone moves no existing subnet.

/** Extra prefix bits per subnet: at least 16 slots (a /20 in a /16), never smaller than a /28. */
function subnetBits(vpcBits: number, zoneCount: number): number {
  const needed = Math.ceil(Math.log2(2 * zoneCount));
  return Math.min(Math.max(needed, 4), 28 - vpcBits);
}

function toNumber(ip: string): number {
  return ip.split(".").reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

export interface SubnetLayout {
  publicCidrs: string[];
  privateCidrs: string[];
}

/** The prefix length of every subnet `subnetLayout` cuts from `cidr` (a /16 gives /20 subnets). */
export function subnetPrefixLength(cidr: string, zoneCount: number): number {
  const vpcBits = Number(cidr.split("/")[1]);
  return vpcBits + subnetBits(vpcBits, zoneCount);
}

/** The network of `cidr`'s address with another prefix length: 10.0.4.0/22 at /21 is 10.0.0.0/21. */
export function widenedCidr(cidr: string, bits: number): string {
  const network = (toNumber(cidr.split("/")[0]) & (bits === 0 ? 0 : ~0 << (32 - bits))) >>> 0;
  return `${toIp(network)}/${bits}`;
}

export function subnetLayout(cidr: string, zoneCount: number): SubnetLayout {
  const [ip, bitsText] = cidr.split("/");
  const vpcBits = Number(bitsText);
  const extra = subnetBits(vpcBits, zoneCount);
  const slots = 2 ** extra;
  const size = 2 ** (32 - vpcBits - extra);
  const base = toNumber(ip);
  const at = (slot: number) => `${toIp(base + slot * size)}/${vpcBits + extra}`;
  return {
    publicCidrs: Array.from({ length: zoneCount }, (_, i) => at(i)),
    privateCidrs: Array.from({ length: zoneCount }, (_, i) => at(slots / 2 + i)),
  };
}

/**
 * What is wrong with a network's CIDR block, if anything: it must be a private (RFC 1918) range
 * without host bits, from /16 (the largest VPC AWS allows) to /24 (room for 16 /28 subnets). Whether
 * its subnets are large enough for what runs in them is a rule of each cloud (aws/subnetLimits.ts).
 */
export function cidrBlockProblem(cidr: string): string | undefined {
  const [ip, bitsText] = cidr.split("/");
  const octets = ip.split(".").map(Number);
  const bits = Number(bitsText);
  if (octets.some((o) => o > 255)) return "expected an IPv4 CIDR block such as 10.0.0.0/16";
  if (bits < 16 || bits > 24) return "expected a prefix length from /16 (the largest network the platform lays out) to /24";
  const isPrivate = octets[0] === 10 || (octets[0] === 172 && octets[1] >= 16 && octets[1] <= 31) || (octets[0] === 192 && octets[1] === 168);
  if (!isPrivate) return "expected a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
  const address = toNumber(ip);
  const network = (address & (~0 << (32 - bits))) >>> 0;
  if (network !== address) return `host bits are set; did you mean ${toIp(network)}/${bits}?`;
  return undefined;
}
