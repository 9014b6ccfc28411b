// Turns validation problems into one message that names each config key, its value and what is
// allowed. A RunError is printed by Pulumi without a stack trace.
import * as pulumi from "@pulumi/pulumi";
import { closest, distance } from "fastest-levenshtein";
import type { z } from "zod";

export interface ConfigProblem {
  /** Full config key in `pulumi config set --path` syntax, e.g. `platform:services.api.port`. */
  key: string;
  value?: unknown;
  message: string;
}

export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was created:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

export function formatProblem(p: ConfigProblem): string {
  return p.value === undefined ? `${p.key}: ${p.message}` : `${p.key}: ${show(p.value)} is not allowed: ${p.message}`;
}

/** Long enough for an ARN (the region inside it is what is often wrong); objects stay short. */
const maxShown = 200;

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > maxShown ? `${text.slice(0, maxShown - 3)}...` : text;
}

export function configKey(namespace: string, path: readonly PropertyKey[]): string {
  let key = namespace;
  path.forEach((part, i) => {
    if (typeof part === "number") key += `[${part}]`;
    else key += i === 0 ? `:${String(part)}` : `.${String(part)}`;
  });
  return key;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

type SchemaDef = { type: string; shape?: object; valueType?: unknown; element?: unknown; innerType?: unknown; options?: unknown[] };
type AnySchema = { _zod: { def: SchemaDef } };

/** The keys an object schema at `path` accepts, for did-you-mean suggestions. */
function allowedKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  let node: AnySchema | undefined = schema;
  const unwrap = () => {
    for (;;) {
      if (node && (node._zod.def.type === "optional" || node._zod.def.type === "default")) node = node._zod.def.innerType as AnySchema;
      // A value that may be a string or an object (a per-cloud reference): its keys are the object's.
      else if (node && node._zod.def.type === "union") node = (node._zod.def.options as AnySchema[]).find((o) => o._zod.def.type === "object") ?? (node._zod.def.options as AnySchema[])[0];
      else return;
    }
  };
  for (const part of path) {
    unwrap();
    if (!node) return [];
    const def: SchemaDef = node._zod.def;
    if (def.type === "object") node = (def.shape as Record<string, AnySchema>)[String(part)];
    else if (def.type === "record") node = def.valueType as AnySchema;
    else if (def.type === "array") node = def.element as AnySchema;
    else return [];
  }
  unwrap();
  return node && node._zod.def.type === "object" ? Object.keys(node._zod.def.shape as object) : [];
}

export function didYouMean(word: string, candidates: string[]): string {
  if (candidates.length === 0) return "";
  const best = closest(word, candidates);
  return distance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? `did you mean "${best}"? ` : "";
}

export function problemsFromZod(namespace: string, schema: AnySchema, raw: unknown, error: z.ZodError): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(schema, issue.path);
      for (const unknownKey of issue.keys) {
        problems.push({
          key: configKey(namespace, [...issue.path, unknownKey]),
          message: `unknown key; ${didYouMean(unknownKey, allowed)}allowed keys: ${allowed.join(", ")}`,
        });
      }
      continue;
    }
    if (issue.code === "invalid_key") {
      // A record key (service, secret, env var or tag name) broke its rule: show the key, not its value.
      problems.push({
        key: configKey(namespace, issue.path),
        value: issue.path[issue.path.length - 1],
        message: issue.issues.map((i) => i.message).join("; ") || issue.message,
      });
      continue;
    }
    const value = valueAt(raw, issue.path);
    problems.push({
      key: configKey(namespace, issue.path),
      value,
      message: value === undefined ? issue.message.replace(/^expected/, "required: expected") : issue.message,
    });
  }
  return problems;
}
