// Validation of the monthly restore test: AWS Backup restores the data bucket into a scratch
// bucket (and the database into a scratch instance); a small Lambda, started by EventBridge when a
// restore job ends, reads back a canary object the platform wrote into the data bucket (for the
// database: asks RDS whether the restored instance is available, encrypted with the platform key and
// private) and reports SUCCESSFUL or FAILED to AWS Backup (PutRestoreValidationResult). A failed restore job or validation becomes a metric the Alarms
// block turns into a critical alarm: the critical topic is created after this block.
// https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-validation.html
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { Namer } from "../naming";
import { lambdaBase } from "./lambdaBase";
import { callerArnParts, child, tags } from "./options";

/** The object every restored copy must hold, as written: proves data, not just a bucket, came back. */
export const restoreCanaryKey = ".platform/restore-canary.json";

export function restoreCanaryContent(project: string, stack: string): string {
  return `${JSON.stringify({ purpose: "AWS Backup restore test canary; the platform's restore validation reads it back from every restored copy. Do not delete.", project, stack })}\n`;
}

/** Names both blocks derive: the plan (the metric's dimension) and the validating function. */
export function restoreTestNames(names: Namer) {
  return {
    planName: names.name("awsRestoreTestingName", "monthly"),
    functionName: names.name("awsLambdaFunction", "restore-validation"),
    metricNamespace: "Platform/RestoreTests",
    metricName: "RestoreTestFailed",
    metricDimension: "RestoreTestingPlan",
  };
}

/**
 * The handler, CommonJS for the Node.js runtime, with the AWS SDK v3 the runtime ships (no
 * bundle, no layer). Environment: CANARY_KEY, CANARY_CONTENT, METRIC_NAMESPACE, METRIC_NAME,
 * METRIC_DIMENSION, METRIC_DIMENSION_VALUE, KMS_KEY_ARN (the key a restored database must be
 * encrypted with). The RDS client is loaded only for a database restore.
 */
export const restoreValidationHandler = `"use strict";
const { BackupClient, PutRestoreValidationResultCommand } = require("@aws-sdk/client-backup");
const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
const { CloudWatchClient, PutMetricDataCommand } = require("@aws-sdk/client-cloudwatch");

const backup = new BackupClient({});
const s3 = new S3Client({});
const cloudwatch = new CloudWatchClient({});
const env = process.env;

async function recordFailure(detail, reason) {
  console.error(JSON.stringify({ restoreJobId: detail.restoreJobId, status: detail.status, reason }));
  await cloudwatch.send(new PutMetricDataCommand({
    Namespace: env.METRIC_NAMESPACE,
    MetricData: [{ MetricName: env.METRIC_NAME, Dimensions: [{ Name: env.METRIC_DIMENSION, Value: env.METRIC_DIMENSION_VALUE }], Value: 1, Unit: "Count" }],
  }));
}

async function checkRestoredCopy(createdResourceArn) {
  const bucket = String(createdResourceArn || "").split(":::")[1];
  if (!bucket) return { ok: false, message: "the restore job names no restored bucket" };
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: env.CANARY_KEY }));
    const body = await object.Body.transformToString();
    if (body !== env.CANARY_CONTENT) return { ok: false, message: "canary " + env.CANARY_KEY + " in " + bucket + " differs from what the platform wrote" };
    return { ok: true, message: "canary " + env.CANARY_KEY + " read back from " + bucket + " as written" };
  } catch (e) {
    return { ok: false, message: "canary " + env.CANARY_KEY + " not readable in " + bucket + ": " + ((e && e.name) || "Error") };
  }
}

// Data in the restored database would need a connection from inside the VPC with its credentials; the
// checks stay at what RDS reports: the copy came up, stays private and is encrypted with our key.
async function checkRestoredDatabase(createdResourceArn) {
  const arn = String(createdResourceArn || "");
  if (!/:db:[^:]+$/.test(arn)) return { ok: false, message: "the restore job names no restored DB instance" };
  try {
    const { RDSClient, DescribeDBInstancesCommand } = require("@aws-sdk/client-rds");
    const found = await new RDSClient({}).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: arn }));
    const db = (found.DBInstances || [])[0];
    if (!db) return { ok: false, message: "restored instance " + arn + " not found" };
    const problems = [];
    if (db.DBInstanceStatus !== "available") problems.push("status " + db.DBInstanceStatus);
    if (db.Engine !== "postgres") problems.push("engine " + db.Engine);
    if (db.StorageEncrypted !== true || db.KmsKeyId !== env.KMS_KEY_ARN) problems.push("not encrypted with the platform key");
    if (db.PubliclyAccessible !== false) problems.push("publicly accessible");
    if (problems.length > 0) return { ok: false, message: "restored instance " + db.DBInstanceIdentifier + ": " + problems.join(", ") };
    return { ok: true, message: "restored instance " + db.DBInstanceIdentifier + " is available, private and encrypted with the platform key" };
  } catch (e) {
    return { ok: false, message: "restored instance " + arn + " could not be described: " + ((e && e.name) || "Error") };
  }
}

exports.handler = async (event) => {
  const detail = (event && event.detail) || {};
  if (detail.status !== "COMPLETED") {
    await recordFailure(detail, "restore job " + detail.status + ": " + (detail.statusMessage || "no message"));
    return { restoreJobId: detail.restoreJobId, status: detail.status };
  }
  const result = detail.resourceType === "RDS" ? await checkRestoredDatabase(detail.createdResourceArn) : await checkRestoredCopy(detail.createdResourceArn);
  const validation = result.ok ? "SUCCESSFUL" : "FAILED";
  await backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: detail.restoreJobId, ValidationStatus: validation, ValidationStatusMessage: result.message }));
  if (!result.ok) await recordFailure(detail, result.message);
  return { restoreJobId: detail.restoreJobId, status: detail.status, validation, message: result.message };
};
`;

export interface RestoreValidationArgs {
  restoreTestingPlanArn: pulumi.Output<string>;
  /** The platform key: restored objects stay encrypted with it. */
  keyArn: pulumi.Input<string>;
}

export function restoreValidation(ctx: BlockContext, args: RestoreValidationArgs): void {
  const { spec, names } = ctx;
  const n = `${ctx.name}-restore-validation`;
  const testNames = restoreTestNames(names);
  const { accountId, partition } = callerArnParts(ctx);

  const { logGroup, role } = lambdaBase(ctx, n, { logGroup: "restore-validation", role: "restore-validation" }, args.keyArn);
  // Least privilege: its own log group; the canary key of this account's buckets (the restored
  // bucket's name is AWS Backup's choice, the key is ours); the platform key only through S3; one
  // metric namespace; the validation call, which has no resource-level permission to narrow; and, with
  // a database, reading the description of this account's DB instances in the region (the restored
  // instance's identifier is AWS Backup's choice).
  const policy = new aws.iam.RolePolicy(
    `${n}-policy`,
    {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
          { Sid: "ReportValidation", Effect: "Allow", Action: "backup:PutRestoreValidationResult", Resource: "*" },
          {
            Sid: "ReadCanaryOnly",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: pulumi.interpolate`arn:${partition}:s3:::*/${restoreCanaryKey}`,
            Condition: { StringEquals: { "s3:ResourceAccount": accountId } },
          },
          { Sid: "DecryptThroughS3", Effect: "Allow", Action: "kms:Decrypt", Resource: args.keyArn, Condition: { StringEquals: { "kms:ViaService": `s3.${spec.region}.amazonaws.com` } } },
          { Sid: "FailureMetric", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": testNames.metricNamespace } } },
          ...(spec.database
            ? [{ Sid: "DescribeRestoredDatabase", Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: pulumi.interpolate`arn:${partition}:rds:${spec.region}:${accountId}:db:*` }]
            : []),
        ],
      }),
    },
    child(ctx),
  );
  const fn = new aws.lambda.Function(
    `${n}`,
    {
      name: testNames.functionName,
      description: "Validates the monthly AWS Backup restore test of the data stores (README: monthly restore test)",
      runtime: aws.lambda.Runtime.NodeJS22dX,
      handler: "index.handler",
      code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(restoreValidationHandler) }),
      role: role.arn,
      timeout: 60,
      memorySize: 128,
      environment: {
        variables: {
          CANARY_KEY: restoreCanaryKey,
          CANARY_CONTENT: restoreCanaryContent(spec.project, spec.stack),
          METRIC_NAMESPACE: testNames.metricNamespace,
          METRIC_NAME: testNames.metricName,
          METRIC_DIMENSION: testNames.metricDimension,
          METRIC_DIMENSION_VALUE: testNames.planName,
          KMS_KEY_ARN: args.keyArn,
        },
      },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      tags: tags(ctx),
    },
    // A function invoked before its role can write logs or report loses the month's result.
    child(ctx, { dependsOn: [policy] }),
  );

  // Terminal states of the test's restore jobs only (AWS Backup, "Monitoring AWS Backup events
  // using Amazon EventBridge": Restore Job State Change carries restoreTestingPlanArn).
  const rule = new aws.cloudwatch.EventRule(
    `${n}-rule`,
    {
      name: names.name("awsEventRule", "restore-test-jobs"),
      description: "Restore jobs of the monthly restore test that ended",
      eventPattern: pulumi.jsonStringify({
        source: ["aws.backup"],
        "detail-type": ["Restore Job State Change"],
        detail: { restoreTestingPlanArn: [args.restoreTestingPlanArn], status: ["COMPLETED", "FAILED", "ABORTED"] },
      }),
      tags: tags(ctx),
    },
    child(ctx),
  );
  new aws.lambda.Permission(
    `${n}-invoke`,
    { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: rule.arn },
    child(ctx),
  );
  new aws.cloudwatch.EventTarget(`${n}-target`, { rule: rule.name, arn: fn.arn }, child(ctx));
}
