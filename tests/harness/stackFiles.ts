// Reads a stack's config the way the Pulumi CLI hands it to the program: Pulumi.yaml defaults,
// then Pulumi.<stack>.yaml, then `KEY=VALUE` overrides in `pulumi config set --path` syntax.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
// js-yaml: already loaded by @pulumi/pulumi, so reading stack files costs no extra start-up.
import { load } from "js-yaml";

/** The folder holding Pulumi.yaml, found from here whether run from source or compiled output. */
export const projectRoot = ((): string => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "Pulumi.yaml")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

export interface StackFile {
  project: string;
  stack: string;
  /** Full key -> value; objects and arrays stay structured until `toEngineConfig`. */
  values: Record<string, unknown>;
  secretKeys: Set<string>;
}

/** Replaces secret values in what the synth prints. */
export const redactedSecret = "[secret]";

/**
 * Stands in for a `secure:` value of a stack file: the synth has no passphrase and never needs the
 * plain text. The only secret config values are webhook URLs, so the stand-in is a URL that passes
 * validation and can never be reached (.invalid is reserved, RFC 2606).
 */
export const secureStandIn = "https://secret.invalid/redacted";

export class StackFileError extends Error {}

function readYaml(file: string): Record<string, unknown> {
  return (load(readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
}

function isSecure(value: unknown): value is { secure: string } {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

/** Replaces `secure:` leaves with the redaction marker and reports whether any were found. */
function unwrapSecure(value: unknown): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: secureStandIn, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(unwrapSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value && typeof value === "object") {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = unwrapSecure(v);
      out[k] = r.value;
      secret ||= r.secret;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}

export function readStackFile(stack: string, root = projectRoot): StackFile {
  const project = readYaml(path.join(root, "Pulumi.yaml"));
  const projectName = String(project.name);
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw new StackFileError(`no stack file Pulumi.${stack}.yaml in ${root}; create one (copy Pulumi.dev.yaml) or pass an existing --stack`);
  }
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [key, decl] of Object.entries((project.config ?? {}) as Record<string, unknown>)) {
    if (decl && typeof decl === "object" && "default" in decl) values[fullKey(key, projectName)] = (decl as { default: unknown }).default;
  }
  const stackConfig = (readYaml(file).config ?? {}) as Record<string, unknown>;
  for (const [key, raw] of Object.entries(stackConfig)) {
    const { value, secret } = unwrapSecure(raw);
    const k = fullKey(key, projectName);
    values[k] = value;
    if (secret) secretKeys.add(k);
  }
  return { project: projectName, stack, values, secretKeys };
}

function fullKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** `pulumi config set --path` parses `true`, `false` and integers; everything else is a string. */
function parseSetValue(text: string): unknown {
  if (text === "true" || text === "false") return text === "true";
  if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  return text;
}

/** Splits `platform:services.api.port` or `platform:alarms.emails[0]` into key and path. */
export function parseConfigPath(keyPath: string): { key: string; path: (string | number)[] } {
  const colon = keyPath.indexOf(":");
  if (colon < 1) throw new StackFileError(`config key ${JSON.stringify(keyPath)} needs a namespace, e.g. platform:cloud`);
  const rest = keyPath.slice(colon + 1);
  const tokens: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/g;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(rest)) !== null) {
    tokens.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : match[3]));
    consumed = re.lastIndex;
  }
  if (tokens.length === 0 || typeof tokens[0] !== "string" || rest.slice(consumed).replace(/^\.$/, "") !== "") {
    throw new StackFileError(`cannot read the config path ${JSON.stringify(keyPath)}; expected e.g. platform:services.api.port`);
  }
  return { key: `${keyPath.slice(0, colon)}:${tokens[0]}`, path: tokens.slice(1) };
}

export function applySet(file: StackFile, assignment: string, secret = false): void {
  const eq = assignment.indexOf("=");
  if (eq < 0) throw new StackFileError(`--set ${JSON.stringify(assignment)}: expected KEY=VALUE, e.g. platform:cloud=aws`);
  const { key, path: keyPath } = parseConfigPath(assignment.slice(0, eq));
  const value = parseSetValue(assignment.slice(eq + 1));
  if (secret) file.secretKeys.add(key);
  if (keyPath.length === 0) {
    file.values[key] = value;
    return;
  }
  const existing = file.values[key];
  const root: Record<string | number, unknown> = existing && typeof existing === "object" ? structuredClone(existing as object) as Record<string, unknown> : typeof keyPath[0] === "number" ? ([] as unknown as Record<number, unknown>) : {};
  let node: Record<string | number, unknown> = root;
  keyPath.forEach((part, i) => {
    if (i === keyPath.length - 1) {
      node[part] = value;
      return;
    }
    const next = node[part];
    if (!next || typeof next !== "object") node[part] = typeof keyPath[i + 1] === "number" ? [] : {};
    node = node[part] as Record<string | number, unknown>;
  });
  file.values[key] = root;
}

/** The engine hands objects and arrays to the program as JSON text, scalars as plain text. */
export function toEngineConfig(file: StackFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(file.values)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}
