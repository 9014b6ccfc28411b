// The pack in its real host: started the way the Pulumi CLI starts a Node.js policy pack
// (@pulumi/pulumi's cmd/run-policy-pack, in the pack's folder, which type-checks policy/index.ts
// with ts-node and serves the analyzer gRPC protocol), then asked what the engine asks it during
// `pulumi preview`: GetAnalyzerInfo, Configure with the stack's pack config, Analyze for each
// resource, AnalyzeStack once. What it reports must be exactly what the offline evaluation reports.
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { controlNames, controls } from "../../policy/controls";
import { analyzePlan, type Diagnostic, engineProps, type PlanResource, type ResolvedPackConfig } from "../../policy/offline";
import { configSchemaOf, packName, packVersion } from "../../policy/pack";
import { loadPackConfig } from "../../policy/synthPolicies";
import { projectRoot } from "../harness/stackFiles";
import { edit, plan } from "./plans";

// The generated protobuf modules are JavaScript without types worth importing here.
const protoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// The Struct class the generated code checks against: the one @pulumi/pulumi resolves.
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [protoDir] }));

const levelNames: Record<number, string> = { [pb.EnforcementLevel.ADVISORY]: "advisory", [pb.EnforcementLevel.MANDATORY]: "mandatory", [pb.EnforcementLevel.DISABLED]: "disabled", [pb.EnforcementLevel.REMEDIATE]: "remediate" };
const levelCodes: Record<string, number> = { advisory: pb.EnforcementLevel.ADVISORY, mandatory: pb.EnforcementLevel.MANDATORY, disabled: pb.EnforcementLevel.DISABLED, remediate: pb.EnforcementLevel.REMEDIATE };

let host: ChildProcess | undefined;
let client: { close(): void } & Record<string, (req: unknown, cb: (e: Error | null, r: any) => void) => void>;
let hostErrors = "";
const killHost = () => {
  if (host && host.exitCode === null && host.signalCode === null) host.kill("SIGKILL");
};

/** Starts the host as the CLI does and resolves with the port it prints on its first line. */
function startHost(): Promise<number> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  // The CLI passes the engine's address and the program directory; the pack never calls the engine.
  host = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: path.join(projectRoot, "policy"), stdio: ["ignore", "pipe", "pipe"] });
  process.once("exit", killHost);
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      killHost();
      reject(new Error(`the policy pack printed no port within 100 s; stderr:\n${hostErrors}`));
    }, 100_000);
    host!.stderr!.on("data", (d) => (hostErrors += String(d)));
    host!.stdout!.on("data", (d) => {
      out += String(d);
      const port = /^(\d+)\s*$/m.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    });
    host!.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the policy pack exited (${code ?? signal}) before serving; stderr:\n${hostErrors}`));
    });
  });
}

const call = <T>(method: string, request: unknown): Promise<T> => new Promise((resolve, reject) => client[method](request, (e, r) => (e ? reject(e) : resolve(r))));

beforeAll(async () => {
  const port = await startHost();
  client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 120_000);

afterAll(async () => {
  client?.close();
  // Waits for the host to be gone, so that no pipe or socket outlives the test file.
  if (host && host.exitCode === null && host.signalCode === null) {
    const exited = new Promise((resolve) => host!.once("exit", resolve));
    killHost();
    await exited;
  }
  host?.stdout?.destroy();
  host?.stderr?.destroy();
  process.removeListener("exit", killHost);
});

function configure(config: ResolvedPackConfig): Promise<unknown> {
  const request = new pb.ConfigureAnalyzerRequest();
  const map = request.getPolicyconfigMap();
  for (const [name, settings] of Object.entries(config)) {
    const entry = new pb.PolicyConfig();
    entry.setEnforcementlevel(levelCodes[settings.enforcementLevel]);
    entry.setProperties(Struct.fromJavaScript(settings.properties));
    map.set(name, entry);
  }
  return call("configure", request);
}

const options = (r: PlanResource) => {
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  return o;
};

type Reported = Pick<Diagnostic, "policyName" | "policyPackName" | "policyPackVersion" | "description" | "message" | "enforcementLevel" | "urn">;

const fromProto = (d: any, urn: string): Reported => ({
  policyName: d.getPolicyname(),
  policyPackName: d.getPolicypackname(),
  policyPackVersion: d.getPolicypackversion(),
  description: d.getDescription(),
  message: d.getMessage(),
  enforcementLevel: levelNames[d.getEnforcementlevel()] as Reported["enforcementLevel"],
  urn: d.getUrn() || urn,
});

/** What the engine would get from the pack for this plan: Analyze per custom resource, then AnalyzeStack. */
async function analyzeInHost(resources: readonly PlanResource[]): Promise<Reported[]> {
  const out: Reported[] = [];
  for (const r of resources.filter((x) => x.custom)) {
    const request = new pb.AnalyzeRequest();
    request.setType(r.type);
    request.setName(r.name);
    request.setUrn(r.urn);
    request.setProperties(Struct.fromJavaScript(engineProps(r.inputs)));
    request.setOptions(options(r));
    const response = await call<any>("analyze", request);
    for (const d of response.getDiagnosticsList()) out.push(fromProto(d, r.urn));
  }
  const stack = new pb.AnalyzeStackRequest();
  stack.setResourcesList(
    resources.map((r) => {
      const resource = new pb.AnalyzerResource();
      resource.setType(r.type);
      resource.setName(r.name);
      resource.setUrn(r.urn);
      resource.setProperties(Struct.fromJavaScript(engineProps(r.inputs)));
      resource.setOptions(options(r));
      resource.setDependenciesList(r.dependencies);
      const deps = resource.getPropertydependenciesMap();
      for (const [key, urns] of Object.entries(r.propertyDependencies)) deps.set(key, new pb.AnalyzerPropertyDependencies().setUrnsList(urns));
      return resource;
    }),
  );
  const response = await call<any>("analyzeStack", stack);
  for (const d of response.getDiagnosticsList()) out.push(fromProto(d, ""));
  return out;
}

const sorted = (ds: Reported[]) => ds.map((d) => JSON.stringify([d.urn, d.policyName, d.enforcementLevel, d.message, d.description, d.policyPackName, d.policyPackVersion])).sort();
const offline = (resources: readonly PlanResource[], config: ResolvedPackConfig): Reported[] =>
  analyzePlan(resources, config).map(({ policyName, policyPackName, policyPackVersion, description, message, enforcementLevel, urn }) => ({ policyName, policyPackName, policyPackVersion, description, message, enforcementLevel, urn }));

describe("the pack in the CLI's policy host", () => {
  it("describes itself as the pack: name, version, each policy with its kind, level and config schema", async () => {
    const info = await call<any>("getAnalyzerInfo", new rpc.AnalyzerService.getAnalyzerInfo.requestType());
    expect([info.getName(), info.getVersion(), info.getSupportsconfig()]).toEqual([packName, packVersion, true]);
    const described = info.getPoliciesList().map((p: any) => ({
      name: p.getName(),
      kind: p.getPolicyType() === pb.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
      level: levelNames[p.getEnforcementlevel()],
      schema: p.getConfigschema()?.getProperties()?.toJavaScript(),
    }));
    expect(described).toEqual(controlNames.map((name) => ({ name, kind: controls[name].kind, level: "mandatory", schema: configSchemaOf(name)?.properties })));
  });

  it("reports exactly what the offline evaluation reports: violations of both levels, on resources and on the stack", async () => {
    // dev's plan with a public database and a literal secret, judged as production judges.
    let resources = await plan("dev");
    resources = edit(resources, "backup-db", (i) => (i.publiclyAccessible = true));
    resources = edit(resources, "app-DB-rotation", (i) => (i.environment.variables.API_TOKEN = "literal"));
    const config = loadPackConfig("production").config;
    await configure(config);
    const inHost = await analyzeInHost(resources);
    expect(sorted(inHost)).toEqual(sorted(offline(resources, config)));
    expect(new Set(inHost.map((d) => d.policyName)).size).toBeGreaterThan(8);
    expect(inHost.some((d) => d.urn === "")).toBe(false);

    // The same plan under dev's own config: the relaxed controls become advisories, in the host too.
    const devConfig = loadPackConfig("dev").config;
    await configure(devConfig);
    const relaxed = await analyzeInHost(resources);
    expect(sorted(relaxed)).toEqual(sorted(offline(resources, devConfig)));
    expect(new Set(relaxed.map((d) => d.enforcementLevel))).toEqual(new Set(["advisory", "mandatory"]));
  }, 120_000);

  it("degrades to the same advisories on a preview plan, where values are unknown", async () => {
    const resources = await plan("production", { preview: true });
    const config = loadPackConfig("production").config;
    await configure(config);
    const inHost = await analyzeInHost(resources);
    expect(sorted(inHost)).toEqual(sorted(offline(resources, config)));
    expect(inHost.length).toBeGreaterThan(0);
    expect(inHost.every((d) => d.enforcementLevel === "advisory" && d.message.includes("during preview"))).toBe(true);
    // A stack rule that reads an unknown reports on no resource, as in the engine.
    expect(inHost.some((d) => d.urn === "")).toBe(true);
  }, 120_000);
});
