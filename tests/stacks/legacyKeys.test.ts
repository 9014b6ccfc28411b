// Stack files written for the model before v2 keep working: the renamed keys (natGateways,
// minTasks/maxTasks, idleTimeoutSeconds) are read as their new names with a warning each, and plan
// exactly the resources the new keys plan. Only cpu changed its unit, and an old value of it is
// refused with a message that says what it means now.
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { named } from "../harness/queries";
import { runProgram, type SynthResult } from "../harness/run";
import { projectRoot } from "../harness/stackFiles";
import { ConfigError } from "../../stacks/configErrors";

const header = `config:
  platform:environment: production
  platform:cloud: aws
  aws:region: us-east-1
  platform:loadBalancer:
    domain: platform.example.com
    dnsZone: Z0123456789ABCDEFGHIJ
  platform:alarms:
    emails:
      - oncall@example.com
`;

/** Every key model v2 renamed, under its old name. */
const legacyFile = `${header.replace("  platform:alarms:", "    idleTimeoutSeconds: 120\n  platform:alarms:")}  platform:network:
    natGateways: single
  platform:services:
    api:
      imageTag: "1.0.0"
      minTasks: 3
      maxTasks: 6
`;

/** The same stack in model v2 keys. */
const currentFile = `${header.replace("  platform:alarms:", "    backendTimeoutSeconds: 120\n  platform:alarms:")}  platform:network:
    egress: shared
  platform:services:
    api:
      imageTag: "1.0.0"
      minInstances: 3
      maxInstances: 6
`;

const oldCpuFile = `${header}  platform:services:
    api:
      imageTag: "1.0.0"
      cpu: 512
      memory: 1024
`;

const pagerWarning = "No pager in production: set platform:pagerWebhooks (secret) so critical alarms page the on-call engineer.";

let root: string;
let legacy: SynthResult;
let current: SynthResult;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "legacy-keys-"));
  copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
  writeFileSync(path.join(root, "Pulumi.legacy.yaml"), legacyFile);
  writeFileSync(path.join(root, "Pulumi.current.yaml"), currentFile);
  writeFileSync(path.join(root, "Pulumi.oldcpu.yaml"), oldCpuFile);
  // Under one stack name, so that physical names can be compared too.
  legacy = await runProgram({ stack: "legacy", root, stackName: "prod-eu" });
  current = await runProgram({ stack: "current", root, stackName: "prod-eu" });
});

describe("a stack file with every renamed key under its old name", () => {
  it("runs, and warns once per old key with what to write instead", () => {
    expect(legacy.error).toBeUndefined();
    expect(legacy.warnings).toEqual([
      "platform:network.natGateways is deprecated since model v2 and will be removed in a later release: write platform:network.egress: shared instead (single there is shared here).",
      "platform:services.api.minTasks is deprecated since model v2 and will be removed in a later release: rename it to platform:services.api.minInstances (same value, same meaning).",
      "platform:services.api.maxTasks is deprecated since model v2 and will be removed in a later release: rename it to platform:services.api.maxInstances (same value, same meaning).",
      "platform:loadBalancer.idleTimeoutSeconds is deprecated since model v2 and will be removed in a later release: rename it to platform:loadBalancer.backendTimeoutSeconds (same value, same meaning).",
      pagerWarning,
    ]);
    expect(current.error).toBeUndefined();
    expect(current.warnings).toEqual([pagerWarning]);
  });

  it("plans exactly the resources, inputs and options of the same stack in the new keys", () => {
    const plan = (r: SynthResult) => r.resources.map(({ type, name, parent, protect, retainOnDelete, ignoreChanges, dependsOn, inputs }) => ({ type, name, parent, protect, retainOnDelete, ignoreChanges, dependsOn, inputs }));
    expect(plan(legacy)).toEqual(plan(current));
    expect(legacy.outputs).toEqual(current.outputs);
  });

  it("means what the old keys meant: one NAT gateway, 3 to 6 tasks, a 120 s ALB idle timeout", () => {
    expect(legacy.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    expect(named(legacy, "scaling-api-target").inputs).toMatchObject({ minCapacity: 3, maxCapacity: 6 });
    expect(named(legacy, "app-api-service").inputs.desiredCount).toBe(3);
    expect(named(legacy, "alarms-api-healthy-hosts").inputs.threshold).toBe(3);
    expect(named(legacy, "lb-alb").inputs.idleTimeout).toBe(120);
  });
});

describe("an old key next to its new name", () => {
  it("is only a warning when both say the same", async () => {
    const r = await runProgram({ stack: "current", root, set: ["platform:network.natGateways=single", "platform:services.api.maxTasks=6"] });
    expect(r.error).toBeUndefined();
    expect(r.warnings.filter((w) => w.includes("deprecated"))).toHaveLength(2);
  });

  it("is a problem for each pair that differs, named by the old key", async () => {
    const r = await runProgram({ stack: "current", root, set: ["platform:network.natGateways=perZone", "platform:services.api.maxTasks=8", "platform:loadBalancer.idleTimeoutSeconds=60"] });
    expect(r.error).toBeInstanceOf(ConfigError);
    expect((r.error as ConfigError).problems.map((p) => p.key)).toEqual(["platform:network.natGateways", "platform:services.api.maxTasks", "platform:loadBalancer.idleTimeoutSeconds"]);
    expect(r.resources).toEqual([]);
  });
});

describe("cpu in the old CPU units", () => {
  it("is refused with what the value means in vCPU, before anything is planned", async () => {
    const r = await runProgram({ stack: "oldcpu", root });
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(r.error?.message).toBe(
      "Invalid stack config (1 problem); nothing was created:\n  - platform:services.api.cpu: 512 is not allowed: cpu is in vCPU since model v2; 512 CPU units is 0.5 vCPU: set 0.5",
    );
    expect(r.resources).toEqual([]);
  });

  it.each([
    [256, "0.25"],
    [1024, "1"],
    [2048, "2"],
    [4096, "4"],
    [8192, "8"],
    [16384, "16"],
  ])("%i CPU units: set %s", async (units, vcpu) => {
    const r = await runProgram({ stack: "dev", set: [`platform:services.api.cpu=${units}`] });
    expect((r.error as ConfigError).problems).toEqual([
      { key: "platform:services.api.cpu", value: units, message: `cpu is in vCPU since model v2; ${units} CPU units is ${vcpu} vCPU: set ${vcpu}` },
    ]);
  });
});
