// `npm run synth -- --stack <each> --cloud gcp --json out.json` as a user runs it: the same JSON
// contract and bad-input behaviour as on AWS, for the committed stacks and any stack name.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { physicalName } from "../../../components/naming";
import { projectRoot } from "../../harness/stackFiles";
import { runGcp } from "./run";

function synth(...args: string[]) {
  return spawnSync(process.execPath, ["tools/launch.js", "tools/synth.ts", ...args], { cwd: projectRoot, encoding: "utf8" });
}

describe("npm run synth --cloud gcp", () => {
  it.each([
    ["dev", []],
    ["production", ["--set", "platform:loadBalancer.dnsZone=example-com"]],
  ] as const)("writes the JSON contract for %s with all seven blocks", (stack, extra) => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "synth-gcp-")), "out.json");
    const run = synth("--stack", stack, "--cloud", "gcp", ...extra, "--json", out);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${stack}: ${stack} on gcp`);
    const plan = JSON.parse(readFileSync(out, "utf8"));
    expect(Object.keys(plan)).toEqual(["stack", "cloud", "environment", "region", "resources", "outputs", "violations"]);
    expect(plan).toMatchObject({ stack, cloud: "gcp", environment: stack });
    const blocks = plan.resources.filter((r: { type: string }) => r.type.startsWith("platform:index:")).map((r: { type: string }) => r.type);
    expect(blocks.sort()).toEqual(["Alarms", "Autoscaling", "BackupVault", "ContainerService", "LoadBalancer", "Network", "Platform", "SecretsStore"].map((k) => `platform:index:${k}`));
    for (const r of plan.resources) expect(Object.keys(r)).toEqual(["type", "name", "parent", "custom", "protect", "inputs", "urn", "dependencies", "propertyDependencies"]);
    expect(Object.keys(plan.outputs)).toEqual(expect.arrayContaining(["url", "networkId", "serviceNames", "dataStoreUrl", "backupVaultName", "database", "alarmTargets", "secretRefs"]));
    expect(JSON.stringify(plan)).not.toMatch(/"aws:/);
    const version = plan.resources.find((r: { type: string }) => r.type === "gcp:secretmanager/secretVersion:SecretVersion");
    expect(version.inputs.secretData).toBe("[secret]");
  });

  it("exits 1 with one clear message naming the key on a value GCP refuses, and never echoes a secret", () => {
    const bad = synth("--stack", "dev", "--cloud", "gcp", "--set", "platform:services.api.cpu=3");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("platform:services.api.cpu: 3 is not allowed: Cloud Run runs 0.08 to 0.99 vCPU in steps of 0.01, or 1, 2, 4, 6, 8 vCPU");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(bad.stdout).toBe("");
    const zone = synth("--stack", "staging", "--cloud", "gcp", "--set", "platform:loadBalancer.dnsZone.gcp=Z0123456789ABCDEFGHIJ");
    expect(zone.status).toBe(1);
    expect(zone.stderr).toContain('platform:loadBalancer.dnsZone.gcp: "Z0123456789ABCDEFGHIJ" is not allowed: expected the name of a Cloud DNS managed zone');
  });
});

describe("any stack name on GCP", () => {
  it.each(["Prod.EU_2", "a".repeat(100), "feature-very-long-branch-name-for-a-preview-environment-of-the-platform"])("gives valid GCP names to %s", async (stackName) => {
    const r = await runGcp("dev", { stackName });
    expect(r.error).toBeUndefined();
    const service = r.resources.find((x) => x.type === "gcp:cloudrunv2/service:Service")!;
    expect(String(service.inputs.name).length).toBeLessThanOrEqual(49);
    expect(service.inputs.name).toBe(physicalName("gcpCloudRunService", ["platform", stackName, "api"]));
    const account = r.resources.find((x) => x.type === "gcp:serviceaccount/account:Account")!;
    expect(String(account.inputs.accountId)).toMatch(/^[a-z]([-a-z0-9]{4,28}[a-z0-9])$/);
    for (const x of r.resources.filter((y) => y.type.startsWith("gcp:compute/"))) expect(String(x.inputs.name)).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    const bucket = r.resources.find((x) => x.type === "gcp:storage/bucket:Bucket")!;
    expect(String(bucket.inputs.name).length).toBeLessThanOrEqual(63);
    for (const x of r.resources.filter((y) => y.type === "gcp:sql/databaseInstance:DatabaseInstance")) expect(String(x.inputs.name)).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    for (const x of r.resources.filter((y) => "labels" in y.inputs)) {
      for (const [k, v] of Object.entries(x.inputs.labels as Record<string, string>)) {
        expect(k).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
        expect(v).toMatch(/^[a-z0-9_-]{0,63}$/);
      }
    }
  });
});
