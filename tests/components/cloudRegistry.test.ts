// The cloud registry: only the stack's cloud is loaded, the implementation is made per stack by the
// cloud's factory (so a cloud can keep stack-wide handles to itself), and the outputs are neutral,
// with the cloud's old output names as aliases for one release.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { awsCloud } from "../../components/aws";
import type { CloudFactory } from "../../components/cloud";
import type { PlatformSpec } from "../../components/model";
import { Namer } from "../../components/naming";
import { cloudImplementations, loadCloud } from "../../components/platform";
import { loadPlatformSpec } from "../../stacks/config";
import { runProgram, type SynthResult } from "../harness/run";
import { projectRoot } from "../harness/stackFiles";

const specOf = (cloud: string): PlatformSpec =>
  ({ ...loadPlatformSpec({ project: "platform", stack: "unit", values: { "platform:cloud": "aws", "platform:environment": "dev", "aws:region": "us-east-1" }, secretKeys: new Set() }).spec, cloud }) as PlatformSpec;

/** The modules a real synth process loaded, by file name. */
function modulesLoadedBySynth(...args: string[]): { status: number | null; stderr: string; modules: string[] } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "loaded-")), "modules.json");
  const run = spawnSync(process.execPath, ["--require", path.join(__dirname, "loadedModules.cjs"), "tools/launch.js", "tools/synth.ts", ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, LOADED_MODULES_FILE: file },
  });
  return { status: run.status, stderr: run.stderr, modules: JSON.parse(readFileSync(file, "utf8")) as string[] };
}
const loads = (modules: string[], pkg: string) => modules.some((m) => m.includes(`${path.sep}node_modules${path.sep}${pkg.replace("/", path.sep)}${path.sep}`));

describe("loading only the stack's cloud", () => {
  it("an AWS synth loads @pulumi/aws module by module (never its root index of every module), and never @pulumi/azure-native or @pulumi/gcp", () => {
    const run = modulesLoadedBySynth("--stack", "production");
    expect(run.status).toBe(0);
    expect(loads(run.modules, "@pulumi/aws")).toBe(true);
    expect(run.modules.filter((m) => m.endsWith(path.join("node_modules", "@pulumi", "aws", "index.js")))).toEqual([]);
    expect(run.modules.some((m) => m.endsWith(path.join("components", "aws", "index.ts")))).toBe(true);
    expect(loads(run.modules, "@pulumi/azure-native")).toBe(false);
    expect(loads(run.modules, "@pulumi/gcp")).toBe(false);
  });

  it("a config refused before anything is planned loads no cloud SDK at all", () => {
    const run = modulesLoadedBySynth("--stack", "dev", "--set", "platform:services.api.cpu=512");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("platform:services.api.cpu: 512 is not allowed: cpu is in vCPU since model v2");
    for (const pkg of ["@pulumi/aws", "@pulumi/azure-native", "@pulumi/gcp"]) expect({ pkg, loaded: loads(run.modules, pkg) }).toEqual({ pkg, loaded: false });
  });

  it("a GCP synth loads the GCP modules it uses, one by one, and never @pulumi/aws, @pulumi/azure-native or @pulumi/gcp's index of every module", () => {
    const run = modulesLoadedBySynth("--stack", "dev", "--cloud", "gcp");
    expect(run.status).toBe(0);
    expect(run.modules.some((m) => m.endsWith(path.join("components", "gcp", "index.ts")))).toBe(true);
    const gcpRoot = path.join("node_modules", "@pulumi", "gcp");
    const loadedGcp = run.modules.filter((m) => m.includes(`${path.sep}${gcpRoot}${path.sep}`));
    expect(loadedGcp.some((m) => m.endsWith(path.join(gcpRoot, "cloudrunv2", "service.js")))).toBe(true);
    expect(loadedGcp.filter((m) => m.endsWith(path.join(gcpRoot, "index.js")))).toEqual([]);
    expect(loads(run.modules, "@pulumi/aws")).toBe(false);
    expect(loads(run.modules, "@pulumi/azure-native")).toBe(false);
    expect(run.modules.some((m) => m.endsWith(path.join("components", "aws", "index.ts")))).toBe(false);
  });

  it("an Azure synth loads @pulumi/azure-native by submodule only, and never @pulumi/aws or @pulumi/gcp", () => {
    const run = modulesLoadedBySynth("--stack", "production", "--cloud", "azure");
    expect(run.status).toBe(0);
    expect(run.modules.some((m) => m.endsWith(path.join("components", "azure", "index.ts")))).toBe(true);
    expect(loads(run.modules, "@pulumi/azure-native")).toBe(true);
    // The package root loads every module of the SDK (about 250): only submodules may be required.
    const root = path.join("node_modules", "@pulumi", "azure-native", "index.js");
    expect(run.modules.filter((m) => m.endsWith(root))).toEqual([]);
    expect(loads(run.modules, "@pulumi/aws")).toBe(false);
    expect(loads(run.modules, "@pulumi/gcp")).toBe(false);
  });

  it("every cloud has an implementation", () => {
    for (const cloud of ["aws", "azure", "gcp"] as const) expect(cloudImplementations[cloud]).toBeDefined();
  });
});

describe("the implementation as a per-stack factory", () => {
  it("on AWS is stateless: every stack gets the same implementation", async () => {
    const a = awsCloud(specOf("aws"), new Namer("platform", "dev"));
    const b = awsCloud({ ...specOf("aws"), stack: "production" }, new Namer("platform", "production"));
    expect(a).toBe(b);
    expect(await loadCloud(specOf("aws"))).toBe(a);
  });

  it("is made once per run, for the validated spec and the stack's names, and what it keeps stays out of the outputs", async () => {
    const plain = await runProgram({ stack: "staging" });
    const original = cloudImplementations.aws!;
    const made: { spec: PlatformSpec; names: Namer }[] = [];
    const handedOn: string[] = [];
    // Like Azure's resource group: a stack-wide handle the first block makes and later blocks use.
    const withHandle: CloudFactory = (spec, names) => {
      made.push({ spec, names });
      const aws = awsCloud(spec, names);
      let handle: string | undefined;
      return {
        ...aws,
        secretsStore: (ctx) => {
          handle = `stack-wide-handle-of-${names.name("awsEcsName")}`;
          return aws.secretsStore(ctx);
        },
        network: (ctx, deps) => {
          handedOn.push(handle!);
          return aws.network(ctx, deps);
        },
      };
    };
    cloudImplementations.aws = async () => withHandle;
    let r: SynthResult;
    try {
      r = await runProgram({ stack: "staging" });
    } finally {
      cloudImplementations.aws = original;
    }
    expect(r.error).toBeUndefined();
    expect(made).toHaveLength(1);
    expect(made[0].spec).toMatchObject({ cloud: "aws", stack: "staging", environment: "staging" });
    expect(made[0].names.name("awsEcsName")).toBe("platform-staging");
    expect(handedOn).toEqual(["stack-wide-handle-of-platform-staging"]);
    expect(JSON.stringify(r.outputs)).not.toContain("stack-wide-handle");
    expect(Object.keys(r.outputs).sort()).toEqual(Object.keys(plain.outputs).sort());
    expect(r.resources.map((x) => `${x.type}::${x.name}`)).toEqual(plain.resources.map((x) => `${x.type}::${x.name}`));
  });
});

describe("stack outputs", () => {
  let dev: SynthResult;
  beforeAll(async () => {
    dev = await runProgram({ stack: "dev" });
  });

  it("describe roles, not AWS resources: the service runtime, the alarm targets, the data store's URL", () => {
    expect(dev.error).toBeUndefined();
    expect(dev.outputs.serviceRuntime).toBe("platform-dev");
    expect(Object.keys(dev.outputs.alarmTargets as object).sort()).toEqual(["critical", "warning"]);
    expect(dev.outputs.dataStoreUrl).toBe(`s3://${dev.outputs.dataStoreName}`);
  });

  it("keep the old names on AWS for one release, as aliases of the neutral ones", () => {
    expect(dev.outputs.clusterName).toBe(dev.outputs.serviceRuntime);
    expect(dev.outputs.alarmTopics).toEqual(dev.outputs.alarmTargets);
  });

  it("carry the old names only where the cloud declares them", async () => {
    const original = cloudImplementations.aws!;
    cloudImplementations.aws = async () => (spec, names) => ({ ...awsCloud(spec, names), outputAliases: undefined });
    let r: SynthResult;
    try {
      r = await runProgram({ stack: "dev" });
    } finally {
      cloudImplementations.aws = original;
    }
    expect(r.error).toBeUndefined();
    expect(Object.keys(r.outputs)).not.toContain("clusterName");
    expect(Object.keys(r.outputs)).not.toContain("alarmTopics");
    expect(Object.keys(r.outputs).sort()).toEqual(Object.keys(dev.outputs).filter((k) => k !== "clusterName" && k !== "alarmTopics").sort());
  });
});
