// Subnet layout inside the network's CIDR block: public subnets first, private subnets in the
// upper half, one of each per zone, keyed by zone so adding a zone moves no existing subnet.

/** Extra prefix bits per subnet: at least 16 slots (a /20 in a /16), never smaller than a /28. */
export function subnetBits(vpcBits: number, zoneCount: number): number {
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
