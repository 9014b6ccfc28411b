// Statements of the platform's KMS key policies, shared by the platform key and the uptime alarms'
// key in us-east-1.

/** IAM policies in this account decide who else may use the key (task roles, AWS Backup). */
export const accountAdministers = (partition: string, account: string) => ({
  Sid: "AccountAdministers",
  Effect: "Allow",
  Principal: { AWS: `arn:${partition}:iam::${account}:root` },
  Action: "kms:*",
  Resource: "*",
});

/**
 * CloudWatch alarms publish to encrypted SNS topics; without this they fail silently. Confused
 * deputy: only this account's alarms in `region`, only into the given topics (the conditions of the
 * SNS guide, "Enable compatibility between event sources from AWS services and encrypted topics":
 * aws:SourceArn and kms:EncryptionContext:aws:sns:topicArn).
 */
export const cloudWatchAlarmsPublish = (partition: string, region: string, account: string, topicArns: string | string[]) => ({
  Sid: "CloudWatchAlarmsPublish",
  Effect: "Allow",
  Principal: { Service: "cloudwatch.amazonaws.com" },
  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
  Resource: "*",
  Condition: {
    ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
    StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": topicArns },
  },
});
