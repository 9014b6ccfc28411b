// Every cloud's replacement table, merged. A cloud adds its file and one line here; a type that is
// in no table is reported as "may be replaced" instead of guessed.
import { awsRegionForcesReplacement, awsReplacements } from "./aws";
import { randomReplacements } from "./random";
import { forcesReplacement, type ReplacementRule, type ReplacementTable } from "./table";

export const replacementTables: Record<string, ReplacementTable> = {
  aws: awsReplacements,
  random: randomReplacements,
};

/** Inputs that force replacement on every type a provider package's predicate accepts. */
const universalInputs: { input: string; applies: (type: string) => boolean; source: string }[] = [
  { input: "region", applies: awsRegionForcesReplacement, source: "terraform-provider-aws guide \"Enhanced Region Support\" (v6)" },
];

export function replacementRule(type: string): ReplacementRule | undefined {
  return replacementTables[type.split(":")[0]]?.[type];
}

/**
 * Whether changing `path` replaces a resource of `type`, and the source that says so; undefined
 * when no table knows the type.
 */
export function replacementVerdict(type: string, path: string): { forces: boolean; source: string } | undefined {
  const universal = universalInputs.find((u) => u.applies(type) && (path === u.input || path.startsWith(`${u.input}.`)));
  if (universal) return { forces: true, source: universal.source };
  const rule = replacementRule(type);
  return rule ? { forces: forcesReplacement(rule, path), source: rule.source } : undefined;
}

export { forcesReplacement, type ReplacementRule, type ReplacementTable };
