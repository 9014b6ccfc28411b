// Runs the pack's policies on a plan without the Pulumi engine, with the semantics of the analyzer
// server of @pulumi/policy 1.21.0 (server.js, makeAnalyzeRpcFun / makeAnalyzeStackRpcFun): the
// enforcement level from pack config, then the policy's, then the pack's; inputs behind the engine's
// unknown-checking proxy, so that reading a value unknown in a preview turns into the engine's
// advisory instead of a crash; the message as description, a newline, and what the rule reported.
// @pulumi/policy is pinned exactly because of this; tests/policy/realHost.test.ts compares the two.
import type { EnforcementLevel, Policies, Policy, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { packEnforcementLevel, packName, packVersion, policies as packPolicies } from "./pack";

/** What the engine hands the analyzer about one resource; the synth plan has each of these. */
export interface PlanResource {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  protect: boolean;
  inputs: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/** One finding, as the analyzer reports it. */
export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  urn: string;
}

/** A policy's level and properties after pack config: what the CLI hands the pack (`Configure`). */
export interface PolicySettings {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}
export type ResolvedPackConfig = Record<string, PolicySettings>;

/** The synth's marker for a value unknown in a preview (tests/harness/run.ts). */
export const synthUnknown = "[unknown]";
/** What the engine sends for any unknown value (`unknownStringValue` in @pulumi/policy's proxy.js). */
export const engineUnknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export class PackConfigError extends Error {}

// `isResourcePolicy`, `isStackPolicy` and `getPulumiType` exist in policy.js but are @internal.
const isResourcePolicy = (p: Policy): p is ResourceValidationPolicy => typeof (p as ResourceValidationPolicy).validateResource === "function" || Array.isArray((p as ResourceValidationPolicy).validateResource);
const isStackPolicy = (p: Policy): p is StackValidationPolicy => typeof (p as StackValidationPolicy).validateStack === "function";
const pulumiTypeOf = (fn: unknown): string | undefined => {
  const t = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t.length > 0 ? t : undefined;
};

function describeType(schema: { type?: unknown; items?: unknown }): string {
  if (schema.type === "array") return `a list of ${(schema.items as { type?: string } | undefined)?.type === "integer" ? "whole numbers" : "strings"}`;
  return schema.type === "integer" ? "a whole number of at least 0" : `a ${String(schema.type)}`;
}

function matchesSchema(value: unknown, schema: { type?: unknown; items?: unknown; minimum?: number }): boolean {
  switch (schema.type) {
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return Number.isInteger(value) && (schema.minimum === undefined || (value as number) >= schema.minimum);
    case "array":
      return Array.isArray(value) && value.every((v) => matchesSchema(v, (schema.items as object) ?? {}));
    case "string":
      return typeof value === "string";
    default:
      return true;
  }
}

/**
 * A pack config file (`{ "<policy>": level | { enforcementLevel?, ...properties }, "all": level }`)
 * checked against the pack as the CLI checks it, then resolved for every policy: its own entry, else
 * `all`, else the policy's level, else the pack's. `source` names the file in errors.
 */
export function resolvePackConfig(file: unknown, source: string, policies: Policies = packPolicies): ResolvedPackConfig {
  if (file === null || typeof file !== "object" || Array.isArray(file)) throw new PackConfigError(`${source}: expected an object of policy names, got ${JSON.stringify(file)}`);
  const entries = file as Record<string, unknown>;
  const names = policies.map((p) => p.name);
  const levelOf = (value: unknown, key: string): EnforcementLevel => {
    if (!levels.includes(value as EnforcementLevel)) throw new PackConfigError(`${source}: ${key}: ${JSON.stringify(value)} is not allowed: expected one of: ${levels.join(", ")}`);
    return value as EnforcementLevel;
  };
  const all = entries.all === undefined ? undefined : levelOf(entries.all, '"all"');
  for (const key of Object.keys(entries)) {
    if (key !== "all" && !names.includes(key)) throw new PackConfigError(`${source}: "${key}" is not a policy of ${packName}; policies: ${names.join(", ")}`);
  }
  const resolved: ResolvedPackConfig = {};
  for (const policy of policies) {
    const entry = entries[policy.name];
    const properties: Record<string, unknown> = {};
    let level: EnforcementLevel | undefined;
    if (typeof entry === "string") level = levelOf(entry, `"${policy.name}"`);
    else if (entry !== undefined) {
      if (entry === null || typeof entry !== "object" || Array.isArray(entry)) throw new PackConfigError(`${source}: "${policy.name}": expected a level or an object, got ${JSON.stringify(entry)}`);
      const schema = policy.configSchema?.properties ?? {};
      for (const [key, value] of Object.entries(entry)) {
        if (key === "enforcementLevel") {
          level = levelOf(value, `"${policy.name}".enforcementLevel`);
          continue;
        }
        const property = schema[key];
        if (property === undefined || typeof property === "boolean") {
          throw new PackConfigError(`${source}: "${policy.name}".${key} is not a setting of ${policy.name}; settings: ${Object.keys(schema).join(", ") || "none"}`);
        }
        if (!matchesSchema(value, property)) throw new PackConfigError(`${source}: "${policy.name}".${key}: ${JSON.stringify(value)} is not allowed: expected ${describeType(property)}`);
        properties[key] = value;
      }
    }
    resolved[policy.name] = { enforcementLevel: level ?? all ?? policy.enforcementLevel ?? packEnforcementLevel, properties };
  }
  return resolved;
}

/** Thrown by `notApplicable` offline: the engine's own error class is private to server.js. */
class NotApplicable {
  constructor(readonly reason?: string) {}
}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/** Inputs as the engine sends them: plain JSON, unknowns as the engine's sentinel. */
export function engineProps(inputs: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(inputs), (_key, value) => (value === synthUnknown ? engineUnknown : value)) as Record<string, unknown>;
}

const options = (protect: boolean) => ({ protect, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] });

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const t = pulumiTypeOf(resourceClass);
  if (t) return type === t;
  const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function failure(policy: Policy, e: unknown): Error {
  const from = `policy '${policy.name}' from policy pack '${packName}@v${packVersion}'`;
  return new Error(`Error validating resource with ${from}:\n${e instanceof Error ? e.stack : String(e)}`);
}

function unknownDiagnostic(policy: Policy, e: UnknownValueError, urn: string): Diagnostic {
  return {
    policyName: policy.name,
    policyPackName: packName,
    policyPackVersion: packVersion,
    description: policy.description,
    message: `can't run policy '${policy.name}' from policy pack '${packName}@v${packVersion}' during preview: ${e.message}`,
    enforcementLevel: "advisory",
    urn,
  };
}

/** Every diagnostic the pack reports on `resources`: per custom resource, then for the stack. */
export function analyzePlan(resources: readonly PlanResource[], config: ResolvedPackConfig, policies: Policies = packPolicies): Diagnostic[] {
  const ds: Diagnostic[] = [];
  const levelOf = (p: Policy): EnforcementLevel | undefined => {
    const level = config[p.name]?.enforcementLevel ?? p.enforcementLevel ?? packEnforcementLevel;
    return level === "disabled" ? undefined : level === "remediate" ? "mandatory" : level;
  };
  const getConfig = (p: Policy) => () => ({ ...(config[p.name]?.properties ?? {}) });
  const report = (p: Policy, level: EnforcementLevel, fallbackUrn: string) => (message: string, urn?: string) =>
    ds.push({ policyName: p.name, policyPackName: packName, policyPackVersion: packVersion, description: p.description, message: message ? `${p.description}\n${message}` : p.description, enforcementLevel: level, urn: urn ?? fallbackUrn });

  // Converted once: rules read inputs and never write them, so every policy may share them.
  const engineInputs = new Map(resources.map((r) => [r.urn, engineProps(r.inputs)]));
  const resourcePolicies = policies.filter(isResourcePolicy);
  for (const r of resources) {
    if (!r.custom) continue;
    for (const p of resourcePolicies) {
      const level = levelOf(p);
      if (!level) continue;
      // A policy without validateResource is a remediation only: the engine reports it not applicable.
      if (p.validateResource === undefined) continue;
      const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
      const t = validations.length === 1 ? pulumiTypeOf(validations[0]) : undefined;
      if (t && t !== r.type) continue;
      for (const validate of validations) {
        const props = unknownCheckingProxy(engineInputs.get(r.urn)!);
        const args: ResourceValidationArgs = {
          type: r.type,
          props,
          urn: r.urn,
          name: r.name,
          opts: options(r.protect),
          stackTags: new Map(),
          isType: (cls) => isTypeOf(r.type, cls),
          asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
          getConfig: getConfig(p) as ResourceValidationArgs["getConfig"],
          notApplicable,
        };
        try {
          const result = validate(args, report(p, level, r.urn));
          if (result instanceof Promise) throw new Error(`policy ${p.name} is asynchronous; the offline evaluator runs synchronous rules only`);
        } catch (e) {
          if (e instanceof UnknownValueError) ds.push(unknownDiagnostic(p, e, r.urn));
          else if (!(e instanceof NotApplicable)) throw failure(p, e);
        }
      }
    }
  }

  const stackPolicies = policies.filter(isStackPolicy);
  if (stackPolicies.length === 0) return ds;
  // The engine builds these per policy; built once here, and shared, since rules only read them (so
  // that readers can also share what they derive from the list, such as its graph).
  const stackResources = stackViews(resources, engineInputs);
  for (const p of stackPolicies) {
    const level = levelOf(p);
    if (!level) continue;
    const t = pulumiTypeOf(p.validateStack);
    if (t && !resources.some((r) => r.type === t)) continue;
    const args: StackValidationArgs = { resources: stackResources, stackTags: new Map(), getConfig: getConfig(p) as StackValidationArgs["getConfig"], notApplicable };
    try {
      const result = p.validateStack(args, report(p, level, ""));
      if (result instanceof Promise) throw new Error(`policy ${p.name} is asynchronous; the offline evaluator runs synchronous rules only`);
    } catch (e) {
      if (e instanceof UnknownValueError) ds.push(unknownDiagnostic(p, e, ""));
      else if (!(e instanceof NotApplicable)) throw failure(p, e);
    }
  }
  return ds;
}

/** The resources as a stack rule sees them: inputs behind the proxy, relations resolved to resources. */
function stackViews(resources: readonly PlanResource[], inputs: Map<string, Record<string, unknown>>): PolicyResource[] {
  const views = new Map<string, PolicyResource>();
  for (const r of resources) {
    const props = unknownCheckingProxy(inputs.get(r.urn)!);
    views.set(r.urn, {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: options(r.protect),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
    });
  }
  for (const r of resources) {
    const view = views.get(r.urn)!;
    view.dependencies = r.dependencies.map((d) => views.get(d)).filter((d): d is PolicyResource => d !== undefined);
    for (const [key, urns] of Object.entries(r.propertyDependencies)) view.propertyDependencies[key] = urns.map((d) => views.get(d)).filter((d): d is PolicyResource => d !== undefined);
  }
  return [...views.values()];
}

/** A finding as the synth reports it (the JSON contract's `violations`). */
export interface Violation {
  policy: string;
  level: "mandatory" | "advisory";
  /** The resource it is about; the stack itself when a stack rule names none. */
  type: string;
  name: string;
  message: string;
}

/** The diagnostics of `resources` as violations, mandatory first, each named by its resource. */
export function violationsOf(diagnostics: readonly Diagnostic[], resources: readonly PlanResource[], stack: { project: string; stack: string }): Violation[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const out = diagnostics.map((d) => {
    const r = byUrn.get(d.urn);
    return {
      policy: d.policyName,
      level: d.enforcementLevel === "advisory" ? ("advisory" as const) : ("mandatory" as const),
      type: r?.type ?? "pulumi:pulumi:Stack",
      name: r?.name ?? `${stack.project}-${stack.stack}`,
      message: d.message,
    };
  });
  return [...out.filter((v) => v.level === "mandatory"), ...out.filter((v) => v.level === "advisory")];
}
