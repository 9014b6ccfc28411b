// Reads a stack's config the way the Pulumi CLI hands it to the program: Pulumi.yaml defaults,
// then Pulumi.<stack>.yaml, then `KEY=VALUE` overrides in `pulumi config set --path` syntax. What
// the CLI refuses before the program starts (projectConfig.ts) is refused here too.
import { existsSync } from "node:fs";
import * as path from "node:path";
import { parseConfigKey, type ProjectConfig, ProjectConfigError, projectValues, readProjectConfig, stackConfigProblems, unknownSecretValue } from "./projectConfig";
import { readYamlFile, setOwn, YamlFileError } from "./yamlFile";

/** The folder holding Pulumi.yaml, found from here whether run from source or compiled output. */
export const projectRoot = ((): string => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "Pulumi.yaml")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

export interface StackFile {
  project: string;
  /** The stack name alone (`dev`), also when the file was asked for as `organization/platform/dev`. */
  stack: string;
  /** Full key -> value; objects and arrays stay structured until `toEngineConfig`. */
  values: Record<string, unknown>;
  secretKeys: Set<string>;
  /** Pulumi.yaml's declarations, checked again once overrides are applied. */
  projectConfig: ProjectConfig;
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

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A `secure:` leaf as the CLI recognises it: a map with the single key `secure` holding a string. */
function isSecure(value: unknown): value is { secure: string } {
  return isMap(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

/** Replaces `secure:` leaves with the stand-in and reports whether any were found. */
function unwrapSecure(value: unknown): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: secureStandIn, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(unwrapSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (isMap(value)) {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = unwrapSecure(v);
      setOwn(out, k, r.value);
      secret ||= r.secret;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}

// Stack names (pulumi/pulumi sdk/go/common/tokens/stack_name.go, `ParseStackName`): 1-100 of
// A-Z a-z 0-9 _ . -. A reference may be qualified as <org>/<stack> or <org>/<project>/<stack>
// (pkg/backend/diy/store.go, `ParseReference`); the stack file is named after the stack part.
const stackNamePattern = /^[A-Za-z0-9_.-]{1,100}$/;
const stackNameRule = "stack names are 1-100 letters, digits, '-', '_' and '.', optionally qualified as <org>/<stack> or <org>/<project>/<stack>";

/** The stack name of a stack reference, refusing anything that could name a file outside the project. */
export function parseStackName(ref: string, project?: string): string {
  const parts = ref.split("/");
  const refuse = (why: string): never => {
    throw new StackFileError(`stack ${JSON.stringify(ref)} is not allowed: ${why}; ${stackNameRule}`);
  };
  if (parts.length > 3) refuse("a stack reference has at most three parts");
  for (const part of parts) {
    if (!stackNamePattern.test(part)) {
      const bad = [...part].findIndex((c) => !/[A-Za-z0-9_.-]/.test(c));
      refuse(part === "" ? "a part is empty" : part.length > 100 ? "a part is longer than 100 characters" : `invalid character ${JSON.stringify(part[bad])} at position ${ref.indexOf(part) + bad}`);
    }
  }
  // Organization names start with a letter or digit (a diy backend accepts only "organization").
  if (parts.length > 1 && !/^[A-Za-z0-9]/.test(parts[0])) refuse(`${JSON.stringify(parts[0])} is not an organization name`);
  if (parts.length === 3 && project !== undefined && parts[1] !== project) refuse(`it names project ${JSON.stringify(parts[1])}, but Pulumi.yaml here is project ${JSON.stringify(project)}`);
  return parts[parts.length - 1];
}

function readProject(root: string): ProjectConfig {
  const file = path.join(root, "Pulumi.yaml");
  if (!existsSync(file)) throw new StackFileError(`no Pulumi.yaml in ${root}`);
  return readProjectConfig(readYamlFile(file, "Pulumi.yaml"));
}

/** The `config:` block of a stack file as full keys, as `stackConfigNamespacedWithProject` and `ParseKey` make them. */
function stackFileEntries(doc: unknown, label: string, project: string): [string, unknown][] {
  if (doc === null || doc === undefined) return [];
  if (!isMap(doc)) throw new StackFileError(`${label}: expected a YAML mapping with a config: block`);
  // An ESC environment adds config the offline harness cannot see; its plan would silently differ.
  if (doc.environment !== undefined) throw new StackFileError(`${label}: imports an ESC environment (environment:), which the offline synth and tests cannot read; put the values in config:`);
  const config = doc.config ?? {};
  if (!isMap(config)) throw new StackFileError(`${label}: config: must be a map of keys to values`);
  const entries: [string, unknown][] = [];
  const writtenAs = new Map<string, string>();
  const problems: string[] = [];
  for (const [written, value] of Object.entries(config)) {
    const key = parseConfigKey(written, project);
    if (typeof key !== "string") {
      problems.push(`${label}: ${key.problem}`);
      continue;
    }
    const earlier = writtenAs.get(key);
    // The CLI namespaces keys in a Go map: which of the two survives is left to chance.
    if (earlier !== undefined) problems.push(`${label}: sets ${key} twice (as '${earlier}' and '${written}'); the Pulumi CLI keeps one of them at random`);
    writtenAs.set(key, written);
    entries.push([key, value]);
  }
  if (problems.length > 0) throw new StackFileError(problems.join("\n"));
  return entries;
}

/** Refuses what `pulumi preview` would refuse before the program runs, naming the files. */
function checkAgainstProject(file: StackFile): void {
  const problems = stackConfigProblems(file.projectConfig, {
    stack: file.stack,
    values: file.values,
    secretKeys: file.secretKeys,
    // A secure value's plain text is unknown here: it may be of any type.
    typeView: (key, value) => (file.secretKeys.has(key) ? replaceStandIns(value) : value),
  });
  if (problems.length > 0) {
    throw new StackFileError(`Pulumi.${file.stack}.yaml does not satisfy the config declared in Pulumi.yaml; \`pulumi preview\` would stop with:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

function replaceStandIns(value: unknown): unknown {
  if (value === secureStandIn) return unknownSecretValue;
  if (Array.isArray(value)) return value.map(replaceStandIns);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStandIns(v)]));
  return value;
}

function withFileNames<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ProjectConfigError || e instanceof YamlFileError) throw new StackFileError(e.message);
    throw e;
  }
}

export function readStackFile(stackRef: string, root = projectRoot): StackFile {
  return withFileNames(() => {
    const projectConfig = readProject(root);
    const stack = parseStackName(stackRef, projectConfig.name);
    const label = `Pulumi.${stack}.yaml`;
    const file = path.join(root, label);
    if (!existsSync(file)) {
      throw new StackFileError(`no stack file ${label} in ${root}; create one (copy Pulumi.dev.yaml) or pass an existing --stack`);
    }
    const values: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [key, raw] of stackFileEntries(readYamlFile(file, label), label, projectConfig.name)) {
      const { value, secret } = unwrapSecure(raw);
      setOwn(values, key, value);
      if (secret) secretKeys.add(key);
    }
    for (const [key, value] of Object.entries(projectValues(projectConfig, values))) setOwn(values, key, value);
    const stackFile: StackFile = { project: projectConfig.name, stack, values, secretKeys, projectConfig };
    checkAgainstProject(stackFile);
    return stackFile;
  });
}

// --- `pulumi config set --path` ---------------------------------------------------------------

const pathSyntax =
  "expected `pulumi config set --path` syntax: namespace:key, then .name, [index] or [\"quoted name\"] for each level, e.g. platform:services.api.port or platform:alarms.emails[0]";

/** Names that reach into a JavaScript object's internals instead of naming data. */
const reservedNames = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Splits `platform:services.api.port` or `platform:alarms.emails[0]` into key and path. Stricter
 * than the CLI where the CLI lets a typo through (`a..b` reads as `a.b` there).
 */
export function parseConfigPath(keyPath: string): { key: string; path: (string | number)[] } {
  const refuse = (why: string): never => {
    throw new StackFileError(`config path ${JSON.stringify(keyPath)}: ${why}; ${pathSyntax}`);
  };
  const colon = keyPath.indexOf(":");
  const firstAccessor = keyPath.search(/[.[\]]/);
  if (colon < 0 || (firstAccessor >= 0 && firstAccessor < colon)) refuse("needs a namespace, e.g. platform:cloud");
  const namespace = keyPath.slice(0, colon);
  if (!/^[A-Za-z0-9_-]+$/.test(namespace)) refuse(namespace === "" ? "the namespace before ':' is empty" : `${JSON.stringify(namespace)} is not a namespace (letters, digits, - and _)`);
  const rest = keyPath.slice(colon + 1);
  const parts: (string | number)[] = [];
  let i = 0;
  const readName = (): string => {
    const start = i;
    while (i < rest.length && !".[]".includes(rest[i])) i++;
    const name = rest.slice(start, i);
    if (name.includes('"')) refuse(`the name ${JSON.stringify(name)} holds a stray '"'; quote a name only inside brackets: ["..."]`);
    if (name.includes(":")) refuse("has more than one ':'; only the namespace ends with ':'");
    return name;
  };
  const root = readName();
  if (root === "") refuse(rest === "" ? "the key after ':' is empty" : "expected a key name right after ':'");
  parts.push(root);
  while (i < rest.length) {
    const c = rest[i];
    if (c === ".") {
      i++;
      if (i === rest.length) refuse("ends with '.'");
      if (rest[i] === ".") refuse("has an empty name between two dots ('..')");
      if (rest[i] === "[") refuse("has '.' before '['; write name[0], not name.[0]");
      if (rest[i] === "]") refuse("has a ']' without a matching '['");
      parts.push(readName());
    } else if (c === "[") {
      if (rest[i + 1] === '"') {
        let name = "";
        let j = i + 2;
        for (;;) {
          if (j >= rest.length) refuse("has a quoted name without its closing '\"'");
          if (rest[j] === "\\" && rest[j + 1] === '"') {
            name += '"';
            j += 2;
          } else if (rest[j] === '"') {
            break;
          } else {
            name += rest[j++];
          }
        }
        if (rest[j + 1] !== "]") refuse(`expected ']' after the quoted name ${JSON.stringify(name)}`);
        if (name === "") refuse('has an empty quoted name [""]');
        parts.push(name);
        i = j + 2;
      } else {
        const close = rest.indexOf("]", i);
        if (close < 0) refuse("has a '[' without a matching ']'");
        const index = rest.slice(i + 1, close);
        if (!/^\d+$/.test(index)) refuse(`[${index}] is not an array index: expected [0], [1], ... or a quoted name ["..."]`);
        parts.push(Number(index));
        i = close + 1;
      }
      if (i < rest.length && !".[".includes(rest[i])) refuse(`expected '.' or '[' after ']', found ${JSON.stringify(rest[i])}`);
    } else {
      refuse("has a ']' without a matching '['");
    }
  }
  for (const part of parts) {
    if (typeof part === "string" && reservedNames.has(part)) {
      throw new StackFileError(
        `config path ${JSON.stringify(keyPath)}: ${JSON.stringify(part)} cannot be a key: __proto__, constructor and prototype name JavaScript object internals, and setting them would change objects the program shares`,
      );
    }
  }
  return { key: `${namespace}:${parts[0]}`, path: parts.slice(1) };
}

/** `pulumi config set --path` stores `true`, `false` and integers (no leading zero) typed; everything else is a string. */
function parseSetValue(text: string): unknown {
  if (text === "true" || text === "false") return text === "true";
  if (text.length > 1 && text[0] === "0") return text;
  if (/^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  return text;
}

function copyTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyTree);
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, copyTree(v));
    return out;
  }
  return value;
}

type Container = Record<string, unknown> | unknown[];
const newContainer = (next: string | number): Container => (typeof next === "number" ? [] : {});
const getChild = (node: Container, part: string | number): unknown =>
  Array.isArray(node) ? node[part as number] : Object.hasOwn(node, part) ? node[part as string] : undefined;
function setChild(node: Container, part: string | number, value: unknown): void {
  if (Array.isArray(node)) node[part as number] = value;
  else setOwn(node, part as string, value);
}

export function applySet(file: StackFile, assignment: string, secret = false): void {
  const eq = assignment.indexOf("=");
  if (eq < 0) throw new StackFileError(`--set ${JSON.stringify(assignment)}: expected KEY=VALUE, e.g. platform:cloud=aws`);
  const { key, path: keyPath } = parseConfigPath(assignment.slice(0, eq));
  const text = assignment.slice(eq + 1);
  if (secret) file.secretKeys.add(key);
  // A top-level key keeps the text as given (the CLI types only values inside an object).
  if (keyPath.length === 0) {
    setOwn(file.values, key, text);
    return;
  }
  const value = parseSetValue(text);
  const existing = Object.hasOwn(file.values, key) ? file.values[key] : undefined;
  // As the CLI does, a scalar at the top level is replaced by a new container.
  const root = typeof existing === "object" && existing !== null ? copyTree(existing) : newContainer(keyPath[0]);
  const refuse = (why: string): never => {
    throw new StackFileError(`--set ${key}${pathText(keyPath)}: ${why}`);
  };
  let node = root as Container;
  let at = key;
  keyPath.forEach((part, i) => {
    const here = at;
    at += typeof part === "number" ? `[${part}]` : `.${part}`;
    const last = i === keyPath.length - 1;
    if (Array.isArray(node)) {
      if (typeof part !== "number") refuse(`${here} is a list; use an index such as ${here}[0], not .${part}`);
      if ((part as number) > node.length) {
        refuse(`index ${part} is out of range: ${here} has ${node.length} item${node.length === 1 ? "" : "s"}; set [${node.length}] to add one (the CLI refuses gaps)`);
      }
    } else {
      if (typeof part !== "string") refuse(`${here} is a map; use a name such as ${here}.name, not [${part}]`);
      // `{secure: "..."}` is how a stack file writes an encrypted value; the CLI keeps that shape reserved.
      if (last && part === "secure" && Object.keys(node).length === 0 && typeof value === "string") {
        refuse('a map whose only key is "secure" would read as an encrypted value; use --set-secret for secrets');
      }
    }
    if (last) {
      setChild(node, part, value);
      return;
    }
    const next = getChild(node, part);
    if (next === undefined || next === null) {
      const created = newContainer(keyPath[i + 1]);
      setChild(node, part, created);
      node = created;
    } else if (typeof next === "object") {
      node = next as Container;
    } else {
      refuse(`${at} holds ${JSON.stringify(next)}, expected ${typeof keyPath[i + 1] === "number" ? "a list" : "a map"}`);
    }
  });
  setOwn(file.values, key, root);
}

function pathText(keyPath: (string | number)[]): string {
  return keyPath.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
}

/**
 * `--cloud` and a `--set` of platform:cloud are two answers to one question; a different one in
 * each is refused rather than one silently winning.
 */
export function cloudContradiction(cloud: string | undefined, assignments: readonly string[], namespace: string): string | undefined {
  if (cloud === undefined) return undefined;
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    if (eq < 0) continue;
    const { key, path: keyPath } = parseConfigPath(assignment.slice(0, eq));
    if (key === `${namespace}:cloud` && keyPath.length === 0 && assignment.slice(eq + 1) !== cloud) {
      return `--cloud ${cloud} contradicts --set ${assignment}: give the cloud once (--cloud is short for --set ${namespace}:cloud=...)`;
    }
  }
  return undefined;
}

/** The engine hands objects and arrays to the program as JSON text, scalars as plain text. */
export function toEngineConfig(file: StackFile): Record<string, string> {
  // Overrides are in place now: check them as `pulumi preview` would check the stack file.
  checkAgainstProject(file);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(file.values)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}
