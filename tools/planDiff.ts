// What a change does to a stack, offline: two synth plans (the base branch's and the PR's) compared
// resource by resource and input path by input path. Whether a change replaces a resource comes
// from the curated replacement tables (tools/replacements/), and a replacement is carried to the
// resources whose inputs refer to the replaced one, as `pulumi preview` does: their inputs become
// unknown until the new resource exists, and where such an input forces a new resource, they are
// replaced too. This is the program's desired state only; `pulumi preview` against the real state
// on same-repository PRs stays the authority.
import { mockResourceState } from "../tests/harness/cloudMocks";
import { type Plan, type PlanResource, planRegion } from "./plan";
import { implicitPlacement, replacementRule, replacementVerdict } from "./replacements";

export type ChangeKind = "create" | "update" | "replace" | "delete";

export interface InputChange {
  /** `port`, `healthCheck.path`, `containerDefinitions[0].image` (JSON strings are compared inside). */
  path: string;
  /** Absent when the input was not set. */
  before?: unknown;
  after?: unknown;
  /** The new value is only known once `via` (replaced) exists. */
  via?: string;
  /** Whether this change forces a new resource; undefined when no replacement table knows the type. */
  forces?: boolean;
}

export interface ResourceChange {
  kind: ChangeKind;
  type: string;
  name: string;
  /** Whether the resource is protected in the state the change starts from (the old plan). */
  protect: boolean;
  /** Deleting or replacing a protected resource: `pulumi up` refuses it. */
  blocked: boolean;
  changes: InputChange[];
  /** The type is in no replacement table, or a changed input is unverified there, so an update here may in fact be a replacement. */
  unverified?: boolean;
  /** Why, beyond input changes (a new parent changes the URN). */
  reason?: string;
}

/** A resource that depends on a replaced one without any input naming it by value. */
export interface PossibleChange {
  type: string;
  name: string;
  dependsOn: string;
}

export interface PlanDiff {
  stack: string;
  cloud: string;
  changes: ResourceChange[];
  possible: PossibleChange[];
  /** Where the dependencies between resources came from. */
  dependencies: "recorded" | "inferred";
  notes: string[];
  counts: Record<ChangeKind | "blocked" | "unverified", number>;
}

const key = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
export const unknownValue = "[unknown]";
const redacted = "[secret]";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function childPath(path: string, k: string | number): string {
  if (typeof k === "number") return `${path}[${k}]`;
  const name = /^[A-Za-z_$][\w$-]*$/.test(k) ? k : JSON.stringify(k);
  if (!path) return /^[A-Za-z_$][\w$-]*$/.test(k) ? k : `[${name}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(k) ? `${path}.${k}` : `${path}[${name}]`;
}

/** JSON documents held in strings (policies, container definitions) are compared by their content. */
function parsedJson(value: string): unknown {
  const t = value.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every leaf of an input value by path; empty objects and arrays are leaves of their own. */
export function flattenInputs(value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === "string") {
    const parsed = parsedJson(value);
    if (parsed !== undefined) return flattenInputs(parsed, path, out);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, []);
    value.forEach((v, i) => flattenInputs(v, childPath(path, i), out));
  } else if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && path) out.set(path, {});
    for (const k of keys) flattenInputs(value[k], childPath(path, k), out);
  } else if (value !== undefined) {
    out.set(path, value);
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A resource's inputs with its region (Azure: location) made explicit: without one, a resource is in its plan's region. */
function normalisedInputs(r: PlanResource, plan: Plan): Record<string, unknown> {
  const input = implicitPlacement(r.type, plan.cloud);
  if (!input || r.inputs[input] !== undefined) return r.inputs;
  const region = planRegion(plan);
  return region ? { ...r.inputs, [input]: region } : r.inputs;
}

/** An update the tables cannot vouch for: the type is in none, or a changed input is left unverified. */
const unverifiedUpdate = (type: string, changes: InputChange[]) => replacementRule(type) === undefined || changes.some((c) => c.forces === undefined);

function inputChanges(type: string, before: Record<string, unknown>, after: Record<string, unknown>): InputChange[] {
  const a = flattenInputs(before);
  const b = flattenInputs(after);
  const changes: InputChange[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path);
    const y = b.get(path);
    if (same(x, y)) continue;
    changes.push({ path, ...(a.has(path) ? { before: x } : {}), ...(b.has(path) ? { after: y } : {}), forces: replacementVerdict(type, path, x, y)?.forces });
  }
  return changes.sort((p, q) => p.path.localeCompare(q.path, "en", { numeric: true }));
}

/** `urn:pulumi:dev::platform::a$b$aws:x/y:Z::name` or a bare logical name -> the resource it names. */
function dependencyKey(ref: string, byName: Map<string, PlanResource>): string | undefined {
  if (ref.startsWith("urn:pulumi:")) {
    const parts = ref.split("::");
    const name = parts.slice(3).join("::");
    const type = (parts[2] ?? "").split("$").pop() ?? "";
    return `${type}::${name}`;
  }
  const r = byName.get(ref);
  return r ? key(r) : undefined;
}

/**
 * What other resources receive from this one once it exists, as the harness's mocks answer: the
 * computed id, ARN and the like. A value found in another resource's inputs is a reference to this
 * one. Values that are inputs too (a physical name used as the id) are left out: a replacement
 * under the same name hands its dependents the same value, and equal names are often coincidence.
 */
function identifyingValues(r: PlanResource, region: string): string[] {
  const { id, state } = mockResourceState({ type: r.type, name: r.name, inputs: r.inputs, custom: true } as Parameters<typeof mockResourceState>[0], region);
  const inputValues = new Set(Object.values(r.inputs).filter((v): v is string => typeof v === "string"));
  const values = new Set<string>();
  for (const v of [id, ...Object.entries(state).filter(([k, v]) => r.inputs[k] !== v).map(([, v]) => v)]) {
    if (typeof v === "string" && v.length >= 8 && v !== redacted && v !== unknownValue && !inputValues.has(v)) values.add(v);
  }
  return [...values];
}

/** Whether `text` contains `value` as a whole token (not as the start of a longer name). */
function containsToken(text: string, value: string): boolean {
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    const next = text[at + value.length];
    if (next === undefined || !/[A-Za-z0-9_-]/.test(next)) return true;
  }
  return false;
}

function referencingPaths(leaves: Map<string, unknown>, values: string[]): string[] {
  const paths: string[] = [];
  for (const [path, leaf] of leaves) {
    if (typeof leaf === "string" && values.some((v) => containsToken(leaf, v))) paths.push(path);
  }
  return paths;
}

export function comparePlans(before: Plan, after: Plan): PlanDiff {
  const oldByKey = new Map(before.resources.filter((r) => r.custom).map((r) => [key(r), r]));
  const newByKey = new Map(after.resources.filter((r) => r.custom).map((r) => [key(r), r]));
  const changes = new Map<string, ResourceChange>();
  const notes: string[] = [];

  for (const [k, r] of newByKey) {
    const old = oldByKey.get(k);
    if (!old) {
      changes.set(k, { kind: "create", type: r.type, name: r.name, protect: r.protect, blocked: false, changes: [] });
      continue;
    }
    const diff = inputChanges(r.type, normalisedInputs(old, before), normalisedInputs(r, after));
    const unverified = unverifiedUpdate(r.type, diff);
    const moved = (old.parent ?? null) !== (r.parent ?? null);
    if (diff.length === 0 && !moved) {
      if (old.protect !== r.protect) changes.set(k, { kind: "update", type: r.type, name: r.name, protect: old.protect, blocked: false, changes: [], reason: `protect: ${old.protect} -> ${r.protect}` });
      continue;
    }
    const replace = moved || diff.some((c) => c.forces === true);
    changes.set(k, {
      kind: replace ? "replace" : "update",
      type: r.type,
      name: r.name,
      protect: old.protect,
      blocked: replace && old.protect,
      changes: diff,
      ...(unverified && !replace ? { unverified: true } : {}),
      // The URN holds the parent's type: a new parent is a new resource unless an alias maps the old URN.
      ...(moved ? { reason: `parent ${old.parent ?? "(stack)"} -> ${r.parent ?? "(stack)"}: a new URN, so a new resource unless an alias names the old one` } : {}),
    });
  }
  for (const [k, old] of oldByKey) {
    if (!newByKey.has(k)) changes.set(k, { kind: "delete", type: old.type, name: old.name, protect: old.protect, blocked: old.protect, changes: [] });
  }

  // Carry replacements to the resources that receive a replaced resource's outputs.
  const recorded = after.resources.some((r) => r.dependencies) ? after : before.resources.some((r) => r.dependencies) ? before : undefined;
  const possible: PossibleChange[] = [];
  const region = planRegion(after) ?? "";
  const leavesOf = new Map<string, Map<string, unknown>>();
  const leaves = (r: PlanResource) => leavesOf.get(key(r)) ?? leavesOf.set(key(r), flattenInputs(r.inputs)).get(key(r))!;
  const dependents = new Map<string, PlanResource[]>();
  const byName = new Map((recorded ?? after).resources.map((r) => [r.name, r]));
  if (recorded) {
    for (const r of recorded.resources) {
      const current = newByKey.get(key(r));
      if (!current) continue;
      for (const ref of r.dependencies ?? []) {
        const k = dependencyKey(ref, byName);
        if (k) dependents.set(k, [...(dependents.get(k) ?? []), current]);
      }
    }
  } else {
    notes.push("The plans record no dependencies between resources: a replacement is carried to the resources whose inputs hold the replaced resource's id, ARN or name; a value derived from them (a hash, a joined string) is not seen.");
  }

  const queue = [...changes.values()].filter((c) => c.kind === "replace");
  const seen = new Set(queue.map(key));
  while (queue.length > 0) {
    const replaced = queue.shift()!;
    const k = key(replaced);
    const merged = [oldByKey.get(k), newByKey.get(k)].filter((r): r is PlanResource => r !== undefined).flatMap((r) => identifyingValues(r, region));
    const candidates = recorded ? (dependents.get(k) ?? []) : [...newByKey.values()];
    for (const dependent of candidates) {
      const dk = key(dependent);
      if (dk === k || !oldByKey.has(dk)) continue;
      const propertyInputs = Object.entries(dependent.propertyDependencies ?? {})
        .filter(([, refs]) => refs.some((ref) => dependencyKey(ref, byName) === k))
        .map(([input]) => input);
      const found = referencingPaths(leaves(dependent), merged);
      const paths = [...new Set([...found, ...propertyInputs.filter((input) => !found.some((p) => p === input || p.startsWith(`${input}.`) || p.startsWith(`${input}[`)))])];
      if (paths.length === 0) {
        if (recorded) possible.push({ type: dependent.type, name: dependent.name, dependsOn: replaced.name });
        continue;
      }
      const entry = changes.get(dk) ?? { kind: "update" as ChangeKind, type: dependent.type, name: dependent.name, protect: oldByKey.get(dk)!.protect, blocked: false, changes: [] };
      const oldLeaves = flattenInputs(oldByKey.get(dk)!.inputs);
      for (const path of paths) {
        const existing = entry.changes.find((c) => c.path === path);
        if (existing) {
          existing.via ??= replaced.name;
          continue;
        }
        const before = oldLeaves.has(path) ? oldLeaves.get(path) : oldByKey.get(dk)!.inputs[path];
        entry.changes.push({ path, ...(before !== undefined ? { before } : {}), after: unknownValue, via: replaced.name, forces: replacementVerdict(dependent.type, path)?.forces });
      }
      entry.changes.sort((p, q) => p.path.localeCompare(q.path, "en", { numeric: true }));
      if (entry.kind === "update" && entry.changes.some((c) => c.forces === true)) {
        entry.kind = "replace";
        entry.blocked = entry.protect;
        delete entry.unverified;
      }
      if (entry.kind === "update" && unverifiedUpdate(dependent.type, entry.changes)) entry.unverified = true;
      changes.set(dk, entry);
      if (entry.kind === "replace" && !seen.has(dk)) {
        seen.add(dk);
        queue.push(entry);
      }
    }
  }

  const hasSecrets = [...newByKey.values()].some((r) => [...leaves(r).values()].includes(redacted));
  if (hasSecrets) notes.push("Secret inputs are redacted in plans: a changed secret value does not show here.");
  const list = [...changes.values()].sort((p, q) => kindOrder[p.kind] - kindOrder[q.kind] || key(p).localeCompare(key(q)));
  const possibleUnique = possible.filter((p, i) => !changes.has(key(p)) && possible.findIndex((q) => key(q) === key(p)) === i);
  return {
    stack: after.stack,
    cloud: after.cloud,
    changes: list,
    possible: possibleUnique,
    dependencies: recorded ? "recorded" : "inferred",
    notes,
    counts: {
      create: list.filter((c) => c.kind === "create").length,
      update: list.filter((c) => c.kind === "update").length,
      replace: list.filter((c) => c.kind === "replace").length,
      delete: list.filter((c) => c.kind === "delete").length,
      blocked: list.filter((c) => c.blocked).length,
      unverified: list.filter((c) => c.unverified).length,
    },
  };
}

const kindOrder: Record<ChangeKind, number> = { delete: 0, replace: 1, update: 2, create: 3 };
