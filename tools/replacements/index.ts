// Every cloud's replacement table, merged. A cloud adds its file and one line here; a type that is
// in no table is reported as "may be replaced" instead of guessed.
import { awsRegionForcesReplacement, awsReplacements } from "./aws";
import { azureLocatedTypes, azureReplacements } from "./azure";
import { gcpImplicitRegion, gcpReplacements } from "./gcp";
import { randomReplacements } from "./random";
import { forcesReplacement, isUnverified, type ReplacementRule, type ReplacementTable } from "./table";

/** Keyed by the type token's package (`aws`, `azure-native`, `gcp`, `random`). */
export const replacementTables: Record<string, ReplacementTable> = {
  aws: awsReplacements,
  "azure-native": azureReplacements,
  gcp: gcpReplacements,
  random: randomReplacements,
};

/** Inputs that force replacement on every type a provider package's predicate accepts. */
const universalInputs: { input: string; applies: (type: string) => boolean; source: string }[] = [
  { input: "region", applies: awsRegionForcesReplacement, source: "terraform-provider-aws guide \"Enhanced Region Support\" (v6)" },
];

/**
 * The input that places a resource of `type` when the program leaves it to the provider's default,
 * on a plan of `cloud`: AWS's region (every aws type), Azure's location (types that take one) and
 * GCP's region (regional types). A plan without it is in the plan's region.
 */
export function implicitPlacement(type: string, cloud: string): string | undefined {
  if (cloud === "aws" && type.startsWith("aws:")) return "region";
  if (cloud === "azure" && azureLocatedTypes.has(type)) return "location";
  if (cloud === "gcp" && gcpImplicitRegion(type)) return "region";
  return undefined;
}

export function replacementRule(type: string): ReplacementRule | undefined {
  return replacementTables[type.split(":")[0]]?.[type];
}

/**
 * Whether changing `path` (from `before` to `after`) replaces a resource of `type`, and the source
 * that says so; undefined when no table knows the type or the table leaves that input unverified.
 */
export function replacementVerdict(type: string, path: string, before?: unknown, after?: unknown): { forces: boolean; source: string } | undefined {
  const universal = universalInputs.find((u) => u.applies(type) && (path === u.input || path.startsWith(`${u.input}.`)));
  if (universal) return { forces: true, source: universal.source };
  const rule = replacementRule(type);
  if (!rule || isUnverified(rule, path)) return undefined;
  return { forces: forcesReplacement(rule, path, before, after), source: rule.source };
}

export { forcesReplacement, type ReplacementRule, type ReplacementTable };
