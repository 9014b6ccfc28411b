// Path patterns in the one form every cloud's router can express: an exact path (`/health`), a
// prefix that ends in `/*` (`/api/*`: /api/ and everything below it, not /api itself), or `/*`
// (everything). The ALB's own forms (`/api*`, `/a/*/b`, `*.jpg`, `?`) have no equal in the other
// clouds' routers (GCP URL map path rules, Azure Front Door routes), so each gets a message that
// says why and what to write instead. Each cloud's limits add its own (length, characters, count).

/** A path segment: RFC 3986 path characters, other octets percent-encoded. */
const segment = "(?:[A-Za-z0-9\\-._~!$&'()+,;=:@]|%[0-9A-Fa-f]{2})+";
const exactPath = new RegExp(`^(?:/${segment})*/?$`);
const prefixPath = new RegExp(`^(?:/${segment})*/\\*$`);
const pathCharacters = /^(?:[A-Za-z0-9\-._~!$&'()+,;=:@/]|%[0-9A-Fa-f]{2})*$/;

export const pathPatternExpected = "expected an exact path (/health) or a prefix ending in /* (/api/*)";

/** Why `pattern` is not a neutral path pattern, with what to write instead; undefined when it is one. */
export function pathPatternProblem(pattern: string): string | undefined {
  if (pattern.startsWith("/") && (exactPath.test(pattern) || prefixPath.test(pattern))) return undefined;
  if (pattern.startsWith("*")) {
    return "a pattern that starts with a wildcard (such as *.jpg) is not a form every cloud's router can express; route a path prefix instead, such as /images/*";
  }
  if (!pattern.startsWith("/")) return `${pathPatternExpected}; a path starts with /: write /${pattern}`;
  if (pattern.includes("?")) {
    return `? (any one character) is not a form every cloud's router can express; ${pathPatternExpected}`;
  }
  if (!pathCharacters.test(pattern.replaceAll("*", ""))) return "expected path characters only: letters, digits, - . _ ~ ! $ & ' ( ) + , ; = : @ and %XX escapes";
  if (pattern.includes("//")) return `an empty path segment (//) is not allowed; ${pathPatternExpected}`;
  const star = pattern.indexOf("*");
  if (star === pattern.length - 1) {
    const base = pattern.slice(0, star);
    return `a * may only end a prefix, right after a / (a prefix such as /api* is not a form every cloud's router can express): write ${base}/* (and ${base} as well to route the path itself)`;
  }
  if (star >= 0) {
    const before = pattern.slice(0, star);
    const base = before.slice(0, before.lastIndexOf("/") + 1);
    return `a * may only stand at the end, right after a / (wildcards inside a path or a name are not a form every cloud's router can express): route the prefix ${base}* instead`;
  }
  return pathPatternExpected;
}
