// The subnet layout must stay exactly what it was for every block that is large enough: a subnet
// that moves is a subnet AWS replaces, with everything in it.
import { cidrBlockProblem, subnetLayout, subnetPrefixLength, widenedCidr } from "../../components/addressing";

describe("subnet layout", () => {
  it.each([
    ["10.0.0.0/16", 2, ["10.0.0.0/20", "10.0.16.0/20"], ["10.0.128.0/20", "10.0.144.0/20"]],
    ["10.0.0.0/16", 3, ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"], ["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"]],
    ["172.20.0.0/18", 2, ["172.20.0.0/22", "172.20.4.0/22"], ["172.20.32.0/22", "172.20.36.0/22"]],
    ["172.16.0.0/20", 6, ["172.16.0.0/24", "172.16.1.0/24", "172.16.2.0/24", "172.16.3.0/24", "172.16.4.0/24", "172.16.5.0/24"], ["172.16.8.0/24", "172.16.9.0/24", "172.16.10.0/24", "172.16.11.0/24", "172.16.12.0/24", "172.16.13.0/24"]],
    ["192.168.0.0/22", 2, ["192.168.0.0/26", "192.168.0.64/26"], ["192.168.2.0/26", "192.168.2.64/26"]],
    ["10.1.0.0/23", 3, ["10.1.0.0/27", "10.1.0.32/27", "10.1.0.64/27"], ["10.1.1.0/27", "10.1.1.32/27", "10.1.1.64/27"]],
    ["10.2.4.0/24", 2, ["10.2.4.0/28", "10.2.4.16/28"], ["10.2.4.128/28", "10.2.4.144/28"]],
  ])("%s over %i zones is what it always was", (cidr, zones, publicCidrs, privateCidrs) => {
    expect(subnetLayout(cidr, zones)).toEqual({ publicCidrs, privateCidrs });
    expect(subnetPrefixLength(cidr, zones)).toBe(Number(publicCidrs[0].split("/")[1]));
  });

  it.each(["10.0.0.0/16", "10.8.0.0/17", "192.168.0.0/21", "172.31.2.0/23"])("adding a zone to %s moves no existing subnet", (cidr) => {
    for (let zones = 1; zones < 6; zones++) {
      const before = subnetLayout(cidr, zones);
      const after = subnetLayout(cidr, zones + 1);
      expect(after.publicCidrs.slice(0, zones)).toEqual(before.publicCidrs);
      expect(after.privateCidrs.slice(0, zones)).toEqual(before.privateCidrs);
    }
  });

  it.each([
    ["10.0.4.0/22", 21, "10.0.0.0/21"],
    ["10.0.0.0/24", 23, "10.0.0.0/23"],
    ["192.168.5.0/24", 23, "192.168.4.0/23"],
    ["172.16.2.0/23", 16, "172.16.0.0/16"],
  ])("widens %s to /%i as %s", (cidr, bits, widened) => {
    expect(widenedCidr(cidr, bits)).toBe(widened);
    expect(cidrBlockProblem(widened)).toBeUndefined();
  });
});
