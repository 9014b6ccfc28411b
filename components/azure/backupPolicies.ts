// The Azure Backup policies of the backup vault, as plain data from the neutral backup spec: one
// policy per datasource type (a policy serves one: "Azure Backup vault policies"), each a daily
// backup into the vault store tagged Weekly on the first backup of the week and Monthly on the first
// of the month, kept by retention rule per tag (seed 004: daily 7 d, weekly 4 w, monthly 12 m). No SDK
// import: the rules are shown and tested as they are sent.
import { shortHash } from "../naming";
import type { BackupSpec } from "../model";

export const datasourceTypes = {
  blob: "Microsoft.Storage/storageAccounts/blobServices",
  postgres: "Microsoft.DBforPostgreSQL/flexibleServers",
} as const;
export type BackupSource = keyof typeof datasourceTypes;

/** Daily at 05:00 UTC, as on the other clouds; the database's maintenance window ends at 03:00. */
export const backupSchedule = "R/2025-01-05T05:00:00+00:00/P1D";

const vaultStore = { dataStoreType: "VaultStore", objectType: "DataStoreInfoBase" } as const;

interface Tagging {
  tag: "Default" | "Weekly" | "Monthly";
  priority: number;
  absolute?: "FirstOfWeek" | "FirstOfMonth";
  duration: string;
}

/** Retention per tag: ISO 8601 durations as the vault takes them. */
export function retentionTags(backup: BackupSpec): Tagging[] {
  const tags: Tagging[] = [{ tag: "Default", priority: 99, duration: `P${backup.dailyRetentionDays}D` }];
  // The lower priority number wins when a backup matches two criteria (the first of a month on a Sunday).
  if (backup.monthlyRetentionMonths) tags.push({ tag: "Monthly", priority: 15, absolute: "FirstOfMonth", duration: `P${backup.monthlyRetentionMonths}M` });
  if (backup.weeklyRetentionWeeks) tags.push({ tag: "Weekly", priority: 20, absolute: "FirstOfWeek", duration: `P${backup.weeklyRetentionWeeks}W` });
  return tags;
}

export function backupPolicyProperties(source: BackupSource, backup: BackupSpec) {
  const tags = retentionTags(backup);
  return {
    objectType: "BackupPolicy" as const,
    datasourceTypes: [datasourceTypes[source]],
    policyRules: [
      {
        name: "BackupDaily",
        objectType: "AzureBackupRule" as const,
        dataStore: vaultStore,
        // Blobs are backed up as discrete snapshots, a flexible server as a full logical backup.
        backupParameters: { objectType: "AzureBackupParams" as const, backupType: source === "blob" ? "Discrete" : "Full" },
        trigger: {
          objectType: "ScheduleBasedTriggerContext" as const,
          schedule: { repeatingTimeIntervals: [backupSchedule], timeZone: "UTC" },
          taggingCriteria: tags.map((t) => ({
            isDefault: t.tag === "Default",
            taggingPriority: t.priority,
            tagInfo: { tagName: t.tag },
            criteria: t.absolute ? [{ objectType: "ScheduleBasedBackupCriteria" as const, absoluteCriteria: [t.absolute] }] : undefined,
          })),
        },
      },
      ...tags.map((t) => ({
        name: t.tag,
        objectType: "AzureRetentionRule" as const,
        isDefault: t.tag === "Default",
        lifecycles: [{ deleteAfter: { objectType: "AbsoluteDeleteOption" as const, duration: t.duration }, sourceDataStore: vaultStore }],
      })),
    ],
  };
}

/**
 * A policy's name carries a hash of its rules: a PostgreSQL policy cannot be changed once created
 * ("Create backup policies for Azure Database for PostgreSQL flexible server using REST API"), so a
 * change of retention is a new policy the instance moves to, and the old one is deleted after it.
 */
export function backupPolicyKey(source: BackupSource, backup: BackupSpec): string {
  return `${source}-${shortHash(JSON.stringify(retentionTags(backup)), 6)}`;
}
