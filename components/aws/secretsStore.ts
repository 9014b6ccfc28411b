// Secrets store on AWS: one customer-managed KMS key with yearly rotation, and one Secrets Manager
// secret per declared secret. Generated values never pass through config or outputs; they are in the
// stack's state, encrypted by its secrets provider (see the README). External values never are.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BlockContext } from "../cloud";
import type { SecretsStoreOutputs } from "../model";
import { alarmTopicName, severities } from "./alarms";
import { callerArnParts, child, stateful, tags } from "./options";
import { secretName as physicalSecretName } from "./resourceNames";
import { accountAdministers, cloudWatchAlarmsPublish } from "./keyPolicy";
import { secretDescriptions, secretTags } from "./secretLifecycle";

export function secretsStore(ctx: BlockContext): SecretsStoreOutputs {
  const { spec, names } = ctx;
  const { accountId, partition } = callerArnParts(ctx);
  const keyPolicy = pulumi.all([accountId, partition]).apply(([account, part]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        accountAdministers(part, account),
        // The log groups of this account and region only, through the encryption context CloudWatch
        // Logs sends; that page documents no aws:SourceArn/aws:SourceAccount for log groups (only
        // for lookup tables), and a condition on a key the service does not send would deny it
        // ("Encrypt log data in CloudWatch Logs using AWS KMS", step 2).
        {
          Sid: "CloudWatchLogsEncrypt",
          Effect: "Allow",
          Principal: { Service: `logs.${spec.region}.amazonaws.com` },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${part}:logs:${spec.region}:${account}:log-group:*` } },
        },
        // Into the platform's two alarm topics only.
        cloudWatchAlarmsPublish(part, spec.region, account, severities.map((severity) => `arn:${part}:sns:${spec.region}:${account}:${alarmTopicName(names, severity)}`)),
      ],
    }),
  );
  const key = new aws.kms.Key(
    `${ctx.name}-key`,
    {
      description: `${spec.project}/${spec.stack}: secrets, logs, topics, data and backups`,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: spec.deletionProtection ? 30 : 7,
      policy: keyPolicy,
      tags: tags(ctx),
    },
    stateful(ctx),
  );
  new aws.kms.Alias(`${ctx.name}-key-alias`, { name: `alias/${names.name("awsKmsAlias")}`, targetKeyId: key.keyId }, child(ctx));

  const secretRefs: Record<string, pulumi.Output<string>> = {};
  const secretVersions: Record<string, pulumi.Output<string>> = {};
  for (const [secretName, secretSpec] of Object.entries(spec.secrets)) {
    const secret = new aws.secretsmanager.Secret(
      `${ctx.name}-${secretName}`,
      {
        name: physicalSecretName(names, secretName),
        description: secretDescriptions[secretSpec.source],
        kmsKeyId: key.arn,
        // Production keeps a deleted secret recoverable for 30 days; dev frees the name at once.
        recoveryWindowInDays: spec.deletionProtection ? 30 : 0,
        // The source and the parameters of a generated value, read back by the next inspection to
        // tell a rotation or an overwrite before it happens.
        tags: { ...tags(ctx), ...secretTags(secretSpec) },
      },
      stateful(ctx),
    );
    if (secretSpec.source === "generated") {
      // AWS cannot generate an arbitrary application secret without a rotation Lambda, and write-only
      // inputs still land in Pulumi state (pulumi/pulumi-terraform-bridge#3201): the value is in state,
      // encrypted, and marked secret wherever it appears.
      const value = new random.RandomPassword(
        `${ctx.name}-${secretName}-value`,
        { length: secretSpec.length, special: false },
        child(ctx, { additionalSecretOutputs: ["result", "bcryptHash"] }),
      );
      const version = new aws.secretsmanager.SecretVersion(
        `${ctx.name}-${secretName}-version`,
        { secretId: secret.id, secretString: value.result },
        child(ctx, { additionalSecretOutputs: ["secretString"] }),
      );
      // A new value is a new version: services that read it redeploy, and only once it exists.
      secretVersions[secretName] = version.versionId;
    } else if (ctx.release.secretVersions[secretName] !== undefined) {
      secretVersions[secretName] = pulumi.output(ctx.release.secretVersions[secretName]);
    }
    secretRefs[secretName] = secret.arn;
  }
  return { encryptionKeyId: key.arn, secretRefs, secretVersions };
}
