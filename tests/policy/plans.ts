// Plans of the real program for the policy tests, and small edits that make a resource break a rule.
import { analyzePlan, type Diagnostic, type PlanResource } from "../../policy/offline";
import { loadPackConfig } from "../../policy/synthPolicies";
import { type RunOptions, runProgram } from "../harness/run";

export type StackName = "dev" | "staging" | "production";

/** The resources the program registers for a stack (and overrides); refuses a run that failed. */
export async function plan(stack: StackName, options: Omit<RunOptions, "stack"> = {}): Promise<PlanResource[]> {
  const result = await runProgram({ stack, ...options });
  if (result.error) throw result.error;
  return result.resources;
}

/** What the pack reports on `resources` under the committed config of `config`, for one policy or all. */
export function findings(resources: readonly PlanResource[], config: StackName, policy?: string): Diagnostic[] {
  const all = analyzePlan(resources, loadPackConfig(config).config);
  return policy === undefined ? all : all.filter((d) => d.policyName === policy);
}

export function named(resources: readonly PlanResource[], name: string): PlanResource {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
}

/** A copy of the plan with `change` applied to the inputs of the resource `name`. */
export function edit(resources: readonly PlanResource[], name: string, change: (inputs: any) => void): PlanResource[] {
  named(resources, name);
  return resources.map((r) => {
    if (r.name !== name) return r;
    const copy = structuredClone(r);
    change(copy.inputs);
    return copy;
  });
}

/** A copy of the plan with the property dependencies of `name` changed. */
export function rewire(resources: readonly PlanResource[], name: string, change: (deps: Record<string, string[]>) => void): PlanResource[] {
  named(resources, name);
  return resources.map((r) => {
    if (r.name !== name) return r;
    const copy = structuredClone(r);
    change(copy.propertyDependencies);
    copy.dependencies = [...new Set(Object.values(copy.propertyDependencies).flat())];
    return copy;
  });
}

/** A copy of the plan without the named resources (and without any dependency on them). */
export function without(resources: readonly PlanResource[], ...names: string[]): PlanResource[] {
  const gone = new Set(resources.filter((r) => names.includes(r.name)).map((r) => r.urn));
  if (gone.size !== names.length) throw new Error(`not all of ${names.join(", ")} are in the plan`);
  return resources
    .filter((r) => !gone.has(r.urn))
    .map((r) => ({
      ...r,
      dependencies: r.dependencies.filter((d) => !gone.has(d)),
      propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.filter((d) => !gone.has(d))])),
    }));
}

/** The policy's message after its description line: what the rule itself reported. */
export const finding = (d: Diagnostic) => d.message.split("\n").slice(1).join("\n");
