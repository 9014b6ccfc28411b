// The platform's PostgreSQL database on AWS: an RDS for PostgreSQL instance in the private subnets,
// encrypted with the platform key, reachable only from the services' security groups (their rules are
// added by the container service), TLS forced by its parameter group, its master password generated
// and rotated by RDS in Secrets Manager, its logs exported to log groups the platform owns.
// The backup vault block builds it and puts it under the AWS Backup plan.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BlockContext } from "../cloud";
import type { DatabaseOutputs, DatabaseSpec, NetworkOutputs, SecretsStoreOutputs } from "../model";
import { rdsInstanceClasses, rdsParameterGroupFamily } from "./databaseLimits";
import { databaseLogExports, databaseMasterUsername, databaseNames, databasePort } from "./databaseNames";
import { keptWith, stateful, tags } from "./options";

/**
 * Daily and weekly windows (UTC), apart from each other and from the AWS Backup rules (05:00), so that
 * a snapshot job never waits on the instance: the backup window must not overlap the maintenance
 * window (CreateDBInstance PreferredBackupWindow).
 */
export const databaseWindows = { backup: "01:00-01:30", maintenance: "sun:02:00-sun:02:30" } as const;

/** Sunday 07:00-08:00 UTC: after the RDS maintenance window and the AWS Backup jobs of the morning. */
export const databaseRotationSchedule = { expression: "cron(0 7 ? * SUN *)", window: "1h" } as const;

export interface Database {
  outputs: DatabaseOutputs;
  /** What AWS Backup selects and restores. */
  arn: pulumi.Output<string>;
  subnetGroupName: pulumi.Output<string>;
}

export interface DatabaseArgs {
  network: NetworkOutputs;
  secrets: SecretsStoreOutputs;
  /** AWS Backup's continuous rule covers the instance: it then owns the automated backups' retention and window. */
  continuousBackup: boolean;
}

export function database(ctx: BlockContext, db: DatabaseSpec, args: DatabaseArgs): Database {
  const { spec } = ctx;
  const n = `${ctx.name}-db`;
  const names = databaseNames(ctx.names, db.version);
  const keyArn = args.secrets.encryptionKeyId;

  // Subnet and parameter groups change in place, and the instance moves to a new one in place: neither
  // forces a new instance (terraform-provider-aws: aws_db_instance's db_subnet_group_name and
  // parameter_group_name are not ForceNew; a parameter group's name, family and description are, its
  // parameters are not). Kept with a retained instance, which still uses them.
  const subnetGroup = new aws.rds.SubnetGroup(
    `${n}-subnets`,
    { name: names.subnetGroup, description: "Private subnets of the platform database", subnetIds: args.network.privateSubnetIds, tags: tags(ctx) },
    keptWith(ctx),
  );
  const parameterGroup = new aws.rds.ParameterGroup(
    `${n}-params`,
    {
      name: names.parameterGroup,
      family: rdsParameterGroupFamily(db.version),
      // The description forces a new group: it stays the same whatever changes.
      description: "Platform database: TLS required",
      // Refuses every connection without TLS (Amazon RDS user guide, "Requiring an SSL connection to a
      // PostgreSQL DB instance"); the default is already 1 from PostgreSQL 15, not before.
      parameters: [{ name: "rds.force_ssl", value: "1" }],
      tags: tags(ctx),
    },
    keptWith(ctx),
  );
  const securityGroup = new aws.ec2.SecurityGroup(
    `${n}-sg`,
    // No inline rules: the provider removes the default allow-all egress, and the container service
    // adds one ingress rule per service, from that service's security group on the database port.
    { name: names.securityGroup, description: "Platform database: the services' security groups only", vpcId: args.network.networkId, tags: tags(ctx) },
    keptWith(ctx),
  );

  // Created before the instance with the exact names RDS writes to, so that RDS never creates them
  // itself (unencrypted, kept forever) (Amazon RDS user guide, "Publishing database logs to Amazon
  // CloudWatch Logs": /aws/rds/instance/<identifier>/<log type>).
  const logGroups = databaseLogExports.map(
    (log) =>
      new aws.cloudwatch.LogGroup(
        `${n}-logs-${log}`,
        { name: names.logGroups[log], retentionInDays: spec.logs.appRetentionDays, kmsKeyId: keyArn, tags: tags(ctx) },
        stateful(ctx),
      ),
  );

  // Only dev loses its data on delete, as its vault loses its recovery points. Elsewhere the last
  // state is kept in a snapshot named after this instance's lifetime: a stack destroyed and created
  // again gets a new suffix, so a second destroy never collides with the first snapshot.
  const keepFinalSnapshot = spec.environment !== "dev";
  const finalSnapshotIdentifier = keepFinalSnapshot
    ? pulumi.interpolate`${names.identifier}-final-${new random.RandomId(`${n}-final-snapshot-suffix`, { byteLength: 4 }, stateful(ctx)).hex}`
    : undefined;

  const instance = new aws.rds.Instance(
    n,
    {
      identifier: names.identifier,
      engine: "postgres",
      // The major only: RDS picks the minor and upgrades it in the maintenance window.
      engineVersion: db.version,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: true,
      instanceClass: rdsInstanceClasses[db.size].instanceClass,
      storageType: "gp3",
      allocatedStorage: db.storageGb,
      // 0 turns storage autoscaling off (maxStorageGb equal to storageGb).
      maxAllocatedStorage: db.maxStorageGb > db.storageGb ? db.maxStorageGb : 0,
      storageEncrypted: true,
      kmsKeyId: keyArn,
      dbName: db.databaseName,
      username: databaseMasterUsername,
      // RDS generates the password and keeps it in Secrets Manager, encrypted with the platform key:
      // it never passes through the program or its state.
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: keyArn,
      port: databasePort,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [securityGroup.id],
      parameterGroupName: parameterGroup.name,
      publiclyAccessible: false,
      multiAz: db.highAvailability,
      backupRetentionPeriod: db.pointInTimeRecoveryDays,
      backupWindow: databaseWindows.backup,
      maintenanceWindow: databaseWindows.maintenance,
      copyTagsToSnapshot: true,
      // Kept after a delete where the data is kept: the point-in-time window outlives the instance.
      deleteAutomatedBackups: !keepFinalSnapshot,
      deletionProtection: spec.deletionProtection,
      skipFinalSnapshot: !keepFinalSnapshot,
      finalSnapshotIdentifier,
      enabledCloudwatchLogsExports: [...databaseLogExports],
      // A change of size, storage or version is what the operator asked for at `pulumi up`; waiting for
      // the maintenance window would also keep an old parameter group in use after a major upgrade.
      applyImmediately: true,
      // Name = identifier marks the live instance: a copy restored from its snapshots carries the
      // same tags under another identifier (tools/restore-drill.sh relies on it).
      tags: tags(ctx, names.identifier),
    },
    stateful(ctx, {
      dependsOn: logGroups,
      // Continuous backup in AWS Backup takes over the automated backups' retention and window; setting
      // them back on every `pulumi up` would fight it (and RDS refuses the change).
      ignoreChanges: args.continuousBackup ? ["backupRetentionPeriod", "backupWindow"] : [],
    }),
  );

  const credentialsRef = instance.masterUserSecrets.apply((secrets) => {
    const arn = secrets?.[0]?.secretArn;
    if (!arn) throw new Error(`RDS reported no master user secret for ${names.identifier}, although it manages the password`);
    return arn;
  });
  // RDS rotates the secret every 7 days from its creation, at any hour. Pinned to a weekly quiet hour
  // instead, after the weekend's backups: the services redeploy on each rotation
  // (databaseRotation.ts), and that is best done when traffic is low. Managed rotation takes a
  // schedule without a Lambda (Secrets Manager user guide, "Managed rotation"); never rotated by this
  // resource itself, only on schedule.
  new aws.secretsmanager.SecretRotation(
    `${n}-credentials-rotation`,
    { secretId: credentialsRef, rotateImmediately: false, rotationRules: { scheduleExpression: databaseRotationSchedule.expression, duration: databaseRotationSchedule.window } },
    keptWith(ctx),
  );
  return {
    outputs: {
      host: instance.address,
      port: databasePort,
      databaseName: db.databaseName,
      credentialsRef,
      accessId: securityGroup.id,
      instanceId: instance.identifier,
    },
    arn: instance.arn,
    subnetGroupName: subnetGroup.name,
  };
}
