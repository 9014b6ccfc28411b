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
  /**
   * Inputs whose effect could not be verified from the provider's source: a change of one is shown
   * as "may be a replacement" instead of being guessed either way.
   */
  unverified?: readonly string[];
  /**
   * Inputs that replace the resource only for some changes (a provider's conditional force-new,
   * such as a subnet range that shrinks): `forces` decides from the old and the new value.
   */
  when?: Readonly<Record<string, { forces: (before: unknown, after: unknown) => boolean; why: string }>>;
}

/** Pulumi type token -> rule. */
export type ReplacementTable = Record<string, ReplacementRule>;

const under = (path: string, input: string) => path === input || path.startsWith(`${input}.`) || path.startsWith(`${input}[`);

/** Whether a changed input path is one the rule says forces a new resource. */
export function forcesReplacement(rule: ReplacementRule, path: string, before?: unknown, after?: unknown): boolean {
  if (rule.inputs === "*") return true;
  const conditional = Object.entries(rule.when ?? {}).find(([input]) => under(path, input));
  if (conditional) return conditional[1].forces(before, after);
  return rule.inputs.some((input) => under(path, input));
}

/** Whether the rule leaves the effect of a change at `path` open. */
export function isUnverified(rule: ReplacementRule, path: string): boolean {
  return rule.inputs !== "*" && (rule.unverified ?? []).some((input) => under(path, input)) && !rule.inputs.some((input) => under(path, input));
}
