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
