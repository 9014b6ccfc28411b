import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
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
    expect(Object.keys(plan)).toEqual(["stack", "cloud", "environment", "resources", "outputs", "violations"]);
    expect(plan).toMatchObject({ stack: "production", cloud: "aws", environment: "production" });
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

  it("exits 1 with one clear message on a bad value, and on a cloud not implemented yet", () => {
    const bad = synth("--stack", "dev", "--set", "platform:services.api.cpu=512");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("platform:services.api.cpu: 512 is not allowed: cpu is in vCPU since model v2; 512 CPU units is 0.5 vCPU: set 0.5");
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(bad.stdout).toBe("");
    const gcp = synth("--stack", "dev", "--cloud", "gcp");
    expect(gcp.status).toBe(1);
    expect(gcp.stderr).toContain("platform:cloud: \"gcp\" is not allowed: the gcp implementation is not implemented yet; implemented: aws");
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
