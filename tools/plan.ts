// The plan as the synth writes it (`--json`, `--json-dir`) and as the compare and the cost estimate
// read it back, including plans written by older versions of the synth (the base branch's).
import type { SynthResult } from "../tests/harness/run";

export interface PlanResource {
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  protect: boolean;
  inputs: Record<string, unknown>;
  /** The engine's URN (parent type chain, type, name), where recorded. */
  urn?: string;
  /** URNs (or logical names) of the resources this one waits for; absent in plans of older synths. */
  dependencies?: string[];
  /** Top-level input -> URNs its value came from (the engine's `propertyDependencies`), where recorded. */
  propertyDependencies?: Record<string, string[]>;
}

export interface PolicyViolation {
  policy: string;
  level: "mandatory" | "advisory" | string;
  type: string;
  name: string;
  message: string;
}

export interface Plan {
  stack: string;
  cloud: string;
  environment: string;
  /** Absent in plans of older synths: the cost estimate and the compare then assume the cloud's default. */
  region?: string;
  resources: PlanResource[];
  outputs: Record<string, unknown>;
  violations?: PolicyViolation[];
}

/** The regions a plan without one was made in: every committed stack of those synths used the default. */
export const defaultRegions: Record<string, string> = { aws: "us-east-1" };

export function planRegion(plan: Plan): string | undefined {
  return plan.region ?? defaultRegions[plan.cloud];
}

/**
 * The JSON contract of one synth result, in the order the README documents. The engine URN,
 * `dependencies` and `propertyDependencies` are written where the harness records them: the compare
 * follows them, and so do the policy pack's stack rules.
 */
export function toPlan(result: SynthResult): Plan {
  type WithDependencies = SynthResult["resources"][number] & { urn?: string; dependencies?: string[]; propertyDependencies?: Record<string, string[]> };
  return {
    stack: result.stack,
    cloud: result.cloud,
    environment: result.environment,
    region: result.region,
    resources: (result.resources as WithDependencies[]).map(({ type, name, parent, custom, protect, inputs, urn, dependencies, propertyDependencies }) => ({
      type,
      name,
      parent,
      custom,
      protect,
      inputs,
      ...(urn ? { urn } : {}),
      ...(dependencies ? { dependencies } : {}),
      ...(propertyDependencies ? { propertyDependencies } : {}),
    })),
    outputs: result.outputs,
  };
}

export class PlanFileError extends Error {}

/** Checks the shape of a plan read from disk, so that a wrong file is named instead of crashing later. */
export function parsePlan(text: string, file: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new PlanFileError(`${file}: not JSON (${(e as Error).message})`);
  }
  const plan = value as Partial<Plan>;
  if (!plan || typeof plan !== "object" || typeof plan.stack !== "string" || typeof plan.cloud !== "string" || !Array.isArray(plan.resources)) {
    throw new PlanFileError(`${file}: not a synth plan: expected { stack, cloud, environment, resources: [...], outputs } as written by \`npm run synth -- --json\``);
  }
  for (const [i, r] of plan.resources.entries()) {
    if (!r || typeof r.type !== "string" || typeof r.name !== "string" || typeof r.inputs !== "object") {
      throw new PlanFileError(`${file}: resources[${i}] is not a resource: expected { type, name, parent, custom, protect, inputs }`);
    }
  }
  return plan as Plan;
}

/** `<stack>.<cloud>.json`: one file per plan in `--json-dir` and `--compare-dir`. */
export function planFileName(stack: string, cloud: string): string {
  return `${stack.split("/").pop()}.${cloud}.json`;
}
