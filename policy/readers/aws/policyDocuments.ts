// IAM policy documents as AWS reads them: a JSON string (or object) whose Statement is one statement
// or a list, each with Action/NotAction, Resource/NotResource and Principal as a string or a list.

export interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy document; a document that is not valid JSON has none (AWS refuses it). */
export function parsePolicyDocument(document: unknown): Statement[] {
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [];
    }
  }
  const statement = (parsed as { Statement?: unknown } | undefined)?.Statement;
  if (statement === undefined || statement === null) return [];
  return (Array.isArray(statement) ? statement : [statement]) as Statement[];
}

export const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every condition key a statement tests, lowercased (condition keys are case-insensitive). */
export function conditionKeys(statement: Statement): Set<string> {
  return new Set(Object.values(statement.Condition ?? {}).flatMap((test) => Object.keys(test ?? {}).map((k) => k.toLowerCase())));
}

/**
 * Whether a resource pattern names any resource of its kind rather than one resource (or the parts of
 * one, such as the objects of a named bucket or the streams of a named log group): `*`, a wildcard in
 * the partition, service, region or account, or in the resource id's first segment.
 */
export function isWildcardResource(pattern: string): boolean {
  if (pattern === "*") return true;
  const parts = pattern.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return pattern.includes("*");
  const [, partition, service, region, account] = parts;
  if ([partition, service, region, account].some((p) => p.includes("*"))) return true;
  const resource = parts.slice(5).join(":");
  // S3 ARNs have no type: arn:aws:s3:::bucket/key; the bucket is the resource's identity.
  if (service === "s3") return resource.split("/")[0].includes("*");
  const separator = resource.search(/[/:]/);
  if (separator < 0) return resource.includes("*");
  const identity = resource.slice(separator + 1).split(/[/:]/)[0];
  return identity.includes("*");
}
