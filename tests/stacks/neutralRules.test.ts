// The neutral rules of model v2, checked directly: path patterns in the form every cloud's router
// can express (with what to write instead of the ALB-only forms), and cpu in vCPU (with what an old
// CPU unit count means now).
import { cpuProblem, decimalFromText } from "../../stacks/cpuUnits";
import { pathPatternProblem } from "../../stacks/pathPatterns";

describe("path patterns", () => {
  it.each(["/", "/*", "/health", "/api/v1/health", "/api/*", "/api/v1/*", "/trailing/", "/a.b_c-d~e/*", "/caf%C3%A9/*", "/x:y@z/*", "/a,b;c=d/*"])("accepts %s", (pattern) => {
    expect(pathPatternProblem(pattern)).toBeUndefined();
  });

  it.each([
    ["api/*", "a path starts with /: write /api/*"],
    ["", "a path starts with /: write /"],
    ["*", "a pattern that starts with a wildcard (such as *.jpg) is not a form every cloud's router can express; route a path prefix instead, such as /images/*"],
    ["*.jpg", "a pattern that starts with a wildcard (such as *.jpg) is not a form every cloud's router can express"],
    ["/api*", "write /api/* (and /api as well to route the path itself)"],
    ["/api/v1*", "write /api/v1/* (and /api/v1 as well to route the path itself)"],
    ["/a/*/b", "route the prefix /a/* instead"],
    ["/images/*.jpg", "route the prefix /images/* instead"],
    ["/api/v*/users", "route the prefix /api/* instead"],
    ["/a/**", "route the prefix /a/* instead"],
    ["/v?/users", "? (any one character) is not a form every cloud's router can express"],
    ["/a//b", "an empty path segment (//) is not allowed"],
    ["/api//*", "an empty path segment (//) is not allowed"],
    ["/a b", "expected path characters only"],
    ["/a#b", "expected path characters only"],
    ['/"quoted"/*', "expected path characters only"],
    ["/%zz", "expected path characters only"],
  ])("refuses %j: %s", (pattern, message) => {
    expect(pathPatternProblem(pattern)).toContain(message);
  });
});

describe("cpu in vCPU", () => {
  it.each([0.01, 0.25, 0.5, 1, 1.5, 2, 4, 6, 8, 16])("accepts %s (each cloud's limits say which it runs)", (cpu) => {
    expect(cpuProblem(cpu)).toBeUndefined();
  });

  it.each([
    [0, "expected a vCPU count above 0 and at most 16, such as 0.25, 0.5, 1 or 2"],
    [-1, "expected a vCPU count above 0 and at most 16, such as 0.25, 0.5, 1 or 2"],
    [256, "cpu is in vCPU since model v2; 256 CPU units is 0.25 vCPU: set 0.25"],
    [512, "cpu is in vCPU since model v2; 512 CPU units is 0.5 vCPU: set 0.5"],
    [16384, "cpu is in vCPU since model v2; 16384 CPU units is 16 vCPU: set 16"],
    [17, "cpu is in vCPU since model v2, at most 16; read as CPU units of the old model (1024 per vCPU), 17 would be about 0.017 vCPU: set a vCPU count such as 0.25, 0.5, 1 or 2"],
    [3000, "cpu is in vCPU since model v2, at most 16; read as CPU units of the old model (1024 per vCPU), 3000 would be about 2.93 vCPU: set a vCPU count such as 0.25, 0.5, 1 or 2"],
  ])("refuses %s: %s", (cpu, message) => {
    expect(cpuProblem(cpu)).toBe(message);
  });

  it("reads a decimal the CLI stored as text as a number, and leaves anything else alone", () => {
    expect([decimalFromText("0.5"), decimalFromText(".25"), decimalFromText("2"), decimalFromText(2)]).toEqual([0.5, 0.25, 2, 2]);
    expect([decimalFromText("half"), decimalFromText("1e3"), decimalFromText("-1"), decimalFromText("")]).toEqual(["half", "1e3", "-1", ""]);
  });
});
