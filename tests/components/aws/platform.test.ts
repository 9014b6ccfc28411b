// Cross-cutting properties of the AWS platform: block components and parenting, stability of
// names when a service is added, preview runs that plan the same resources, and clean inputs.
import { type RegisteredResource, runProgram, type SynthResult } from "../../harness/run";

const stacks = ["dev", "staging", "production"] as const;
const blocks: Record<string, string> = {
  secrets: "SecretsStore",
  network: "Network",
  backup: "BackupVault",
  lb: "LoadBalancer",
  app: "ContainerService",
  scaling: "Autoscaling",
  alarms: "Alarms",
};
const webService = ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0", "platform:services.web.healthCheckPath=/healthz"];

const runs: Record<string, SynthResult> = {};
const previews: Record<string, SynthResult> = {};
const withWeb: Record<string, SynthResult> = {};

beforeAll(async () => {
  for (const stack of stacks) {
    runs[stack] = await runProgram({ stack });
    previews[stack] = await runProgram({ stack, preview: true });
  }
  for (const stack of ["dev", "production"]) withWeb[stack] = await runProgram({ stack, set: webService });
}, 120_000);

const key = (r: RegisteredResource) => `${r.type}::${r.name}`;
/** Physical names a cloud resource is known by; a change in any of them replaces it. */
const physicalNameFields = ["name", "bucket", "family", "namePrefix", "ruleName"];

describe.each(stacks)("%s", (stack) => {
  it("runs without error", () => {
    expect(runs[stack].error).toBeUndefined();
    expect(previews[stack].error).toBeUndefined();
  });

  it("has the Platform component and one component per block with a platform:index:<Kind> type token", () => {
    const components = runs[stack].resources.filter((r) => r.type.startsWith("platform:"));
    expect(components.find((c) => c.name === "platform")).toMatchObject({ type: "platform:index:Platform", parent: null, custom: false });
    for (const [name, kind] of Object.entries(blocks)) {
      expect(components.find((c) => c.name === name)).toMatchObject({ type: `platform:index:${kind}`, parent: "platform", custom: false });
    }
    expect(components).toHaveLength(Object.keys(blocks).length + 1);
  });

  it("parents every cloud resource to a block, and names it after that block", () => {
    const cloud = runs[stack].resources.filter((r) => !r.type.startsWith("platform:") && r.type !== "pulumi:pulumi:Stack");
    expect(cloud.length).toBeGreaterThan(50);
    for (const r of cloud) {
      expect(Object.keys(blocks)).toContain(r.parent);
      expect(r.name.startsWith(`${r.parent}-`)).toBe(true);
    }
  });

  it("in preview mode registers the same resources as a normal run", () => {
    const planned = previews[stack].resources.map(key).sort();
    expect(planned).toEqual(runs[stack].resources.map(key).sort());
    expect(previews[stack].warnings).toEqual(runs[stack].warnings);
  });

  it("never passes the text 'undefined' or '[object Object]' to a provider, normally or in preview", () => {
    for (const r of [runs[stack], previews[stack]]) {
      for (const res of r.resources) {
        const text = JSON.stringify(res.inputs);
        expect({ resource: key(res), hasUndefined: /undefined/.test(text), hasObject: text.includes("[object Object]") }).toEqual({ resource: key(res), hasUndefined: false, hasObject: false });
      }
    }
    const outputs = JSON.stringify(runs[stack].outputs);
    expect(outputs).not.toMatch(/undefined|\[object Object\]/);
  });

  it("exports the URL, network, service runtime, services, data store, alarm targets and secret references", () => {
    const o = runs[stack].outputs;
    expect(o).toMatchObject({ cloud: "aws", environment: stack, region: "us-east-1", serviceRuntime: `platform-${stack}` });
    expect(String(o.url)).toMatch(/^https?:\/\/[a-z0-9.-]+$/);
    expect(Object.keys(o.serviceNames as object)).toEqual(["api"]);
    expect(String(o.dataStoreUrl)).toMatch(/^s3:\/\/platform-/);
    expect(Object.keys(o.alarmTargets as object).sort()).toEqual(["critical", "warning"]);
    for (const ref of Object.values(o.secretRefs as Record<string, string>)) expect(ref).toMatch(/^arn:aws:secretsmanager:/);
  });
});

describe.each(["dev", "production"])("adding a service in %s", (stack) => {
  it("runs without error and adds the new service's resources", () => {
    expect(withWeb[stack].error).toBeUndefined();
    const added = withWeb[stack].resources.map(key).filter((k) => !runs[stack].resources.some((r) => key(r) === k));
    expect(added.length).toBeGreaterThan(10);
    for (const k of added) expect(k).toMatch(/-web(-|$)/);
  });

  it("keeps every existing logical name", () => {
    const after = new Set(withWeb[stack].resources.map(key));
    for (const r of runs[stack].resources) expect(after).toContain(key(r));
  });

  it("keeps every existing physical name", () => {
    const after = new Map(withWeb[stack].resources.map((r) => [key(r), r]));
    for (const r of runs[stack].resources) {
      for (const field of physicalNameFields) {
        if (r.inputs[field] !== undefined) expect({ resource: key(r), [field]: after.get(key(r))?.inputs[field] }).toEqual({ resource: key(r), [field]: r.inputs[field] });
      }
    }
  });

  it("changes no input of any resource of the service api (nothing of it is updated or replaced)", () => {
    const after = new Map(withWeb[stack].resources.map((r) => [key(r), r]));
    const apiResources = runs[stack].resources.filter((r) => /-api(-|$)/.test(r.name));
    expect(apiResources.length).toBeGreaterThan(15);
    for (const r of apiResources) expect({ resource: key(r), inputs: after.get(key(r))?.inputs }).toEqual({ resource: key(r), inputs: r.inputs });
  });
});
