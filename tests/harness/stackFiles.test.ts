// The synth's own parser of stack files, stack names and `--set` paths: what a careless or hostile
// input must not get through (prototype pollution, path typos, files outside the project, YAML
// alias bombs, errors that do not say which file).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runProgram } from "./run";
import { applySet, cloudContradiction, parseConfigPath, parseStackName, projectRoot, readStackFile, toEngineConfig } from "./stackFiles";

const stackHead = "config:\n  platform:cloud: aws\n  platform:environment: dev\n  aws:region: us-east-1\n";

function project(stacks: Record<string, string>, pulumiYaml = "name: platform\nruntime: nodejs\nconfig:\n  cloud:\n    type: string\n  environment:\n    type: string\n"): string {
  const root = mkdtempSync(path.join(tmpdir(), "stack-"));
  writeFileSync(path.join(root, "Pulumi.yaml"), pulumiYaml);
  for (const [stack, text] of Object.entries(stacks)) writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), text);
  return root;
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
}

const polluted = () => ({}) as Record<string, unknown>;

afterEach(() => {
  // Undo what a failing (pre-fix) run would leave behind, so one failure does not cascade.
  for (const name of ["polluted", "port"]) delete (Object.prototype as Record<string, unknown>)[name];
});

describe("--set paths", () => {
  it.each(["__proto__", "constructor", "prototype"])("refuses the path segment %s and leaves Object.prototype alone", (name) => {
    const file = readStackFile("dev");
    for (const keyPath of [`platform:services.${name}.polluted`, `platform:services.api.${name}.polluted`, `platform:${name}.polluted`, `platform:services["${name}"].polluted`]) {
      const message = refusal(() => applySet(file, `${keyPath}=yes`));
      expect(message).toContain(`config path ${JSON.stringify(keyPath)}: "${name}" cannot be a key`);
      expect(polluted().polluted).toBeUndefined();
    }
  });

  it.each([
    ["platform:services..port", "has an empty name between two dots ('..')"],
    ["platform:.services", "expected a key name right after ':'"],
    ["platform:services.api.", "ends with '.'"],
    ["platform:services.api]", "has a ']' without a matching '['"],
    ["platform:alarms.emails]0]", "has a ']' without a matching '['"],
    ["platform:alarms.emails[0", "has a '[' without a matching ']'"],
    ["platform:alarms.emails[x]", "[x] is not an array index"],
    ["platform:alarms.emails[]", "[] is not an array index"],
    ["platform:alarms.emails.[0]", "has '.' before '['"],
    ["platform:alarms.emails[0]x", "expected '.' or '[' after ']'"],
    ['platform:services["api].port', "has a quoted name without its closing '\"'"],
    ['platform:services[""]', 'has an empty quoted name [""]'],
    ["platform:", "the key after ':' is empty"],
    [":cloud", "the namespace before ':' is empty"],
    ["services.api.port", "needs a namespace"],
    ["platform:cloud:x", "has more than one ':'"],
  ])("refuses %s, naming the path and the expected syntax", (keyPath, why) => {
    const message = refusal(() => parseConfigPath(keyPath));
    expect(message).toContain(`config path ${JSON.stringify(keyPath)}: ${why}`);
    expect(message).toContain("expected `pulumi config set --path` syntax");
  });

  it("accepts the CLI's forms: names, indexes and quoted names with escaped quotes", () => {
    expect(parseConfigPath("platform:alarms.emails[0]")).toEqual({ key: "platform:alarms", path: ["emails", 0] });
    expect(parseConfigPath('platform:tags["cost.center"]')).toEqual({ key: "platform:tags", path: ["cost.center"] });
    expect(parseConfigPath('platform:tags["say \\"hi\\""].x')).toEqual({ key: "platform:tags", path: ['say "hi"', "x"] });
    expect(parseConfigPath("azure-native:location")).toEqual({ key: "azure-native:location", path: [] });
  });

  it("sets values as `pulumi config set --path` does: typed inside objects, no gaps in lists", () => {
    const file = readStackFile("dev");
    applySet(file, "platform:services.api.env.BUILD=0123");
    applySet(file, "platform:services.api.port=9000");
    applySet(file, "platform:deletionProtection=true");
    expect(file.values["platform:services"]).toMatchObject({ api: { port: 9000, env: { BUILD: "0123" } } });
    // A top-level value stays text; the engine hands the program text either way.
    expect(file.values["platform:deletionProtection"]).toBe("true");
    expect(refusal(() => applySet(file, "platform:alarms.emails[1]=b@example.com"))).toContain("index 1 is out of range: platform:alarms.emails has 0 items; set [0] to add one");
    expect(refusal(() => applySet(file, "platform:services.api.port.x=1"))).toContain("platform:services.api.port holds 9000, expected a map");
    expect(refusal(() => applySet(file, "platform:services[0]=1"))).toContain("platform:services is a map");
    expect(refusal(() => applySet(file, "platform:tags.x.secure=v1:AAAA"))).toContain('a map whose only key is "secure" would read as an encrypted value');
  });
});

describe("--cloud and --set platform:cloud", () => {
  it("a different cloud in each is a contradiction; the same one, or none, is not", () => {
    expect(cloudContradiction("gcp", ["platform:services.api.port=1", "platform:cloud=aws"], "platform")).toBe(
      "--cloud gcp contradicts --set platform:cloud=aws: give the cloud once (--cloud is short for --set platform:cloud=...)",
    );
    expect(cloudContradiction("aws", ["platform:cloud=aws"], "platform")).toBeUndefined();
    expect(cloudContradiction(undefined, ["platform:cloud=aws"], "platform")).toBeUndefined();
  });
});

describe("stack names", () => {
  it.each([
    ["../../etc/x", "a stack reference has at most three parts"],
    ["../x", '".." is not an organization name'],
    ["..", undefined],
    ["dev/../../x", "a stack reference has at most three parts"],
    ["/etc/passwd", "a part is empty"],
    ["dev prod", 'invalid character " " at position 3'],
    ["x".repeat(101), "a part is longer than 100 characters"],
    ["organization/other/dev", 'it names project "other", but Pulumi.yaml here is project "platform"'],
  ])("%s is refused with Pulumi's stack-name rule", (ref, why) => {
    if (why === undefined) {
      // A valid Pulumi stack name: it names a file in the project folder and nothing else.
      expect(parseStackName(ref, "platform")).toBe("..");
      return;
    }
    const message = refusal(() => readStackFile(ref));
    expect(message).toContain(`stack ${JSON.stringify(ref)} is not allowed: ${why}`);
    expect(message).toContain("stack names are 1-100 letters, digits, '-', '_' and '.'");
  });

  it("accepts <org>/<stack> and <org>/<project>/<stack> and reads Pulumi.<stack>.yaml", () => {
    expect(readStackFile("organization/platform/dev").stack).toBe("dev");
    expect(readStackFile("acme/staging").stack).toBe("staging");
  });
});

describe("YAML", () => {
  it("a syntax error names the file, line and column", () => {
    const root = project({ broken: "config:\n  platform:cloud: aws\n platform:environment: dev\n" });
    const message = refusal(() => readStackFile("broken", root));
    expect(message).toMatch(/^Pulumi\.broken\.yaml:3:2: not valid YAML: bad indentation of a mapping entry\n/);
    const badProject = project({ dev: stackHead }, "name: platform\nconfig: [\n");
    expect(refusal(() => readStackFile("dev", badProject))).toMatch(/^Pulumi\.yaml:3:1: not valid YAML: /);
  });

  it("a billion-laughs alias bomb is refused quickly, naming the file", () => {
    const levels = ["  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++) {
      const name = String.fromCharCode(97 + i);
      const prev = String.fromCharCode(96 + i);
      levels.push(`  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const root = project({ bomb: `${stackHead}  platform:tags:\n    x:\n${levels.map((l) => `  ${l}`).join("\n")}\n` });
    // A child process: before the fix this expands 9^9 values and never returns.
    const script = path.join(root, "read.ts");
    writeFileSync(script, `import { readStackFile } from ${JSON.stringify(path.join(projectRoot, "tests/harness/stackFiles"))};\ntry { readStackFile("bomb", ${JSON.stringify(root)}); console.log("read"); } catch (e) { console.log((e as Error).message); }\n`);
    const start = Date.now();
    const run = spawnSync(process.execPath, [path.join(projectRoot, "tools/launch.js"), script], { encoding: "utf8", timeout: 20_000 });
    expect(run.stdout).toContain("Pulumi.bomb.yaml: document contains excessive aliasing");
    expect(Date.now() - start).toBeLessThan(10_000);
  });

  it("an anchor that contains its own alias is refused instead of looping", () => {
    const root = project({ loop: `${stackHead}  platform:tags: &t\n    self: *t\n` });
    expect(refusal(() => readStackFile("loop", root))).toContain("Pulumi.loop.yaml: a YAML anchor's value contains an alias of itself");
  });

  it("a few aliases, as people write them, still work and are expanded", () => {
    const root = project({ dev: `${stackHead}  platform:services:\n    api: &svc {port: 8001, cpu: 512}\n    web:\n      <<: *svc\n      port: 3000\n` });
    expect(readStackFile("dev", root).values["platform:services"]).toEqual({ api: { port: 8001, cpu: 512 }, web: { port: 3000, cpu: 512 } });
  });

  it("a date-like value stays the text it is, as the CLI reads it", () => {
    const root = project({ dev: `${stackHead}  platform:services:\n    api:\n      imageTag: 2024-01-01\n` });
    expect(toEngineConfig(readStackFile("dev", root))["platform:services"]).toBe('{"api":{"imageTag":"2024-01-01"}}');
  });

  it("__proto__ in a stack file is data: no prototype changes, and the program refuses it as an unknown key", async () => {
    const root = project({ proto: `${stackHead}  platform:services:\n    api:\n      __proto__:\n        port: 1\n` });
    const file = readStackFile("proto", root);
    expect(Object.getPrototypeOf((file.values["platform:services"] as Record<string, object>).api)).toBe(Object.prototype);
    expect(toEngineConfig(file)["platform:services"]).toBe('{"api":{"__proto__":{"port":1}}}');
    const result = await runProgram({ stack: "proto", root });
    expect(result.error?.message).toContain("platform:services.api.__proto__: unknown key");
    expect(polluted().port).toBeUndefined();
  });
});
