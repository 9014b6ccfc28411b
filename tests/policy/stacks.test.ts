// The pack on what the program registers for each committed stack and for overrides that break a
// control: what config refuses never reaches the pack; what config lets through (an acknowledged risk,
// a shorter retention) is the pack's to refuse in production.
import type { Diagnostic } from "../../policy/offline";
import { ConfigError } from "../../stacks/configErrors";
import { runProgram } from "../harness/run";
import { finding, findings, plan, type StackName } from "./plans";

const mandatory = (ds: Diagnostic[]) => ds.filter((d) => d.enforcementLevel === "mandatory");
const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.policyName}: ${d.urn.split("::").pop()}: ${finding(d)}`);

describe("the committed stacks under their own pack config", () => {
  it.each(["dev", "staging", "production"] as const)("%s has no mandatory violation", async (stack) => {
    expect(summary(mandatory(findings(await plan(stack), stack)))).toEqual([]);
  });

  it("production has no finding at all", async () => {
    expect(summary(findings(await plan("production"), "production"))).toEqual([]);
  });

  it.each(["dev", "staging", "production"] as const)("%s in preview: unknown values give the engine's advisories, never a crash or a mandatory violation", async (stack: StackName) => {
    const found = findings(await plan(stack, { preview: true }), stack);
    expect(mandatory(found)).toEqual([]);
    expect(found.some((d) => d.message.includes("during preview: string value at .kmsKeyId can't be known during preview"))).toBe(true);
  });

  it("production on its first deploy: held services (0 tasks until their image exists) are not refused", async () => {
    const found = findings(await plan("production", { account: "empty" }), "production");
    expect(summary(mandatory(found))).toEqual([]);
  });

  it("production in another region: the uptime alarms' key in us-east-1 is protected like the other keys", async () => {
    expect(summary(mandatory(findings(await plan("production", { set: ["aws:region=eu-west-1"] }), "production")))).toEqual([]);
  });
});

describe("the committed stacks on Azure under their own pack config", () => {
  it.each(["dev", "staging", "production"] as const)("%s on Azure has no mandatory violation", async (stack) => {
    expect(summary(mandatory(findings(await plan(stack, { cloud: "azure" }), stack)))).toEqual([]);
  });

  it("production on Azure has no finding at all", async () => {
    expect(summary(findings(await plan("production", { cloud: "azure" }), "production"))).toEqual([]);
  });

  it.each(["dev", "staging", "production"] as const)("%s on Azure in preview: unknown values give the engine's advisories, never a crash or a mandatory violation", async (stack: StackName) => {
    const found = findings(await plan(stack, { cloud: "azure", preview: true }), stack);
    expect(mandatory(found)).toEqual([]);
    expect(found.some((d) => d.message.includes("during preview: string value at .scope can't be known during preview"))).toBe(true);
  });

  it("production on Azure on its first deploy: held services (no app until their image exists) are not refused", async () => {
    const resources = await plan("production", { cloud: "azure", account: "empty" });
    expect(resources.filter((r) => r.type === "azure-native:app:ContainerApp")).toEqual([]);
    expect(summary(findings(resources, "production"))).toEqual([]);
  });
});

describe("overrides that break a control in production on Azure", () => {
  it.each([
    [
      "unprotected stateful resources, the risk acknowledged in the stack file",
      ["platform:deletionProtection=false", "platform:acceptRisks[0]=deletionProtection"],
      "stateful-protected",
      [
        "backup-db: the database server is not protected (resource option protect)",
        "backup-storage: the storage account is not protected (resource option protect)",
        "backup-vault: the backup vault can be deleted with its data (securitySettings.softDeleteSettings.state Off: deleted recovery points are not kept)",
        "secrets-logs: the log workspace is not protected (resource option protect)",
      ],
    ],
    ["a database without a standby, the risk acknowledged", ["platform:database.highAvailability=false", "platform:acceptRisks[0]=databaseSingleZone"], "database-ha", ["backup-db: the database has no standby in another zone (highAvailability.mode Disabled)"]],
    ["application logs kept 14 days", ["platform:logs.appRetentionDays=14"], "log-retention", ["secrets-logs-ContainerAppConsoleLogs: the table ContainerAppConsoleLogs is kept 14 days, less than 30 (totalRetentionInDays)"]],
    [
      "audit logs kept 90 days",
      ["platform:logs.auditRetentionDays=90"],
      "log-retention",
      ["secrets-audit-logs: the log workspace (audit) is kept 90 days, less than 365 (retentionInDays)", "network-flow-log: the flow log (audit) is kept 90 days, less than 365 (retentionPolicy.days)"],
    ],
    ["daily backups kept 3 days", ["platform:backup.dailyRetentionDays=3"], "backups", ["backup-db: the database's daily backup is kept 3 days, less than 7", "backup-storage: the storage account's daily backup is kept 3 days, less than 7"]],
    ["no uptime checks", ["platform:observability.uptimeChecks=false"], "alarms", ["app-api-app: the service has no uptime check alarm"]],
    [
      "a second service whose health path Front Door routes elsewhere (the program only warns)",
      ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0"],
      "alarms",
      ["app-web-app: the service has no uptime check alarm"],
    ],
  ])("%s", async (_what, set, policy, expected) => {
    const found = mandatory(findings(await plan("production", { cloud: "azure", set }), "production"));
    expect(new Set(found.map((d) => d.policyName))).toEqual(new Set([policy]));
    expect(summary(found)).toEqual(expect.arrayContaining(expected.map((e) => `${policy}: ${e}`)));
  });

  it("mutable tags and `latest`, the risk acknowledged, still run a digest on Azure: nothing to refuse", async () => {
    const resources = await plan("production", { cloud: "azure", set: ["platform:immutableImageTags=false", "platform:acceptRisks[0]=mutableImageTags", "platform:services.api.imageTag=latest"] });
    expect((resources.find((r) => r.name === "app-api-app")!.inputs.template as { containers: { image: string }[] }).containers[0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(summary(findings(resources, "production", "pinned-images"))).toEqual([]);
  });
});

describe("overrides that break a control in production", () => {
  it.each([
    [
      "unprotected stateful resources, the risk acknowledged in the stack file",
      ["platform:deletionProtection=false", "platform:acceptRisks[0]=deletionProtection"],
      "stateful-protected",
      ["backup-db: the database is not protected (resource option protect)", "backup-db: the database can be deleted with its data (deletionProtection is not true)", "backup-data: the bucket can be deleted with its data (forceDestroy deletes every object with the bucket)"],
    ],
    ["a database without a standby, the risk acknowledged", ["platform:database.highAvailability=false", "platform:acceptRisks[0]=databaseSingleZone"], "database-ha", ["backup-db: the database has no standby in another zone (multiAz)"]],
    [
      "mutable image tags and `latest`, the risk acknowledged",
      ["platform:immutableImageTags=false", "platform:acceptRisks[0]=mutableImageTags", "platform:services.api.imageTag=latest"],
      "pinned-images",
      ["app-api-task: the image 123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/production/api:latest is not pinned: the tag latest moves with every push"],
    ],
    ["application logs kept 14 days", ["platform:logs.appRetentionDays=14"], "log-retention", ["app-api-logs: the log group is kept 14 days, less than 30 (retentionInDays)"]],
    ["audit logs kept 90 days", ["platform:logs.auditRetentionDays=90"], "log-retention", ["network-flow-logs: the flow log group (audit) is kept 90 days, less than 365 (retentionInDays)", "lb-logs: the access log bucket (audit) is kept 90 days, less than 365 (lifecycle rule expiration.days)"]],
    ["daily backups kept 3 days", ["platform:backup.dailyRetentionDays=3"], "backups", ["backup-db: the database's daily backup is kept 3 days, less than 7"]],
    ["no uptime checks", ["platform:observability.uptimeChecks=false"], "alarms", ["app-api-service: the service has no uptime check alarm"]],
    [
      "a second service whose health path the load balancer routes elsewhere (the program only warns)",
      ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0"],
      "alarms",
      ["app-web-service: the service has no uptime check alarm"],
    ],
  ])("%s", async (_what, set, policy, expected) => {
    const found = mandatory(findings(await plan("production", { set }), "production"));
    expect(new Set(found.map((d) => d.policyName))).toEqual(new Set([policy]));
    expect(summary(found)).toEqual(expect.arrayContaining(expected.map((e) => `${policy}: ${e}`)));
  });

  it.each([
    ["a production service with one instance", ["platform:services.api.minInstances=1"], "platform:services.api.minInstances: 1 is not allowed: production runs at least 2 instances"],
    ["a literal secret in a service's env", [`platform:services.api.env.UPSTREAM=ghp_${"a".repeat(36)}`], "platform:services.api.env.UPSTREAM: the value looks like a GitHub token (it is not shown here)"],
    ["a secret-looking env var", ["platform:services.api.env.DB_PASSWORD=hunter2"], "platform:services.api.env.DB_PASSWORD: looks like a secret"],
  ])("config refuses %s before the pack sees it (the pack's rule is tested on a crafted resource)", async (_what, set, message) => {
    const result = await runProgram({ stack: "production", set });
    expect(result.error).toBeInstanceOf(ConfigError);
    expect(result.error?.message).toContain(message);
    expect(result.error?.message).not.toContain("hunter2");
  });
});

describe("the committed stacks on GCP under their own pack config", () => {
  const gcp = { cloud: "gcp" } as const;

  it.each(["dev", "staging", "production"] as const)("%s has no mandatory violation", async (stack) => {
    expect(summary(mandatory(findings(await plan(stack, gcp), stack)))).toEqual([]);
  });

  it("production has no finding at all", async () => {
    expect(summary(findings(await plan("production", gcp), "production"))).toEqual([]);
  });

  it.each(["dev", "staging", "production"] as const)("%s in preview: unknown values give the engine's advisories, never a crash or a mandatory violation", async (stack: StackName) => {
    const found = findings(await plan(stack, { ...gcp, preview: true }), stack);
    expect(mandatory(found)).toEqual([]);
    expect(found.some((d) => d.message.includes("during preview: string value at .encryptionKeyName can't be known during preview"))).toBe(true);
  });

  it("production on its first deploy: the held service (not created until its image exists) is not refused, and its alarms are still read", async () => {
    const resources = await plan("production", { ...gcp, account: "empty" });
    expect(summary(findings(resources, "production"))).toEqual([]);
    // Without its alarms the held service is refused: it is judged, on the serverless NEG that names it.
    const alarmsGone = resources.filter((r) => !/^alarms-api-(cpu|memory)-/.test(r.name));
    expect(summary(mandatory(findings(alarmsGone, "production", "alarms")))).toEqual(["alarms: lb-api-neg: the service has no CPU alarm", "alarms: lb-api-neg: the service has no memory alarm"]);
  });
});

describe("overrides that break a control in production on GCP", () => {
  it.each([
    [
      "unprotected stateful resources, the risk acknowledged in the stack file",
      ["platform:deletionProtection=false", "platform:acceptRisks[0]=deletionProtection"],
      "stateful-protected",
      [
        "backup-database: the database is not protected (resource option protect)",
        "backup-database: the database can be deleted with its data (deletionProtection is false)",
        "backup-database: the database can be deleted with its data (settings.deletionProtectionEnabled is not true)",
        "backup-data: the bucket can be deleted with its data (forceDestroy deletes every object with the bucket)",
        "secrets-JWT_SECRET: the secret can be deleted with its data (deletionProtection is not true: the secret and its versions are deleted at once)",
      ],
    ],
    ["a database without a standby, the risk acknowledged", ["platform:database.highAvailability=false", "platform:acceptRisks[0]=databaseSingleZone"], "database-ha", ["backup-database: the database has no standby in another zone (settings.availabilityType ZONAL)"]],
    [
      "mutable image tags and `latest`, the risk acknowledged",
      ["platform:immutableImageTags=false", "platform:acceptRisks[0]=mutableImageTags", "platform:services.api.imageTag=latest"],
      "pinned-images",
      ["app-api-service: the image asia-northeast1-docker.pkg.dev/example-platform-prod/platform-production/api:latest is not pinned: the tag latest moves with every push"],
    ],
    ["application logs kept 14 days", ["platform:logs.appRetentionDays=14"], "log-retention", ["app-app-logs: the log bucket is kept 14 days, less than 30 (retentionDays)"]],
    ["audit logs kept 90 days", ["platform:logs.auditRetentionDays=90"], "log-retention", ["network-security-logs: the log bucket (audit) is kept 90 days, less than 365 (retentionDays (locked))"]],
    ["daily backups kept 3 days", ["platform:backup.dailyRetentionDays=3"], "backups", ["backup-data: the bucket's daily backup is kept 3 days, less than 7"]],
    ["no uptime checks", ["platform:observability.uptimeChecks=false"], "alarms", ["app-api-service: the service has no uptime check alarm"]],
  ])("%s", async (_what, set, policy, expected) => {
    const found = mandatory(findings(await plan("production", { cloud: "gcp", set }), "production"));
    expect(new Set(found.map((d) => d.policyName))).toEqual(new Set([policy]));
    expect(summary(found)).toEqual(expect.arrayContaining(expected.map((e) => `${policy}: ${e}`)));
  });
});
