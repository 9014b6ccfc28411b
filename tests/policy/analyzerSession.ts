// One conversation with the pack in its real host, in a process of its own (so that no gRPC channel
// or child process can outlive the jest worker that asks for it). Usage:
//   node tools/launch.js tests/policy/analyzerSession.ts <request.json>
// The request: { rounds: [{ config: ResolvedPackConfig, resources: PlanResource[] }] }. Starts the
// pack as the Pulumi CLI does (@pulumi/pulumi's cmd/run-policy-pack, in the pack's folder), asks
// GetAnalyzerInfo, then per round Configure, Analyze for each custom resource and AnalyzeStack once,
// prints { info, rounds } as JSON, stops the host and exits. The host never outlives this process.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { type Diagnostic, engineProps, type PlanResource, type ResolvedPackConfig } from "../../policy/offline";

// The generated protobuf modules are JavaScript without types worth importing here.
const protoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// The Struct class the generated code checks against: the one @pulumi/pulumi resolves.
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [protoDir] }));

export type Reported = Pick<Diagnostic, "policyName" | "policyPackName" | "policyPackVersion" | "description" | "message" | "enforcementLevel" | "urn">;

export interface PolicyDescription {
  name: string;
  kind: "resource" | "stack";
  level: string;
  schema: unknown;
}

export interface SessionResult {
  info: { name: string; version: string; supportsConfig: boolean; policies: PolicyDescription[] };
  rounds: Reported[][];
}

const levelNames: Record<number, string> = { [pb.EnforcementLevel.ADVISORY]: "advisory", [pb.EnforcementLevel.MANDATORY]: "mandatory", [pb.EnforcementLevel.DISABLED]: "disabled", [pb.EnforcementLevel.REMEDIATE]: "remediate" };
const levelCodes: Record<string, number> = { advisory: pb.EnforcementLevel.ADVISORY, mandatory: pb.EnforcementLevel.MANDATORY, disabled: pb.EnforcementLevel.DISABLED, remediate: pb.EnforcementLevel.REMEDIATE };

let host: ChildProcess | undefined;
const stopHost = () => {
  if (host && host.exitCode === null && host.signalCode === null) host.kill("SIGKILL");
};
process.on("exit", stopHost);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    stopHost();
    process.exit(1);
  });
}

/** Starts the host as the CLI does and resolves with the port it prints on its first line. */
function startHost(projectRoot: string): Promise<number> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  // The CLI passes the engine's address and the program directory; the pack never calls the engine.
  host = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: path.join(projectRoot, "policy"), stdio: ["ignore", "pipe", "pipe"] });
  let errors = "";
  return new Promise((resolve, reject) => {
    let out = "";
    host!.stderr!.on("data", (d) => (errors += String(d)));
    host!.stdout!.on("data", (d) => {
      out += String(d);
      const port = /^(\d+)\s*$/m.exec(out)?.[1];
      if (port) resolve(Number(port));
    });
    host!.once("exit", (code, signal) => reject(new Error(`the policy pack exited (${code ?? signal}) before serving; stderr:\n${errors}`)));
  });
}

type Client = Record<string, (req: unknown, cb: (e: Error | null, r: any) => void) => void>;
const call = <T>(client: Client, method: string, request: unknown): Promise<T> => new Promise((resolve, reject) => client[method](request, (e, r) => (e ? reject(e) : resolve(r))));

function configureRequest(config: ResolvedPackConfig): unknown {
  const request = new pb.ConfigureAnalyzerRequest();
  const map = request.getPolicyconfigMap();
  for (const [name, settings] of Object.entries(config)) {
    const entry = new pb.PolicyConfig();
    entry.setEnforcementlevel(levelCodes[settings.enforcementLevel]);
    entry.setProperties(Struct.fromJavaScript(settings.properties));
    map.set(name, entry);
  }
  return request;
}

const options = (r: PlanResource) => {
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  return o;
};

const fromProto = (d: any, urn: string): Reported => ({
  policyName: d.getPolicyname(),
  policyPackName: d.getPolicypackname(),
  policyPackVersion: d.getPolicypackversion(),
  description: d.getDescription(),
  message: d.getMessage(),
  enforcementLevel: levelNames[d.getEnforcementlevel()] as Reported["enforcementLevel"],
  // The engine attributes a resource rule's findings to the resource it asked about.
  urn: d.getUrn() || urn,
});

/** What the engine gets from the pack for a plan: Analyze per custom resource, then AnalyzeStack. */
async function analyze(client: Client, resources: readonly PlanResource[]): Promise<Reported[]> {
  const out: Reported[] = [];
  for (const r of resources.filter((x) => x.custom)) {
    const request = new pb.AnalyzeRequest();
    request.setType(r.type);
    request.setName(r.name);
    request.setUrn(r.urn);
    request.setProperties(Struct.fromJavaScript(engineProps(r.inputs)));
    request.setOptions(options(r));
    const response = await call<any>(client, "analyze", request);
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
  const response = await call<any>(client, "analyzeStack", stack);
  for (const d of response.getDiagnosticsList()) out.push(fromProto(d, ""));
  return out;
}

async function session(requestFile: string): Promise<SessionResult> {
  const request = JSON.parse(readFileSync(requestFile, "utf8")) as { rounds: { config: ResolvedPackConfig; resources: PlanResource[] }[] };
  const port = await startHost(path.join(__dirname, "..", ".."));
  const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as Client & { close(): void };
  try {
    const info = await call<any>(client, "getAnalyzerInfo", new rpc.AnalyzerService.getAnalyzerInfo.requestType());
    const result: SessionResult = {
      info: {
        name: info.getName(),
        version: info.getVersion(),
        supportsConfig: info.getSupportsconfig(),
        policies: info.getPoliciesList().map((p: any) => ({
          name: p.getName(),
          kind: p.getPolicyType() === pb.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
          level: levelNames[p.getEnforcementlevel()],
          schema: p.getConfigschema()?.getProperties()?.toJavaScript(),
        })),
      },
      rounds: [],
    };
    for (const round of request.rounds) {
      await call(client, "configure", configureRequest(round.config));
      result.rounds.push(await analyze(client, round.resources));
    }
    return result;
  } finally {
    client.close();
  }
}

session(process.argv[2]).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
  },
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
