// The platform's data store (an S3 bucket the services use) and the AWS Backup vault, plan and
// selection that protect it. Production adds point-in-time recovery and a copy in a second region.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { DataStoreOutputs, SecretsStoreOutputs } from "../model";
import { child, stateful, tags } from "./options";
import { privateBucket } from "./privateBucket";

/** AWS Backup schedules (UTC): daily 05:00, weekly Sunday, monthly on the 1st. */
const schedules = { daily: "cron(0 5 ? * * *)", weekly: "cron(0 5 ? * SUN *)", monthly: "cron(0 5 1 * ? *)" };

export function backupVault(ctx: BlockContext, deps: { secrets: SecretsStoreOutputs }): DataStoreOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const keep = spec.deletionProtection;
  const { bucket } = privateBucket(ctx, "data", { kmsKeyId: deps.secrets.encryptionKeyId });
  // AWS Backup protects S3 only when versioning is on.
  new aws.s3.BucketVersioning(`${n}-data-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child(ctx));

  const vault = new aws.backup.Vault(
    `${n}-vault`,
    { name: names.name("awsBackupName", "vault"), kmsKeyArn: deps.secrets.encryptionKeyId, forceDestroy: !keep, tags: tags(ctx) },
    stateful(ctx),
  );

  let copyVaultArn: pulumi.Output<string> | undefined;
  if (spec.backup.copyRegion) {
    // KMS keys are regional: the copy vault needs its own key in the second region.
    const copyProvider = new aws.Provider(`${n}-copy-region`, { region: spec.backup.copyRegion as aws.Region }, child(ctx));
    const copyKey = new aws.kms.Key(
      `${n}-copy-key`,
      { description: `${spec.project}/${spec.stack}: backup copies`, enableKeyRotation: true, deletionWindowInDays: 30, tags: tags(ctx) },
      stateful(ctx, { provider: copyProvider }),
    );
    const copyVault = new aws.backup.Vault(
      `${n}-copy-vault`,
      { name: names.name("awsBackupName", "vault-copy"), kmsKeyArn: copyKey.arn, forceDestroy: !keep, tags: tags(ctx) },
      stateful(ctx, { provider: copyProvider }),
    );
    copyVaultArn = copyVault.arn;
  }

  const b = spec.backup;
  const rule = (ruleName: string, schedule: string, deleteAfterDays: number) => ({
    ruleName: names.name("awsBackupName", ruleName),
    targetVaultName: vault.name,
    schedule,
    startWindow: 60,
    completionWindow: 360,
    lifecycle: { deleteAfter: deleteAfterDays },
    copyActions: copyVaultArn ? [{ destinationVaultArn: copyVaultArn, lifecycle: { deleteAfter: deleteAfterDays } }] : undefined,
    recoveryPointTags: tags(ctx),
  });
  const rules = [rule("daily", schedules.daily, b.dailyRetentionDays)];
  if (b.weeklyRetentionWeeks) rules.push(rule("weekly", schedules.weekly, b.weeklyRetentionWeeks * 7));
  if (b.monthlyRetentionMonths) rules.push(rule("monthly", schedules.monthly, Math.ceil(b.monthlyRetentionMonths * 30.5)));
  if (b.continuousRetentionDays) {
    // Continuous backup gives point-in-time restore (RPO well under 1 h); AWS keeps it at most 35 days.
    rules.push({ ...rule("continuous", schedules.daily, b.continuousRetentionDays), copyActions: undefined, enableContinuousBackup: true } as ReturnType<typeof rule>);
  }
  const plan = new aws.backup.Plan(`${n}-plan`, { name: names.name("awsBackupName", "plan"), rules, tags: tags(ctx) }, child(ctx));

  const role = new aws.iam.Role(
    `${n}-role`,
    {
      name: names.name("awsIamRole", "backup"),
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: tags(ctx),
    },
    child(ctx),
  );
  const managedPolicies = {
    backup: "service-role/AWSBackupServiceRolePolicyForBackup",
    restore: "service-role/AWSBackupServiceRolePolicyForRestores",
    "s3-backup": "AWSBackupServiceRolePolicyForS3Backup",
    "s3-restore": "AWSBackupServiceRolePolicyForS3Restore",
  };
  const attachments = Object.entries(managedPolicies).map(
    ([key, policy]) =>
      new aws.iam.RolePolicyAttachment(`${n}-role-${key}`, { role: role.name, policyArn: pulumi.interpolate`arn:aws:iam::aws:policy/${policy}` }, child(ctx)),
  );
  new aws.backup.Selection(
    `${n}-selection`,
    { name: names.name("awsBackupName", "data"), planId: plan.id, iamRoleArn: role.arn, resources: [bucket.arn] },
    child(ctx, { dependsOn: attachments }),
  );

  if (b.monthlyRestoreTest) {
    // Seeds 001/004: restores are tested monthly. AWS Backup restores the latest snapshot into a
    // scratch bucket the day after the monthly backup, reports the result, then deletes it.
    const restoreTest = new aws.backup.RestoreTestingPlan(
      `${n}-restore-test`,
      {
        name: names.name("awsRestoreTestingName", "monthly"),
        scheduleExpression: "cron(0 6 2 * ? *)",
        startWindowHours: 24,
        recoveryPointSelection: { algorithm: "LATEST_WITHIN_WINDOW", includeVaults: [vault.arn], recoveryPointTypes: ["SNAPSHOT"], selectionWindowDays: 7 },
        tags: tags(ctx),
      },
      child(ctx),
    );
    new aws.backup.RestoreTestingSelection(
      `${n}-restore-test-data`,
      {
        name: names.name("awsRestoreTestingName", "data"),
        restoreTestingPlanName: restoreTest.name,
        protectedResourceType: "S3",
        protectedResourceArns: [bucket.arn],
        iamRoleArn: role.arn,
      },
      child(ctx, { dependsOn: attachments }),
    );
  }

  return { dataStoreName: bucket.bucket, dataStoreId: bucket.arn, backupVaultName: vault.name };
}
