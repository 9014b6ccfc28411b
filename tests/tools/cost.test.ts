import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { compareCost, estimateCost, pricesDir, type PriceTable } from "../../tools/cost";
import { type Plan, type PlanResource, toPlan } from "../../tools/plan";
import { runProgram } from "../harness/run";

const resource = (type: string, name: string, inputs: Record<string, unknown>): PlanResource => ({ type, name, parent: null, custom: true, protect: false, inputs });
const plan = (resources: PlanResource[], region = "us-east-1"): Plan => ({ stack: "t", cloud: "aws", environment: "dev", region, resources, outputs: {} });

// A price table written for the test, so that the arithmetic is checked against numbers chosen here.
function priceDir(prices: Record<string, number>, region = "us-east-1"): string {
  const dir = mkdtempSync(path.join(tmpdir(), "prices-"));
  const table: PriceTable = {
    cloud: "aws",
    region,
    currency: "USD",
    date: "2026-01-01",
    hoursPerMonth: 730,
    prices: Object.fromEntries(Object.entries(prices).map(([k, price]) => [k, { price, unit: "unit", source: "test" }])),
  };
  writeFileSync(path.join(dir, `aws.${region}.json`), JSON.stringify(table));
  return dir;
}

const service = (desiredCount: number, minCapacity?: number) => [
  resource("aws:ecs/taskDefinition:TaskDefinition", "task", { family: "p-api", cpu: "512", memory: "1024", runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" } }),
  resource("aws:ecs/service:Service", "svc", { name: "p-api", cluster: "arn:aws:ecs:us-east-1:1:cluster/p", launchType: "FARGATE", desiredCount, taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/p-api:1" }),
  ...(minCapacity === undefined ? [] : [resource("aws:appautoscaling/target:Target", "scale", { resourceId: "service/p/p-api", minCapacity, maxCapacity: 10 })]),
];

describe("estimateCost: fixed-cost drivers from the plan, priced from the table", () => {
  it("prices a known plan to a known total", () => {
    const dir = priceDir({
      "ec2.natGateway.hour": 0.05,
      "ec2.publicIpv4.hour": 0.01,
      "elb.application.hour": 0.02,
      "wafv2.webAcl.month": 5,
      "wafv2.rule.month": 1,
      "rds.postgres.db.t4g.small.hour": 0.04,
      "rds.storage.gp3.gbMonth": 0.1,
      "fargate.linux.x86_64.vcpuHour": 0.04,
      "fargate.linux.x86_64.gbHour": 0.004,
      "kms.key.month": 1,
      "secretsmanager.secret.month": 0.4,
      "cloudwatch.alarmMetric.month": 0.1,
      "cloudwatch.dashboard.month": 3,
      "route53.healthCheck.awsEndpoint.month": 0.5,
      "route53.healthCheck.httpsOption.month": 1,
      "vpc.interfaceEndpoint.azHour": 0.01,
    });
    const p = plan([
      resource("aws:ec2/natGateway:NatGateway", "nat-a", {}),
      resource("aws:ec2/natGateway:NatGateway", "nat-b", {}),
      resource("aws:ec2/eip:Eip", "eip-a", { domain: "vpc" }),
      resource("aws:ec2/eip:Eip", "eip-b", { domain: "vpc" }),
      resource("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", internal: false, subnets: ["a", "b", "c"] }),
      resource("aws:wafv2/webAcl:WebAcl", "acl", { rules: [{}, {}] }),
      resource("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.t4g.small", multiAz: true, allocatedStorage: 20, storageType: "gp3" }),
      ...service(1, 2),
      resource("aws:kms/key:Key", "key", {}),
      resource("aws:secretsmanager/secret:Secret", "s1", {}),
      resource("aws:secretsmanager/secret:Secret", "s2", {}),
      resource("aws:cloudwatch/metricAlarm:MetricAlarm", "plain", {}),
      resource("aws:cloudwatch/metricAlarm:MetricAlarm", "math", { metricQueries: [{ id: "e", expression: "a/b" }, { id: "a", metric: {} }, { id: "b", metric: {} }] }),
      resource("aws:cloudwatch/dashboard:Dashboard", "dash", {}),
      resource("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS" }),
      resource("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr", { vpcEndpointType: "Interface", serviceName: "com.amazonaws.us-east-1.ecr.api", subnetIds: ["a", "b"] }),
      resource("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.us-east-1.s3" }),
    ]);
    const cost = estimateCost(p, dir)!;
    const amounts = Object.fromEntries(cost.lines.map((l) => [l.item, l.monthly]));
    expect(amounts).toEqual({
      "NAT gateways": 73, // 2 × 730 h × 0.05
      "public IPv4 addresses (Elastic IPs)": 14.6, // 2 × 730 × 0.01
      "Application Load Balancers": 14.6,
      "public IPv4 addresses (load balancer, one per zone at least)": 21.9, // 3 subnets
      "WAF web ACLs": 5,
      "WAF rules": 2,
      "database instance (db)": 58.4, // Multi-AZ: 2 × 730 × 0.04
      "database storage (db)": 4, // 20 GB × 2 × 0.1
      "Fargate vCPU (p-api)": 29.2, // 2 × 0.5 vCPU × 730 × 0.04
      "Fargate memory (p-api)": 5.84, // 2 × 1 GB × 730 × 0.004
      "KMS customer managed keys": 1,
      "Secrets Manager secrets": 0.8,
      "CloudWatch alarms": 0.3, // 1 + 2 metrics
      "CloudWatch dashboards": 3,
      "Route 53 health checks": 0.5,
      "Route 53 health check option: HTTPS": 1,
      "interface endpoint api": 14.6, // 2 zones × 730 × 0.01
    });
    expect(cost.monthly).toBe(249.74);
    expect(cost.unpriced).toEqual([]);
    expect(cost.tables).toEqual([{ region: "us-east-1", date: "2026-01-01", file: expect.stringMatching(/aws\.us-east-1\.json$/) }]);
  });

  it("counts a service's tasks at its autoscaling minimum, else its desired count, and a held service at 0", () => {
    const dir = priceDir({ "fargate.linux.x86_64.vcpuHour": 1, "fargate.linux.x86_64.gbHour": 1 });
    const vcpuHours = (resources: PlanResource[]) => estimateCost(plan(resources), dir)!.lines.find((l) => l.item.startsWith("Fargate vCPU"))?.quantity;
    expect(vcpuHours(service(1, 3))).toBe(3 * 0.5 * 730);
    expect(vcpuHours(service(2))).toBe(2 * 0.5 * 730);
    expect(vcpuHours(service(0))).toBeUndefined();
  });

  it("never quotes a price missing from the table: the line says not priced and stays out of the total", () => {
    const dir = priceDir({ "kms.key.month": 1 });
    const cost = estimateCost(plan([resource("aws:kms/key:Key", "k", {}), resource("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.x9.huge", multiAz: false, allocatedStorage: 10, storageType: "gp3" })]), dir)!;
    expect(cost.monthly).toBe(1);
    expect(cost.unpriced.map((l) => [l.item, l.priceKey, l.unitPrice, l.monthly])).toEqual([
      ["database instance (db)", "rds.postgres.db.x9.huge.hour", undefined, undefined],
      ["database storage (db)", "rds.storage.gp3.gbMonth", undefined, undefined],
    ]);
    expect(cost.usage.find((u) => u.priceKey === "rds.backup.gbMonth")).toEqual({ item: expect.any(String), priceKey: "rds.backup.gbMonth", region: "us-east-1" });
  });

  it("is region-aware: a region without a table prices nothing, and a resource in another region uses that region's table", () => {
    const dir = priceDir({ "kms.key.month": 1 });
    const elsewhere = estimateCost(plan([resource("aws:kms/key:Key", "k", {})], "eu-west-1"), dir)!;
    expect(elsewhere.monthly).toBe(0);
    expect(elsewhere.unpriced).toHaveLength(1);
    expect(elsewhere.notes).toEqual([expect.stringContaining("No price table for aws eu-west-1")]);
    const copy = estimateCost(plan([resource("aws:kms/key:Key", "k", {}), resource("aws:kms/key:Key", "copy", { region: "us-west-2" })]), dir)!;
    expect(copy.lines.map((l) => [l.item, l.region, l.monthly])).toEqual([
      ["KMS customer managed keys", "us-east-1", 1],
      ["KMS customer managed keys (us-west-2)", "us-west-2", undefined],
    ]);
  });

  it("gives no estimate for a cloud without an estimator rather than a wrong one", () => {
    expect(estimateCost({ ...plan([]), cloud: "oci", region: "ap-tokyo-1" })).toBeUndefined();
  });
});

describe("the committed stacks with the committed price table", () => {
  const committed = async (stack: string, set?: string[]) => {
    const run = await runProgram({ stack, set });
    expect(run.error).toBeUndefined();
    return toPlan(run);
  };

  it("prices dev in full, and names what production leaves unpriced", async () => {
    const dev = estimateCost(await committed("dev"))!;
    expect(dev.unpriced).toEqual([]);
    // 1 NAT, 3 public IPv4, ALB, WAF ACL + 1 rule, db.t4g.small, 20 GB gp3, 1 task of 1 vCPU / 2 GB, 1 key, 2 secrets, 23 alarm metrics, 1 dashboard.
    expect(dev.monthly).toBe(135.03);
    const production = estimateCost(await committed("production"))!;
    expect(production.unpriced.map((l) => `${l.priceKey} ${l.region}`)).toEqual([
      "rds.postgres.db.m7g.large.hour us-east-1",
      "kms.key.month us-west-2",
      "route53.healthCheck.httpsOption.month us-east-1",
    ]);
    expect(production.lines.find((l) => l.priceKey === "rds.storage.gp3.gbMonth")).toMatchObject({ quantity: 100, detail: "50 GB gp3 × 2 (standby)" });
  });

  it("shows the difference a change makes: one more minimum task in dev", async () => {
    const before = estimateCost(await committed("dev"))!;
    const after = estimateCost(await committed("dev", ["platform:services.api.minInstances=2"]))!;
    const delta = compareCost(before, after);
    // One more task of 1 vCPU and 2 GB for 730 h: 730 × 0.04048 + 1460 × 0.004445.
    expect(delta.delta).toBe(36.04);
    expect(delta.lines.map((l) => [l.item, l.before, l.after])).toEqual([
      ["Fargate vCPU (platform-dev-api)", 29.55, 59.1],
      ["Fargate memory (platform-dev-api)", 6.49, 12.98],
    ]);
    expect(after.lines.find((l) => l.item === "Fargate vCPU (platform-dev-api)")?.detail).toBe("2 tasks (autoscaling minimum) × 1 vCPU × 730 h");
  });
});

describe("the price tables", () => {
  it.each(readdirSync(pricesDir).filter((f) => f.endsWith(".json")))("%s is dated, and every price has a unit and a source", (file) => {
    const table = JSON.parse(readFileSync(path.join(pricesDir, file), "utf8")) as PriceTable;
    expect(file).toBe(`${table.cloud}.${table.region}.json`);
    expect(table.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(table.prices).length).toBeGreaterThan(0);
    for (const [key, price] of Object.entries(table.prices)) {
      expect({ key, ok: price.price > 0 && price.unit.length > 0 && /aws\.amazon\.com|\w+\.\w+/.test(price.source) }).toEqual({ key, ok: true });
    }
  });
});
