// Pack config per stack (policy/config/<stack>.json, the file `--policy-pack-config` takes): checked
// as the CLI checks it, mandatory in production, advisory only where an environment deliberately
// relaxes a control, and thresholds that are the environment's presets.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { controlNames } from "../../policy/controls";
import { analyzePlan, PackConfigError, type PlanResource, resolvePackConfig } from "../../policy/offline";
import { policies } from "../../policy/pack";
import { loadPackConfig, packConfigPath } from "../../policy/synthPolicies";
import { presets } from "../../stacks/presets";
import { finding, findings, plan } from "./plans";

const committed = ["dev", "staging", "production"] as const;
const fileOf = (stack: string) => JSON.parse(readFileSync(packConfigPath(stack), "utf8"));

/** What each environment relaxes, and why (README: policy). */
const relaxed: Record<(typeof committed)[number], string[]> = {
  // No domain by default, 1 task, no standby, no deletion protection, nobody paged and no uptime checks, `latest` tags.
  dev: ["alarms", "database-ha", "https-only", "min-instances", "pinned-images", "stateful-protected"],
  // 1 task, no standby, no deletion protection (staging is rebuilt from code), `latest` tags.
  staging: ["database-ha", "min-instances", "pinned-images", "stateful-protected"],
  production: [],
};

describe("the committed pack config files", () => {
  it("are the three committed stacks', one per stack file", () => {
    const stacks = readdirSync(path.dirname(packConfigPath("x"))).map((f) => f.replace(/\.json$/, ""));
    expect(stacks.sort()).toEqual([...committed].sort());
  });

  it.each(committed)("%s: names every policy with its level, and lowers exactly the relaxed controls to advisory", (stack) => {
    const file = fileOf(stack);
    expect(Object.keys(file).sort()).toEqual([...controlNames].sort());
    const { config } = loadPackConfig(stack);
    const advisory = Object.entries(config).filter(([, s]) => s.enforcementLevel === "advisory").map(([name]) => name);
    expect(advisory.sort()).toEqual(relaxed[stack]);
    for (const [name, settings] of Object.entries(config)) if (!relaxed[stack].includes(name)) expect(settings.enforcementLevel).toBe("mandatory");
  });

  it.each(committed)("%s: keeps logs and backups as long as the environment's presets do", (stack) => {
    const preset = presets[stack];
    const { config } = loadPackConfig(stack);
    expect(config["log-retention"].properties).toEqual({ auditRetentionDaysMin: preset.auditLogRetentionDays, appRetentionDaysMin: preset.appLogRetentionDays });
    expect(config.backups.properties).toEqual({
      dailyRetentionDaysMin: preset.backup.dailyRetentionDays,
      weeklyRetentionDaysMin: (preset.backup.weeklyRetentionWeeks ?? 0) * 7,
      // Twelve months: a year of daily recovery, whatever the month lengths.
      monthlyRetentionDaysMin: preset.backup.monthlyRetentionMonths === undefined ? 0 : Math.floor((preset.backup.monthlyRetentionMonths * 365) / 12),
      continuousRetentionDaysMin: preset.backup.continuousRetentionDays ?? 0,
      secondRegionCopy: preset.backup.copyToSecondRegion,
    });
  });

  it("without a file, every policy is mandatory with the production thresholds", () => {
    const { config, source } = loadPackConfig("prod-eu");
    expect(source).toContain("no policy/config/prod-eu.json");
    expect(Object.values(config).every((s) => s.enforcementLevel === "mandatory")).toBe(true);
    expect(config.backups.properties).toEqual({});
  });
});

describe("a pack config file is checked as the CLI checks it", () => {
  it.each([
    [{ "min-instance": "advisory" }, 'x.json: "min-instance" is not a policy of platform-guard; policies: encryption-at-rest, '],
    [{ "min-instances": "warn" }, 'x.json: "min-instances": "warn" is not allowed: expected one of: advisory, mandatory, remediate, disabled'],
    [{ "min-instances": { enforcementLevel: "soft" } }, 'x.json: "min-instances".enforcementLevel: "soft" is not allowed'],
    [{ "min-instances": { minimum: 3 } }, 'x.json: "min-instances".minimum is not a setting of min-instances; settings: minInstances'],
    [{ "min-instances": { minInstances: "2" } }, 'x.json: "min-instances".minInstances: "2" is not allowed: expected a whole number of at least 0'],
    [{ backups: { secondRegionCopy: "yes" } }, 'x.json: "backups".secondRegionCopy: "yes" is not allowed: expected a boolean'],
    [{ "required-tags": { requiredTags: "project" } }, 'x.json: "required-tags".requiredTags: "project" is not allowed: expected a list of strings'],
    [{ "https-only": { days: 1 } }, 'x.json: "https-only".days is not a setting of https-only; settings: none'],
    [[], "x.json: expected an object of policy names, got []"],
  ])("%j", (file, message) => {
    expect(() => resolvePackConfig(file, "x.json")).toThrow(PackConfigError);
    expect(() => resolvePackConfig(file, "x.json")).toThrow(message);
  });

  it('"all" sets the level of every policy without its own', () => {
    const config = resolvePackConfig({ all: "advisory", backups: "mandatory" }, "x.json");
    expect(config.backups.enforcementLevel).toBe("mandatory");
    expect(Object.entries(config).filter(([, s]) => s.enforcementLevel === "mandatory").map(([n]) => n)).toEqual(["backups"]);
  });
});

describe("enforcement levels", () => {
  let dev: PlanResource[];
  beforeAll(async () => {
    dev = await plan("dev");
  });

  it("dev's relaxations are advisory with its config, and mandatory without it (the pack's own level)", () => {
    const own = findings(dev, "dev");
    expect(own.filter((d) => d.enforcementLevel === "mandatory")).toEqual([]);
    expect(new Set(own.map((d) => d.policyName))).toEqual(new Set(relaxed.dev));
    const strict = analyzePlan(dev, loadPackConfig("no-such-stack").config);
    expect(new Set(strict.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName))).toEqual(new Set([...relaxed.dev, "backups", "log-retention"]));
  });

  it("disabled skips a policy; remediate is reported as mandatory, as the engine does", () => {
    const config = resolvePackConfig({ "min-instances": "disabled", "database-ha": "remediate" }, "x.json");
    const found = analyzePlan(dev, config);
    expect(found.some((d) => d.policyName === "min-instances")).toBe(false);
    expect(found.filter((d) => d.policyName === "database-ha").map((d) => [d.enforcementLevel, finding(d)])).toEqual([["mandatory", "the database has no standby in another zone (multiAz)"]]);
  });

  it("every policy's config schema is what the pack declares to the CLI", () => {
    for (const p of policies) {
      const properties = p.configSchema?.properties ?? {};
      for (const schema of Object.values(properties)) expect(schema).toMatchObject({ default: expect.anything(), description: expect.any(String) });
      expect(Object.keys(properties)).not.toContain("enforcementLevel");
    }
  });
});
