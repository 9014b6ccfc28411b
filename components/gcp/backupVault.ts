// The data block on GCP: the data bucket (versioning, soft delete and a copy in the copy region), and
// the database in a Backup and DR vault: a plan with the spec's daily, weekly and monthly rules, the
// vault's minimum enforced retention (nobody can delete a backup earlier: the daily retention where
// data is protected, a day in dev so that it stays destroyable), and the association with the instance.
import * as backupdr from "@pulumi/gcp/backupdisasterrecovery";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { DataStoreOutputs, NetworkOutputs, SecretsStoreOutputs } from "../model";
import { database } from "./database";
import { databaseCopy } from "./databaseCopy";
import { dataBucket } from "./dataBucket";
import { databaseDailyDays, pointInTimeDays } from "./limits";
import { type GcpStack, child, labels, stateful } from "./options";

const day = 86400;
const cloudSqlResourceType = "sqladmin.googleapis.com/Instance";
/** Seed 004: backups at 02:00 in Tokyo. */
export const backupTimeZone = "Asia/Tokyo";

/** Days nobody can delete a backup before: the daily retention where the spec protects data, one day otherwise. */
export const vaultMinimumRetentionDays = (ctx: BlockContext): number => (ctx.spec.deletionProtection ? ctx.spec.backup.dailyRetentionDays : 1);

export function backupRules(ctx: BlockContext): backupdr.BackupPlanArgs["backupRules"] {
  const b = ctx.spec.backup;
  const window = { startHourOfDay: 2, endHourOfDay: 6 };
  return [
    // Longer than the point-in-time logs, which Backup and DR requires of a daily rule (limits.ts).
    { ruleId: "daily", backupRetentionDays: databaseDailyDays(ctx.spec), standardSchedule: { recurrenceType: "DAILY", timeZone: backupTimeZone, backupWindow: window } },
    ...(b.weeklyRetentionWeeks
      ? [{ ruleId: "weekly", backupRetentionDays: b.weeklyRetentionWeeks * 7, standardSchedule: { recurrenceType: "WEEKLY", daysOfWeeks: ["SUNDAY"], timeZone: backupTimeZone, backupWindow: window } }]
      : []),
    ...(b.monthlyRetentionMonths
      ? [{ ruleId: "monthly", backupRetentionDays: Math.ceil(b.monthlyRetentionMonths * 30.5), standardSchedule: { recurrenceType: "MONTHLY", daysOfMonths: [1], timeZone: backupTimeZone, backupWindow: window } }]
      : []),
  ];
}

export function backupVault(ctx: BlockContext, stack: GcpStack, deps: { secrets: SecretsStoreOutputs; network: NetworkOutputs }): DataStoreOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const project = stack.project;
  const data = dataBucket(ctx, stack, { secrets: deps.secrets });
  const dataStoreUrl = pulumi.interpolate`gs://${data.bucket.name}`;
  if (!spec.database) {
    // Nothing for a vault to protect: the bucket's versions, soft delete and copy are its protection.
    return { dataStoreName: data.bucket.name, dataStoreUrl, dataStoreId: data.bucket.name, backupVaultName: (data.copyBucket ?? data.bucket).name };
  }
  const db = database(ctx, stack, spec.database, { ...deps, copyKeyId: data.copyKeyId });
  if (data.copyBucket) databaseCopy(ctx, stack, { instance: db.instance, databaseName: spec.database.databaseName, copyBucket: data.copyBucket, timeZone: backupTimeZone });
  const vault = new backupdr.BackupVault(
    `${n}-vault`,
    {
      backupVaultId: names.name("gcpBackupDrId", "vault"),
      location: spec.region,
      project,
      backupMinimumEnforcedRetentionDuration: `${vaultMinimumRetentionDays(ctx) * day}s`,
      // Only this project's resources back up into it.
      accessRestriction: "WITHIN_PROJECT",
      // Dev can be destroyed while the vault still holds the (expired) backups of a deleted instance.
      ignoreInactiveDatasources: !spec.deletionProtection,
      ignoreBackupPlanReferences: !spec.deletionProtection,
      description: `${spec.project}/${spec.stack}: database backups`,
      labels: labels(ctx),
    },
    stateful(ctx, stack),
  );
  const plan = new backupdr.BackupPlan(
    `${n}-plan`,
    {
      backupPlanId: names.name("gcpBackupDrId", "database"),
      location: spec.region,
      project,
      resourceType: cloudSqlResourceType,
      backupVault: vault.id,
      // The logs for point-in-time recovery, kept for less time than the daily rule (limits.ts).
      logRetentionDays: pointInTimeDays(spec),
      backupRules: backupRules(ctx),
      description: `${spec.project}/${spec.stack}: daily, weekly and monthly backups of the database`,
    },
    child(ctx, stack),
  );
  new backupdr.BackupPlanAssociation(
    `${n}-plan-association`,
    {
      backupPlanAssociationId: names.name("gcpBackupDrId", "database"),
      location: spec.region,
      project,
      resourceType: cloudSqlResourceType,
      // The instance as Backup and DR names it, not its self link.
      resource: pulumi.interpolate`projects/${project}/instances/${db.instance.name}`,
      backupPlan: plan.id,
    },
    child(ctx, stack, { dependsOn: [db.instance] }),
  );
  return {
    dataStoreName: data.bucket.name,
    dataStoreUrl,
    dataStoreId: data.bucket.name,
    backupVaultName: vault.backupVaultId,
    databaseMetricsId: db.metricsId,
    database: db.outputs,
  };
}
