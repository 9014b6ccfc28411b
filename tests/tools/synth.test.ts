import { implementedClouds } from "../../stacks/config";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { projectRoot } from "../harness/stackFiles";

// The offline synth as a user runs it: a real process, reading the real stack files.
function synth(...args: string[]) {
  return spawnSync(process.execPath, ["tools/launch.js", "tools/synth.ts", ...args], { cwd: projectRoot, encoding: "utf8" });
}

describe("npm run synth", () => {
  it("writes the JSON contract for production with all seven blocks on AWS", () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "synth-")), "out.json");
    const run = synth("--stack", "production", "--json", out);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/resources: \d+ cloud resources, \d+ components, \d+ protected/);
    const plan = JSON.parse(readFileSync(out, "utf8"));
    expect(Object.keys(plan)).toEqual(["stack", "cloud", "environment", "region", "resources", "outputs", "violations"]);
    expect(plan).toMatchObject({ stack: "production", cloud: "aws", environment: "production", region: "us-east-1", violations: [] });
    const blocks = plan.resources.filter((r: { type: string }) => r.type.startsWith("platform:index:")).map((r: { type: string }) => r.type);
    expect(blocks.sort()).toEqual(
      ["Alarms", "Autoscaling", "BackupVault", "ContainerService", "LoadBalancer", "Network", "Platform", "SecretsStore"].map((k) => `platform:index:${k}`),
    );
    for (const r of plan.resources) expect(Object.keys(r)).toEqual(["type", "name", "parent", "custom", "protect", "inputs", "urn", "dependencies", "propertyDependencies"]);
    const bucket = plan.resources.find((r: { type: string; name: string }) => r.type === "aws:s3/bucket:Bucket" && r.name === "backup-data");
    expect(bucket).toMatchObject({ parent: "backup", custom: true, protect: true });
    const version = plan.resources.find((r: { type: string }) => r.type === "aws:secretsmanager/secretVersion:SecretVersion");
    expect(version.inputs.secretString).toBe("[secret]");
    expect(plan.outputs.url).toBe("https://platform.example.com");
  });

  it("exits 1 with one clear message on a bad value", () => {
    const bad = synth("--stack", "dev", "--set", "platform:services.api.cpu=512");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("platform:services.api.cpu: 512 is not allowed: cpu is in vCPU since model v2; 512 CPU units is 0.5 vCPU: set 0.5");
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(bad.stdout).toBe("");
  });
});

describe("npm run synth --cloud azure", () => {
  it.each(["dev", "staging", "production"])("writes the same JSON contract for %s on Azure, with all seven blocks", (stack) => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "synth-")), "out.json");
    const run = synth("--stack", stack, "--cloud", "azure", "--json", out);
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/error/i);
    const plan = JSON.parse(readFileSync(out, "utf8"));
    expect(Object.keys(plan)).toEqual(["stack", "cloud", "environment", "region", "resources", "outputs", "violations"]);
    expect(plan).toMatchObject({ stack, cloud: "azure", environment: stack });
    const blocks = plan.resources.filter((r: { type: string }) => r.type.startsWith("platform:index:")).map((r: { type: string }) => r.type);
    expect(blocks).toHaveLength(8);
    for (const r of plan.resources) expect(Object.keys(r)).toEqual(["type", "name", "parent", "custom", "protect", "inputs", "urn", "dependencies", "propertyDependencies"]);
    expect(plan.resources.find((r: { type: string; name: string }) => r.type === "azure-native:keyvault:Secret" && r.name === "secrets-JWT_SECRET").inputs.properties).toBe("[secret]");
  });

  it("exits 1 with one clear message on a value Azure refuses", () => {
    const bad = synth("--stack", "production", "--cloud", "azure", "--set", "platform:network.egress=perZone");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('platform:network.egress: "perZone" is not allowed: Azure NAT Gateway serves a subnet with one gateway');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(bad.stdout).toBe("");
  });
});

describe("npm run synth --first-deploy", () => {
  it("plans against an empty account: the service is held and the warning says what to run", () => {
    const run = synth("--stack", "dev", "--first-deploy");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("(first deploy on an empty account)");
    expect(run.stdout).toContain('heldServices: ["api"]');
    expect(run.stderr).toContain("warning: platform:services.api is held at 0 tasks");
    expect(run.stderr).toContain("docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/dev/api:latest");
    const established = synth("--stack", "dev");
    expect(established.stdout).toContain("heldServices: []");
  });
});

describe("npm run synth: arguments it refuses before reading anything (exit 2)", () => {
  it.each([
    [["--stack", "dev", "--cloud", "gcp", "--set", "platform:cloud=aws"], "--cloud gcp contradicts --set platform:cloud=aws"],
    [["--stack", "../../etc/x"], 'stack "../../etc/x" is not allowed: a stack reference has at most three parts; stack names are 1-100 letters'],
    [["--stack", "dev", "--set", "platform:services..port=1"], "config path \"platform:services..port\": has an empty name between two dots ('..'); expected `pulumi config set --path` syntax"],
    [["--stack", "dev", "--set-secret", "platform:services.__proto__.x=1"], 'config path "platform:services.__proto__.x": "__proto__" cannot be a key'],
  ])("%j", (args, message) => {
    const run = synth(...args);
    expect(run.status).toBe(2);
    expect(run.stderr.split("\n")[0]).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe("");
  });
});

describe("npm run synth with several plans in one process", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "synth-multi-"));

  it("--all plans every committed stack on every implemented cloud, each exactly as a run of its own", () => {
    const all = synth("--all", "--json-dir", path.join(dir, "all"));
    expect(all.stderr).not.toMatch(/error/i);
    expect(all.status).toBe(0);
    const clouds = implementedClouds();
    expect(all.stdout).toContain(`wrote ${3 * clouds.length} plans to`);
    expect(readdirSync(path.join(dir, "all")).sort()).toEqual(["dev", "production", "staging"].flatMap((stack) => clouds.map((cloud) => `${stack}.${cloud}.json`)).sort());
    // One stack per cloud, a different one each, planned on its own: the same plan byte for byte.
    clouds.forEach((cloud, i) => {
      const stack = ["production", "staging", "dev"][i % 3];
      const single = path.join(dir, `${stack}.${cloud}.json`);
      expect(synth("--stack", stack, "--cloud", cloud, "--json", single).status).toBe(0);
      expect(readFileSync(path.join(dir, "all", `${stack}.${cloud}.json`), "utf8")).toBe(readFileSync(single, "utf8"));
    });
  });

  it("--stack repeated plans each stack, in the order given, and one failing stack does not stop the others", () => {
    const run = synth("--stack", "production", "--stack", "dev", "--set", "platform:services.api.minInstances=0", "--json-dir", path.join(dir, "two"));
    expect(run.status).toBe(1);
    expect(run.stderr.indexOf("error (production): Invalid stack config (1 problem); nothing was created:\n  - platform:services.api.minInstances: 0 is not allowed")).toBeLessThan(run.stderr.indexOf("warning (dev)"));
    expect(run.stdout).toContain("== dev: dev on aws");
    expect(run.stderr).toContain("production (aws) failed");
    expect(existsSync(path.join(dir, "two", "dev.aws.json"))).toBe(true);
  });

  it("--compare prints what the change creates, updates and replaces, by input path, and the cost it adds", () => {
    const base = path.join(dir, "dev-base.json");
    expect(synth("--stack", "dev", "--json", base).status).toBe(0);
    const run = synth("--stack", "dev", "--set", "platform:services.api.port=9000", "--set", "platform:services.api.minInstances=2", "--compare", base);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Changes against ${base}: 0 to create, 11 to update, 2 to replace, 0 to delete`);
    expect(run.stdout).toMatch(/\+- replace\s+aws:lb\/targetGroup:TargetGroup {2}lb-tg-api\n\s+name: "platform-dev-api-f080" -> "platform-dev-api-784d" {2}\[forces replacement\]\n\s+port: 8001 -> 9000 {2}\[forces replacement\]/);
    expect(run.stdout).toContain("actions[0].targetGroupArn: ");
    expect(run.stdout).toContain("(known once lb-tg-api is replaced)");
    expect(run.stdout).toMatch(/\$171\.07 a month fixed; was \$135\.03 \(\+\$36\.04\)/);
    expect(run.stdout).not.toContain("└─"); // no tree: the change is the point
  });

  it("--compare-dir compares each plan with its own base, says which have none, and --markdown writes one comment", () => {
    const base = path.join(dir, "base");
    expect(synth("--stack", "staging", "--json-dir", base).status).toBe(0);
    const summary = path.join(dir, "summary.md");
    const run = synth("--all", "--compare-dir", base, "--markdown", summary, "--set", "platform:services.api.minInstances=2");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Not compared: no base plan ${path.join(base, "dev.aws.json")} (a new stack or cloud, or the base branch could not synth it)`);
    expect(run.stdout).toContain(`Changes against ${path.join(base, "staging.aws.json")}: 0 to create, `);
    const text = readFileSync(summary, "utf8");
    expect(text.startsWith(`## Plan check: ${3 * implementedClouds().length} plans`)).toBe(true);
    expect(text).toMatch(/\| staging \| aws \| 0 \| \d+ \| 0 \| 0 \| 0 \| 0 mandatory, \d+ advisory \| \$\d+\.\d\d \+ 1 not priced \| \+\$36\.04 \|/);
    expect(text).toMatch(/\| dev \| aws \| – \| – \| – \| – \| – \| 0 mandatory, \d+ advisory \| \$\d+\.\d\d \| – \|/);
  });

  it.each([
    [["--stack", "dev", "--stack", "staging", "--json", "x.json"], "--json writes one plan; for 2 plans use --json-dir DIR"],
    [["--all", "--compare", "x.json"], `--compare takes the old plan of one stack; for ${3 * implementedClouds().length} plans use --compare-dir DIR`],
    [["--all", "--stack", "dev"], "--stack and --all: give the stacks, or --all for every committed stack, not both"],
    [["--stack", "dev", "--compare", "no-such-file.json"], "--compare no-such-file.json: no such file"],
    [["--stack", "dev", "--compare-dir", "no-such-dir"], "--compare-dir no-such-dir: no such directory"],
  ])("refuses %j before planning (exit 2)", (args, message) => {
    const run = synth(...args);
    expect(run.status).toBe(2);
    expect(run.stderr.split("\n")[0]).toContain(message);
    expect(run.stdout).toBe("");
  });

  it("refuses an old plan that is not a synth plan, naming the file", () => {
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ resources: "no" }));
    const run = synth("--stack", "dev", "--compare", bad);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${bad}: not a synth plan: expected { stack, cloud, environment, resources: [...], outputs }`);
  });
});
