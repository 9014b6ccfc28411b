// One shape for the tables of bad stack config and one assertion for them: the program stops with
// one ConfigError that names the key and the rule, before any resource is registered.
import { ConfigError } from "../../stacks/configErrors";
import { runProgram } from "../harness/run";

export interface BadValue {
  what: string;
  stack: "dev" | "staging" | "production";
  set?: string[];
  setSecret?: string[];
  /** The exact text of the problem: key, value and what is allowed. */
  message: string;
  /** More text the message must hold (the rest of a long list, for example). */
  alsoContains?: string[];
  /** Text that must never appear in the message (secret values). */
  mustNotContain?: string[];
  /** How many problems the config has; 1 unless the value breaks two rules. */
  problems?: number;
}

export async function expectRefused(c: BadValue): Promise<void> {
  const result = await runProgram({ stack: c.stack, set: c.set, setSecret: c.setSecret });
  expect(result.error).toBeInstanceOf(ConfigError);
  const error = result.error as ConfigError;
  expect(error.message).toContain(c.message);
  for (const text of c.alsoContains ?? []) expect(error.message).toContain(text);
  for (const text of c.mustNotContain ?? []) expect(error.message).not.toContain(text);
  // One wrong value is one problem, not a cascade of follow-on complaints.
  const count = c.problems ?? 1;
  expect(error.problems).toHaveLength(count);
  expect(error.message.startsWith(`Invalid stack config (${count} problem${count === 1 ? "" : "s"}); nothing was created:\n  - `)).toBe(true);
  expect(result.resources).toEqual([]);
}
