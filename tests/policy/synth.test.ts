// The pack inside `npm run synth`: violations printed by level, exit 1 on a mandatory one, and the
// JSON plan with the violations and each resource's URN and dependencies.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { projectRoot } from "../harness/stackFiles";

function synth(...args: string[]) {
  return spawnSync(process.execPath, ["tools/launch.js", "tools/synth.ts", ...args], { cwd: projectRoot, encoding: "utf8" });
}
const jsonFile = () => path.join(mkdtempSync(path.join(tmpdir(), "synth-policy-")), "plan.json");

describe("npm run synth with the policy pack", () => {
  it("dev: prints its advisories under the dev pack config and exits 0", () => {
    const run = synth("--stack", "dev");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Policies \(platform-guard \d+\.\d+\.\d+, policy\/config\/dev\.json\): 0 mandatory, \d+ advisory/);
    expect(run.stdout).toContain("advisory:\n");
    expect(run.stdout).toContain("  min-instances  app-api-service (aws:ecs/service:Service)\n    the service keeps 1 instance, fewer than 2 (desiredCount 1)");
    expect(run.stdout).not.toContain("mandatory:\n");
  });

  it("production with a short log retention: prints the mandatory violations, writes them to the JSON, exits 1", () => {
    const out = jsonFile();
    const run = synth("--stack", "production", "--set", "platform:logs.appRetentionDays=14", "--json", out);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("Policies (platform-guard");
    expect(run.stdout).toContain("): 3 mandatory, 0 advisory");
    expect(run.stdout).toContain("mandatory:\n  log-retention  backup-db-logs-postgresql (aws:cloudwatch/logGroup:LogGroup)\n    the log group is kept 14 days, less than 30 (retentionInDays)");
    expect(run.stderr).toContain("error: 3 mandatory policy violations (see above)");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const plan = JSON.parse(readFileSync(out, "utf8"));
    expect(plan.violations).toContainEqual({
      policy: "log-retention",
      level: "mandatory",
      type: "aws:cloudwatch/logGroup:LogGroup",
      name: "app-api-logs",
      message: "Audit logs are kept 365 days, application logs at least the environment's preset.\nthe log group is kept 14 days, less than 30 (retentionInDays)",
    });
    for (const v of plan.violations) expect(Object.keys(v)).toEqual(["policy", "level", "type", "name", "message"]);
  });

  it("records each resource's URN and what it depends on, by input", () => {
    const out = jsonFile();
    expect(synth("--stack", "production", "--json", out).status).toBe(0);
    const plan = JSON.parse(readFileSync(out, "utf8"));
    expect(plan.violations).toEqual([]);
    const byName = (name: string) => plan.resources.find((r: { name: string }) => r.name === name);
    const key = byName("secrets-key");
    expect(key.urn).toBe("urn:pulumi:production::platform::platform:index:Platform$platform:index:SecretsStore$aws:kms/key:Key::secrets-key");
    const secret = byName("secrets-JWT_SECRET");
    expect(secret.propertyDependencies.kmsKeyId).toEqual([key.urn]);
    expect(secret.dependencies).toEqual([key.urn]);
    // Explicit dependsOn shows up too: the ECS service waits for its role policies.
    expect(byName("app-api-service").dependencies).toContain(byName("app-api-task-data").urn);
    const urns = new Set(plan.resources.map((r: { urn: string }) => r.urn));
    for (const r of plan.resources) for (const d of r.dependencies) expect(urns).toContain(d);
  });

  it("a preview plan degrades to advisories and still exits 0", () => {
    const run = synth("--stack", "staging", "--preview");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("can't run policy 'encryption-at-rest' from policy pack 'platform-guard@v");
  });
});
