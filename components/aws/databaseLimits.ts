// The RDS for PostgreSQL side of the neutral database spec: which major versions RDS runs, what the
// neutral sizes become, and what RDS refuses that a mock accepts. No SDK import: config validation
// runs it before any provider is loaded.
import type { DatabaseSize, PlatformSpec, SpecProblem } from "../model";

/**
 * Majors in RDS standard support (Amazon RDS for PostgreSQL Release Notes, "Release calendar for
 * Amazon RDS for PostgreSQL"; 18 is generally available on RDS). A new stack never starts on a major
 * that only runs in paid RDS Extended Support.
 */
export const rdsPostgresMajorVersions = ["14", "15", "16", "17", "18"] as const;

/** Majors past the RDS end of standard support, with that date: RDS runs them only in Extended Support. */
const extendedSupportOnly: Record<string, string> = { "11": "February 29, 2024", "12": "February 28, 2025", "13": "February 28, 2026" };

export interface RdsInstanceClass {
  instanceClass: string;
  vcpu: number;
  memoryGiB: number;
}

/**
 * Neutral size -> RDS instance class. Graviton classes run every major above; small is burstable
 * (dev and staging), the others general purpose. A Multi-AZ DB instance deployment (a synchronous
 * standby, not readable) restricts no class the way Multi-AZ DB clusters do (no burstable there);
 * what a region offers is `MultiAZCapable` in DescribeOrderableDBInstanceOptions. medium matches
 * seed 004's database plan (2 vCPU, 8 GiB, 50 GB).
 */
export const rdsInstanceClasses: Record<DatabaseSize, RdsInstanceClass> = {
  small: { instanceClass: "db.t4g.small", vcpu: 2, memoryGiB: 2 },
  medium: { instanceClass: "db.m7g.large", vcpu: 2, memoryGiB: 8 },
  large: { instanceClass: "db.m7g.xlarge", vcpu: 4, memoryGiB: 16 },
  xlarge: { instanceClass: "db.m7g.2xlarge", vcpu: 8, memoryGiB: 32 },
};

/**
 * The connection limit RDS gives the class: max_connections defaults to
 * LEAST({DBInstanceClassMemory/9531392}, 5000) (Amazon RDS user guide, "Quotas and constraints":
 * maximum number of database connections). DBInstanceClassMemory is the class's memory less what RDS
 * reserves; RDS publishes no figure, so 85% of the class's memory stands in for it (below what
 * instances report: 198 connections on a 2 GiB class, 856 on an 8 GiB one), so an alarm on a share
 * of it fires early rather than late.
 */
export function rdsMaxConnections(size: DatabaseSize): number {
  const memoryBytes = rdsInstanceClasses[size].memoryGiB * 2 ** 30;
  return Math.min(Math.floor((memoryBytes * 0.85) / 9531392), 5000);
}

export const rdsParameterGroupFamily = (version: string): string => `postgres${version}`;

/** gp3 for RDS for PostgreSQL: 20-65,536 GiB (Amazon RDS user guide, "Amazon RDS DB instance storage"). */
export const gp3StorageGb = { min: 20, max: 65536 } as const;

/**
 * "The maximum allocated storage must be increased by at least 10 percent" (CreateDBInstance,
 * InvalidParameterCombination): storage autoscaling needs a ceiling at least 10% above the allocation.
 */
export function minAutoscalingCeilingGb(storageGb: number): number {
  // In integers: 100 * 1.1 is 110.00000000000001 in floating point.
  return Math.ceil((storageGb * 11) / 10);
}

/**
 * Inbound rules per security group: 60 by default (Amazon VPC quotas, "Security groups"). The database's
 * security group admits each service by a rule of its own.
 */
export const securityGroupInboundRules = 60;

export function databaseProblems(spec: PlatformSpec): SpecProblem[] {
  const db = spec.database;
  if (!db) return [];
  const problems: SpecProblem[] = [];
  if (!(rdsPostgresMajorVersions as readonly string[]).includes(db.version)) {
    const ended = extendedSupportOnly[db.version];
    problems.push({
      key: "database.version",
      value: db.version,
      message: ended
        ? `PostgreSQL ${db.version} reached the RDS end of standard support on ${ended} and runs only in paid RDS Extended Support; use ${rdsPostgresMajorVersions.join(", ")}`
        : `RDS for PostgreSQL runs majors ${rdsPostgresMajorVersions.join(", ")} in standard support`,
    });
  }
  if (db.storageGb < gp3StorageGb.min || db.storageGb > gp3StorageGb.max) {
    problems.push({ key: "database.storageGb", value: db.storageGb, message: `RDS gp3 storage for PostgreSQL is ${gp3StorageGb.min}-${gp3StorageGb.max} GiB` });
  }
  const ceiling = minAutoscalingCeilingGb(db.storageGb);
  if (db.maxStorageGb > db.storageGb && db.maxStorageGb < ceiling) {
    problems.push({
      key: "database.maxStorageGb",
      value: db.maxStorageGb,
      message: `RDS storage autoscaling needs a ceiling at least 10% above the allocated ${db.storageGb} GiB: use ${ceiling} or more, or ${db.storageGb} for no automatic growth`,
    });
  } else if (db.maxStorageGb > gp3StorageGb.max) {
    problems.push({ key: "database.maxStorageGb", value: db.maxStorageGb, message: `RDS gp3 storage for PostgreSQL grows to at most ${gp3StorageGb.max} GiB` });
  }
  // AWS Backup's continuous rule takes over the instance's automated backups and sets their retention
  // to its own (AWS Backup developer guide, "Continuous backups and point-in-time recovery"): two
  // different windows would be one window the platform fights over on every `pulumi up`.
  const continuous = spec.backup.continuousRetentionDays;
  if (continuous !== undefined && continuous !== db.pointInTimeRecoveryDays) {
    problems.push({
      key: "database.pointInTimeRecoveryDays",
      value: db.pointInTimeRecoveryDays,
      message: `with backup.continuousRetentionDays (${continuous}) AWS Backup manages the database's point-in-time window and sets it to ${continuous} days; set database.pointInTimeRecoveryDays to ${continuous} too, or leave it unset: it follows backup.continuousRetentionDays`,
    });
  }
  const services = Object.keys(spec.services).length;
  if (services > securityGroupInboundRules) {
    problems.push({
      key: "services",
      message: `the database's security group admits each service by its own rule, and a security group holds ${securityGroupInboundRules} inbound rules (the default Amazon VPC quota); got ${services} services`,
    });
  }
  return problems;
}
