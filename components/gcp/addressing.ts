// How the neutral network block is laid out on GCP: subnets are regional, so there is one subnet for
// the services (Cloud Run Direct VPC egress, which wants a /26 at least: "a minimum of /26", Cloud Run
// "Direct VPC egress with a VPC network") in the lower half of the block, and the range Cloud SQL takes
// its private address from (private services access) in the upper half. No SDK import.

export function gcpLayout(cidr: string): { subnetCidr: string; privateServicesAddress: string; privateServicesPrefix: number } {
  const [ip, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  const base = ip.split(".").reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const half = 2 ** (32 - bits - 1);
  const upper = base + half;
  const text = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
  return { subnetCidr: `${text(base)}/${bits + 1}`, privateServicesAddress: text(upper), privateServicesPrefix: bits + 1 };
}
