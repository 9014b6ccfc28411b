import { estimateCost } from "../../tools/cost";
import { type Plan, type PlanResource, toPlan } from "../../tools/plan";
import { comparePlans } from "../../tools/planDiff";
import { commentLimit, type PlanReport, renderMarkdown, renderText } from "../../tools/report";
import { runProgram } from "../harness/run";

const resource = (type: string, name: string, inputs: Record<string, unknown>, protect = false): PlanResource => ({ type, name, parent: null, custom: true, protect, inputs });
const plan = (stack: string, resources: PlanResource[], extra: Partial<Plan> = {}): Plan => ({ stack, cloud: "aws", environment: "dev", region: "us-east-1", resources, outputs: {}, ...extra });

/** A report for a change of `n` resources with long inputs: far more than one comment can hold. */
function hugeReport(stack: string, n: number): PlanReport {
  const long = (i: number, v: string) => ({ name: `svc-${i}`, description: `${v}-${"x".repeat(400)}`, tags: { a: v, b: v, c: v } });
  const before = plan(stack, Array.from({ length: n }, (_, i) => resource("aws:ecs/service:Service", `svc-${i}`, long(i, "old"))));
  const after = plan(stack, Array.from({ length: n }, (_, i) => resource("aws:ecs/service:Service", `svc-${i}`, long(i, "new"))));
  return { plan: after, comparedWith: `base/${stack}.aws.json`, diff: comparePlans(before, after), cost: estimateCost(after) };
}

describe("renderMarkdown: one PR comment for every plan", () => {
  it("stays under GitHub's comment limit, summary first and details collapsed, and says what it left out", () => {
    const reports = ["dev", "staging", "production", "prod-eu"].map((s) => hugeReport(s, 400));
    const text = renderMarkdown(reports);
    expect(text.length).toBeLessThanOrEqual(commentLimit);
    expect(commentLimit).toBeLessThan(65_536);
    expect(text.startsWith("## Plan check: 4 plans")).toBe(true);
    // Every plan has its summary row, before any details.
    const firstDetails = text.indexOf("<details>");
    for (const stack of ["dev", "staging", "production", "prod-eu"]) expect(text.indexOf(`| ${stack} | aws | 0 | 400 | 0 | 0 | 0 |`)).toBeLessThan(firstDetails);
    expect(text).toMatch(/more resources, left out to stay under GitHub's comment limit/);
    // Each plan gets its share of the room: none is crowded out by the others.
    for (const stack of ["dev", "staging", "production", "prod-eu"]) expect(text).toMatch(new RegExp(`### ${stack} \\(aws, us-east-1\\)\\n\\n<details>`));
    // Every <details> that was opened is closed.
    expect(text.match(/<details>/g)?.length).toBe(text.match(/<\/details>/g)?.length);
  });

  it("keeps everything when it fits", () => {
    const report = hugeReport("dev", 3);
    const text = renderMarkdown([report]);
    expect(text).not.toContain("left out");
    for (let i = 0; i < 3; i++) expect(text).toContain(`<code>svc-${i}</code>`);
  });

  it("calls out blocked changes and mandatory policy violations above the details", () => {
    const before = plan("production", [resource("aws:rds/instance:Instance", "backup-db", { dbName: "app" }, true)]);
    const after = plan("production", [resource("aws:rds/instance:Instance", "backup-db", { dbName: "orders" }, true)], {
      violations: [
        { policy: "database-ha", level: "mandatory", type: "aws:rds/instance:Instance", name: "backup-db", message: "production needs a standby\nset database.highAvailability" },
        { policy: "tags", level: "advisory", type: "aws:s3/bucket:Bucket", name: "logs", message: "missing tag" },
      ],
    });
    const text = renderMarkdown([{ plan: after, comparedWith: "base", diff: comparePlans(before, after) }]);
    const details = text.indexOf("<details>");
    expect(text.indexOf("> **BLOCKED** in production (aws, us-east-1): replace of protected <code>aws:rds/instance:Instance</code> <code>backup-db</code>")).toBeLessThan(details);
    expect(text.indexOf("> **1 mandatory policy violation** in production (aws, us-east-1)")).toBeLessThan(details);
    expect(text).toContain("| production | aws | 0 | 0 | 1 | 0 | **1** | **1 mandatory**, 1 advisory |");
    expect(text).toContain("production needs a standby<br>set database.highAvailability");
  });

  it("escapes what would break a table or inject HTML", () => {
    const before = plan("dev", [resource("aws:kms/key:Key", "k", { description: "a" })]);
    const after = plan("dev", [resource("aws:kms/key:Key", "k", { description: "<script>|x" })]);
    const text = renderMarkdown([{ plan: after, comparedWith: "base", diff: comparePlans(before, after) }]);
    expect(text).toContain("&lt;script&gt;&#124;x");
    expect(text).not.toContain("<script>");
  });

  it("reports a failed plan in its row", () => {
    const text = renderMarkdown([{ plan: plan("dev", []), error: "platform:services.api.port: 70000 is not allowed" }]);
    expect(text).toContain("| dev | aws | **failed** | platform:services.api.port: 70000 is not allowed |");
  });
});

describe("renderText", () => {
  it("prints each change with its input paths, BLOCKED first where protected, and the cost with its change", async () => {
    const before = toPlan(await runProgram({ stack: "production" }));
    const after = toPlan(await runProgram({ stack: "production", set: ["platform:database.name=orders", "platform:services.api.minInstances=3"] }));
    const oldCost = estimateCost(before)!;
    const cost = estimateCost(after)!;
    const text = renderText({ plan: after, comparedWith: "old.json", diff: comparePlans(before, after), cost, costDelta: (await import("../../tools/cost")).compareCost(oldCost, cost) });
    expect(text).toContain("Changes against old.json: 0 to create, ");
    expect(text).toMatch(/BLOCKED \+- replace\s+aws:rds\/instance:Instance {2}backup-db/);
    expect(text).toContain('dbName: "app" -> "orders"  [forces replacement]');
    expect(text).toContain("replaces a protected resource: `pulumi up` refuses it");
    expect(text).toContain("not priced (rds.postgres.db.m7g.large.hour is not in the us-east-1 table)");
    expect(text).toMatch(/\$\d+\.\d\d a month fixed, plus 3 not priced; was \$\d+\.\d\d \(\+\$36\.04\)/);
  });
});
