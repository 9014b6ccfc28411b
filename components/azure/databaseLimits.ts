// The Azure Database for PostgreSQL flexible server side of the neutral database spec: which majors it
// runs, what the neutral sizes become, the storage sizes it offers and what it refuses that a mock
// accepts. No SDK import: config validation runs it before any provider is loaded.
import type { DatabaseSize, DatabaseSpec, PlatformSpec, SpecProblem } from "../model";

/**
 * Majors a new server can start on: the API's PostgresMajorVersion values of @pulumi/azure-native 3.28
 * (API 2025-08-01) that the PostgreSQL community still supports. 11 and 12 reached their community end
 * of life on November 9, 2023 and November 21, 2024 (postgresql.org, "Versioning Policy").
 */
export const flexibleServerMajorVersions = ["13", "14", "15", "16", "17", "18"] as const;
const endOfLife: Record<string, string> = { "11": "November 9, 2023", "12": "November 21, 2024" };

export interface FlexibleServerSku {
  name: string;
  tier: "Burstable" | "GeneralPurpose" | "MemoryOptimized";
  vcpu: number;
  memoryGiB: number;
  /** The default max_connections of the SKU ("Limits in Azure Database for PostgreSQL flexible server", maximum connections). */
  maxConnections: number;
}

/**
 * Neutral size -> compute. small is burstable where it runs alone; high availability is not offered
 * on the Burstable tier ("High availability in Azure Database for PostgreSQL flexible server":
 * "not supported in the Burstable tier"), so a small database with a standby runs the smallest
 * general-purpose SKU. medium matches seed 004's database plan (2 vCPU, 8 GiB).
 */
export function flexibleServerSku(size: DatabaseSize, highAvailability: boolean): FlexibleServerSku {
  if (size === "small" && !highAvailability) return { name: "Standard_B2s", tier: "Burstable", vcpu: 2, memoryGiB: 4, maxConnections: 429 };
  const generalPurpose: Record<DatabaseSize, FlexibleServerSku> = {
    small: { name: "Standard_D2ds_v5", tier: "GeneralPurpose", vcpu: 2, memoryGiB: 8, maxConnections: 859 },
    medium: { name: "Standard_D2ds_v5", tier: "GeneralPurpose", vcpu: 2, memoryGiB: 8, maxConnections: 859 },
    large: { name: "Standard_D4ds_v5", tier: "GeneralPurpose", vcpu: 4, memoryGiB: 16, maxConnections: 1719 },
    xlarge: { name: "Standard_D8ds_v5", tier: "GeneralPurpose", vcpu: 8, memoryGiB: 32, maxConnections: 3438 },
  };
  return generalPurpose[size];
}

/**
 * Premium SSD sizes a flexible server is created with, in GiB ("Storage options in Azure Database for
 * PostgreSQL flexible server": 32 GiB to 32 TiB).
 */
export const flexibleServerStorageGb = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767] as const;

/** The smallest offered size that holds `storageGb`; undefined above the largest. */
export function flexibleServerStorage(storageGb: number): number | undefined {
  return flexibleServerStorageGb.find((size) => size >= storageGb);
}

/** Point-in-time restore window of a flexible server: 7 to 35 days (backup retention). */
export const flexibleServerBackupRetentionDays = { min: 7, max: 35 } as const;

export function flexibleServerRetentionDays(db: DatabaseSpec): number {
  return Math.min(flexibleServerBackupRetentionDays.max, Math.max(flexibleServerBackupRetentionDays.min, db.pointInTimeRecoveryDays));
}

export function azureDatabaseProblems(spec: PlatformSpec): SpecProblem[] {
  const db = spec.database;
  if (!db) return [];
  const problems: SpecProblem[] = [];
  if (!(flexibleServerMajorVersions as readonly string[]).includes(db.version)) {
    const ended = endOfLife[db.version];
    problems.push({
      key: "database.version",
      value: db.version,
      message: ended
        ? `PostgreSQL ${db.version} reached its community end of life on ${ended}; Azure Database for PostgreSQL flexible server runs it only under extended support: use ${flexibleServerMajorVersions.join(", ")}`
        : `Azure Database for PostgreSQL flexible server runs majors ${flexibleServerMajorVersions.join(", ")}`,
    });
  }
  const storage = flexibleServerStorage(db.storageGb);
  if (storage === undefined) {
    problems.push({ key: "database.storageGb", value: db.storageGb, message: `Azure Database for PostgreSQL flexible server offers at most ${flexibleServerStorageGb[flexibleServerStorageGb.length - 1]} GiB` });
  } else if (storage !== db.storageGb) {
    problems.push({
      key: "database.storageGb",
      value: db.storageGb,
      severity: "warning",
      message: `Azure Database for PostgreSQL flexible server offers ${flexibleServerStorageGb.join(", ")} GiB: the server gets ${storage} GiB`,
    });
  }
  if (db.maxStorageGb > db.storageGb) {
    problems.push({
      key: "database.maxStorageGb",
      value: db.maxStorageGb,
      severity: "warning",
      message: `Azure Database for PostgreSQL flexible server grows its storage on its own (storage autogrow, on here) to the next size whenever free space runs low, without a ceiling: ${db.maxStorageGb} GiB is not enforced on Azure; the free-storage alarms fire before each growth`,
    });
  }
  const retention = flexibleServerRetentionDays(db);
  if (retention !== db.pointInTimeRecoveryDays) {
    problems.push({
      key: "database.pointInTimeRecoveryDays",
      value: db.pointInTimeRecoveryDays,
      severity: "warning",
      message: `Azure Database for PostgreSQL flexible server keeps point-in-time backups ${flexibleServerBackupRetentionDays.min} to ${flexibleServerBackupRetentionDays.max} days: the server keeps ${retention}`,
    });
  }
  return problems;
}
