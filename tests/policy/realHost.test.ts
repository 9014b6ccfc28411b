// The pack in its real host: started the way the Pulumi CLI starts a Node.js policy pack
// (@pulumi/pulumi's cmd/run-policy-pack, in the pack's folder, which type-checks policy/index.ts
// with ts-node and serves the analyzer gRPC protocol), then asked what the engine asks it during
// `pulumi preview`: GetAnalyzerInfo, Configure with the stack's pack config, Analyze for each
// resource, AnalyzeStack once. What it reports must be exactly what the offline evaluation reports.
// The conversation runs in a process of its own (analyzerSession.ts) that stops the host before it
// exits, so no channel or child process outlives this test file.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { controlNames, controls } from "../../policy/controls";
import { analyzePlan, type PlanResource, type ResolvedPackConfig } from "../../policy/offline";
import { configSchemaOf, packName, packVersion } from "../../policy/pack";
import { loadPackConfig } from "../../policy/synthPolicies";
import { projectRoot } from "../harness/stackFiles";
import type { Reported, SessionResult } from "./analyzerSession";
import { edit, plan } from "./plans";

interface Round {
  config: ResolvedPackConfig;
  resources: PlanResource[];
}

let rounds: Round[];
let result: SessionResult;

beforeAll(async () => {
  // dev's plan with a public database and a literal secret, judged as production judges; the same
  // plan under dev's own config; production's preview plan, where values are unknown.
  let dev = await plan("dev");
  dev = edit(dev, "backup-db", (i) => (i.publiclyAccessible = true));
  dev = edit(dev, "app-DB-rotation", (i) => (i.environment.variables.API_TOKEN = "literal"));
  const preview = await plan("production", { preview: true });
  // Azure: dev's plan with a public database, an app secret held as a value and a route that serves
  // plain HTTP, judged as production judges; and production's preview plan.
  let azureDev = await plan("dev", { cloud: "azure" });
  azureDev = edit(azureDev, "backup-db", (i) => (i.network = { publicNetworkAccess: "Enabled" }));
  azureDev = edit(azureDev, "app-api-app", (i) => (i.configuration.secrets[0] = { name: "jwt-secret", value: "literal" }));
  azureDev = edit(azureDev, "app-api-route", (i) => delete i.httpsRedirect);
  const azurePreview = await plan("production", { cloud: "azure", preview: true });
  rounds = [
    { config: loadPackConfig("production").config, resources: dev },
    { config: loadPackConfig("dev").config, resources: dev },
    { config: loadPackConfig("production").config, resources: preview },
    { config: loadPackConfig("production").config, resources: azureDev },
    { config: loadPackConfig("production").config, resources: azurePreview },
  ];
  const request = path.join(mkdtempSync(path.join(tmpdir(), "policy-host-")), "request.json");
  writeFileSync(request, JSON.stringify({ rounds }));
  // SIGTERM on timeout: the session stops the host before it exits.
  const run = spawnSync(process.execPath, ["tools/launch.js", "tests/policy/analyzerSession.ts", request], { cwd: projectRoot, encoding: "utf8", timeout: 150_000, maxBuffer: 64 * 2 ** 20 });
  if (run.status !== 0) throw new Error(`the analyzer session failed (${run.status ?? run.signal}):\n${run.stderr}`);
  result = JSON.parse(run.stdout) as SessionResult;
}, 180_000);

const sorted = (ds: Reported[]) => ds.map((d) => JSON.stringify([d.urn, d.policyName, d.enforcementLevel, d.message, d.description, d.policyPackName, d.policyPackVersion])).sort();
const offline = (round: Round): Reported[] =>
  analyzePlan(round.resources, round.config).map(({ policyName, policyPackName, policyPackVersion, description, message, enforcementLevel, urn }) => ({ policyName, policyPackName, policyPackVersion, description, message, enforcementLevel, urn }));

describe("the pack in the CLI's policy host", () => {
  it("describes itself as the pack: name, version, each policy with its kind, level and config schema", () => {
    expect([result.info.name, result.info.version, result.info.supportsConfig]).toEqual([packName, packVersion, true]);
    expect(result.info.policies).toEqual(controlNames.map((name) => ({ name, kind: controls[name].kind, level: "mandatory", schema: configSchemaOf(name)?.properties })));
  });

  it("reports exactly what the offline evaluation reports: violations on resources and on the stack, of both levels", () => {
    const [strict, relaxed] = result.rounds;
    expect(sorted(strict)).toEqual(sorted(offline(rounds[0])));
    expect(new Set(strict.map((d) => d.policyName)).size).toBeGreaterThan(8);
    expect(strict.some((d) => d.urn === "")).toBe(false);
    // Under dev's own config the relaxed controls are advisories, in the host too.
    expect(sorted(relaxed)).toEqual(sorted(offline(rounds[1])));
    expect(new Set(relaxed.map((d) => d.enforcementLevel))).toEqual(new Set(["advisory", "mandatory"]));
  });

  it("degrades to the same advisories on a preview plan, where values are unknown", () => {
    const preview = result.rounds[2];
    expect(sorted(preview)).toEqual(sorted(offline(rounds[2])));
    expect(preview.length).toBeGreaterThan(0);
    expect(preview.every((d) => d.enforcementLevel === "advisory" && d.message.includes("during preview"))).toBe(true);
    // A stack rule that reads an unknown reports on no resource, as in the engine.
    expect(preview.some((d) => d.urn === "")).toBe(true);
  });

  it("reports on Azure plans exactly what the offline evaluation reports, resource and stack rules, known and unknown values", () => {
    const [, , , azure, azurePreview] = result.rounds;
    expect(sorted(azure)).toEqual(sorted(offline(rounds[3])));
    for (const policy of ["no-public-address", "secrets-by-reference", "https-only", "database-ha", "min-instances"]) expect(azure.map((d) => d.policyName)).toContain(policy);
    expect(sorted(azurePreview)).toEqual(sorted(offline(rounds[4])));
    expect(azurePreview.length).toBeGreaterThan(0);
    expect(azurePreview.every((d) => d.enforcementLevel === "advisory" && d.message.includes("during preview"))).toBe(true);
  });
});
