// What differs between dev, staging and production (REQUIREMENTS.md, "Environments"), read from the
// resources each committed stack file registers, and that each of those values can be overridden.
import { type RegisteredResource, runProgram, type SynthResult } from "../harness/run";

type Env = "dev" | "staging" | "production";

const T = {
  subnet: "aws:ec2/subnet:Subnet",
  nat: "aws:ec2/natGateway:NatGateway",
  scalingTarget: "aws:appautoscaling/target:Target",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  plan: "aws:backup/plan:Plan",
  vault: "aws:backup/vault:Vault",
  provider: "pulumi:providers:aws",
  kmsKey: "aws:kms/key:Key",
  bucket: "aws:s3/bucket:Bucket",
  secret: "aws:secretsmanager/secret:Secret",
  ecr: "aws:ecr/repository:Repository",
  alb: "aws:lb/loadBalancer:LoadBalancer",
  task: "aws:ecs/taskDefinition:TaskDefinition",
} as const;

/** Resources that hold data or identity: losing one loses something a redeploy cannot bring back. */
const statefulTypes = [T.kmsKey, T.bucket, T.vault, T.secret, T.logGroup, T.ecr, "aws:rds/instance:Instance"];

/** The stateful resources of the committed stacks: the key, secrets, data and log buckets, vault, registry, logs, and the database with its logs. */
const baseStateful = ["secrets-key", "secrets-JWT_SECRET", "secrets-ANTHROPIC_API_KEY", "backup-data", "backup-vault", "lb-logs", "app-api-repo", "app-api-logs", "backup-db", "backup-db-logs-postgresql", "backup-db-logs-upgrade", "app-DB-rotation-logs"];
/** Production adds flow logs and the backup copy's vault and key in the second region. */
const productionStateful = ["network-flow-logs", "backup-copy-key", "backup-copy-vault"];
/** Stacks with the monthly restore test (staging, production) keep its validation's logs. */
const restoreTestStateful = ["backup-restore-validation-logs"];

const ofType = (r: SynthResult, type: string): RegisteredResource[] => r.resources.filter((x) => x.type === type);
const one = (r: SynthResult, type: string, name: string): RegisteredResource => {
  const found = r.resources.find((x) => x.type === type && x.name === name);
  if (!found) throw new Error(`no ${type} named ${name}; have ${ofType(r, type).map((x) => x.name).join(", ")}`);
  return found;
};

interface Rule {
  ruleName: string;
  lifecycle: { deleteAfter: number };
  copyActions?: { destinationVaultArn: string; lifecycle: { deleteAfter: number } }[];
  enableContinuousBackup?: boolean;
}
const planRules = (r: SynthResult): Rule[] => one(r, T.plan, "backup-plan").inputs.rules as Rule[];
/** `platform-production-weekly` -> `weekly`. */
const ruleKind = (rule: Rule) => rule.ruleName.split("-").pop();

const containerEnv = (r: SynthResult, service = "api"): Record<string, string> => {
  const task = one(r, T.task, `app-${service}-task`);
  const [container] = JSON.parse(task.inputs.containerDefinitions as string) as { environment: { name: string; value: string }[] }[];
  return Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
};

async function run(stack: Env, set: string[] = []): Promise<SynthResult> {
  const result = await runProgram({ stack, set });
  if (result.error) throw result.error;
  return result;
}

const stacks: Record<Env, SynthResult> = {} as Record<Env, SynthResult>;
beforeAll(async () => {
  // One run per stack file, shared by the table below (each run is a whole program).
  for (const env of ["dev", "staging", "production"] as const) stacks[env] = await run(env);
});

describe.each([
  { env: "dev", zones: 2, nats: 1, min: 1, max: 2, appLogDays: 7, logLevel: "debug", mutability: "MUTABLE", protect: false },
  { env: "staging", zones: 2, nats: 1, min: 1, max: 4, appLogDays: 30, logLevel: "info", mutability: "MUTABLE", protect: false },
  { env: "production", zones: 3, nats: 3, min: 2, max: 10, appLogDays: 30, logLevel: "warn", mutability: "IMMUTABLE", protect: true },
] as const)("the $env stack file", (p) => {
  const r = () => stacks[p.env];

  it(`spreads the network over ${p.zones} zones, a public and a private subnet in each`, () => {
    const subnets = ofType(r(), T.subnet);
    expect(subnets).toHaveLength(2 * p.zones);
    expect(new Set(subnets.map((s) => s.inputs.availabilityZone)).size).toBe(p.zones);
  });

  it(`runs ${p.nats} NAT gateway(s), each in its own zone`, () => {
    const nats = ofType(r(), T.nat);
    expect(nats).toHaveLength(p.nats);
    expect(new Set(nats.map((n) => n.inputs.subnetId)).size).toBe(p.nats);
  });

  it(`scales the service between ${p.min} and ${p.max} tasks`, () => {
    const target = one(r(), T.scalingTarget, "scaling-api-target");
    expect([target.inputs.minCapacity, target.inputs.maxCapacity]).toEqual([p.min, p.max]);
  });

  it(`keeps application logs ${p.appLogDays} days`, () => {
    expect(one(r(), T.logGroup, "app-api-logs").inputs.retentionInDays).toBe(p.appLogDays);
  });

  it("keeps network (VPC) flow logs 365 days in production and has none elsewhere", () => {
    const flow = ofType(r(), T.logGroup).filter((g) => g.name === "network-flow-logs");
    if (p.env === "production") {
      expect(flow.map((g) => g.inputs.retentionInDays)).toEqual([365]);
      expect(ofType(r(), "aws:ec2/flowLog:FlowLog")).toHaveLength(1);
    } else {
      expect(flow).toEqual([]);
      expect(ofType(r(), "aws:ec2/flowLog:FlowLog")).toEqual([]);
    }
  });

  it(`sets LOG_LEVEL=${p.logLevel} and ENVIRONMENT=${p.env} in the task definition`, () => {
    expect(containerEnv(r())).toMatchObject({ LOG_LEVEL: p.logLevel, ENVIRONMENT: p.env });
  });

  it(`makes image tags ${p.mutability} in the registry`, () => {
    expect(one(r(), T.ecr, "app-api-repo").inputs.imageTagMutability).toBe(p.mutability);
  });

  it(`${p.protect ? "protects" : "does not protect"} every stateful resource`, () => {
    const stateful = r().resources.filter((x) => (statefulTypes as readonly string[]).includes(x.type));
    const expected = [...baseStateful, ...(p.env === "production" ? productionStateful : []), ...(p.env === "dev" ? [] : restoreTestStateful)];
    expect(stateful.map((x) => x.name).sort()).toEqual(expected.sort());
    for (const x of stateful) expect({ name: x.name, protect: x.protect, retainOnDelete: x.retainOnDelete }).toEqual({ name: x.name, protect: p.protect, retainOnDelete: p.protect });
  });

  it(`${p.protect ? "turns on" : "leaves off"} the load balancer's deletion protection`, () => {
    expect(one(r(), T.alb, "lb-alb").inputs.enableDeletionProtection).toBe(p.protect);
  });
});

describe("backup plans", () => {
  it("dev: daily backups kept 7 days, no copies", () => {
    const rules = planRules(stacks.dev);
    expect(rules.map((x) => [ruleKind(x), x.lifecycle.deleteAfter])).toEqual([["daily", 7]]);
    expect(rules.every((x) => x.copyActions === undefined)).toBe(true);
    expect(ofType(stacks.dev, T.provider)).toEqual([]);
  });

  it("staging: daily 7 days and weekly 4 weeks, no copies", () => {
    const rules = planRules(stacks.staging);
    expect(rules.map((x) => [ruleKind(x), x.lifecycle.deleteAfter])).toEqual([
      ["daily", 7],
      ["weekly", 28],
    ]);
    expect(rules.every((x) => x.copyActions === undefined)).toBe(true);
    expect(ofType(stacks.staging, T.provider)).toEqual([]);
  });

  it("production: daily, weekly and monthly (12 months), each copied to a vault in a second region", () => {
    const r = stacks.production;
    const rules = planRules(r);
    const scheduled = rules.filter((x) => !x.enableContinuousBackup);
    expect(scheduled.map((x) => [ruleKind(x), x.lifecycle.deleteAfter])).toEqual([
      ["daily", 7],
      ["weekly", 28],
      ["monthly", 366],
    ]);
    const copyVault = one(r, T.vault, "backup-copy-vault");
    for (const rule of scheduled) {
      expect(rule.copyActions).toHaveLength(1);
      expect(rule.copyActions![0].destinationVaultArn).toMatch(new RegExp(`:backup-vault:${copyVault.inputs.name}$`));
      expect(rule.copyActions![0].lifecycle.deleteAfter).toBe(rule.lifecycle.deleteAfter);
    }
    // The copy vault and its key are in another region than the stack's, through the stack's own provider.
    expect(ofType(r, T.provider)).toEqual([]);
    expect(copyVault.inputs.region).toBe("us-west-2");
    expect(one(r, T.kmsKey, "backup-copy-key").inputs.region).toBe("us-west-2");
    expect(r.outputs.region).toBe("us-east-1");
    expect(one(r, T.kmsKey, "backup-copy-key").protect).toBe(true);
  });

  it("production: continuous backup keeps point-in-time restore for the 1 h RPO", () => {
    const continuous = planRules(stacks.production).filter((x) => x.enableContinuousBackup);
    expect(continuous.map((x) => x.lifecycle.deleteAfter)).toEqual([7]);
  });
});

describe("every preset value can be overridden per stack", () => {
  it("dev with egress=perZone has a NAT in each of its 2 zones", async () => {
    const r = await run("dev", ["platform:network.egress=perZone"]);
    expect(ofType(r, T.nat)).toHaveLength(2);
  });

  it("production with egress=shared has one NAT for its 3 zones", async () => {
    const r = await run("production", ["platform:network.egress=shared"]);
    expect(ofType(r, T.nat)).toHaveLength(1);
    expect(ofType(r, T.subnet)).toHaveLength(6);
  });

  it("production with deletionProtection=false (acknowledged) is unprotected", async () => {
    const r = await run("production", ["platform:deletionProtection=false", "platform:acceptRisks[0]=deletionProtection"]);
    const stateful = r.resources.filter((x) => (statefulTypes as readonly string[]).includes(x.type));
    expect(stateful.map((x) => x.name).sort()).toEqual([...baseStateful, ...productionStateful, ...restoreTestStateful].sort());
    expect(stateful.filter((x) => x.protect || x.retainOnDelete).map((x) => x.name)).toEqual([]);
    expect(one(r, T.alb, "lb-alb").inputs.enableDeletionProtection).toBe(false);
  });

  it("dev with deletionProtection=true is protected", async () => {
    const r = await run("dev", ["platform:deletionProtection=true"]);
    const stateful = r.resources.filter((x) => (statefulTypes as readonly string[]).includes(x.type));
    expect(stateful.map((x) => x.name).sort()).toEqual([...baseStateful].sort());
    expect(stateful.filter((x) => !x.protect || !x.retainOnDelete).map((x) => x.name)).toEqual([]);
    expect(one(r, T.alb, "lb-alb").inputs.enableDeletionProtection).toBe(true);
  });

  it("dev with 3 zones, flow logs, other task counts, log level and retention", async () => {
    const r = await run("dev", [
      "platform:network.zones=3",
      "platform:network.flowLogs=true",
      "platform:services.api.minInstances=2",
      "platform:services.api.maxInstances=6",
      "platform:logs.level=warn",
      "platform:logs.appRetentionDays=30",
      "platform:logs.auditRetentionDays=400",
    ]);
    expect(ofType(r, T.subnet)).toHaveLength(6);
    expect(ofType(r, T.nat)).toHaveLength(1);
    const target = one(r, T.scalingTarget, "scaling-api-target");
    expect([target.inputs.minCapacity, target.inputs.maxCapacity]).toEqual([2, 6]);
    expect(containerEnv(r).LOG_LEVEL).toBe("warn");
    expect(one(r, T.logGroup, "app-api-logs").inputs.retentionInDays).toBe(30);
    expect(one(r, T.logGroup, "network-flow-logs").inputs.retentionInDays).toBe(400);
  });

  it("staging with monthly backups and a copy region", async () => {
    const r = await run("staging", ["platform:backup.monthlyRetentionMonths=12", "platform:backup.copyRegion=us-west-2"]);
    const rules = planRules(r);
    expect(rules.map((x) => [ruleKind(x), x.lifecycle.deleteAfter])).toEqual([
      ["daily", 7],
      ["weekly", 28],
      ["monthly", 366],
    ]);
    expect(rules.every((x) => x.copyActions?.length === 1)).toBe(true);
    expect(one(r, T.vault, "backup-copy-vault").inputs.region).toBe("us-west-2");
  });

  it("production with longer backups, another copy region and info logs", async () => {
    const r = await run("production", [
      "platform:backup.dailyRetentionDays=14",
      "platform:backup.weeklyRetentionWeeks=8",
      "platform:backup.copyRegion=eu-west-1",
      "platform:logs.level=info",
      "platform:services.api.minInstances=3",
      "platform:services.api.maxInstances=20",
    ]);
    const scheduled = planRules(r).filter((x) => !x.enableContinuousBackup);
    expect(scheduled.map((x) => [ruleKind(x), x.lifecycle.deleteAfter])).toEqual([
      ["daily", 14],
      ["weekly", 56],
      ["monthly", 366],
    ]);
    expect(one(r, T.vault, "backup-copy-vault").inputs.region).toBe("eu-west-1");
    expect(containerEnv(r).LOG_LEVEL).toBe("info");
    const target = one(r, T.scalingTarget, "scaling-api-target");
    expect([target.inputs.minCapacity, target.inputs.maxCapacity]).toEqual([3, 20]);
  });
});

describe("immutable image tags", () => {
  it("can be switched on outside production, and then refuse the tag latest", async () => {
    const refused = await runProgram({ stack: "dev", set: ["platform:immutableImageTags=true"] });
    expect(refused.error?.message).toContain('platform:services.api.imageTag: "latest" is not allowed: image tags are immutable here');
    expect(refused.resources).toEqual([]);
    const pinned = await runProgram({ stack: "dev", set: ["platform:immutableImageTags=true", "platform:services.api.imageTag=1.2.3"] });
    const repo = pinned.resources.find((r) => r.name === "app-api-repo");
    expect(repo?.inputs.imageTagMutability).toBe("IMMUTABLE");
  });
});
