// The Pulumi CLI's rules for config declarations in Pulumi.yaml and for the stack files that must
// satisfy them, so that a test or a synth refuses what `pulumi preview` would refuse before it
// starts the program. Sources (pulumi/pulumi): project.json (the schema of Pulumi.yaml),
// `Project.Validate` and `ValidateConfigValue` in sdk/go/common/workspace/project.go, `mergeConfig`
// and `validateStackConfigValue` in pkg/workspace/config.go, `ParseKey` in
// sdk/go/common/resource/config/key.go, `stackConfigNamespacedWithProject` in
// sdk/go/common/workspace/loaders.go. Messages quote the CLI's own wording where it has one.
import { closest, distance } from "fastest-levenshtein";

const configTypes = ["string", "integer", "boolean", "array", "object"] as const;
type ConfigType = (typeof configTypes)[number];

export interface ItemsType {
  type: ConfigType;
  items?: ItemsType;
}

export interface ConfigDeclaration {
  type?: ConfigType;
  items?: ItemsType;
  secret: boolean;
  /** Present only when Pulumi.yaml gives one (`default: null` counts as none, as in the CLI). */
  default?: unknown;
  value?: unknown;
}

export interface ProjectConfig {
  name: string;
  /** Keyed as written in Pulumi.yaml (`cloud`, `platform:cloud` or `aws:region`). */
  declarations: Map<string, ConfigDeclaration>;
}

/** One problem per line, each already naming the file. */
export class ProjectConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const quoted = (s: string) => `'${s}'`;

/** `findClosestKey` of the CLI: case-insensitive, at most 2 edits. */
function closestAttribute(word: string, allowed: readonly string[]): string | undefined {
  const best = closest(word.toLowerCase(), allowed.map((a) => a.toLowerCase()));
  return distance(word.toLowerCase(), best) <= 2 ? allowed.find((a) => a.toLowerCase() === best) : undefined;
}

function notAllowed(at: string, attribute: string, allowed: readonly string[]): string {
  const near = closestAttribute(attribute, allowed);
  const hint = near ? `did you mean '${near}'?` : `the allowed attributes are ${allowed.map(quoted).join(", ")}`;
  return `Pulumi.yaml: ${at}: '${attribute}' not allowed; ${hint}`;
}

/** Keys of the project's own namespace; the others set a provider's value and cannot be typed. */
export function isProjectKey(project: string, key: string): boolean {
  return !key.includes(":") || key.startsWith(`${project}:`);
}

const declarationAttributes = ["type", "items", "description", "secret", "default", "value"] as const;

function readItems(raw: unknown, at: string, problems: string[]): ItemsType | undefined {
  if (!isMap(raw)) {
    problems.push(`Pulumi.yaml: ${at}: expected an object with a 'type' (and 'items' for an array)`);
    return undefined;
  }
  for (const attribute of Object.keys(raw)) {
    if (attribute !== "type" && attribute !== "items") problems.push(notAllowed(at, attribute, ["type", "items"]));
  }
  if (!(configTypes as readonly unknown[]).includes(raw.type)) {
    problems.push(`Pulumi.yaml: ${at}.type: ${JSON.stringify(raw.type ?? null)} is not a config type; expected one of ${configTypes.map(quoted).join(", ")}`);
    return undefined;
  }
  const type = raw.type as ConfigType;
  if (type === "array" && raw.items === undefined) {
    problems.push(`Pulumi.yaml: ${at}: an array type needs 'items' (the type of its elements)`);
    return undefined;
  }
  const items = raw.items === undefined ? undefined : readItems(raw.items, `${at}.items`, problems);
  return { type, items };
}

function readDeclaration(project: string, key: string, raw: unknown, problems: string[]): ConfigDeclaration | undefined {
  const at = `config.${key}`;
  // Shorthand: a plain value is the default of a project key and the value of any other key.
  if (typeof raw === "string" || typeof raw === "boolean" || (typeof raw === "number" && Number.isInteger(raw)) || Array.isArray(raw)) {
    return isProjectKey(project, key) ? { secret: false, default: raw } : { secret: false, value: raw };
  }
  if (!isMap(raw)) {
    problems.push(`Pulumi.yaml: ${at}: expected a string, integer, boolean, array or a declaration (type, items, description, secret, default, value); got ${JSON.stringify(raw)}`);
    return undefined;
  }
  const before = problems.length;
  for (const attribute of Object.keys(raw)) {
    if (!(declarationAttributes as readonly string[]).includes(attribute)) problems.push(notAllowed(at, attribute, declarationAttributes));
  }
  if (raw.type !== undefined && !(configTypes as readonly unknown[]).includes(raw.type)) {
    problems.push(`Pulumi.yaml: ${at}.type: ${JSON.stringify(raw.type)} is not a config type; expected one of ${configTypes.map(quoted).join(", ")}`);
  }
  if (raw.secret !== undefined && typeof raw.secret !== "boolean") problems.push(`Pulumi.yaml: ${at}.secret: expected true or false`);
  if (raw.description !== undefined && typeof raw.description !== "string") problems.push(`Pulumi.yaml: ${at}.description: expected a string`);
  const items = raw.items === undefined ? undefined : readItems(raw.items, `${at}.items`, problems);
  if (problems.length > before) return undefined;

  // A YAML null is Go's nil: the CLI treats `default: null` as no default.
  const declaration: ConfigDeclaration = { type: raw.type as ConfigType | undefined, items, secret: raw.secret === true };
  if (raw.default !== undefined && raw.default !== null) declaration.default = raw.default;
  if (raw.value !== undefined && raw.value !== null) declaration.value = raw.value;
  const hasDefault = "default" in declaration;
  const hasValue = "value" in declaration;

  // Project.Validate
  if (hasDefault && hasValue) {
    problems.push(`Pulumi.yaml: project config '${key}' cannot have both a 'default' and 'value' attribute`);
  }
  if (isProjectKey(project, key)) {
    if (declaration.type === "array" && !items) {
      problems.push(`Pulumi.yaml: The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
    } else if (declaration.type && hasDefault && !matchesType(declaration.type, items, declaration.default)) {
      problems.push(`Pulumi.yaml: The default value specified for configuration key '${key}' is not of the expected type '${typeName(declaration.type, items)}'`);
    }
    // Not refused when Pulumi.yaml is loaded, but by every stack that does not set the key: the CLI
    // applies the default as plain text and then finds a secret key that is not encrypted.
    if (declaration.secret && (hasDefault || hasValue)) {
      problems.push(
        `Pulumi.yaml: configuration key '${key}' is secret and has a ${hasDefault ? "default" : "value"}: the CLI applies it unencrypted, so every stack that does not set '${key}' fails with "Stack '<stack>' with configuration key '${key}' must be encrypted as it's secret"; drop the ${hasDefault ? "default" : "value"}, or do not declare the key`,
      );
    }
  } else {
    if (declaration.type) problems.push(`Pulumi.yaml: Configuration key '${key}' is not namespaced by the project and should not define a type`);
    if (hasDefault) {
      problems.push(`Pulumi.yaml: Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`);
    }
    if (!hasValue && !hasDefault) problems.push(`Pulumi.yaml: Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
  }
  return declaration;
}

/** Reads and checks the project: name, and every config declaration as `pulumi` loads Pulumi.yaml. */
export function readProjectConfig(raw: unknown): ProjectConfig {
  if (!isMap(raw)) throw new ProjectConfigError(["Pulumi.yaml: expected a YAML mapping with name, runtime and config"]);
  if (typeof raw.name !== "string" || raw.name === "") {
    throw new ProjectConfigError(["Pulumi.yaml: project is missing a non-empty string 'name' attribute"]);
  }
  const name = raw.name;
  if (name.length > 100 || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new ProjectConfigError([`Pulumi.yaml: name ${JSON.stringify(name)}: project names may only contain alphanumerics, hyphens, underscores, and periods (at most 100)`]);
  }
  const problems: string[] = [];
  const declarations = new Map<string, ConfigDeclaration>();
  if (raw.config !== undefined && raw.config !== null) {
    if (!isMap(raw.config)) {
      problems.push("Pulumi.yaml: config: expected a map of config keys to declarations (a folder name here is the deprecated form of stackConfigDir, which this harness does not read)");
    } else {
      for (const [key, value] of Object.entries(raw.config)) {
        const parsed = parseConfigKey(key, name);
        if (typeof parsed !== "string") {
          problems.push(`Pulumi.yaml: ${parsed.problem}`);
          continue;
        }
        const declaration = readDeclaration(name, key, value, problems);
        if (declaration) declarations.set(key, declaration);
      }
    }
  }
  if (problems.length > 0) throw new ProjectConfigError(problems);
  return { name, declarations };
}

/**
 * The full key (`namespace:name`) the CLI makes of a key written in a stack file or Pulumi.yaml: no
 * colon means the project's namespace; `ns:config:name` is an old form of `ns:name`.
 */
export function parseConfigKey(key: string, project: string): string | { problem: string } {
  const parts = key.split(":");
  if (parts.length === 1) return `${project}:${key}`;
  if (parts.length === 2) return key;
  if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") return `${parts[0]}:${parts[2]}`;
  return { problem: `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)` };
}

export function typeName(type: ConfigType, items: ItemsType | undefined): string {
  return items ? `array<${typeName(items.type, items.items)}>` : type;
}

/** Whether a text is an integer Go's `strconv.Atoi` accepts (64-bit). */
function isAtoiInteger(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** Marks a value the harness cannot see (a `secure:` value): it may be of any type. */
export const unknownSecretValue = Symbol("secret value");

/** `ValidateConfigValue`: note that any type name other than the four scalar/object ones is treated as an array. */
export function matchesType(type: ConfigType, items: ItemsType | undefined, value: unknown): boolean {
  if (value === unknownSecretValue) return true;
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && isAtoiInteger(value));
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return isMap(value);
    default:
      return Array.isArray(value) && items !== undefined && value.every((item) => matchesType(items.type, items.items, item));
  }
}

/** The CLI's list: 'a' or 'a' and 'b' or 'a', 'b' and 'c', sorted. */
function formatKeys(keys: string[]): string {
  const sorted = [...keys].sort().map(quoted);
  return sorted.length === 1 ? sorted[0] : `${sorted.slice(0, -1).join(", ")} and ${sorted[sorted.length - 1]}`;
}

export interface StackConfigView {
  stack: string;
  /** Full key -> value as the harness holds it (scalars as read; objects structured). */
  values: Record<string, unknown>;
  secretKeys: ReadonlySet<string>;
  /** What the CLI's type check sees for a key, for values the harness stands in for (secure values). */
  typeView?: (key: string, value: unknown) => unknown;
}

/** The values Pulumi.yaml gives keys that the stack does not set (`default` or `value`), as `mergeConfig` applies them. */
export function projectValues(project: ProjectConfig, values: Record<string, unknown>): Record<string, unknown> {
  const applied: Record<string, unknown> = {};
  for (const [declared, d] of project.declarations) {
    const key = parseConfigKey(declared, project.name) as string;
    if (Object.hasOwn(values, key) || Object.hasOwn(applied, key)) continue;
    if ("default" in d) applied[key] = d.default;
    else if ("value" in d) applied[key] = d.value;
  }
  return applied;
}

/** What `pulumi preview` checks before the program starts: every declared key set, of its type, encrypted if secret. */
export function stackConfigProblems(project: ProjectConfig, view: StackConfigView): string[] {
  const missing: string[] = [];
  const problems: string[] = [];
  for (const declared of [...project.declarations.keys()].sort()) {
    const d = project.declarations.get(declared)!;
    const key = parseConfigKey(declared, project.name) as string;
    const found = Object.hasOwn(view.values, key);
    // Keys of other namespaces are never "missing": they carry a value or are refused by Validate.
    if (!found && !("default" in d) && !("value" in d) && isProjectKey(project.name, declared)) {
      missing.push(declared);
      continue;
    }
    if (!d.type || !found) continue;
    if (d.secret && !view.secretKeys.has(key)) {
      problems.push(`Stack '${view.stack}' with configuration key '${declared}' must be encrypted as it's secret`);
      continue;
    }
    // A scalar reaches the check as the text the engine stores; objects and arrays as JSON.
    const raw = view.values[key];
    const value = view.typeView ? view.typeView(key, raw) : raw;
    const content = typeof value === "number" || typeof value === "boolean" ? String(value) : value;
    if (!matchesType(d.type, d.items, content)) {
      problems.push(`Stack '${view.stack}' with configuration key '${declared}' must be of type '${typeName(d.type, d.items)}'`);
    }
  }
  if (missing.length > 0) {
    problems.unshift(`Stack '${view.stack}' is missing configuration value${missing.length === 1 ? "" : "s"} ${formatKeys(missing)}`);
  }
  return problems;
}
