// What every platform Lambda starts with: its own encrypted log group, kept as long as audit logs
// (what the function did is an audit record), and a role only Lambda can assume.
import type * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import { child, stateful, tags } from "./options";
import * as aws from "./sdk";

export function lambdaBase(ctx: BlockContext, logicalPrefix: string, names: { logGroup: string; role: string }, keyArn: pulumi.Input<string>): { logGroup: aws.cloudwatch.LogGroup; role: aws.iam.Role } {
  const logGroup = new aws.cloudwatch.LogGroup(
    `${logicalPrefix}-logs`,
    { name: ctx.names.name("awsLogGroup", names.logGroup), retentionInDays: ctx.spec.logs.auditRetentionDays, kmsKeyId: keyArn, tags: tags(ctx) },
    stateful(ctx),
  );
  const role = new aws.iam.Role(
    `${logicalPrefix}-role`,
    {
      name: ctx.names.name("awsIamRole", names.role),
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: tags(ctx),
    },
    child(ctx),
  );
  return { logGroup, role };
}
