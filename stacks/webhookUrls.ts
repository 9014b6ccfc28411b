// Webhook endpoints are called from the cloud's notification service over the internet. A URL
// without a host, or one naming a loopback, link-local, private or otherwise non-public address,
// can never be reached (and pointed at a metadata or internal address it is a request forgery
// waiting to happen), so it is refused before anything is created. The URLs carry tokens: callers
// report the problem without the value.

interface Range {
  what: string;
  matches(address: number[]): boolean;
}

/** `bits` leading bits of `address` (bytes) equal those of `prefix`. */
function inPrefix(address: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const bit = (b: number[]) => (b[i >> 3] >> (7 - (i & 7))) & 1;
    if (bit(address) !== bit(prefix)) return false;
  }
  return true;
}

const cidr = (text: string, what: string, source: string): Range => {
  const [ip, bits] = text.split("/");
  const prefix = text.includes(":") ? ipv6Bytes(ip)! : ip.split(".").map(Number);
  return { what: `${what} (${text}, ${source})`, matches: (address) => address.length === prefix.length && inPrefix(address, prefix, Number(bits)) };
};

// IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890) and the RFCs named there.
const nonPublic: Range[] = [
  cidr("0.0.0.0/8", "the unspecified address or this network", "RFC 1122"),
  cidr("10.0.0.0/8", "a private address", "RFC 1918"),
  cidr("100.64.0.0/10", "a carrier-grade NAT address", "RFC 6598"),
  cidr("127.0.0.0/8", "a loopback address", "RFC 1122"),
  cidr("169.254.0.0/16", "a link-local address", "RFC 3927"),
  cidr("172.16.0.0/12", "a private address", "RFC 1918"),
  cidr("192.0.0.0/24", "an IETF protocol address", "RFC 6890"),
  cidr("192.0.2.0/24", "a documentation address", "RFC 5737"),
  cidr("192.168.0.0/16", "a private address", "RFC 1918"),
  cidr("198.18.0.0/15", "a benchmarking address", "RFC 2544"),
  cidr("198.51.100.0/24", "a documentation address", "RFC 5737"),
  cidr("203.0.113.0/24", "a documentation address", "RFC 5737"),
  cidr("224.0.0.0/4", "a multicast address", "RFC 5771"),
  cidr("240.0.0.0/4", "a reserved or broadcast address", "RFC 1112"),
  cidr("::/128", "the unspecified address", "RFC 4291"),
  cidr("::1/128", "the loopback address", "RFC 4291"),
  cidr("fe80::/10", "a link-local address", "RFC 4291"),
  cidr("fc00::/7", "a unique local (private) address", "RFC 4193"),
  cidr("ff00::/8", "a multicast address", "RFC 4291"),
  cidr("2001:db8::/32", "a documentation address", "RFC 3849"),
];

/**
 * Host names that resolve only inside a private network: localhost (RFC 6761), mDNS .local
 * (RFC 6762), home.arpa (RFC 8375), .internal (reserved by ICANN for private use, 2024) and the
 * suffixes RFC 6762 appendix G lists as used on internal networks.
 */
const internalSuffixes = ["localhost", "local", "localdomain", "internal", "home.arpa", "intranet", "private", "corp", "home", "lan"];

/** The 16 bytes of an IPv6 address, or undefined when `text` is not one. */
function ipv6Bytes(text: string): number[] | undefined {
  let body = text;
  const tail: number[] = [];
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(body);
  if (v4) {
    tail.push(...v4.slice(1).map(Number));
    body = `${body.slice(0, v4.index)}0:0`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const bytes = all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function addressProblem(bytes: number[]): string | undefined {
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) reaches the IPv4 address inside it.
  const mapped = bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255;
  const address = mapped ? bytes.slice(12) : bytes;
  return nonPublic.find((r) => r.matches(address))?.what;
}

/** What is wrong with a webhook URL, worded without repeating it; undefined when it can be called. */
export function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "not a valid URL; expected https://<public host>/<path>";
  }
  // The WHATWG parser normalizes numeric hosts (2130706433, 0x7f.1) to dotted IPv4.
  const host = parsed.hostname.toLowerCase().replace(/\.$/, "");
  if (host === "") return "the URL has no host; expected https://<public host>/<path>";
  const unreachable = "; the notification service calls webhooks from the internet and cannot reach it";
  if (host.startsWith("[")) {
    const bytes = ipv6Bytes(host.slice(1, -1));
    const problem = bytes && addressProblem(bytes);
    return problem ? `the host is ${problem}${unreachable}` : undefined;
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    const problem = addressProblem(host.split(".").map(Number));
    return problem ? `the host is ${problem}${unreachable}` : undefined;
  }
  const suffix = internalSuffixes.find((s) => host === s || host.endsWith(`.${s}`));
  if (suffix) return `the host is an internal name (.${suffix}) that resolves only inside a private network${unreachable}`;
  if (!host.includes(".")) return `the host is a single-label name, which resolves only inside a private network${unreachable}`;
  return undefined;
}
