// The wildcards AWS documents for the statements the platform writes: each one is needed by a
// committed stack (without it the rule would fire), and each is matched on the whole statement, so a
// broader statement of the same shape still fires.
import type { PlanResource } from "../../policy/offline";
import { type DocumentedWildcard, documentedWildcards, documentFacts, type DocumentKind } from "../../policy/readers/aws/iam";
import { isWildcardResource } from "../../policy/readers/aws/policyDocuments";
import { plan } from "./plans";

let production: PlanResource[];
let staging: PlanResource[];

beforeAll(async () => {
  // One program run at a time: the mocks are process-wide.
  production = await plan("production");
  staging = await plan("staging");
});

const documentsOf = (resources: readonly PlanResource[]): { kind: DocumentKind; policy: unknown; name: string }[] =>
  resources.flatMap((r): { kind: DocumentKind; policy: unknown; name: string }[] => {
    const kind: DocumentKind | undefined = { "aws:iam/rolePolicy:RolePolicy": "role policy", "aws:kms/key:Key": "key policy", "aws:s3/bucketPolicy:BucketPolicy": "bucket policy" }[r.type] as DocumentKind | undefined;
    return kind ? [{ kind, policy: r.inputs.policy, name: r.name }] : [];
  });

/** Wildcards the rule reports on the documents of `resources` with only `documented` excused. */
function reported(resources: readonly PlanResource[], documented: readonly DocumentedWildcard[]): string[] {
  return documentsOf(resources).flatMap((d) =>
    documentFacts(d.policy, d.kind, documented).flatMap((f) => (f.kind === "statement" ? [...f.wildcardActions, ...f.wildcardResources].map((w) => `${d.name}: ${w}`) : [])),
  );
}

const statement = (s: object) => JSON.stringify({ Version: "2012-10-17", Statement: [s] });
const wildcardsIn = (document: string, kind: DocumentKind) => documentFacts(document, kind).flatMap((f) => (f.kind === "statement" ? [...f.wildcardActions, ...f.wildcardResources] : []));

describe("documented wildcards", () => {
  it("excuse every wildcard the committed stacks write, and nothing is reported", () => {
    expect(reported(production, documentedWildcards)).toEqual([]);
    expect(reported(staging, documentedWildcards)).toEqual([]);
  });

  it.each(documentedWildcards.map((w) => [w.case, w] as const))("%s: is needed by the program", (_case, w) => {
    const others = documentedWildcards.filter((x) => x !== w);
    expect(reported(production, others).length).toBeGreaterThan(0);
  });

  const root = "arn:aws:iam::123456789012:root";
  it.each([
    ["kms:* for a role instead of the account", "key policy", { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/app" }, Action: "kms:*", Resource: "*" }, "kms:*"],
    ["kms:* for the account and a role together", "key policy", { Effect: "Allow", Principal: { AWS: root, Service: "lambda.amazonaws.com" }, Action: "kms:*", Resource: "*" }, "kms:*"],
    ["CloudWatch Logs without the encryption context condition", "key policy", { Effect: "Allow", Principal: { Service: "logs.us-east-1.amazonaws.com" }, Action: "kms:GenerateDataKey*", Resource: "*" }, "kms:GenerateDataKey*"],
    ["CloudWatch Logs with kms:*", "key policy", { Effect: "Allow", Principal: { Service: "logs.us-east-1.amazonaws.com" }, Action: "kms:*", Resource: "*", Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "x" } } }, "kms:*"],
    ["alarms without aws:SourceArn", "key policy", { Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "kms:GenerateDataKey*", Resource: "*", Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": "x" } } }, "kms:GenerateDataKey*"],
    ["a key policy's * in a role policy", "role policy", { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }, "*"],
    ["PutRestoreValidationResult together with another action", "role policy", { Effect: "Allow", Action: ["backup:PutRestoreValidationResult", "backup:StartRestoreJob"], Resource: "*" }, "*"],
    ["PutMetricData without the namespace condition", "role policy", { Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" }, "*"],
    ["the canary read for any object", "role policy", { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/*", Condition: { StringEquals: { "s3:ResourceAccount": "1" } } }, "arn:aws:s3:::*/*"],
    ["the canary read outside the account", "role policy", { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/.platform/restore-canary.json" }, "arn:aws:s3:::*/.platform/restore-canary.json"],
    ["describing databases of any account", "role policy", { Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: "arn:aws:rds:us-east-1:*:db:*" }, "arn:aws:rds:us-east-1:*:db:*"],
    ["deleting any restored database", "role policy", { Effect: "Allow", Action: "rds:DeleteDBInstance", Resource: "arn:aws:rds:us-east-1:123456789012:db:*" }, "arn:aws:rds:us-east-1:123456789012:db:*"],
  ] as const)("a broader statement still fires: %s", (_what, kind, s, wildcard) => {
    expect(wildcardsIn(statement(s), kind)).toContain(wildcard);
  });

  it("ignores Deny statements, whose wildcards narrow access", () => {
    expect(wildcardsIn(statement({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" }), "bucket policy")).toEqual([]);
  });
});

describe("a wildcard resource", () => {
  it.each([
    ["*", true],
    ["arn:aws:s3:::*", true],
    ["arn:aws:s3:::*/key", true],
    ["arn:aws:s3:::bucket/*", false],
    ["arn:aws:kms:us-east-1:123456789012:key/*", true],
    ["arn:aws:kms:*:123456789012:key/abc", true],
    ["arn:aws:logs:us-east-1:123456789012:log-group:platform/prod/app:*", false],
    ["arn:aws:rds:us-east-1:123456789012:db:*", true],
    ["arn:aws:ecs:us-east-1:123456789012:service/cluster/api", false],
    ["arn:aws:sns:us-east-1:123456789012:topic*", true],
  ] as const)("%s: %s", (pattern, wildcard) => {
    expect(isWildcardResource(pattern)).toBe(wildcard);
  });
});
