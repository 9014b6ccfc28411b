// The AWS autoscaling block: Application Auto Scaling keeps each ECS service between its task
// counts, tracking average CPU at 70% (seed 000 §7.1) and memory where a target is set.
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";


let dev: SynthResult;
let staging: SynthResult;
let production: SynthResult;
let withMemory: SynthResult;

beforeAll(async () => {
  dev = await runProgram({ stack: "dev" });
  staging = await runProgram({ stack: "staging" });
  production = await runProgram({ stack: "production" });
  withMemory = await runProgram({
    stack: "dev",
    set: ["platform:services.api.memoryTarget=75", "platform:services.api.cpuTarget=60", "platform:services.api.maxInstances=6", "platform:services.web.port=3000"],
  });
  for (const r of [dev, staging, production, withMemory]) expect(r.error).toBeUndefined();
});

describe("scalable target", () => {
  it.each([
    ["dev", 1, 2, () => dev],
    ["staging", 1, 4, () => staging],
    ["production", 2, 10, () => production],
  ] as const)("%s keeps the ECS service between %i and %i tasks", (_s, min, max, get) => {
    const targets = ofType(get(), "aws:appautoscaling/target:Target");
    expect(targets).toHaveLength(1);
    expect(targets[0].inputs).toMatchObject({ serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", minCapacity: min, maxCapacity: max });
    expect(named(get(), "app-api-service").inputs.desiredCount).toBe(min);
  });

  it("names the service as service/<cluster>/<service>", () => {
    for (const r of [dev, production]) {
      const cluster = String(named(r, "app-cluster").inputs.name);
      const service = String(named(r, "app-api-service").inputs.name);
      expect(named(r, "scaling-api-target").inputs.resourceId).toBe(`service/${cluster}/${service}`);
    }
  });

  it("follows per-service overrides and adds a target per service", () => {
    expect(named(withMemory, "scaling-api-target").inputs).toMatchObject({ minCapacity: 1, maxCapacity: 6 });
    expect(named(withMemory, "scaling-web-target").inputs.resourceId).toBe(`service/${named(withMemory, "app-cluster").inputs.name}/${named(withMemory, "app-web-service").inputs.name}`);
  });
});

describe("held services", () => {
  // A held service runs no tasks; registering a target would raise it to its minimum at once.
  it("get no scalable target and no policies, while ready services keep theirs", async () => {
    const r = await runProgram({
      stack: "dev",
      account: { secrets: { "platform/dev/DB_PASSWORD": { versionId: null } } },
      set: ["platform:secrets.DB_PASSWORD.source=external", "platform:services.web.port=3000", "platform:services.web.secrets[0]=DB_PASSWORD"],
    });
    expect(r.error).toBeUndefined();
    expect(r.outputs.heldServices).toEqual(["web"]);
    expect(ofType(r, "aws:appautoscaling/target:Target").map((t) => t.name)).toEqual(["scaling-api-target"]);
    expect(ofType(r, "aws:appautoscaling/policy:Policy").map((p) => p.name)).toEqual(["scaling-api-cpu"]);
    expect(Object.keys(r.outputs.scalingPolicies as object)).toEqual(["api"]);
    expect(named(r, "app-web-service").inputs.desiredCount).toBe(0);
    expect(named(r, "app-api-service").inputs.desiredCount).toBe(1);
  });
});

describe("policies", () => {
  it("track average CPU at 70% by default", () => {
    for (const r of [dev, staging, production]) {
      const policies = ofType(r, "aws:appautoscaling/policy:Policy");
      expect(policies.map((p) => p.name)).toEqual(["scaling-api-cpu"]);
      expect(policies[0].inputs).toMatchObject({
        policyType: "TargetTrackingScaling",
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: named(r, "scaling-api-target").inputs.resourceId,
        targetTrackingScalingPolicyConfiguration: { predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" }, targetValue: 70 },
      });
    }
  });

  it("track memory only where a memory target is set", () => {
    expect(named(withMemory, "scaling-api-cpu").inputs.targetTrackingScalingPolicyConfiguration).toMatchObject({ targetValue: 60 });
    expect(named(withMemory, "scaling-api-memory").inputs).toMatchObject({
      policyType: "TargetTrackingScaling",
      targetTrackingScalingPolicyConfiguration: { predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" }, targetValue: 75 },
    });
    expect(withMemory.resources.find((r) => r.name === "scaling-web-memory")).toBeUndefined();
    expect(named(withMemory, "scaling-web-cpu").inputs.targetTrackingScalingPolicyConfiguration).toMatchObject({ targetValue: 70 });
    expect((withMemory.outputs.scalingPolicies as Record<string, string[]>).api).toHaveLength(2);
    expect((withMemory.outputs.scalingPolicies as Record<string, string[]>).web).toHaveLength(1);
  });

  it("scale out faster than they scale in", () => {
    const config = named(production, "scaling-api-cpu").inputs.targetTrackingScalingPolicyConfiguration as { scaleOutCooldown: number; scaleInCooldown: number };
    expect(config.scaleOutCooldown).toBeLessThan(config.scaleInCooldown);
  });
});
