// CloudWatch alarms on the platform database (RDS for PostgreSQL), to the same warning and critical
// topics as the services' alarms, with the thresholds of the presets (neutral shares, so that every
// cloud alarms alike). Replica lag has no alarm: the platform runs no read replica, and the standby of
// a Multi-AZ DB instance deployment is synchronous and publishes no ReplicaLag (Amazon RDS user guide,
// "Amazon CloudWatch metrics for Amazon RDS": ReplicaLag is reported for read replicas).
import type { BlockContext } from "../cloud";
import type { AlarmDefinition } from "./alarms";
import { databaseNames, rotationRedeployFunctionName } from "./databaseNames";
import { rdsInstanceClasses, rdsMaxConnections } from "./databaseLimits";

const gib = 2 ** 30;

/** Warnings on a sustained load (seed 004: connections above 80% for 30 minutes); critical ones within 5 minutes. */
const sustained = { period: 300, evaluationPeriods: 6, datapointsToAlarm: 6 };
const perMinute = { period: 60, evaluationPeriods: 5, datapointsToAlarm: 3 };

export function databaseAlarms(ctx: BlockContext): AlarmDefinition[] {
  const db = ctx.spec.database;
  if (!db) return [];
  const t = ctx.spec.alarms.thresholds;
  const dims = { DBInstanceIdentifier: databaseNames(ctx.names, db.version).identifier };
  const maxConnections = rdsMaxConnections(db.size);
  const pairs = [
    ["warning", t.databaseCpuWarningPercent, t.databaseConnectionsWarningPercent, t.databaseFreeStorageWarningPercent],
    ["critical", t.databaseCpuCriticalPercent, t.databaseConnectionsCriticalPercent, t.databaseFreeStorageCriticalPercent],
  ] as const;
  const definitions: AlarmDefinition[] = [];
  for (const [severity, cpu, connections, freeStorage] of pairs) {
    const windows = severity === "warning" ? sustained : perMinute;
    definitions.push(
      {
        key: `cpu-${severity}`,
        severity,
        description: `CPU above ${cpu}%`,
        args: { namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions: dims, statistic: "Average", ...windows, comparisonOperator: "GreaterThanThreshold", threshold: cpu, treatMissingData: "missing" },
      },
      {
        key: `connections-${severity}`,
        severity,
        description: `more than ${connections}% of the ${maxConnections} connections ${rdsInstanceClasses[db.size].instanceClass} allows by default in use`,
        args: {
          namespace: "AWS/RDS",
          metricName: "DatabaseConnections",
          dimensions: dims,
          statistic: "Maximum",
          ...windows,
          comparisonOperator: "GreaterThanThreshold",
          threshold: Math.floor((maxConnections * connections) / 100),
          treatMissingData: "missing",
        },
      },
      {
        // A share of the storage the spec allocates: storage autoscaling (up to maxStorageGb) starts
        // below 10% free of the current allocation, so a database that keeps running low has grown to
        // its ceiling or is waiting out the six hours between two growths.
        key: `free-storage-${severity}`,
        severity,
        description: `free storage below ${freeStorage}% of the ${db.storageGb} GiB allocated (${((db.storageGb * freeStorage) / 100).toFixed(1)} GiB)`,
        args: {
          namespace: "AWS/RDS",
          metricName: "FreeStorageSpace",
          dimensions: dims,
          statistic: "Minimum",
          period: 300,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          comparisonOperator: "LessThanThreshold",
          threshold: Math.round((db.storageGb * gib * freeStorage) / 100),
          treatMissingData: "missing",
        },
      },
    );
  }
  // The credentials rotated, but a service could not be redeployed: its tasks cannot open connections.
  definitions.push({
    key: "rotation-redeploy",
    severity: "critical",
    description: "the database credentials rotated and a service could not be redeployed: run aws ecs update-service --force-new-deployment for it",
    args: {
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: rotationRedeployFunctionName(ctx.names) },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
    },
  });
  return definitions;
}
