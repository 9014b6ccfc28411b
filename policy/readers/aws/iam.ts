// Least privilege on AWS: the wildcards in the policy documents the platform writes (role policies,
// key policies, bucket policies) and the AWS managed policies it attaches. A wildcard passes only
// where AWS documents that statement that way; each such case is listed below with its source and
// matched on the whole statement (document, principal, actions, conditions), never by name alone.
import type { PrivilegeFact } from "../../facts";
import type { ResourceReaders } from "../types";
import { conditionKeys, isWildcardResource, list, parsePolicyDocument, type Statement } from "./policyDocuments";
import { aws } from "./tokens";

export type DocumentKind = "role policy" | "key policy" | "bucket policy";

export interface DocumentedWildcard {
  /** What the statement is for, as the source documents it. */
  case: string;
  source: string;
  document: DocumentKind;
  /** Whether `value` (a wildcard action or resource of `statement`) is this documented case. */
  allows(statement: Statement, kind: "action" | "resource", value: string): boolean;
}

const accountRoot = /^arn:aws[a-z-]*:iam::\d{12}:root$/;
const service = (statement: Statement): string | undefined => {
  const principal = statement.Principal as { Service?: unknown } | undefined;
  return typeof principal?.Service === "string" ? principal.Service : undefined;
};
const onlyActions = (statement: Statement, actions: string[]) => {
  const given = list(statement.Action);
  return given.length === actions.length && given.every((a) => actions.includes(a));
};

export const documentedWildcards: DocumentedWildcard[] = [
  {
    case: "a key policy's Resource \"*\": in a key policy it is the key itself",
    source: "AWS KMS developer guide, \"Creating a key policy\" (\"Resource\": \"*\" in every key policy statement)",
    document: "key policy",
    allows: (_s, kind, value) => kind === "resource" && value === "*",
  },
  {
    case: "kms:* for the account itself, which lets IAM policies grant use of the key",
    source: "AWS KMS developer guide, \"Default key policy\": \"Allows access to the AWS account and enables IAM policies\"",
    document: "key policy",
    allows: (s, kind, value) => {
      const principal = s.Principal as { AWS?: unknown } | undefined;
      return kind === "action" && value === "kms:*" && typeof principal?.AWS === "string" && accountRoot.test(principal.AWS) && Object.keys(principal).length === 1;
    },
  },
  {
    case: "CloudWatch Logs encrypting this account's log groups",
    source: "Amazon CloudWatch Logs user guide, \"Encrypt log data in CloudWatch Logs using AWS KMS\", step 2 (kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*, with the kms:EncryptionContext:aws:logs:arn condition)",
    document: "key policy",
    allows: (s, kind, value) =>
      kind === "action" &&
      ["kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"].includes(value) &&
      /^logs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(service(s) ?? "") &&
      conditionKeys(s).has("kms:encryptioncontext:aws:logs:arn"),
  },
  {
    case: "CloudWatch alarms publishing to the encrypted alarm topics",
    source: "Amazon SNS developer guide, \"Enable compatibility between event sources from AWS services and encrypted topics\" (kms:GenerateDataKey* for cloudwatch.amazonaws.com, with aws:SourceArn and kms:EncryptionContext:aws:sns:topicArn)",
    document: "key policy",
    allows: (s, kind, value) =>
      kind === "action" && value === "kms:GenerateDataKey*" && service(s) === "cloudwatch.amazonaws.com" && conditionKeys(s).has("kms:encryptioncontext:aws:sns:topicarn") && conditionKeys(s).has("aws:sourcearn"),
  },
  {
    case: "reporting a restore test's validation, an action without a resource type",
    source: "Service Authorization Reference, \"Actions, resources, and condition keys for AWS Backup\": PutRestoreValidationResult lists no resource type, so only \"*\" grants it",
    document: "role policy",
    allows: (s, kind, value) => kind === "resource" && value === "*" && onlyActions(s, ["backup:PutRestoreValidationResult"]),
  },
  {
    case: "publishing one custom metric namespace, an action without a resource type",
    source: "Amazon CloudWatch user guide, \"Using condition keys to limit access to CloudWatch namespaces\" (Resource \"*\" with the cloudwatch:namespace condition)",
    document: "role policy",
    allows: (s, kind, value) => kind === "resource" && value === "*" && onlyActions(s, ["cloudwatch:PutMetricData"]) && conditionKeys(s).has("cloudwatch:namespace"),
  },
  {
    case: "reading the canary object of a bucket that AWS Backup restores under a name it picks",
    source: "AWS Backup developer guide, \"Restore testing validation\" (the restored resource is created by the restore job); s3:ResourceAccount keeps it to this account",
    document: "role policy",
    allows: (s, kind, value) => kind === "resource" && /^arn:aws[a-z-]*:s3:::\*\/[^*]+$/.test(value) && onlyActions(s, ["s3:GetObject"]) && conditionKeys(s).has("s3:resourceaccount"),
  },
  {
    case: "describing the DB instance AWS Backup restores under an identifier it picks",
    source: "AWS Backup developer guide, \"Restore testing validation\"; Service Authorization Reference for Amazon RDS (DescribeDBInstances takes the db resource type)",
    document: "role policy",
    allows: (s, kind, value) => kind === "resource" && /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:db:\*$/.test(value) && onlyActions(s, ["rds:DescribeDBInstances"]),
  },
];

/** The wildcards of a document's Allow statements that no documented case covers. */
export function documentFacts(document: unknown, kind: DocumentKind, documented: readonly DocumentedWildcard[] = documentedWildcards): PrivilegeFact[] {
  const excused = (statement: Statement, wildcard: "action" | "resource", value: string) =>
    documented.some((w) => w.document === kind && w.allows(statement, wildcard, value));
  return parsePolicyDocument(document).flatMap((s, i): PrivilegeFact[] => {
    if (s.Effect !== "Allow") return [];
    const where = `${kind} statement ${s.Sid ?? `#${i + 1}`}`;
    const wildcardActions = [
      ...list(s.Action).filter((a) => a.includes("*") && !excused(s, "action", a)),
      // Allow with NotAction grants every other action, present and future (IAM user guide, "NotAction").
      ...list(s.NotAction).map((a) => `everything but ${a} (NotAction)`),
    ];
    const wildcardResources = [...list(s.Resource).filter((r) => isWildcardResource(r) && !excused(s, "resource", r)), ...list(s.NotResource).map((r) => `everything but ${r} (NotResource)`)];
    return [{ kind: "statement", where, wildcardActions, wildcardResources }];
  });
}

/**
 * AWS managed policies that grant everything or the means to grant oneself everything: AdministratorAccess
 * and PowerUserAccess ("Provides full access to AWS services and resources", AWS Managed Policy
 * Reference) and IAMFullAccess (creates and attaches any policy).
 */
const ownerClassPolicies = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

const attachment = (policyArn: unknown, setting: string): PrivilegeFact => {
  const arn = String(policyArn);
  return { kind: "role", role: arn.replace(/^.*:policy\//, ""), ownerClass: ownerClassPolicies.test(arn), setting };
};

export const leastPrivilege: ResourceReaders<PrivilegeFact> = {
  [aws.iamRolePolicy]: ({ props }) => documentFacts(props.policy, "role policy"),
  [aws.iamPolicy]: ({ props }) => documentFacts(props.policy, "role policy"),
  [aws.iamRole]: ({ props }) => [
    ...((props.inlinePolicies ?? []) as { policy?: unknown }[]).flatMap((p) => documentFacts(p.policy, "role policy")),
    ...((props.managedPolicyArns ?? []) as string[]).map((arn) => attachment(arn, "managedPolicyArns")),
  ],
  [aws.iamRolePolicyAttachment]: ({ props }) => [attachment(props.policyArn, "policyArn")],
  [aws.kmsKey]: ({ props }) => documentFacts(props.policy, "key policy"),
  [aws.bucketPolicy]: ({ props }) => documentFacts(props.policy, "bucket policy"),
};
