// The AWS backup block: the platform's data bucket (versioned, SSE-KMS, private, TLS only) and the
// AWS Backup vault, plan and selection that protect it (seed 004 §6.3 retention per environment).
import { restoreCanaryContent, restoreCanaryKey, restoreValidationHandler } from "../../../components/aws/restoreValidation";
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

describe("data bucket lifecycle (AWS Backup backs up every unexpired version)", () => {
  type LifecycleRule = { id: string; status: string; filter: object; noncurrentVersionExpiration?: { noncurrentDays: number }; expiration?: { expiredObjectDeleteMarker?: boolean; days?: number }; abortIncompleteMultipartUpload?: { daysAfterInitiation: number } };
  const lifecycle = (r: SynthResult) => named(r, "backup-data-lifecycle").inputs as { bucket: string; rules: LifecycleRule[] };

  it.each([
    ["dev (no point-in-time window: as long as daily backups are kept)", () => dev, 7],
    ["production (7-day point-in-time window)", () => production, 7],
  ] as const)("%s expires noncurrent versions, removes expired delete markers and aborts stale uploads", (_s, get, days) => {
    const { bucket, rules: lifecycleRules } = lifecycle(get());
    expect(bucket).toBe(get().outputs.dataStoreName);
    for (const rule of lifecycleRules) expect(rule).toMatchObject({ status: "Enabled", filter: {} });
    const byId = Object.fromEntries(lifecycleRules.map((x) => [x.id, x]));
    expect(byId["expire-noncurrent-versions"].noncurrentVersionExpiration).toEqual({ noncurrentDays: days });
    expect(byId["remove-expired-delete-markers"].expiration).toEqual({ expiredObjectDeleteMarker: true });
    expect(byId["abort-incomplete-multipart-uploads"].abortIncompleteMultipartUpload).toEqual({ daysAfterInitiation: 7 });
    // Current versions never expire: the bucket is the data store.
    expect(lifecycleRules.filter((x) => x.expiration?.days !== undefined)).toEqual([]);
  });

  it("never expires a version the point-in-time window may still restore, whatever the windows", async () => {
    const longWindow = await runProgram({ stack: "production", set: ["platform:backup.continuousRetentionDays=35", "platform:backup.dailyRetentionDays=3"] });
    expect(longWindow.error).toBeUndefined();
    expect(lifecycle(longWindow).rules.find((x) => x.id === "expire-noncurrent-versions")!.noncurrentVersionExpiration).toEqual({ noncurrentDays: 35 });
    const longDaily = await runProgram({ stack: "dev", set: ["platform:backup.dailyRetentionDays=30"] });
    expect(lifecycle(longDaily).rules.find((x) => x.id === "expire-noncurrent-versions")!.noncurrentVersionExpiration).toEqual({ noncurrentDays: 30 });
  });
});

describe("children of retained buckets (issue 5: protections lost on destroy)", () => {
  const children = ["backup-data-encryption", "backup-data-public-access", "backup-data-ownership", "backup-data-policy", "backup-data-versioning", "backup-data-lifecycle", "lb-logs-encryption", "lb-logs-public-access", "lb-logs-ownership", "lb-logs-policy", "lb-logs-lifecycle"];

  it("are kept on delete with the bucket in production", () => {
    expect(named(production, "backup-data")).toMatchObject({ retainOnDelete: true });
    for (const name of children) expect({ name, retainOnDelete: named(production, name).retainOnDelete }).toEqual({ name, retainOnDelete: true });
  });

  it("stay destroyable in dev, where the bucket is destroyed too", () => {
    expect(named(dev, "backup-data")).toMatchObject({ retainOnDelete: false });
    for (const name of children) expect({ name, retainOnDelete: named(dev, name).retainOnDelete }).toEqual({ name, retainOnDelete: false });
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

  it("is force-destroyable (recovery points deleted with it) in dev only, whatever deletionProtection says", async () => {
    expect(named(dev, "backup-vault").inputs.forceDestroy).toBe(true);
    // Staging has deletionProtection false and still keeps its recovery points.
    expect(named(staging, "backup-vault").inputs.forceDestroy).toBe(false);
    const unprotected = await runProgram({ stack: "production", set: ["platform:deletionProtection=false", "platform:acceptRisks[0]=deletionProtection"] });
    expect(unprotected.error).toBeUndefined();
    for (const name of ["backup-vault", "backup-copy-vault"]) expect({ name, forceDestroy: named(unprotected, name).inputs.forceDestroy }).toEqual({ name, forceDestroy: false });
  });
});

describe("second-region copy (issue 5: it ignored the stack's aws: settings)", () => {
  it("uses the stack's own provider with a resource-level region: no second provider is registered", () => {
    expect(production.resources.filter((r) => r.type.startsWith("pulumi:providers:"))).toEqual([]);
    for (const name of ["backup-copy-key", "backup-copy-vault"]) {
      expect({ name, region: named(production, name).inputs.region }).toEqual({ name, region: "us-west-2" });
    }
  });

  it("keeps the logical names of the copy key and the copy vault that holds the copies", () => {
    expect(named(production, "backup-copy-vault")).toMatchObject({ type: "aws:backup/vault:Vault", protect: true, retainOnDelete: true });
    expect(named(production, "backup-copy-key")).toMatchObject({ type: "aws:kms/key:Key", protect: true, retainOnDelete: true });
  });

  it("is absent without a copy region, and nothing else in the stack names a region", () => {
    expect(dev.resources.some((r) => r.name.startsWith("backup-copy"))).toBe(false);
    for (const r of [dev, production]) {
      const regional = r.resources.filter((x) => x.inputs.region !== undefined).map((x) => x.name);
      expect(regional.sort()).toEqual(r === production ? ["backup-copy-key", "backup-copy-vault"] : []);
    }
  });
});

describe("partition (issue 5: managed-policy ARNs were hard-coded arn:aws:)", () => {
  it("attaches the AWS managed backup policies of the partition the account is in", async () => {
    const gov = await runProgram({ stack: "dev", account: { partition: "aws-us-gov" } });
    expect(gov.error).toBeUndefined();
    const attached = ofType(gov, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.name.startsWith("backup-"))
      .map((a) => String(a.inputs.policyArn));
    expect(attached.sort()).toEqual([
      "arn:aws-us-gov:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
      "arn:aws-us-gov:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
      "arn:aws-us-gov:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws-us-gov:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
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

describe("monthly restore test validation (issue 5: say what it checks; validate if you can)", () => {
  type Statement = { Sid: string; Action: string | string[]; Resource: string; Condition?: Record<string, Record<string, string>> };

  it("writes a canary object into the data bucket that the validation reads back from the restored copy", () => {
    for (const r of [staging, production]) {
      const canary = named(r, "backup-data-restore-canary");
      expect(canary.inputs).toMatchObject({ bucket: r.outputs.dataStoreName, key: restoreCanaryKey, content: restoreCanaryContent("platform", r.stack) });
      const env = (named(r, "backup-restore-validation").inputs.environment as { variables: Record<string, string> }).variables;
      expect(env).toMatchObject({ CANARY_KEY: canary.inputs.key, CANARY_CONTENT: canary.inputs.content, METRIC_DIMENSION_VALUE: named(r, "backup-restore-test").inputs.name });
    }
    expect(dev.resources.some((x) => x.name.startsWith("backup-restore-validation") || x.name === "backup-data-restore-canary")).toBe(false);
  });

  it("gives the validation a day to report; then AWS Backup deletes the restored copy", () => {
    expect(named(production, "backup-restore-test-data").inputs.validationWindowHours).toBe(24);
  });

  it("runs a Node.js Lambda on the restore jobs of this plan that ended (EventBridge), and nothing else", () => {
    const fn = named(production, "backup-restore-validation").inputs;
    expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "index.handler", code: { __pulumiArchive: true } });
    const rule = named(production, "backup-restore-validation-rule").inputs;
    expect(JSON.parse(String(rule.eventPattern))).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Restore Job State Change"],
      detail: { restoreTestingPlanArn: [expect.stringContaining(String(named(production, "backup-restore-test").inputs.name))], status: ["COMPLETED", "FAILED", "ABORTED"] },
    });
    expect(named(production, "backup-restore-validation-target").inputs).toEqual({ rule: rule.name, arn: expect.stringContaining(`function/${fn.name}`) });
    expect(named(production, "backup-restore-validation-invoke").inputs).toMatchObject({ principal: "events.amazonaws.com", function: fn.name, sourceArn: expect.stringContaining(String(rule.name)) });
  });

  it("holds least privilege: its log group, the canary key only, the platform key only through S3, one metric namespace", () => {
    const statements = JSON.parse(String(named(production, "backup-restore-validation-policy").inputs.policy)).Statement as Statement[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual(["DecryptThroughS3", "DescribeRestoredDatabase", "FailureMetric", "OwnLogs", "ReadCanaryOnly", "ReportValidation"]);
    // The restored instance's identifier is AWS Backup's choice: this account's instances in the region, read only.
    expect(bySid.DescribeRestoredDatabase).toEqual({ Sid: "DescribeRestoredDatabase", Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: "arn:aws:rds:us-east-1:123456789012:db:*" });
    expect(bySid.OwnLogs).toMatchObject({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:us-east-1:123456789012:log-group:${named(production, "backup-restore-validation-logs").inputs.name}:*` });
    expect(bySid.ReadCanaryOnly).toEqual({ Sid: "ReadCanaryOnly", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::*/${restoreCanaryKey}`, Condition: { StringEquals: { "s3:ResourceAccount": "123456789012" } } });
    expect(bySid.DecryptThroughS3).toMatchObject({ Action: "kms:Decrypt", Resource: keyArn(production), Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } } });
    expect(bySid.FailureMetric).toMatchObject({ Action: "cloudwatch:PutMetricData", Condition: { StringEquals: { "cloudwatch:namespace": "Platform/RestoreTests" } } });
    expect(bySid.ReportValidation).toMatchObject({ Action: "backup:PutRestoreValidationResult" });
    expect(JSON.parse(String(named(production, "backup-restore-validation-role").inputs.assumeRolePolicy)).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  it("may read no DB instance where the stack has no database", async () => {
    const r = await runProgram({ stack: "staging", set: ["platform:database.enabled=false"] });
    expect(r.error).toBeUndefined();
    const statements = JSON.parse(String(named(r, "backup-restore-validation-policy").inputs.policy)).Statement as Statement[];
    expect(statements.map((x) => x.Sid)).not.toContain("DescribeRestoredDatabase");
    expect([statements.map((x) => x.Action)].flat(2).some((a) => String(a).startsWith("rds:"))).toBe(false);
  });

  it("tells the validation which key a restored database must be encrypted with", () => {
    const env = (named(production, "backup-restore-validation").inputs.environment as { variables: Record<string, string> }).variables;
    expect(env.KMS_KEY_ARN).toBe(keyArn(production));
  });

  describe("the handler", () => {
    const env = {
      CANARY_KEY: restoreCanaryKey,
      CANARY_CONTENT: restoreCanaryContent("platform", "production"),
      METRIC_NAMESPACE: "Platform/RestoreTests",
      METRIC_NAME: "RestoreTestFailed",
      METRIC_DIMENSION: "RestoreTestingPlan",
      METRIC_DIMENSION_VALUE: "platform_production_monthly",
      KMS_KEY_ARN: "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555",
    };
    type DbInstance = Record<string, unknown>;

    /** Runs the shipped source against stand-ins of the SDK v3 clients the Lambda runtime provides. */
    function load(getObject: (input: { Bucket: string; Key: string }) => Promise<string>, describeDb: (input: { DBInstanceIdentifier: string }) => Promise<DbInstance[]> = async () => []) {
      const calls: { client: string; command: string; input: Record<string, unknown> }[] = [];
      const client = (name: string) =>
        class {
          async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
            calls.push({ client: name, command: command.constructor.name, input: command.input });
            if (command.constructor.name === "GetObjectCommand") {
              const body = await getObject(command.input as { Bucket: string; Key: string });
              return { Body: { transformToString: async () => body } };
            }
            if (command.constructor.name === "DescribeDBInstancesCommand") return { DBInstances: await describeDb(command.input as { DBInstanceIdentifier: string }) };
            return {};
          }
        };
      const command = (name: string) => ({ [name]: class { constructor(readonly input: Record<string, unknown>) {} } })[name];
      const modules: Record<string, Record<string, unknown>> = {
        "@aws-sdk/client-backup": { BackupClient: client("backup"), PutRestoreValidationResultCommand: command("PutRestoreValidationResultCommand") },
        "@aws-sdk/client-s3": { S3Client: client("s3"), GetObjectCommand: command("GetObjectCommand") },
        "@aws-sdk/client-cloudwatch": { CloudWatchClient: client("cloudwatch"), PutMetricDataCommand: command("PutMetricDataCommand") },
        "@aws-sdk/client-rds": { RDSClient: client("rds"), DescribeDBInstancesCommand: command("DescribeDBInstancesCommand") },
      };
      const module = { exports: {} as { handler: (event: unknown) => Promise<Record<string, unknown>> } };
      const quiet = { ...console, error: () => undefined, log: () => undefined };
      new Function("require", "module", "exports", "process", "console", restoreValidationHandler)((id: string) => modules[id], module, module.exports, { env }, quiet);
      return { handler: module.exports.handler, calls };
    }
    const event = (detail: Record<string, unknown>) => ({ source: "aws.backup", "detail-type": "Restore Job State Change", detail: { restoreJobId: "job-1", resourceType: "S3", ...detail } });
    const restored = { status: "COMPLETED", createdResourceArn: "arn:aws:s3:::awsbackup-restore-test-123456" };

    it("reports SUCCESSFUL when the restored bucket holds the canary as written, and records no failure", async () => {
      const { handler, calls } = load(async () => env.CANARY_CONTENT);
      await expect(handler(event(restored))).resolves.toMatchObject({ validation: "SUCCESSFUL" });
      expect(calls).toEqual([
        { client: "s3", command: "GetObjectCommand", input: { Bucket: "awsbackup-restore-test-123456", Key: restoreCanaryKey } },
        { client: "backup", command: "PutRestoreValidationResultCommand", input: expect.objectContaining({ RestoreJobId: "job-1", ValidationStatus: "SUCCESSFUL" }) },
      ]);
    });

    it.each([
      ["the canary differs", async () => "{}"],
      ["the canary is missing", async () => Promise.reject(Object.assign(new Error("gone"), { name: "NoSuchKey" }))],
      ["the copy cannot be read", async () => Promise.reject(Object.assign(new Error("denied"), { name: "AccessDenied" }))],
    ])("reports FAILED and records a failure when %s", async (_case, getObject) => {
      const { handler, calls } = load(getObject);
      await expect(handler(event(restored))).resolves.toMatchObject({ validation: "FAILED" });
      expect(calls.map((c) => c.command)).toEqual(["GetObjectCommand", "PutRestoreValidationResultCommand", "PutMetricDataCommand"]);
      expect(calls[1].input).toMatchObject({ ValidationStatus: "FAILED", ValidationStatusMessage: expect.stringContaining(restoreCanaryKey) });
      expect(calls[2].input).toEqual({
        Namespace: "Platform/RestoreTests",
        MetricData: [{ MetricName: "RestoreTestFailed", Dimensions: [{ Name: "RestoreTestingPlan", Value: "platform_production_monthly" }], Value: 1, Unit: "Count" }],
      });
    });

    describe("for a restored database", () => {
      const restoredDb = { status: "COMPLETED", resourceType: "RDS", createdResourceArn: "arn:aws:rds:us-east-1:123456789012:db:awsbackup-restore-test-abc" };
      const healthy: DbInstance = { DBInstanceIdentifier: "awsbackup-restore-test-abc", DBInstanceStatus: "available", Engine: "postgres", StorageEncrypted: true, KmsKeyId: env.KMS_KEY_ARN, PubliclyAccessible: false };

      it("reports SUCCESSFUL when RDS says the copy is available, private and encrypted with the platform key, without reading any bucket", async () => {
        const { handler, calls } = load(async () => Promise.reject(new Error("no bucket here")), async () => [healthy]);
        await expect(handler(event(restoredDb))).resolves.toMatchObject({ validation: "SUCCESSFUL" });
        expect(calls).toEqual([
          { client: "rds", command: "DescribeDBInstancesCommand", input: { DBInstanceIdentifier: restoredDb.createdResourceArn } },
          { client: "backup", command: "PutRestoreValidationResultCommand", input: expect.objectContaining({ RestoreJobId: "job-1", ValidationStatus: "SUCCESSFUL" }) },
        ]);
      });

      it.each([
        ["not available", { DBInstanceStatus: "incompatible-restore" }, "status incompatible-restore"],
        ["encrypted with another key", { KmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/other" }, "not encrypted with the platform key"],
        ["not encrypted", { StorageEncrypted: false }, "not encrypted with the platform key"],
        ["publicly accessible", { PubliclyAccessible: true }, "publicly accessible"],
        ["another engine", { Engine: "mysql" }, "engine mysql"],
      ])("reports FAILED and records a failure when the copy is %s", async (_case, change, reason) => {
        const { handler, calls } = load(async () => "", async () => [{ ...healthy, ...change }]);
        await expect(handler(event(restoredDb))).resolves.toMatchObject({ validation: "FAILED", message: expect.stringContaining(reason) });
        expect(calls.map((c) => c.command)).toEqual(["DescribeDBInstancesCommand", "PutRestoreValidationResultCommand", "PutMetricDataCommand"]);
      });

      it("reports FAILED when the copy cannot be described or the job names none", async () => {
        const denied = load(async () => "", async () => Promise.reject(Object.assign(new Error("denied"), { name: "AccessDenied" })));
        await expect(denied.handler(event(restoredDb))).resolves.toMatchObject({ validation: "FAILED", message: expect.stringContaining("AccessDenied") });
        const missing = load(async () => "", async () => []);
        await expect(missing.handler(event(restoredDb))).resolves.toMatchObject({ validation: "FAILED", message: expect.stringContaining("not found") });
        const none = load(async () => "", async () => [healthy]);
        await expect(none.handler(event({ ...restoredDb, createdResourceArn: undefined }))).resolves.toMatchObject({ validation: "FAILED" });
        expect(none.calls.map((c) => c.command)).toEqual(["PutRestoreValidationResultCommand", "PutMetricDataCommand"]);
      });
    });

    it("records a failure, and validates nothing, when the restore job itself failed or was aborted", async () => {
      for (const status of ["FAILED", "ABORTED"]) {
        const { handler, calls } = load(async () => env.CANARY_CONTENT);
        await handler(event({ status, statusMessage: "Access denied to KMS key" }));
        expect(calls.map((c) => c.command)).toEqual(["PutMetricDataCommand"]);
      }
    });
  });
});
