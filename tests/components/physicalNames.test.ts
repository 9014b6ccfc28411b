// Runs the real program and checks every physical name it gives a cloud resource against that
// cloud's rule (the mocks accept any name; the clouds do not), for a plain stack name and for a
// long, odd preview-environment stack name, and that no two resources of one type share a name.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { NamingError, nameRules, type NameRule, type NameRuleName } from "../../components/naming";
import { runProgram, type RegisteredResource, type SynthResult } from "../harness/run";
import { physicalNamesOf } from "./physicalNameFields";

const longStackName = "feature-very-long-branch-name-for-preview-environments-123.x_y";
/** The longest service name the config accepts (2-30 chars). */
const longService = "customer-notification-dispatch";
const longServiceConfig = [
  `platform:services.${longService}.port=8080`,
  `platform:services.${longService}.imageTag=2.3.1`,
  `platform:services.${longService}.pathPatterns[0]=/notify/*`,
];

/** One physical name a resource sets, with where it sits in the inputs. */
interface NameUse {
  path: string;
  value: unknown;
  check: (value: string) => string[];
}

/** Failures of `value` against a rule from nameRules (its whole length; no suffix is added). */
function against(ruleName: NameRuleName, value: string, maxLength?: number): string[] {
  const r: NameRule = nameRules[ruleName];
  const out: string[] = [];
  const limit = maxLength ?? r.maxLength;
  if (!r.valid.test(value)) out.push(`does not match ${ruleName} ${r.valid}`);
  if (value.length > limit) out.push(`${value.length} chars > ${limit}`);
  if ([...value].length < r.minLength) out.push(`shorter than ${r.minLength}`);
  if (r.lowercase && value !== value.toLowerCase()) out.push("not lowercase");
  return out;
}

const rule =
  (ruleName: NameRuleName) =>
  (value: string): string[] =>
    against(ruleName, value);

/** KMS alias: `alias/` and a name; `alias/aws/` is reserved for AWS managed keys; 256 chars in all. */
function kmsAlias(value: string): string[] {
  if (!value.startsWith("alias/")) return ["does not start with alias/"];
  if (value.startsWith("alias/aws/")) return ["starts with the reserved alias/aws/"];
  return against("awsKmsAlias", value.slice("alias/".length), 256 - "alias/".length);
}

/** S3 bucket as registered: our name, `-` and the 8-hex random suffix; 3-63 lowercase in all. */
function s3Bucket(value: string): string[] {
  const out: string[] = [];
  const m = /^(.*)-([0-9a-f]{8})$/.exec(value);
  if (!m) return ["does not end with - and the 8-hex random suffix"];
  if (m[1].length > nameRules.awsS3Bucket.maxLength - nameRules.awsS3Bucket.reservedSuffix) out.push("leaves no room for the random suffix");
  out.push(...against("awsS3Bucket", value));
  return out;
}

/**
 * WAF visibility metric name: the API pattern is ^[\w#:.\-/]+$ up to 255, but the documentation of
 * the field says letters, digits, - and _, 1-128, no reserved names (All, Default_Action).
 * https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html
 */
function wafMetricName(value: string): string[] {
  const out = against("awsWafName", value);
  if (value === "All" || value === "Default_Action") out.push("is a metric name reserved by WAF");
  return out;
}

/**
 * RDS DB snapshot identifier (DeleteDBInstance FinalDBSnapshotIdentifier): 1-255 letters, digits and
 * hyphens, a letter first, no two consecutive hyphens, no hyphen last.
 */
function rdsSnapshotIdentifier(value: string): string[] {
  const out: string[] = [];
  if (!/^(?!.*--)[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(value)) out.push("is not 1-255 letters, digits and single hyphens starting with a letter");
  if (value.length > 255) out.push(`${value.length} chars > 255`);
  return out;
}

const at = (value: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);

/** Per resource type, the physical names it sets and the rule each must satisfy. */
const namesOf: Record<string, (inputs: Record<string, unknown>) => NameUse[]> = {
  "aws:lb/loadBalancer:LoadBalancer": (i) => [{ path: "name", value: i.name, check: rule("awsLoadBalancer") }],
  "aws:lb/targetGroup:TargetGroup": (i) => [{ path: "name", value: i.name, check: rule("awsTargetGroup") }],
  "aws:iam/role:Role": (i) => [{ path: "name", value: i.name, check: rule("awsIamRole") }],
  "aws:backup/vault:Vault": (i) => [{ path: "name", value: i.name, check: rule("awsBackupName") }],
  "aws:backup/plan:Plan": (i) => [
    { path: "name", value: i.name, check: rule("awsBackupName") },
    ...((i.rules as Record<string, unknown>[] | undefined) ?? []).map((r, n) => ({ path: `rules[${n}].ruleName`, value: r.ruleName, check: rule("awsBackupName") })),
  ],
  "aws:backup/selection:Selection": (i) => [{ path: "name", value: i.name, check: rule("awsBackupName") }],
  "aws:backup/restoreTestingPlan:RestoreTestingPlan": (i) => [{ path: "name", value: i.name, check: rule("awsRestoreTestingName") }],
  "aws:backup/restoreTestingSelection:RestoreTestingSelection": (i) => [{ path: "name", value: i.name, check: rule("awsRestoreTestingName") }],
  "aws:ecr/repository:Repository": (i) => [{ path: "name", value: i.name, check: rule("awsEcrRepository") }],
  "aws:cloudwatch/logGroup:LogGroup": (i) => [{ path: "name", value: i.name, check: rule("awsLogGroup") }],
  "aws:sns/topic:Topic": (i) => [{ path: "name", value: i.name, check: rule("awsSnsTopic") }],
  "aws:cloudwatch/metricAlarm:MetricAlarm": (i) => [{ path: "name", value: i.name, check: rule("awsAlarm") }],
  "aws:cloudwatch/dashboard:Dashboard": (i) => [{ path: "dashboardName", value: i.dashboardName, check: rule("awsDashboard") }],
  "aws:wafv2/webAcl:WebAcl": (i) => [
    { path: "name", value: i.name, check: rule("awsWafName") },
    { path: "visibilityConfig.metricName", value: at(i, "visibilityConfig.metricName"), check: wafMetricName },
    ...((i.rules as Record<string, unknown>[] | undefined) ?? []).flatMap((r, n) => [
      { path: `rules[${n}].name`, value: r.name, check: rule("awsWafName") },
      { path: `rules[${n}].visibilityConfig.metricName`, value: at(r, "visibilityConfig.metricName"), check: wafMetricName },
    ]),
  ],
  "aws:secretsmanager/secret:Secret": (i) => [{ path: "name", value: i.name, check: rule("awsSecret") }],
  "aws:ecs/cluster:Cluster": (i) => [{ path: "name", value: i.name, check: rule("awsEcsName") }],
  "aws:ecs/service:Service": (i) => [{ path: "name", value: i.name, check: rule("awsEcsName") }],
  "aws:ecs/taskDefinition:TaskDefinition": (i) => [{ path: "family", value: i.family, check: rule("awsEcsName") }],
  "aws:ec2/securityGroup:SecurityGroup": (i) => [{ path: "name", value: i.name, check: rule("awsSecurityGroup") }],
  "aws:kms/alias:Alias": (i) => [{ path: "name", value: i.name, check: kmsAlias }],
  "aws:s3/bucket:Bucket": (i) => [{ path: "bucket", value: i.bucket, check: s3Bucket }],
  "aws:lambda/function:Function": (i) => [{ path: "name", value: i.name, check: rule("awsLambdaFunction") }],
  "aws:cloudwatch/eventRule:EventRule": (i) => [{ path: "name", value: i.name, check: rule("awsEventRule") }],
  "aws:rds/instance:Instance": (i) => [
    { path: "identifier", value: i.identifier, check: rule("awsRdsInstance") },
    // Only where a final snapshot is taken (not in dev).
    ...(i.skipFinalSnapshot === false ? [{ path: "finalSnapshotIdentifier", value: i.finalSnapshotIdentifier, check: rdsSnapshotIdentifier }] : []),
  ],
  "aws:rds/subnetGroup:SubnetGroup": (i) => [{ path: "name", value: i.name, check: rule("awsRdsGroup") }],
  "aws:rds/parameterGroup:ParameterGroup": (i) => [{ path: "name", value: i.name, check: rule("awsRdsGroup") }],
};

/** Types whose `name` input is not a physical name we build (a DNS record name, for example). */
const notOurNames = new Set(["aws:route53/record:Record"]);

/** The single physical name per resource that must be unique within its type. */
const primaryName = (r: RegisteredResource): unknown => namesOf[r.type]?.(r.inputs)[0]?.value;

const restoreTestOn = "platform:backup.monthlyRestoreTest=true";

const scenarios: { title: string; options: Parameters<typeof runProgram>[0] }[] = [
  { title: `production config under the stack name ${longStackName}`, options: { stack: "production", stackName: longStackName, set: longServiceConfig } },
  // Dev turns on the restore test so that every kind of named resource is planned.
  { title: "the dev stack", options: { stack: "dev", set: [restoreTestOn] } },
  { title: `dev config under the stack name ${longStackName} with a 30-char service`, options: { stack: "dev", stackName: longStackName, set: [...longServiceConfig, restoreTestOn] } },
];

describe.each(scenarios)("physical names of $title", ({ options }) => {
  let result: SynthResult;
  beforeAll(async () => {
    result = await runProgram(options);
  });

  it("runs without error and registers every kind of named resource", () => {
    expect(result.error).toBeUndefined();
    const types = new Set(result.resources.map((r) => r.type));
    for (const type of Object.keys(namesOf)) expect({ type, registered: types.has(type) }).toEqual({ type, registered: true });
  });

  it("sets every name explicitly, and each satisfies the cloud's rule", () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of result.resources) {
      const uses = namesOf[r.type]?.(r.inputs) ?? [];
      for (const use of uses) {
        checked++;
        if (typeof use.value !== "string") {
          failures.push(`${r.type} ${r.name} ${use.path}: not set (${JSON.stringify(use.value)})`);
          continue;
        }
        for (const problem of use.check(use.value)) failures.push(`${r.type} ${r.name} ${use.path} ${JSON.stringify(use.value)}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  it("has a rule for every AWS resource type that takes a name", () => {
    const unmapped = new Set<string>();
    for (const r of result.resources) {
      if (!r.custom || !r.type.startsWith("aws:") || notOurNames.has(r.type) || r.type in namesOf) continue;
      if (typeof r.inputs.name === "string" || typeof r.inputs.family === "string") unmapped.add(r.type);
      if (typeof r.inputs.bucket === "string" && r.type.startsWith("aws:s3/bucket:")) unmapped.add(r.type);
    }
    expect([...unmapped]).toEqual([]);
  });

  it("gives no two resources of one type the same physical name (case-insensitively)", () => {
    const byType = new Map<string, Map<string, string>>();
    const clashes: string[] = [];
    for (const r of result.resources) {
      const name = primaryName(r);
      if (typeof name !== "string") continue;
      const seen = byType.get(r.type) ?? new Map<string, string>();
      byType.set(r.type, seen);
      const key = name.toLowerCase();
      const other = seen.get(key);
      if (other) clashes.push(`${r.type}: ${other} and ${r.name} are both ${JSON.stringify(name)}`);
      seen.set(key, r.name);
    }
    expect(clashes).toEqual([]);
  });

  it("gives the rules of a backup plan distinct names", () => {
    for (const plan of result.resources.filter((r) => r.type === "aws:backup/plan:Plan")) {
      const names = ((plan.inputs.rules as Record<string, unknown>[]) ?? []).map((r) => String(r.ruleName).toLowerCase());
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it("keeps every AWS tag value within the tag rules", () => {
    const failures: string[] = [];
    for (const r of result.resources) {
      const tags = r.inputs.tags as Record<string, unknown> | undefined;
      if (!r.type.startsWith("aws:") || !tags) continue;
      for (const [key, value] of Object.entries(tags)) {
        if (key.length > 128 || /^aws:/i.test(key)) failures.push(`${r.type} ${r.name} tag key ${key}`);
        if (typeof value === "string" && (!nameRules.awsTagValue.valid.test(value) || value.length > 256)) {
          failures.push(`${r.type} ${r.name} tag ${key}=${JSON.stringify(value)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("catch names the clouds would refuse", () => {
    expect(rule("awsLoadBalancer")("a".repeat(33))).not.toEqual([]);
    expect(rule("awsLoadBalancer")("internal-platform")).not.toEqual([]);
    expect(rule("awsTargetGroup")("-platform-dev")).not.toEqual([]);
    expect(rule("awsIamRole")("platform dev")).not.toEqual([]);
    expect(rule("awsBackupName")("platform.dev")).not.toEqual([]);
    expect(rule("awsEcrRepository")("Platform/dev")).not.toEqual([]);
    expect(rule("awsSecurityGroup")("sg-platform")).not.toEqual([]);
    expect(kmsAlias("platform/dev")).not.toEqual([]);
    expect(kmsAlias("alias/aws/platform")).not.toEqual([]);
    expect(kmsAlias(`alias/${"a".repeat(251)}`)).not.toEqual([]);
    expect(kmsAlias("alias/platform/dev")).toEqual([]);
    expect(s3Bucket("platform-dev-data")).not.toEqual([]);
    expect(s3Bucket("Platform-dev-data-0a1b2c3d")).not.toEqual([]);
    expect(s3Bucket(`${"a".repeat(55)}-0a1b2c3d`)).not.toEqual([]);
    expect(s3Bucket(`${"a".repeat(54)}-0a1b2c3d`)).toEqual([]);
    expect(wafMetricName("All")).not.toEqual([]);
    expect(wafMetricName("a".repeat(129))).not.toEqual([]);
    expect(rule("awsRdsInstance")("platform-dev-db")).toEqual([]);
    expect(rule("awsRdsInstance")("platform--dev-db")).not.toEqual([]);
    expect(rule("awsRdsInstance")("platform-dev-db-")).not.toEqual([]);
    expect(rule("awsRdsInstance")("1platform-dev-db")).not.toEqual([]);
    expect(rule("awsRdsInstance")("Platform-dev-db")).not.toEqual([]);
    expect(rule("awsRdsInstance")(`p${"a".repeat(63)}`)).not.toEqual([]);
    expect(rule("awsRdsGroup")("default")).not.toEqual([]);
    expect(rdsSnapshotIdentifier("platform-production-db-final-0a1b2c3d")).toEqual([]);
    expect(rdsSnapshotIdentifier("platform-production-db--final")).not.toEqual([]);
  });
});

describe("service names the config refuses", () => {
  it("refuses a 32-char service name before any resource is named", async () => {
    const result = await runProgram({
      stack: "production",
      stackName: longStackName,
      set: ["platform:services.customer-notification-dispatcher.port=8080", "platform:services.customer-notification-dispatcher.pathPatterns[0]=/notify/*"],
    });
    expect(result.error).toBeDefined();
    expect(result.error).not.toBeInstanceOf(NamingError);
    expect(result.error?.message).toContain('"customer-notification-dispatcher" is not allowed: expected a service name of 2-30 lowercase letters');
    expect(result.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});

describe("the committed stacks keep their physical names", () => {
  // Recorded from main (de56063) before names carried hashes: a changed physical name replaces the
  // resource, and for buckets, vaults, secrets and log groups that loses data.
  const recorded = JSON.parse(readFileSync(path.join(__dirname, "committedPhysicalNames.json"), "utf8")) as Record<string, Record<string, Record<string, string>>>;
  const seedServices = ["frontend", "auth", "tenant", "settings"].map((s) => `platform:services.${s}.imageTag=1.0.0`);
  const runs: Record<string, Parameters<typeof runProgram>[0]> = {
    dev: { stack: "dev" },
    staging: { stack: "staging" },
    production: { stack: "production" },
    "production with the seed services": { stack: "production", set: seedServices },
  };

  it.each(Object.keys(runs))("%s: every recorded resource still sets exactly the names it had", async (title) => {
    const result = await runProgram(runs[title]);
    expect(result.error).toBeUndefined();
    const now = physicalNamesOf(result);
    const changed: string[] = [];
    for (const [resource, names] of Object.entries(recorded[title])) {
      for (const [field, name] of Object.entries(names)) {
        if (now[resource]?.[field] !== name) changed.push(`${resource} ${field}: ${JSON.stringify(name)} -> ${JSON.stringify(now[resource]?.[field])}`);
      }
    }
    expect(changed).toEqual([]);
    expect(Object.keys(recorded[title]).length).toBeGreaterThan(50);
  });
});
