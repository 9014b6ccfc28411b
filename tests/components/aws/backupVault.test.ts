// The AWS backup block: the platform's data bucket (versioned, SSE-KMS, private, TLS only) and the
// AWS Backup vault, plan and selection that protect it (seed 004 §6.3 retention per environment).
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";


interface Rule {
  ruleName: string;
  schedule: string;
  targetVaultName: string;
  lifecycle: { deleteAfter: number };
  enableContinuousBackup?: boolean;
  copyActions?: { destinationVaultArn: string; lifecycle: { deleteAfter: number } }[];
}
const rules = (r: SynthResult) => named(r, "backup-plan").inputs.rules as Rule[];
const ruleKinds = (r: SynthResult) => Object.fromEntries(rules(r).map((x) => [x.ruleName.replace(/^platform-[a-z]+-/, ""), x]));

let dev: SynthResult;
let staging: SynthResult;
let production: SynthResult;

beforeAll(async () => {
  dev = await runProgram({ stack: "dev" });
  staging = await runProgram({ stack: "staging" });
  production = await runProgram({ stack: "production" });
  for (const r of [dev, staging, production]) expect(r.error).toBeUndefined();
});

const keyArn = (r: SynthResult) => named(r, "secrets-JWT_SECRET").inputs.kmsKeyId;

describe.each([["dev", () => dev], ["production", () => production]] as const)("data bucket in %s", (_s, get) => {
  it("is the data store the services are given", () => {
    expect(named(get(), "backup-data").inputs.bucket).toBe(get().outputs.dataStoreName);
    expect(String(get().outputs.dataStoreName)).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
  });

  it("is versioned (AWS Backup protects S3 only with versioning)", () => {
    expect(named(get(), "backup-data-versioning").inputs).toEqual({ bucket: get().outputs.dataStoreName, versioningConfiguration: { status: "Enabled" } });
  });

  it("is encrypted with SSE-KMS under the platform key", () => {
    expect(named(get(), "backup-data-encryption").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn(get()) }, bucketKeyEnabled: true },
    ]);
  });

  it("blocks every kind of public access", () => {
    expect(named(get(), "backup-data-public-access").inputs).toEqual({
      bucket: get().outputs.dataStoreName,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  });

  it("denies every request not made over TLS", () => {
    const policy = JSON.parse(String(named(get(), "backup-data-policy").inputs.policy));
    const arn = `arn:aws:s3:::${get().outputs.dataStoreName}`;
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    expect(policy.Statement.filter((s: { Effect: string }) => s.Effect === "Allow")).toEqual([]);
  });
});

describe("vault", () => {
  it("is encrypted with the platform key and named as the output says", () => {
    for (const r of [dev, production]) {
      const vault = named(r, "backup-vault");
      expect(vault.inputs.kmsKeyArn).toBe(keyArn(r));
      expect(vault.inputs.name).toBe(r.outputs.backupVaultName);
      expect(String(vault.inputs.name)).toMatch(/^[a-zA-Z0-9_-]{2,50}$/);
    }
  });

  it("and the data are protected and kept on delete in production only", () => {
    for (const name of ["backup-vault", "backup-data"]) {
      expect(named(production, name)).toMatchObject({ protect: true, retainOnDelete: true });
      expect(named(dev, name)).toMatchObject({ protect: false, retainOnDelete: false });
    }
    expect(named(production, "backup-data").inputs.forceDestroy).toBe(false);
    expect(named(production, "backup-vault").inputs.forceDestroy).toBe(false);
  });
});

describe("plan", () => {
  it("dev keeps daily backups 7 days", () => {
    const kinds = ruleKinds(dev);
    expect(Object.keys(kinds)).toEqual(["daily"]);
    expect(kinds.daily.lifecycle).toEqual({ deleteAfter: 7 });
    expect(kinds.daily.copyActions).toBeUndefined();
  });

  it("staging adds weekly backups kept 4 weeks", () => {
    const kinds = ruleKinds(staging);
    expect(Object.keys(kinds).sort()).toEqual(["daily", "weekly"]);
    expect(kinds.daily.lifecycle.deleteAfter).toBe(7);
    expect(kinds.weekly.lifecycle.deleteAfter).toBe(28);
  });

  it("production adds monthly backups kept 12 months, continuous backup for a 1 h RPO, and copies to a second region", () => {
    const kinds = ruleKinds(production);
    expect(Object.keys(kinds).sort()).toEqual(["continuous", "daily", "monthly", "weekly"]);
    expect(kinds.daily.lifecycle.deleteAfter).toBe(7);
    expect(kinds.weekly.lifecycle.deleteAfter).toBe(28);
    expect(kinds.monthly.lifecycle.deleteAfter).toBeGreaterThanOrEqual(365);
    expect(kinds.monthly.lifecycle.deleteAfter).toBeLessThanOrEqual(366);
    expect(kinds.continuous.enableContinuousBackup).toBe(true);
    // AWS Backup keeps continuous (point-in-time) recovery points at most 35 days.
    expect(kinds.continuous.lifecycle.deleteAfter).toBeLessThanOrEqual(35);
    expect(named(production, "backup-copy-region").inputs.region).toBe("us-west-2");
    const copyVault = named(production, "backup-copy-vault");
    expect(copyVault.inputs.kmsKeyArn).not.toBe(keyArn(production));
    for (const kind of ["daily", "weekly", "monthly"]) {
      expect(kinds[kind].copyActions).toEqual([{ destinationVaultArn: expect.stringContaining(String(copyVault.inputs.name)), lifecycle: kinds[kind].lifecycle }]);
    }
  });

  it("targets the vault with valid AWS Backup cron schedules", () => {
    for (const r of [dev, staging, production]) {
      for (const rule of rules(r)) {
        expect(rule.targetVaultName).toBe(r.outputs.backupVaultName);
        // Six fields; exactly one of day-of-month and day-of-week is "?".
        const fields = /^cron\((.+)\)$/.exec(rule.schedule)![1].split(" ");
        expect(fields).toHaveLength(6);
        expect([fields[2], fields[4]].filter((f) => f === "?")).toHaveLength(1);
        expect(rule.ruleName).toMatch(/^[a-zA-Z0-9\-_.]{1,50}$/);
      }
    }
  });
});

describe("selection", () => {
  it("covers the data bucket through a role AWS Backup assumes, with the S3 backup and restore managed policies", () => {
    for (const r of [dev, production]) {
      const selection = named(r, "backup-selection");
      expect(selection.inputs.resources).toEqual([`arn:aws:s3:::${r.outputs.dataStoreName}`]);
      expect(selection.inputs.planId).toMatch(/^backup-plan-/);
      const role = named(r, "backup-role");
      expect(selection.inputs.iamRoleArn).toBe(`arn:aws:iam::123456789012:role/${role.inputs.name}`);
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
      expect(trust.Statement).toEqual([expect.objectContaining({ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" })]);
      const attached = ofType(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.inputs.role === role.inputs.name)
        .map((a) => a.inputs.policyArn);
      expect(attached).toEqual(
        expect.arrayContaining([
          "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
          "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
          "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
          "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        ]),
      );
    }
  });
});

describe("monthly restore test (seeds 001, 004)", () => {
  it("restores the latest snapshot of the data bucket from the vault each month in staging and production", () => {
    for (const r of [staging, production]) {
      const plan = named(r, "backup-restore-test").inputs;
      expect(plan).toMatchObject({ scheduleExpression: "cron(0 6 2 * ? *)", recoveryPointSelection: { algorithm: "LATEST_WITHIN_WINDOW", recoveryPointTypes: ["SNAPSHOT"] } });
      expect((plan.recoveryPointSelection as { includeVaults: string[] }).includeVaults).toEqual([expect.stringContaining(`:backup-vault:${r.outputs.backupVaultName}`)]);
      expect(plan.name).toMatch(/^[a-zA-Z0-9_]{1,50}$/);
      const selection = named(r, "backup-restore-test-data").inputs;
      expect(selection).toMatchObject({ protectedResourceType: "S3", restoreTestingPlanName: plan.name, iamRoleArn: named(r, "backup-selection").inputs.iamRoleArn });
      expect(selection.protectedResourceArns).toEqual([`arn:aws:s3:::${r.outputs.dataStoreName}`]);
    }
  });

  it("is off in dev and can be switched on", async () => {
    expect(dev.resources.some((x) => x.name === "backup-restore-test")).toBe(false);
    const on = await runProgram({ stack: "dev", set: ["platform:backup.monthlyRestoreTest=true"] });
    expect(named(on, "backup-restore-test-data").inputs.protectedResourceType).toBe("S3");
  });
});
