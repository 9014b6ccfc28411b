// Encryption at rest on AWS: which key each store names, whether keys rotate, and the default
// encryption of every S3 bucket.
import type { EncryptionFact, ObjectStoreEncryptionFact, StackResourceView, StoreKind } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { accessLogBuckets } from "./relations";
import { aws } from "./tokens";

/**
 * A key the account manages: any key id, key ARN or alias, except the AWS managed keys, which are
 * named `alias/aws/<service>` (AWS KMS developer guide, "AWS managed keys").
 */
export function isCustomerManagedKey(value: unknown): boolean {
  return typeof value === "string" && value !== "" && !/^(arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\//.test(value);
}

const store = (kind: StoreKind, key: unknown, setting: string): EncryptionFact => ({ kind: "store", store: kind, customerManagedKey: isCustomerManagedKey(key), setting });

const keySetting = (name: string, value: unknown) => (value === undefined || value === "" ? `${name} is not set` : `${name} ${String(value)}`);

export const encryptionAtRest: ResourceReaders<EncryptionFact> = {
  [aws.secret]: ({ props }) => [store("secrets", props.kmsKeyId, keySetting("kmsKeyId", props.kmsKeyId))],
  [aws.logGroup]: ({ props }) => [store("logs", props.kmsKeyId, keySetting("kmsKeyId", props.kmsKeyId))],
  [aws.snsTopic]: ({ props }) => [store("topic", props.kmsMasterKeyId, keySetting("kmsMasterKeyId", props.kmsMasterKeyId))],
  [aws.backupVault]: ({ props }) => [store("backup vault", props.kmsKeyArn, keySetting("kmsKeyArn", props.kmsKeyArn))],
  [aws.ecrRepository]: ({ props }) => {
    // ECR API reference, EncryptionConfiguration: KMS without a key uses the AWS managed key for ECR;
    // AES256 (and no configuration) is S3-managed.
    const config = (props.encryptionConfigurations ?? [])[0];
    const type = config?.encryptionType ?? "AES256";
    const key = type === "KMS" || type === "KMS_DSSE" ? config?.kmsKey : undefined;
    return [store("image registry", key, `encryptionConfigurations encryptionType ${type}${type === "AES256" ? "" : `, ${keySetting("kmsKey", key)}`}`)];
  },
  [aws.rdsInstance]: ({ props }) => {
    const facts: EncryptionFact[] = [
      props.storageEncrypted === true ? store("database", props.kmsKeyId, keySetting("kmsKeyId", props.kmsKeyId)) : { kind: "store", store: "database", customerManagedKey: false, setting: "storageEncrypted is not true" },
    ];
    // RDS keeps the generated master password in Secrets Manager, with its own key setting.
    if (props.manageMasterUserPassword === true) facts.push(store("database credentials", props.masterUserSecretKmsKeyId, keySetting("masterUserSecretKmsKeyId", props.masterUserSecretKmsKeyId)));
    return facts;
  },
  [aws.kmsKey]: ({ props }) => {
    // "Automatic key rotation is supported only on symmetric encryption KMS keys" (AWS KMS API reference, EnableKeyRotation).
    const spec = props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT") return [];
    return [{ kind: "key", rotates: props.enableKeyRotation === true, setting: props.enableKeyRotation === true ? "enableKeyRotation true" : "enableKeyRotation is not true" }];
  },
};

function bucketEncryption(bucket: StackResourceView, graph: StackGraph): Pick<ObjectStoreEncryptionFact, "encryption" | "setting"> {
  const configs = graph.users(bucket, aws.bucketEncryption, "bucket");
  const rules: { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string } }[] = configs.flatMap((c) => c.props.rules ?? []);
  const defaults = rules.map((r) => r.applyServerSideEncryptionByDefault).filter((d) => d !== undefined);
  // Since 5 January 2023 S3 encrypts every new object with SSE-S3 when nothing else is set (Amazon S3
  // user guide, "Using server-side encryption with Amazon S3 managed keys (SSE-S3)").
  if (defaults.length === 0) return { encryption: "providerKey", setting: "no BucketServerSideEncryptionConfiguration: S3's default SSE-S3" };
  const kms = defaults.find((d) => d.sseAlgorithm === "aws:kms" || d.sseAlgorithm === "aws:kms:dsse");
  if (kms && isCustomerManagedKey(kms.kmsMasterKeyId)) return { encryption: "customerKey", setting: `sseAlgorithm ${kms.sseAlgorithm}` };
  if (kms) return { encryption: "providerKey", setting: `sseAlgorithm ${kms.sseAlgorithm} without kmsMasterKeyId: the AWS managed key aws/s3` };
  return { encryption: "providerKey", setting: `sseAlgorithm ${defaults[0].sseAlgorithm}` };
}

export const objectStorageEncrypted: StackReader<ObjectStoreEncryptionFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const logBuckets = accessLogBuckets(graph);
  return graph.ofType(aws.bucket).map((bucket) => {
    const logs = logBuckets.has(bucket.urn);
    return {
      urn: bucket.urn,
      ...bucketEncryption(bucket, graph),
      customerKeyAllowed: !logs,
      // Elastic Load Balancing user guide, "Enable access logs for your Application Load Balancer":
      // "The only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)."
      reason: logs ? "load balancer access logs support SSE-S3 only" : undefined,
    };
  });
};
