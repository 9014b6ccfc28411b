// A private S3 bucket: globally unique name, default encryption, every public access path
// blocked, ACLs disabled, and a policy that refuses plain-HTTP requests.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BlockContext } from "../cloud";
import { child, keptWith, stateful, tags } from "./options";

export interface PrivateBucketArgs {
  /** Encrypt with this KMS key; without it SSE-S3 (which ALB access logs require). */
  kmsKeyId?: pulumi.Input<string>;
  /** Statements granted on top of the TLS-only rule, given the bucket ARN. */
  allow?: (bucketArn: string) => pulumi.Input<object>[];
}

export interface PrivateBucket {
  bucket: aws.s3.Bucket;
  policy: aws.s3.BucketPolicy;
}

export function privateBucket(ctx: BlockContext, key: string, args: PrivateBucketArgs): PrivateBucket {
  const base = `${ctx.name}-${key}`;
  const keep = ctx.spec.deletionProtection;
  const suffix = new random.RandomId(`${base}-suffix`, { byteLength: 4 }, child(ctx));
  const bucket = new aws.s3.Bucket(
    base,
    { bucket: pulumi.interpolate`${ctx.names.name("awsS3Bucket", key)}-${suffix.hex}`, forceDestroy: !keep, tags: tags(ctx) },
    stateful(ctx),
  );
  // A bucket key cuts KMS requests; it has no meaning for SSE-S3.
  const encryption = args.kmsKeyId
    ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyId }, bucketKeyEnabled: true }
    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
  // Where the bucket is kept on delete, its protections are kept with it: deleting them would
  // leave a retained bucket without its TLS-only policy and its public-access block.
  new aws.s3.BucketServerSideEncryptionConfiguration(`${base}-encryption`, { bucket: bucket.id, rules: [encryption] }, keptWith(ctx));
  new aws.s3.BucketPublicAccessBlock(
    `${base}-public-access`,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    keptWith(ctx),
  );
  new aws.s3.BucketOwnershipControls(`${base}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, keptWith(ctx));
  const policy = new aws.s3.BucketPolicy(
    `${base}-policy`,
    {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) =>
        pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            ...(args.allow?.(arn) ?? []),
            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
          ],
        }),
      ),
    },
    keptWith(ctx),
  );
  return { bucket, policy };
}
