// Every rule of the pack on the real production plan: quiet on the resources as the program builds
// them (and reading them, not skipping them), firing on a resource changed to break it, and
// degrading to the engine's advisory when a value it reads is unknown (as in a preview).
import type { ControlName } from "../../policy/controls";
import type { PlanResource } from "../../policy/offline";
import { synthUnknown } from "../../policy/offline";
import { awsReaders } from "../../policy/readers/aws";
import { type ControlCase, describeControlCases, type Plan } from "./controlCases";
import { edit, named, plan, rewire, without } from "./plans";

let production: PlanResource[];

beforeAll(async () => {
  production = await plan("production");
});

const policyJson = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const subnetUrns = (p: Plan, ...zones: string[]) => zones.map((z) => named(p, `network-private-us-east-1${z}`).urn);

const cases: Record<ControlName, ControlCase> = {
  "encryption-at-rest": {
    reads: "secrets-JWT_SECRET",
    breaches: [
      { what: "a secret without a key", change: (p) => edit(p, "secrets-JWT_SECRET", (i) => delete i.kmsKeyId), on: "secrets-JWT_SECRET", reports: "the secrets are not encrypted with a customer-managed key (kmsKeyId is not set)" },
      { what: "a secret with the AWS managed key", change: (p) => edit(p, "secrets-JWT_SECRET", (i) => (i.kmsKeyId = "alias/aws/secretsmanager")), on: "secrets-JWT_SECRET", reports: "kmsKeyId alias/aws/secretsmanager" },
      { what: "an unencrypted database", change: (p) => edit(p, "backup-db", (i) => (i.storageEncrypted = false)), on: "backup-db", reports: "the database are not encrypted with a customer-managed key (storageEncrypted is not true)" },
      { what: "database credentials under the AWS key", change: (p) => edit(p, "backup-db", (i) => delete i.masterUserSecretKmsKeyId), on: "backup-db", reports: "the database credentials are not encrypted" },
      { what: "a log group without a key", change: (p) => edit(p, "app-api-logs", (i) => delete i.kmsKeyId), on: "app-api-logs", reports: "the logs are not encrypted" },
      { what: "a topic without a key", change: (p) => edit(p, "alarms-critical", (i) => delete i.kmsMasterKeyId), on: "alarms-critical", reports: "the topic are not encrypted" },
      { what: "a vault without a key", change: (p) => edit(p, "backup-vault", (i) => delete i.kmsKeyArn), on: "backup-vault", reports: "the backup vault are not encrypted" },
      { what: "a registry with the AWS managed key", change: (p) => edit(p, "app-api-repo", (i) => delete i.encryptionConfigurations[0].kmsKey), on: "app-api-repo", reports: "encryptionType KMS, kmsKey is not set" },
      { what: "a key that does not rotate", change: (p) => edit(p, "secrets-key", (i) => (i.enableKeyRotation = false)), on: "secrets-key", reports: "the key does not rotate automatically" },
    ],
    unknown: (p) => edit(p, "secrets-JWT_SECRET", (i) => (i.kmsKeyId = synthUnknown)),
  },
  "object-storage-encrypted": {
    reads: "backup-data",
    breaches: [
      { what: "the data bucket with SSE-S3", change: (p) => edit(p, "backup-data-encryption", (i) => (i.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" })), on: "backup-data", reports: "encrypted with the provider's key, not a customer-managed one (sseAlgorithm AES256)" },
      { what: "the data bucket without its encryption configuration", change: (p) => without(p, "backup-data-encryption"), on: "backup-data", reports: "no BucketServerSideEncryptionConfiguration" },
    ],
    unknown: (p) => edit(p, "backup-data-encryption", (i) => (i.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId = synthUnknown)),
  },
  "https-only": {
    reads: "lb-https",
    breaches: [
      { what: "a TLS 1.0 policy", change: (p) => edit(p, "lb-https", (i) => (i.sslPolicy = "ELBSecurityPolicy-TLS13-1-0-2021-06")), on: "lb-https", reports: "TLS 1.0 is accepted; the minimum is 1.2" },
      { what: "no TLS policy (the API default)", change: (p) => edit(p, "lb-https", (i) => delete i.sslPolicy), on: "lb-https", reports: "sslPolicy is not set: the default ELBSecurityPolicy-2016-08" },
      { what: "plain HTTP forwarded", change: (p) => edit(p, "lb-http-redirect", (i) => (i.defaultActions = [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }])), on: "lb-http-redirect", reports: "plain HTTP is served instead of redirected" },
    ],
    unknown: (p) => edit(p, "lb-https", (i) => (i.sslPolicy = synthUnknown)),
  },
  "security-headers": {
    reads: "lb-https",
    breaches: [
      { what: "no HSTS", change: (p) => edit(p, "lb-https", (i) => delete i.routingHttpResponseStrictTransportSecurityHeaderValue), on: "lb-https", reports: "Strict-Transport-Security is not set (routingHttpResponseStrictTransportSecurityHeaderValue)" },
      { what: "a short HSTS max-age", change: (p) => edit(p, "lb-https", (i) => (i.routingHttpResponseStrictTransportSecurityHeaderValue = "max-age=300")), on: "lb-https", reports: "max-age is 300, below 31536000" },
      { what: "framing allowed", change: (p) => edit(p, "lb-https", (i) => (i.routingHttpResponseXFrameOptionsHeaderValue = "ALLOW-FROM https://x.example")), on: "lb-https", reports: "X-Frame-Options is \"ALLOW-FROM https://x.example\"" },
      { what: "no CSP", change: (p) => edit(p, "lb-https", (i) => delete i.routingHttpResponseContentSecurityPolicyHeaderValue), on: "lb-https", reports: "Content-Security-Policy is not set" },
    ],
    unknown: (p) => edit(p, "lb-https", (i) => (i.routingHttpResponseXContentTypeOptionsHeaderValue = synthUnknown)),
  },
  "rate-limit": {
    reads: "lb-alb",
    breaches: [
      // The config cannot switch the WAF off: these are crafted plans.
      { what: "the web ACL detached", change: (p) => without(p, "lb-waf-association"), on: "lb-alb", reports: "the public entry point has no rate-limit rule" },
      { what: "a rate rule on a constant key", change: (p) => edit(p, "lb-waf", (i) => (i.rules[0].statement.rateBasedStatement.aggregateKeyType = "CONSTANT")), on: "lb-alb", reports: "is not keyed on the client IP" },
      { what: "a rate rule that only counts", change: (p) => edit(p, "lb-waf", (i) => (i.rules[0].action = { count: {} })), on: "lb-alb", reports: "does not block (web ACL rule rate-limit-per-ip: aggregateKeyType IP, action count)" },
    ],
    unknown: (p) => edit(p, "lb-waf", (i) => (i.rules[0].statement.rateBasedStatement.aggregateKeyType = synthUnknown)),
  },
  "no-public-address": {
    reads: "app-api-service",
    breaches: [
      { what: "a service with public addresses", change: (p) => edit(p, "app-api-service", (i) => (i.networkConfiguration.assignPublicIp = true)), on: "app-api-service", reports: "the service is reachable from the internet (networkConfiguration.assignPublicIp)" },
      { what: "a public database", change: (p) => edit(p, "backup-db", (i) => (i.publiclyAccessible = true)), on: "backup-db", reports: "the database is reachable from the internet (publiclyAccessible)" },
      { what: "a subnet that hands out public addresses", change: (p) => edit(p, "network-public-us-east-1a", (i) => (i.mapPublicIpOnLaunch = true)), on: "network-public-us-east-1a", reports: "mapPublicIpOnLaunch" },
      { what: "a function anyone may invoke", change: (p) => edit(p, "app-DB-rotation-invoke", (i) => (i.principal = "*")), on: "app-DB-rotation-invoke", reports: 'the function is reachable from the internet (principal "*")' },
    ],
    unknown: (p) => edit(p, "backup-db", (i) => (i.publiclyAccessible = synthUnknown)),
  },
  "no-public-ingress": {
    reads: "lb-sg-in-443",
    breaches: [
      {
        what: "the database open to the internet",
        change: (p) => edit(p, "app-api-db-in", (i) => ((i.cidrIpv4 = "0.0.0.0/0"), delete i.referencedSecurityGroupId)),
        on: "app-api-db-in",
        reports: "the database admits 0.0.0.0/0 on port 5432",
      },
      { what: "a service open to a public range", change: (p) => edit(p, "app-api-sg-in", (i) => ((i.cidrIpv4 = "203.0.113.0/24"), delete i.referencedSecurityGroupId)), on: "app-api-sg-in", reports: "the compute admits 203.0.113.0/24 on port 8001" },
      { what: "the entry open on SSH", change: (p) => edit(p, "lb-sg-in-443", (i) => ((i.fromPort = 22), (i.toPort = 22))), on: "lb-sg-in-443", reports: "the public entry admits 0.0.0.0/0 on port 22; only 80, 443 are listener ports" },
    ],
    unknown: (p) => edit(p, "lb-sg-in-443", (i) => (i.cidrIpv4 = synthUnknown)),
  },
  "object-storage-private": {
    reads: "backup-data",
    breaches: [
      { what: "a partial public access block", change: (p) => edit(p, "backup-data-public-access", (i) => (i.restrictPublicBuckets = false)), on: "backup-data", reports: "BucketPublicAccessBlock without restrictPublicBuckets" },
      { what: "no public access block", change: (p) => without(p, "backup-data-public-access"), on: "backup-data", reports: "public access to the object store is not blocked (no BucketPublicAccessBlock)" },
      {
        what: "a bucket policy that reads to anyone",
        change: (p) => edit(p, "backup-data-policy", (i) => (i.policy = policyJson([{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }]))),
        on: "backup-data",
        reports: "the object store grants access to anyone: bucket policy allows s3:GetObject to *",
      },
    ],
    unknown: (p) => edit(p, "backup-data-public-access", (i) => (i.blockPublicPolicy = synthUnknown)),
  },
  "secrets-by-reference": {
    reads: "app-api-task",
    breaches: [
      {
        what: "a password as a plain variable",
        change: (p) => edit(p, "app-api-task", (i) => (i.containerDefinitions = JSON.stringify(JSON.parse(i.containerDefinitions).map((c: { environment: object[] }) => ({ ...c, environment: [...c.environment, { name: "DB_PASSWORD", value: "hunter2" }] }))))),
        on: "app-api-task",
        reports: "container api sets DB_PASSWORD to a literal value; a variable of that name holds a secret",
      },
      {
        what: "a token under an innocent name",
        change: (p) => edit(p, "app-api-task", (i) => (i.containerDefinitions = JSON.stringify(JSON.parse(i.containerDefinitions).map((c: { environment: object[] }) => ({ ...c, environment: [...c.environment, { name: "UPSTREAM", value: `ghp_${"a".repeat(36)}` }] }))))),
        on: "app-api-task",
        reports: "container api sets UPSTREAM to a literal value that looks like a GitHub token (not shown)",
      },
      { what: "a function variable with a key", change: (p) => edit(p, "app-DB-rotation", (i) => (i.environment.variables.API_KEY = "x")), on: "app-DB-rotation", reports: "function sets API_KEY to a literal value" },
    ],
    unknown: (p) => edit(p, "app-api-task", (i) => (i.containerDefinitions = synthUnknown)),
  },
  "min-instances": {
    reads: "app-api-service",
    breaches: [
      { what: "a service with one task", change: (p) => edit(p, "app-api-service", (i) => (i.desiredCount = 1)), on: "app-api-service", reports: "the service keeps 1 instance, fewer than 2 (desiredCount 1)" },
      { what: "a scaling floor of one", change: (p) => edit(p, "scaling-api-target", (i) => (i.minCapacity = 1)), on: "scaling-api-target", reports: "fewer than 2 (minCapacity 1)" },
    ],
    unknown: (p) => edit(p, "scaling-api-target", (i) => (i.minCapacity = synthUnknown)),
  },
  "multi-zone": {
    reads: "app-api-service",
    breaches: [
      { what: "a service in one zone", change: (p) => rewire(p, "app-api-service", (d) => (d.networkConfiguration = [...subnetUrns(p, "a"), named(p, "app-api-sg").urn])), on: "app-api-service", reports: "the service spans 1 zone, fewer than 2" },
      { what: "a database subnet group in one zone", change: (p) => rewire(p, "backup-db-subnets", (d) => (d.subnetIds = subnetUrns(p, "b"))), on: "backup-db", reports: "the database spans 1 zone" },
    ],
    unknown: (p) => edit(p, "network-private-us-east-1a", (i) => (i.availabilityZone = synthUnknown)),
  },
  "database-ha": {
    reads: "backup-db",
    breaches: [{ what: "no standby", change: (p) => edit(p, "backup-db", (i) => (i.multiAz = false)), on: "backup-db", reports: "the database has no standby in another zone (multiAz)" }],
    unknown: (p) => edit(p, "backup-db", (i) => (i.multiAz = synthUnknown)),
  },
  "stateful-protected": {
    reads: "backup-data",
    breaches: [
      { what: "an unprotected bucket", change: (p) => p.map((r) => (r.name === "backup-data" ? { ...r, protect: false } : r)), on: "backup-data", reports: "the bucket is not protected (resource option protect)" },
      { what: "a bucket emptied on delete", change: (p) => edit(p, "backup-data", (i) => (i.forceDestroy = true)), on: "backup-data", reports: "forceDestroy deletes every object with the bucket" },
      { what: "a database without deletion protection", change: (p) => edit(p, "backup-db", (i) => (i.deletionProtection = false)), on: "backup-db", reports: "deletionProtection is not true" },
    ],
    unknown: (p) => edit(p, "backup-data", (i) => (i.forceDestroy = synthUnknown)),
  },
  backups: {
    reads: "backup-db",
    breaches: [
      { what: "the database left out", change: (p) => without(p, "backup-selection-database"), on: "backup-db", reports: "the database is not covered by any backup" },
      { what: "short daily retention", change: (p) => edit(p, "backup-plan", (i) => (i.rules[0].lifecycle.deleteAfter = 3)), on: "backup-data", reports: "the bucket's daily backup is kept 3 days, less than 7" },
      { what: "no copy", change: (p) => edit(p, "backup-plan", (i) => i.rules.forEach((r: { copyActions?: unknown }) => delete r.copyActions)), on: "backup-data", reports: "the bucket's daily backups are not copied to another region" },
      { what: "no monthly rule", change: (p) => edit(p, "backup-plan", (i) => (i.rules = i.rules.filter((r: { ruleName: string }) => !r.ruleName.endsWith("monthly")))), on: "backup-db", reports: "the database has no monthly backup; it must be kept at least 365 days" },
    ],
    unknown: (p) => edit(p, "backup-plan", (i) => (i.rules[0].schedule = synthUnknown)),
  },
  alarms: {
    reads: "app-api-service",
    breaches: [
      { what: "no CPU alarms", change: (p) => without(p, "alarms-api-cpu-warning", "alarms-api-cpu-critical"), on: "app-api-service", reports: "the service has no CPU alarm" },
      { what: "no uptime check", change: (p) => without(p, "alarms-api-uptime"), on: "app-api-service", reports: "the service has no uptime check alarm" },
      {
        what: "nobody subscribed",
        change: (p) => without(p, "alarms-warning-email-platform-oncall@example.com", "alarms-critical-email-platform-oncall@example.com"),
        on: "app-api-service",
        reports: "the service's error rate alarm reaches no notification target with a subscriber",
      },
    ],
    unknown: (p) => edit(p, "alarms-api-cpu-warning", (i) => (i.metricName = synthUnknown)),
  },
  "log-retention": {
    reads: "network-flow-logs",
    breaches: [
      { what: "short flow logs", change: (p) => edit(p, "network-flow-logs", (i) => (i.retentionInDays = 90)), on: "network-flow-logs", reports: "the flow log group (audit) is kept 90 days, less than 365 (retentionInDays)" },
      { what: "short service logs", change: (p) => edit(p, "app-api-logs", (i) => (i.retentionInDays = 14)), on: "app-api-logs", reports: "the log group is kept 14 days, less than 30" },
      { what: "short access logs", change: (p) => edit(p, "lb-logs-lifecycle", (i) => (i.rules[0].expiration.days = 30)), on: "lb-logs", reports: "the access log bucket (audit) is kept 30 days, less than 365 (lifecycle rule expiration.days)" },
    ],
    unknown: (p) => edit(p, "app-api-logs", (i) => (i.retentionInDays = synthUnknown)),
  },
  "required-tags": {
    reads: "app-api-service",
    breaches: [
      { what: "no tags", change: (p) => edit(p, "app-api-service", (i) => delete i.tags), on: "app-api-service", reports: "missing required tags project, stack, environment, managed-by (tags)" },
      { what: "no environment tag", change: (p) => edit(p, "lb-sg-in-443", (i) => delete i.tags.environment), on: "lb-sg-in-443", reports: "missing required tag environment" },
    ],
    unknown: (p) => edit(p, "app-api-service", (i) => (i.tags.project = synthUnknown)),
  },
  "pinned-images": {
    reads: "app-api-task",
    breaches: [
      { what: "a mutable repository", change: (p) => edit(p, "app-api-repo", (i) => (i.imageTagMutability = "MUTABLE")), on: "app-api-task", reports: "tag 1.0.0 can be pushed again with other content (repository imageTagMutability MUTABLE)" },
      {
        what: "an outside image by tag",
        change: (p) => edit(p, "app-api-task", (i) => (i.containerDefinitions = JSON.stringify(JSON.parse(i.containerDefinitions).map((c: object) => ({ ...c, image: "docker.io/library/nginx:1.27" }))))),
        on: "app-api-task",
        reports: "the image docker.io/library/nginx:1.27 is not pinned: tag 1.27 of a registry outside the stack",
      },
    ],
    unknown: (p) => edit(p, "app-api-task", (i) => (i.containerDefinitions = synthUnknown)),
  },
  "least-privilege": {
    reads: "app-api-task-data",
    breaches: [
      { what: "every action", change: (p) => edit(p, "app-api-task-data", (i) => (i.policy = policyJson([{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }]))), on: "app-api-task-data", reports: "role policy statement #1 allows wildcard actions s3:*" },
      { what: "every bucket", change: (p) => edit(p, "app-api-task-data", (i) => (i.policy = policyJson([{ Sid: "All", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]))), on: "app-api-task-data", reports: "role policy statement All allows on wildcard resources *" },
      {
        what: "NotAction",
        change: (p) => edit(p, "app-api-task-data", (i) => (i.policy = policyJson([{ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" }]))),
        on: "app-api-task-data",
        reports: "allows wildcard actions everything but iam:* (NotAction)",
      },
      { what: "AdministratorAccess for a task", change: (p) => edit(p, "app-api-execution-managed", (i) => (i.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess")), on: "app-api-execution-managed", reports: "the owner-class role AdministratorAccess is granted to a workload identity (policyArn)" },
    ],
    unknown: (p) => edit(p, "app-api-task-data", (i) => (i.policy = synthUnknown)),
  },
};

describeControlCases("%s", awsReaders, () => production, cases);
