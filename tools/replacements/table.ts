// The shape of a cloud's replacement table: which inputs of a resource type force a new resource.

export interface ReplacementRule {
  /**
   * Top-level inputs (or dotted paths below one) whose change replaces the resource; "*" when
   * nothing about the resource can change in place.
   */
  inputs: readonly string[] | "*";
  /** Where the rule comes from: the provider resource and its schema. */
  source: string;
  note?: string;
}

/** Pulumi type token -> rule. */
export type ReplacementTable = Record<string, ReplacementRule>;

/** Whether a changed input path is one the rule says forces a new resource. */
export function forcesReplacement(rule: ReplacementRule, path: string): boolean {
  if (rule.inputs === "*") return true;
  return rule.inputs.some((input) => path === input || path.startsWith(`${input}.`) || path.startsWith(`${input}[`));
}
