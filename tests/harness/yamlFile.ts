// Reads Pulumi.yaml and stack files as the Pulumi CLI's YAML library (gopkg.in/yaml.v3) sees them,
// as plain data built without touching any prototype, and names the file in every error.
import { readFileSync } from "node:fs";
import * as jsYaml from "js-yaml";
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";

export class YamlFileError extends Error {}

// YAML 1.2 core types plus merge keys (`<<: *base`). yaml.v3 hands an untyped value such as
// `imageTag: 2024-01-01` over as a string, so timestamps are not turned into dates here either.
// (`types` is exported by js-yaml 4 but missing from its typings.)
const { merge } = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types;
const schema = CORE_SCHEMA.extend({ implicit: [merge] });

// yaml.v3 (decode.go, `allowedAliasRatio`) refuses a document in which too large a share of the
// decoded values comes through aliases: "document contains excessive aliasing". The same rule
// bounds the work of expanding aliases here (a "billion laughs" file stops after ~1000 values).
const aliasRatioRangeLow = 400_000;
const aliasRatioRangeHigh = 4_000_000;

function allowedAliasRatio(decodes: number): number {
  if (decodes <= aliasRatioRangeLow) return 0.99;
  if (decodes >= aliasRatioRangeHigh) return 0.1;
  return 0.99 - 0.89 * ((decodes - aliasRatioRangeLow) / (aliasRatioRangeHigh - aliasRatioRangeLow));
}

/** Sets an own property even for `__proto__`, which an assignment would turn into a prototype change. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * A tree copy of what js-yaml loaded, in which every alias is expanded (js-yaml shares one object
 * between an anchor and its aliases, and lets an alias point into its own anchor).
 */
function expandAliases(root: unknown, label: string): unknown {
  let decodes = 0;
  let aliasDecodes = 0;
  let aliasDepth = 0;
  const visited = new Set<object>();
  const ancestors = new Set<object>();
  const count = () => {
    decodes++;
    if (aliasDepth > 0) aliasDecodes++;
    if (aliasDecodes > 100 && decodes > 1000 && aliasDecodes / decodes > allowedAliasRatio(decodes)) {
      throw new YamlFileError(
        `${label}: document contains excessive aliasing (${aliasDecodes} of the first ${decodes} values come through YAML aliases such as *name); the Pulumi CLI refuses such a file too. Write the values out instead of nesting aliases.`,
      );
    }
  };
  const copy = (node: unknown): unknown => {
    count();
    if (node === null || typeof node !== "object") return node;
    if (ancestors.has(node)) throw new YamlFileError(`${label}: a YAML anchor's value contains an alias of itself; the Pulumi CLI refuses it ("anchor value contains itself")`);
    // js-yaml keeps no trace of aliases; an object met a second time was reached through one.
    const throughAlias = visited.has(node);
    visited.add(node);
    ancestors.add(node);
    if (throughAlias) aliasDepth++;
    try {
      if (Array.isArray(node)) return node.map(copy);
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        count();
        setOwn(out, key, copy(value));
      }
      return out;
    } finally {
      ancestors.delete(node);
      if (throughAlias) aliasDepth--;
    }
  };
  return copy(root);
}

/** Reads one YAML file; `label` (e.g. `Pulumi.dev.yaml`) names it in errors, with line and column. */
export function readYamlFile(file: string, label: string): unknown {
  const text = readFileSync(file, "utf8");
  let doc: unknown;
  try {
    doc = load(text, { filename: label, schema });
  } catch (e) {
    if (!(e instanceof YAMLException)) throw e;
    const at = e.mark ? `${label}:${e.mark.line + 1}:${e.mark.column + 1}` : label;
    const snippet = e.mark?.snippet ? `\n${e.mark.snippet}` : "";
    throw new YamlFileError(`${at}: not valid YAML: ${e.reason}${snippet}`);
  }
  return expandAliases(doc, label);
}
