// Physical names of the database and what is built around it, shared by the blocks that create,
// watch and redeploy on it and by the task definition size estimate. No SDK import.
import type { Namer } from "../naming";
import { rdsParameterGroupFamily } from "./databaseLimits";

/** PostgreSQL's port; RDS listens on it unless told otherwise. */
export const databasePort = 5432;

/** The master user RDS creates; its password lives only in the RDS-managed secret. Immutable once created. */
export const databaseMasterUsername = "app_admin";

/** CloudWatch Logs exports of RDS for PostgreSQL (CreateDBInstance EnableCloudwatchLogsExports). */
export const databaseLogExports = ["postgresql", "upgrade"] as const;

export function databaseNames(names: Namer, version: string) {
  const identifier = names.name("awsRdsInstance", "db");
  return {
    identifier,
    subnetGroup: names.name("awsRdsGroup", "db"),
    // The family in the name: a major upgrade creates the new group before the instance moves to it.
    parameterGroup: names.name("awsRdsGroup", "db", rdsParameterGroupFamily(version)),
    securityGroup: names.name("awsSecurityGroup", "db"),
    restoreTestSecurityGroup: names.name("awsSecurityGroup", "db-restore-test"),
    /** The names RDS writes its exports to: created by the platform first, so they are encrypted and expire. */
    logGroups: Object.fromEntries(databaseLogExports.map((log) => [log, `/aws/rds/instance/${identifier}/${log}`])) as Record<(typeof databaseLogExports)[number], string>,
  };
}

/** The function that redeploys the services after a rotation; the alarms watch its errors. */
export const rotationRedeployFunctionName = (names: Namer): string => names.name("awsLambdaFunction", "db-rotation-redeploy");
