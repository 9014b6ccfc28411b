// E-mail addresses for alarm subscriptions. SNS refuses a malformed endpoint part-way through
// `pulumi up`, after the topics exist; this check keeps to the address forms every mail system
// delivers to: an RFC 5322 dot-atom local part and an RFC 1035 host name with a letter TLD.

/** RFC 5321 section 4.5.3.1: local part at most 64 octets, a path at most 256 (254 without <>). */
const maxLocalLength = 64;
const maxAddressLength = 254;

/** RFC 5322 section 3.2.3 atext: letters, digits and these; dots only between atoms. */
const atom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** RFC 1035 section 2.3.1 label, as relaxed by RFC 1123 (may start with a digit). */
const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** Top-level domains are letters (RFC 3696 section 2), or an IDN in its xn-- form. */
const topLevel = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** What is wrong with `address`, or undefined for an address SNS can deliver to. */
export function emailProblem(address: string): string | undefined {
  const expected = "expected an email address such as oncall@example.com";
  const at = address.lastIndexOf("@");
  if (at < 0) return `${expected}: there is no @`;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.includes("@")) return `${expected}: there is more than one @`;
  if (/\s/.test(address)) return `${expected}: it contains a space or line break`;
  if (address.length > maxAddressLength) return `${expected}: it is ${address.length} characters long; at most ${maxAddressLength} are allowed`;
  if (local === "") return `${expected}: nothing before the @`;
  if (local.length > maxLocalLength) return `${expected}: the part before the @ is ${local.length} characters long; at most ${maxLocalLength} are allowed`;
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return `${expected}: the part before the @ may not start or end with a dot, nor hold two dots in a row`;
  if (!local.split(".").every((a) => atom.test(a))) return `${expected}: the part before the @ holds a character outside letters, digits and ! # $ % & ' * + / = ? ^ _ \` { | } ~ - .`;
  if (domain === "") return `${expected}: nothing after the @`;
  const labels = domain.replace(/\.$/, "").split(".");
  if (labels.length < 2) return `${expected}: the domain ${JSON.stringify(domain)} has no dot; mail needs a full domain name`;
  if (!labels.every((l) => label.test(l))) return `${expected}: the domain ${JSON.stringify(domain)} is not a host name (labels of letters, digits and inner hyphens, 1-63 characters each)`;
  if (!topLevel.test(labels[labels.length - 1])) return `${expected}: the domain ${JSON.stringify(domain)} does not end in a top-level domain of letters`;
  return undefined;
}

/** Two addresses that reach one mailbox: domains are case-insensitive, and in practice so are local parts. */
export function sameMailbox(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
