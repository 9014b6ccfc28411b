import { type Plan, toPlan } from "../../tools/plan";
import { comparePlans, type PlanDiff } from "../../tools/planDiff";
import { awsReplacements } from "../../tools/replacements/aws";
import { replacementTables } from "../../tools/replacements";
import { randomReplacements } from "../../tools/replacements/random";
import { runProgram, type RunOptions } from "../harness/run";

// Each entry of the replacement table is exercised by a real run of the program whose config
// change changes that input, compared with the committed stack: the compare must call it a
// replacement. Inputs the program never varies are listed with the reason; a new table entry
// needs one or the other, or the coverage test fails.

interface Scenario {
  why: string;
  options: RunOptions;
  /** Resources that must be replaced, with the input that forces it. */
  replaced: [type: string, name: string, input: string][];
  blocked?: string[];
  /** Where many protected resources are replaced: these at least. */
  blockedAtLeast?: string[];
}

const scenarios: Scenario[] = [
  {
    why: "a service's port",
    options: { stack: "dev", set: ["platform:services.api.port=9000"] },
    replaced: [
      ["aws:lb/targetGroup:TargetGroup", "lb-tg-api", "port"],
      ["aws:lb/targetGroup:TargetGroup", "lb-tg-api", "name"],
      ["aws:ecs/taskDefinition:TaskDefinition", "app-api-task", "containerDefinitions"],
    ],
  },
  {
    why: "a service's size",
    options: { stack: "dev", set: ["platform:services.api.cpu=2", "platform:services.api.memory=4096"] },
    replaced: [
      ["aws:ecs/taskDefinition:TaskDefinition", "app-api-task", "cpu"],
      ["aws:ecs/taskDefinition:TaskDefinition", "app-api-task", "memory"],
    ],
  },
  {
    why: "the network's address block",
    options: { stack: "production", set: ["platform:network.cidr=10.1.0.0/16"] },
    replaced: [
      ["aws:ec2/vpc:Vpc", "network-vpc", "cidrBlock"],
      ["aws:ec2/subnet:Subnet", "network-private-us-east-1a", "cidrBlock"],
      ["aws:ec2/subnet:Subnet", "network-private-us-east-1a", "vpcId"],
      ["aws:ec2/securityGroup:SecurityGroup", "lb-sg", "vpcId"],
      ["aws:ec2/flowLog:FlowLog", "network-flow-log", "vpcId"],
      ["aws:ec2/natGateway:NatGateway", "network-nat-us-east-1a", "subnetId"],
    ],
  },
  {
    why: "the stack's name (every physical name)",
    options: { stack: "dev", stackName: "dev2" },
    replaced: [
      ["aws:iam/role:Role", "app-api-task-role", "name"],
      ["aws:ecs/cluster:Cluster", "app-cluster", "name"],
      ["aws:lb/loadBalancer:LoadBalancer", "lb-alb", "name"],
      ["aws:s3/bucket:Bucket", "backup-data", "bucket"],
    ],
  },
  {
    why: "production's stack name: its protected data stores, vaults, logs and secrets are BLOCKED",
    options: { stack: "production", stackName: "production2" },
    replaced: [
      ["aws:ec2/flowLog:FlowLog", "network-flow-log", "iamRoleArn"],
      ["aws:ec2/flowLog:FlowLog", "network-flow-log", "logDestination"],
      ["aws:s3/bucket:Bucket", "backup-data", "bucket"],
    ],
    blockedAtLeast: ["backup-data", "backup-vault", "backup-copy-vault", "network-flow-logs", "secrets-JWT_SECRET", "app-api-repo"],
  },
  {
    why: "the stack's region",
    options: { stack: "dev", set: ["aws:region=us-west-2"] },
    replaced: [
      ["aws:ec2/vpc:Vpc", "network-vpc", "region"],
      ["aws:kms/key:Key", "secrets-key", "region"],
      ["aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3-endpoint", "serviceName"],
    ],
  },
  {
    why: "the database's name (protected in production)",
    options: { stack: "production", set: ["platform:database.name=orders"] },
    replaced: [["aws:rds/instance:Instance", "backup-db", "dbName"]],
    blocked: ["backup-db"],
  },
  {
    why: "the database's major version",
    options: { stack: "staging", set: ["platform:database.version=17"] },
    replaced: [["aws:rds/parameterGroup:ParameterGroup", "backup-db-params", "family"]],
  },
  {
    why: "the backup copy's region (protected in production)",
    options: { stack: "production", set: ["platform:backup.copyRegion=us-west-1"] },
    replaced: [
      ["aws:backup/vault:Vault", "backup-copy-vault", "region"],
      ["aws:kms/key:Key", "backup-copy-key", "region"],
    ],
    blocked: ["backup-copy-vault", "backup-copy-key"],
  },
  {
    why: "the domain",
    options: { stack: "staging", set: ["platform:loadBalancer.domain=other.platform.example.com"] },
    replaced: [
      ["aws:acm/certificate:Certificate", "lb-certificate", "domainName"],
      ["aws:acm/certificateValidation:CertificateValidation", "lb-certificate-validation", "validationRecordFqdns"],
    ],
  },
  {
    why: "a generated secret's length",
    options: { stack: "dev", set: ["platform:secrets.JWT_SECRET.source=generated", "platform:secrets.JWT_SECRET.length=80"] },
    replaced: [["random:index/randomPassword:RandomPassword", "secrets-JWT_SECRET-value", "length"]],
  },
];

/** Inputs in the table that no config of the program changes, and why. */
const notExercisable: Record<string, string> = {
  "aws:acm/certificate:Certificate keyAlgorithm": "always the default RSA_2048",
  "aws:acm/certificate:Certificate validationMethod": "always DNS",
  "aws:appautoscaling/target:Target scalableDimension": "always ecs:service:DesiredCount",
  "aws:appautoscaling/target:Target serviceNamespace": "always ecs",
  "aws:appautoscaling/policy:Policy name": "the policy name is the logical name plus the metric, never config",
  "aws:backup/restoreTestingSelection:RestoreTestingSelection protectedResourceType": "always S3 or RDS per selection",
  "aws:ec2/eip:Eip domain": "always vpc",
  "aws:ec2/flowLog:FlowLog logDestinationType": "always cloud-watch-logs",
  "aws:ec2/flowLog:FlowLog maxAggregationInterval": "fixed at 60 seconds",
  "aws:ec2/flowLog:FlowLog trafficType": "always ALL",
  "aws:ec2/natGateway:NatGateway connectivityType": "always public",
  "aws:ec2/natGateway:NatGateway allocationId": "its Elastic IP is never replaced on its own (no input of it varies) and both are keyed by zone",
  "aws:ec2/securityGroup:SecurityGroup description": "fixed text per security group",
  "aws:ec2/subnet:Subnet availabilityZone": "subnets are keyed by zone: another zone is another subnet (create and delete)",
  "aws:ec2/vpcEndpoint:VpcEndpoint vpcEndpointType": "fixed per endpoint (Gateway for S3, Interface for the others)",
  "aws:ecr/lifecyclePolicy:LifecyclePolicy policy": "the same rules in every stack",
  "aws:ecs/service:Service launchType": "always FARGATE",
  "aws:ecs/taskDefinition:TaskDefinition networkMode": "always awsvpc",
  "aws:ecs/taskDefinition:TaskDefinition requiresCompatibilities": "always FARGATE",
  "aws:ecs/taskDefinition:TaskDefinition runtimePlatform": "always LINUX/X86_64",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment policyArn": "AWS managed policies, fixed per role",
  "aws:lambda/permission:Permission action": "always lambda:InvokeFunction",
  "aws:lambda/permission:Permission principal": "always events.amazonaws.com",
  "aws:lb/loadBalancer:LoadBalancer internal": "always internet-facing",
  "aws:lb/loadBalancer:LoadBalancer loadBalancerType": "always application",
  "aws:lb/targetGroup:TargetGroup protocol": "always HTTP to the tasks",
  "aws:lb/targetGroup:TargetGroup targetType": "always ip (Fargate)",
  "aws:rds/instance:Instance engine": "always postgres",
  "aws:rds/instance:Instance storageEncrypted": "always true",
  "aws:rds/instance:Instance username": "fixed master user name",
  "aws:rds/parameterGroup:ParameterGroup description": "fixed text",
  "aws:route53/healthCheck:HealthCheck requestInterval": "fixed at 30 seconds",
  "aws:route53/healthCheck:HealthCheck type": "always HTTPS",
  "aws:route53/record:Record zoneId": "the zone must exist in the account: the mocks know one zone",
  "aws:s3/bucketObjectv2:BucketObjectv2 key": "always .platform/restore-canary.json",
  "aws:sns/topicSubscription:TopicSubscription endpoint": "subscriptions are keyed by endpoint: another address is another subscription",
  "aws:sns/topicSubscription:TopicSubscription protocol": "fixed per kind of target",
  "aws:wafv2/webAcl:WebAcl scope": "always REGIONAL",
};

const committed = new Map<string, Promise<Plan>>();
const basePlan = (stack: string) => committed.get(stack) ?? committed.set(stack, runProgram({ stack }).then(toPlan)).get(stack)!;

const results = new Map<Scenario, PlanDiff>();
beforeAll(async () => {
  for (const s of scenarios) {
    const run = await runProgram(s.options);
    if (run.error) throw new Error(`${s.why}: ${run.error.message}`);
    results.set(s, comparePlans(await basePlan(s.options.stack), toPlan(run)));
  }
}, 120_000);

/** `type input` of every change the compare found forcing a replacement, in any scenario. */
function exercised(): Set<string> {
  const seen = new Set<string>();
  for (const diff of results.values()) {
    for (const c of diff.changes) for (const x of c.changes) if (x.forces) seen.add(`${c.type} ${x.path.split(/[.[]/)[0]}`);
  }
  return seen;
}

describe("the replacement table against real runs of the program", () => {
  it.each(scenarios.map((s) => [s.why, s] as const))("%s", (_why, s) => {
    const diff = results.get(s)!;
    for (const [type, name, input] of s.replaced) {
      const change = diff.changes.find((c) => c.type === type && c.name === name);
      expect({ type, name, kind: change?.kind }).toEqual({ type, name, kind: "replace" });
      expect(change!.changes.filter((x) => x.forces).map((x) => x.path.split(/[.[]/)[0])).toContain(input);
    }
    const blocked = diff.changes.filter((c) => c.blocked).map((c) => c.name);
    if (s.blockedAtLeast) expect(blocked).toEqual(expect.arrayContaining(s.blockedAtLeast));
    else expect(blocked).toEqual(s.blocked ?? []);
  });

  it("exercises every entry of the AWS and random tables, or says why the program never changes it", () => {
    const seen = exercised();
    const entries = [...Object.entries(awsReplacements), ...Object.entries(randomReplacements)].flatMap(([type, rule]) => (rule.inputs === "*" ? [] : rule.inputs.map((input) => `${type} ${input}`)));
    const missing = entries.filter((e) => !seen.has(e) && !notExercisable[e]);
    expect(missing).toEqual([]);
    // A reason for an input that a scenario does exercise is stale.
    expect(Object.keys(notExercisable).filter((e) => seen.has(e))).toEqual([]);
    expect(Object.keys(notExercisable).filter((e) => !entries.includes(e))).toEqual([]);
  });

  it("changes in place what the table does not name: a database's size, an alarm's threshold, a retention", async () => {
    const run = await runProgram({ stack: "production", set: ["platform:database.size=large", "platform:alarms.thresholds.cpuWarningPercent=75", "platform:backup.dailyRetentionDays=14"] });
    expect(run.error).toBeUndefined();
    const diff = comparePlans(await basePlan("production"), toPlan(run));
    expect(diff.counts).toMatchObject({ replace: 0, delete: 0, create: 0, blocked: 0 });
    const kinds = Object.fromEntries(diff.changes.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({ "backup-db": "update", "alarms-api-cpu-warning": "update", "backup-plan": "update" });
  });
});

describe("the replacement table itself", () => {
  it("covers every AWS and random type the committed stacks register", async () => {
    const types = new Set<string>();
    for (const stack of ["dev", "staging", "production"]) for (const r of (await basePlan(stack)).resources) if (r.custom) types.add(r.type);
    const known = new Set(Object.values(replacementTables).flatMap((t) => Object.keys(t)));
    expect([...types].filter((t) => !known.has(t))).toEqual([]);
  });

  it("names its source for every entry", () => {
    for (const table of Object.values(replacementTables)) {
      for (const [type, rule] of Object.entries(table)) expect({ type, source: rule.source }).toEqual({ type, source: expect.stringMatching(/^(terraform-provider-(aws|random|google-beta)|azure-native) \w+/) });
    }
  });
});
