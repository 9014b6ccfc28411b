// The CLI refuses a stack before the program starts when it does not satisfy Pulumi.yaml's config
// declarations (pulumi/pulumi: `Project.Validate`, `mergeConfig`, `validateStackConfigValue`). The
// mocks never see that step, so the harness applies the same rules to every stack it reads.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readYamlFile } from "./yamlFile";
import { readProjectConfig } from "./projectConfig";
import { applySet, projectRoot, readStackFile, toEngineConfig } from "./stackFiles";

/** A throw-away project: Pulumi.yaml (name: platform) plus stack files. */
function project(config: string, stacks: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "project-"));
  writeFileSync(path.join(root, "Pulumi.yaml"), `name: platform\nruntime: nodejs\n${config}`);
  for (const [stack, text] of Object.entries(stacks)) writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), text);
  return root;
}

const base = "  platform:cloud: aws\n  platform:environment: dev\n";
const declared = "config:\n  cloud:\n    type: string\n  environment:\n    type: string\n";

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the stack to be refused");
}

describe("the committed project", () => {
  const stacks = readdirSync(projectRoot)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);

  it("has the three stack files", () => {
    expect(stacks.sort()).toEqual(["dev", "production", "staging"]);
  });

  it.each(stacks)("Pulumi.%s.yaml satisfies Pulumi.yaml as `pulumi preview` checks it", (stack) => {
    expect(() => readStackFile(stack)).not.toThrow();
  });

  it("declares cloud and environment without a default (every stack must set them) and no optional key", () => {
    const { declarations } = readProjectConfig(readYamlFile(path.join(projectRoot, "Pulumi.yaml"), "Pulumi.yaml"));
    expect([...declarations.keys()].sort()).toEqual(["cloud", "environment"]);
    for (const d of declarations.values()) expect(d).toEqual({ type: "string", secret: false, items: undefined });
  });
});

describe("a stack the CLI refuses is refused with the CLI's words and the file name", () => {
  it("a declared key without default that the stack does not set", () => {
    const root = project(declared, { one: "config:\n  platform:cloud: aws\n", none: "config: {}\n" });
    expect(refusal(() => readStackFile("one", root))).toBe(
      "Pulumi.one.yaml does not satisfy the config declared in Pulumi.yaml; `pulumi preview` would stop with:\n  - Stack 'one' is missing configuration value 'environment'",
    );
    expect(refusal(() => readStackFile("none", root))).toContain("Stack 'none' is missing configuration values 'cloud' and 'environment'");
  });

  it("the committed stacks under the Pulumi.yaml before this change (optional keys declared without a default)", () => {
    const old = [
      "config:",
      "  cloud: {type: string}",
      "  environment: {type: string}",
      "  deletionProtection: {type: boolean}",
      "  immutableImageTags: {type: boolean}",
      "  alarmWebhooks: {type: array, items: {type: string}, secret: true}",
      "  pagerWebhooks: {type: array, items: {type: string}, secret: true}",
      "",
    ].join("\n");
    const root = project(old, { dev: `config:\n${base}  aws:region: us-east-1\n` });
    expect(refusal(() => readStackFile("dev", root))).toContain(
      "Stack 'dev' is missing configuration values 'alarmWebhooks', 'deletionProtection', 'immutableImageTags' and 'pagerWebhooks'",
    );
  });

  it("a value whose type is not the declared one, including array items", () => {
    const config = `${declared}  replicas:\n    type: integer\n  debug:\n    type: boolean\n  hosts:\n    type: array\n    items:\n      type: string\n  limits:\n    type: object\n`;
    const good = `config:\n${base}  platform:replicas: 3\n  platform:debug: true\n  platform:hosts: [a.example.com]\n  platform:limits: {cpu: 1}\n`;
    const root = project(config, {
      good,
      replicas: good.replace("replicas: 3", "replicas: three"),
      float: good.replace("replicas: 3", "replicas: 1.5"),
      debug: good.replace("debug: true", "debug: yes"),
      item: good.replace("[a.example.com]", "[a.example.com, 42]"),
      scalar: good.replace("[a.example.com]", "a.example.com"),
      limits: good.replace("{cpu: 1}", "[1]"),
      cloud: good.replace("platform:cloud: aws", "platform:cloud: [aws]"),
    });
    expect(() => readStackFile("good", root)).not.toThrow();
    expect(refusal(() => readStackFile("replicas", root))).toContain("Stack 'replicas' with configuration key 'replicas' must be of type 'integer'");
    expect(refusal(() => readStackFile("float", root))).toContain("with configuration key 'replicas' must be of type 'integer'");
    expect(refusal(() => readStackFile("debug", root))).toContain("Stack 'debug' with configuration key 'debug' must be of type 'boolean'");
    expect(refusal(() => readStackFile("item", root))).toContain("Stack 'item' with configuration key 'hosts' must be of type 'array<string>'");
    expect(refusal(() => readStackFile("scalar", root))).toContain("with configuration key 'hosts' must be of type 'array<string>'");
    expect(refusal(() => readStackFile("limits", root))).toContain("with configuration key 'limits' must be of type 'object'");
    expect(refusal(() => readStackFile("cloud", root))).toContain("with configuration key 'cloud' must be of type 'string'");
  });

  it("a scalar of a string key passes whatever YAML type it has: the CLI stores scalars as text", () => {
    const root = project(`${declared}  label:\n    type: string\n`, { s: `config:\n${base}  platform:label: 42\n` });
    expect(readStackFile("s", root).values["platform:label"]).toBe(42);
  });

  it("a secret key set in plain text; a secure value satisfies it", () => {
    const config = `${declared}  hooks:\n    type: array\n    items:\n      type: string\n    secret: true\n`;
    const root = project(config, {
      plain: `config:\n${base}  platform:hooks: [https://hooks.example.com/x]\n`,
      secure: `config:\n${base}  platform:hooks:\n    - secure: v1:AAAA\n`,
    });
    expect(refusal(() => readStackFile("plain", root))).toContain("Stack 'plain' with configuration key 'hooks' must be encrypted as it's secret");
    expect(readStackFile("secure", root).secretKeys.has("platform:hooks")).toBe(true);
  });

  it("an override checked as the CLI checks the stack file once `pulumi config set` wrote it", () => {
    const root = project(`${declared}  replicas:\n    type: integer\n    default: 2\n`, { dev: `config:\n${base}` });
    const file = readStackFile("dev", root);
    expect(file.values["platform:replicas"]).toBe(2);
    applySet(file, "platform:replicas=many");
    expect(refusal(() => toEngineConfig(file))).toContain("Stack 'dev' with configuration key 'replicas' must be of type 'integer'");
  });
});

describe("a Pulumi.yaml the CLI refuses", () => {
  const refusedProject = (config: string) => refusal(() => readStackFile("dev", project(config, { dev: `config:\n${base}` })));

  it("a secret key with a default (every stack that does not set it would fail)", () => {
    expect(refusedProject(`${declared}  hooks:\n    type: array\n    items: {type: string}\n    secret: true\n    default: []\n`)).toContain(
      "Pulumi.yaml: configuration key 'hooks' is secret and has a default: the CLI applies it unencrypted, so every stack that does not set 'hooks' fails with \"Stack '<stack>' with configuration key 'hooks' must be encrypted as it's secret\"",
    );
  });

  it("a default whose type is not the declared one", () => {
    expect(refusedProject(`${declared}  protect:\n    type: boolean\n    default: "no"\n`)).toBe(
      "Pulumi.yaml: The default value specified for configuration key 'protect' is not of the expected type 'boolean'",
    );
    expect(refusedProject(`${declared}  ports:\n    type: array\n    items: {type: integer}\n    default: [80, http]\n`)).toBe(
      "Pulumi.yaml: The default value specified for configuration key 'ports' is not of the expected type 'array<integer>'",
    );
  });

  it("an array type without items", () => {
    expect(refusedProject(`${declared}  hosts:\n    type: array\n`)).toBe(
      "Pulumi.yaml: The configuration key 'hosts' declares an array but does not specify the underlying type via the 'items' attribute",
    );
  });

  it("a key of another namespace with a type or a default, or without a value", () => {
    expect(refusedProject(`${declared}  aws:region:\n    type: string\n    value: us-east-1\n`)).toBe(
      "Pulumi.yaml: Configuration key 'aws:region' is not namespaced by the project and should not define a type",
    );
    expect(refusedProject(`${declared}  aws:region:\n    default: us-east-1\n`)).toContain(
      "Pulumi.yaml: Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
    );
    expect(refusedProject(`${declared}  aws:region:\n    description: the region\n`)).toBe("Pulumi.yaml: Configuration key 'aws:region' is namespaced and must provide an attribute 'value'");
  });

  it("a default and a value, an unknown attribute, an unknown type", () => {
    expect(refusedProject(`${declared}  size:\n    default: 1\n    value: 2\n`)).toBe("Pulumi.yaml: project config 'size' cannot have both a 'default' and 'value' attribute");
    expect(refusedProject(`${declared}  size:\n    type: integer\n    defualt: 1\n`)).toBe("Pulumi.yaml: config.size: 'defualt' not allowed; did you mean 'default'?");
    expect(refusedProject(`${declared}  size:\n    type: number\n`)).toContain(
      "Pulumi.yaml: config.size.type: \"number\" is not a config type; expected one of 'string', 'integer', 'boolean', 'array', 'object'",
    );
  });

  it("a key declared with the project's namespace counts as the project's key", () => {
    const root = project("config:\n  platform:cloud:\n    type: string\n  platform:environment:\n    type: string\n", { dev: "config:\n  platform:cloud: aws\n" });
    expect(refusal(() => readStackFile("dev", root))).toContain("Stack 'dev' is missing configuration value 'platform:environment'");
  });

  it("a project value of another namespace reaches the program when the stack does not set the key", () => {
    const root = project(`${declared}  aws:region: us-west-2\n`, { dev: `config:\n${base}`, east: `config:\n${base}  aws:region: us-east-1\n` });
    expect(readStackFile("dev", root).values["aws:region"]).toBe("us-west-2");
    expect(readStackFile("east", root).values["aws:region"]).toBe("us-east-1");
  });
});

describe("stack file keys as the CLI reads them", () => {
  it("an unnamespaced key belongs to the project; ns:config:name is the old form of ns:name", () => {
    const root = project(declared, { dev: "config:\n  cloud: aws\n  platform:config:environment: dev\n" });
    const file = readStackFile("dev", root);
    expect(file.values["platform:cloud"]).toBe("aws");
    expect(file.values["platform:environment"]).toBe("dev");
  });

  it("a key set twice (once without namespace) and a key with too many colons", () => {
    const root = project(declared, { twice: `config:\n${base}  cloud: gcp\n`, colons: `config:\n${base}  aws:a:region: x\n` });
    expect(refusal(() => readStackFile("twice", root))).toBe("Pulumi.twice.yaml: sets platform:cloud twice (as 'platform:cloud' and 'cloud'); the Pulumi CLI keeps one of them at random");
    expect(refusal(() => readStackFile("colons", root))).toBe(
      "Pulumi.colons.yaml: could not parse aws:a:region as a configuration key (configuration keys should be of the form `<namespace>:<name>`)",
    );
  });

  it("an ESC environment, which the offline harness cannot read", () => {
    const root = project(declared, { esc: `environment:\n  - platform/shared\nconfig:\n${base}` });
    expect(refusal(() => readStackFile("esc", root))).toContain("Pulumi.esc.yaml: imports an ESC environment");
  });
});
