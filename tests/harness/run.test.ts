import { runProgram } from "./run";

describe("the harness", () => {
  it("registers nothing but the stack when config is refused, and recovers for the next run", async () => {
    const bad = await runProgram({ stack: "dev", set: ["platform:services.api.port=70000"] });
    expect(bad.error?.message).toContain("platform:services.api.port: 70000 is not allowed: expected a port from 1 to 65535");
    expect(bad.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    const good = await runProgram({ stack: "dev" });
    expect(good.error).toBeUndefined();
    expect(good.resources.some((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")).toBe(true);
  });
});

describe("what the engine refuses but mocks accept", () => {
  it("fails a run that registers two resources with the same type and name", async () => {
    const aws = await import("@pulumi/aws");
    const result = await runProgram({
      stack: "dev",
      program: async () => {
        new aws.s3.Bucket("data", {});
        new aws.s3.Bucket("data", {});
        return {};
      },
    });
    expect(result.error?.message).toBe("duplicate resource aws:s3/bucket:Bucket::data: the engine refuses two resources with the same URN");
  });

  it("in preview, leaves computed outputs unknown instead of inventing them", async () => {
    const preview = await runProgram({ stack: "dev", preview: true });
    expect(preview.error).toBeUndefined();
    const vpc = preview.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
    const subnet = preview.resources.find((r) => r.type === "aws:ec2/subnet:Subnet");
    expect(vpc).toBeDefined();
    expect(subnet?.inputs.vpcId).toBe("[unknown]");
    expect(subnet?.inputs.cidrBlock).toBe("10.0.0.0/20");
  });
});

describe("stack files", () => {
  it("reads the structured config of a stack file and applies --path overrides on top", async () => {
    const { applySet, readStackFile } = await import("./stackFiles");
    const file = readStackFile("dev");
    expect(file.values["platform:environment"]).toBe("dev");
    applySet(file, "platform:services.api.port=9000");
    applySet(file, "platform:alarms.emails[0]=ops@example.com");
    expect(file.values["platform:services"]).toMatchObject({ api: { port: 9000, env: { LLM_PROVIDER: "anthropic" } } });
    expect(file.values["platform:alarms"]).toEqual({ emails: ["ops@example.com"] });
    expect(() => readStackFile("no-such-stack")).toThrow("no stack file Pulumi.no-such-stack.yaml");
    expect(() => applySet(file, "platform:cloud")).toThrow("expected KEY=VALUE");
  });
});

describe("a stack file with secure values", () => {
  it("synthesizes without the passphrase: secure values are stand-ins, marked secret, never printed", async () => {
    const { mkdtempSync, writeFileSync, copyFileSync } = await import("node:fs");
    const path = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { projectRoot } = await import("./stackFiles");
    const root = mkdtempSync(path.join(tmpdir(), "stack-"));
    copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    writeFileSync(
      path.join(root, "Pulumi.ops.yaml"),
      ["config:", "  platform:environment: dev", "  platform:cloud: aws", "  aws:region: us-east-1", "  platform:pagerWebhooks:", "    - secure: v1:c2VjcmV0:AAAA"].join("\n"),
    );
    const result = await runProgram({ stack: "ops", root });
    expect(result.error).toBeUndefined();
    const pager = result.resources.find((r) => r.name === "alarms-critical-pager-0");
    expect(pager?.inputs.endpoint).toBe("[secret]");
    expect(pager?.secretPaths).toEqual(["endpoint"]);
    expect(JSON.stringify(result)).not.toContain("v1:c2VjcmV0");
  });
});
