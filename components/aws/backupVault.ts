// The platform's data stores (an S3 bucket for files and, where the spec has one, the PostgreSQL
// database) and the AWS Backup vault, plan and selections that protect both. Production adds
// point-in-time recovery and a copy in a second region.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { BackupSpec, DataStoreOutputs, NetworkOutputs, SecretsStoreOutputs } from "../model";
import { database } from "./database";
import { databaseNames } from "./databaseNames";
import { callerArnParts, child, keptWith, stateful, tags } from "./options";
import { privateBucket } from "./privateBucket";
import { restoreCanaryContent, restoreCanaryKey, restoreTestNames, restoreValidation } from "./restoreValidation";
import { dataStoreUrl } from "./serviceEnv";

/** AWS Backup schedules (UTC): daily 05:00, weekly Sunday, monthly on the 1st. */
const schedules = { daily: "cron(0 5 ? * * *)", weekly: "cron(0 5 ? * SUN *)", monthly: "cron(0 5 1 * ? *)" };

/** Time the validation has to report before AWS Backup deletes the restored copy anyway. */
export const restoreValidationWindowHours = 24;

/** Parts that never finish are billed as storage until aborted; a week covers any real upload. */
const abortIncompleteUploadsAfterDays = 7;

/**
 * How long an overwritten or deleted object's old version stays in the bucket. AWS Backup backs up
 * every unexpired version, so versions kept forever are paid for in the bucket and in every backup
 * (AWS Backup developer guide, "Amazon S3 backups": "set a lifecycle expiration period for your S3
 * versions"). Never shorter than the point-in-time window, so any point it offers still has the
 * versions that were current then; without one, as long as the daily backups are kept, so the
 * bucket itself can undo an overwrite for as long as a backup could.
 */
export function noncurrentVersionDays(backup: BackupSpec): number {
  return Math.max(backup.continuousRetentionDays ?? 0, backup.dailyRetentionDays);
}

function dataLifecycleRules(backup: BackupSpec): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  return [
    { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: noncurrentVersionDays(backup) } },
    // A delete marker whose versions have all expired hides nothing and only costs list requests.
    { id: "remove-expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
    { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: abortIncompleteUploadsAfterDays } },
  ];
}

export function backupVault(ctx: BlockContext, deps: { secrets: SecretsStoreOutputs; network: NetworkOutputs }): DataStoreOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  // Force-destroy deletes the recovery points with the vault: only a dev stack may lose them.
  const forceDestroyVaults = spec.environment === "dev";
  const { partition } = callerArnParts(ctx);
  const { bucket } = privateBucket(ctx, "data", { kmsKeyId: deps.secrets.encryptionKeyId });
  // AWS Backup protects S3 only when versioning is on.
  const versioning = new aws.s3.BucketVersioning(`${n}-data-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, keptWith(ctx));
  new aws.s3.BucketLifecycleConfiguration(
    `${n}-data-lifecycle`,
    { bucket: bucket.id, rules: dataLifecycleRules(spec.backup) },
    // Noncurrent-version rules mean nothing before versioning is on.
    keptWith(ctx, { dependsOn: [versioning] }),
  );

  // The continuous rule below covers the database too: AWS Backup then owns its automated backups.
  const db = spec.database
    ? database(ctx, spec.database, { network: deps.network, secrets: deps.secrets, continuousBackup: spec.backup.continuousRetentionDays !== undefined })
    : undefined;

  const vault = new aws.backup.Vault(
    `${n}-vault`,
    { name: names.name("awsBackupName", "vault"), kmsKeyArn: deps.secrets.encryptionKeyId, forceDestroy: forceDestroyVaults, tags: tags(ctx) },
    stateful(ctx),
  );

  let copyVaultArn: pulumi.Output<string> | undefined;
  if (spec.backup.copyRegion) {
    // KMS keys are regional: the copy vault needs its own key in the second region. The
    // resource-level region (provider v7) keeps the stack's own provider, so its profile, assumed
    // role, allowed accounts and default tags apply to the copy as well.
    const region = spec.backup.copyRegion;
    const copyKey = new aws.kms.Key(
      `${n}-copy-key`,
      { region, description: `${spec.project}/${spec.stack}: backup copies`, enableKeyRotation: true, deletionWindowInDays: 30, tags: tags(ctx) },
      stateful(ctx),
    );
    const copyVault = new aws.backup.Vault(
      `${n}-copy-vault`,
      { region, name: names.name("awsBackupName", "vault-copy"), kmsKeyArn: copyKey.arn, forceDestroy: forceDestroyVaults, tags: tags(ctx) },
      stateful(ctx),
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
    // For the database it is RDS's own point-in-time recovery, managed by AWS Backup (one recovery
    // point per instance; the daily, weekly and monthly snapshots and their copies stay separate).
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
  // AWS managed policies live in the partition's own `aws` account (arn:aws-us-gov:iam::aws:policy/...).
  const attachments = Object.entries(managedPolicies).map(
    ([key, policy]) =>
      new aws.iam.RolePolicyAttachment(`${n}-role-${key}`, { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` }, child(ctx)),
  );
  new aws.backup.Selection(
    `${n}-selection`,
    { name: names.name("awsBackupName", "data"), planId: plan.id, iamRoleArn: role.arn, resources: [bucket.arn] },
    child(ctx, { dependsOn: attachments }),
  );
  // A selection of its own: every field of a selection forces a new one, so the bucket's stays as it
  // is whether or not the stack has a database. Same plan: the same rules, continuous backup and copy.
  if (db) {
    new aws.backup.Selection(
      `${n}-selection-database`,
      { name: names.name("awsBackupName", "database"), planId: plan.id, iamRoleArn: role.arn, resources: [db.arn] },
      child(ctx, { dependsOn: attachments }),
    );
  }

  if (b.monthlyRestoreTest) {
    // The object the validation reads back from each restored copy; in every backup after the first.
    new aws.s3.BucketObjectv2(
      `${n}-data-restore-canary`,
      { bucket: bucket.id, key: restoreCanaryKey, content: restoreCanaryContent(spec.project, spec.stack), contentType: "application/json", tags: tags(ctx) },
      keptWith(ctx, { dependsOn: [versioning] }),
    );
    // Seeds 001/004: restores are tested monthly. AWS Backup restores the latest snapshot into a
    // scratch bucket the day after the monthly backup; the validation reports on it, then AWS
    // Backup deletes the copy (README: monthly restore test).
    const restoreTest = new aws.backup.RestoreTestingPlan(
      `${n}-restore-test`,
      {
        name: restoreTestNames(names).planName,
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
        // The copy lives until the validation reports, at most this long; then AWS Backup deletes it.
        validationWindowHours: restoreValidationWindowHours,
      },
      child(ctx, { dependsOn: attachments }),
    );
    if (db && spec.database) {
      // The latest database snapshot restored into a scratch instance in the private subnets, behind a
      // security group that admits nothing: the validation only asks RDS about it. Restore testing
      // would otherwise infer the default VPC, which an account may not have (AWS Backup developer
      // guide, "Restore testing inferred metadata").
      const restoreTestSg = new aws.ec2.SecurityGroup(
        `${n}-db-restore-test-sg`,
        {
          name: databaseNames(names, spec.database.version).restoreTestSecurityGroup,
          description: "Databases restored by the monthly restore test: no access",
          vpcId: deps.network.networkId,
          tags: tags(ctx),
        },
        child(ctx),
      );
      new aws.backup.RestoreTestingSelection(
        `${n}-restore-test-database`,
        {
          name: names.name("awsRestoreTestingName", "database"),
          restoreTestingPlanName: restoreTest.name,
          protectedResourceType: "RDS",
          protectedResourceArns: [db.arn],
          iamRoleArn: role.arn,
          validationWindowHours: restoreValidationWindowHours,
          restoreMetadataOverrides: {
            dbSubnetGroupName: db.subnetGroupName,
            vpcSecurityGroupIds: pulumi.jsonStringify([restoreTestSg.id]),
            multiAz: "false",
            publiclyAccessible: "false",
          },
        },
        child(ctx, { dependsOn: attachments }),
      );
    }
    restoreValidation(ctx, { restoreTestingPlanArn: restoreTest.arn, keyArn: deps.secrets.encryptionKeyId });
  }

  return { dataStoreName: bucket.bucket, dataStoreUrl: bucket.bucket.apply(dataStoreUrl), dataStoreId: bucket.arn, backupVaultName: vault.name, database: db?.outputs, databaseMetricsId: db?.outputs.instanceId };
}
