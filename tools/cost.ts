// A monthly cost estimate of a plan from the dated price tables in tools/prices/: the fixed-cost
// drivers (what runs whether or not anyone uses the platform) priced from the plan's inputs, and the
// usage-based items as unit prices. A price that is not in the table of the resource's region is
// reported as not priced; nothing is guessed or carried over from another region.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { type Plan, type PlanResource, planRegion } from "./plan";

export interface Price {
  price: number;
  unit: string;
  source: string;
}

export interface PriceTable {
  cloud: string;
  region: string;
  currency: string;
  /** When the prices were compiled (each source says how old its figure is). */
  date: string;
  hoursPerMonth: number;
  prices: Record<string, Price>;
}

export interface CostLine {
  /** What is paid for: `NAT gateways`, `database instance (backup-db)`. */
  item: string;
  /** How the quantity was found: `3 × 730 h`. */
  detail: string;
  quantity: number;
  /** The key in the price table; its unit is the quantity's unit. */
  priceKey: string;
  region: string;
  /** Undefined when the price is not in the region's table. */
  unitPrice?: number;
  monthly?: number;
}

export interface UsageLine {
  item: string;
  priceKey: string;
  region: string;
  unit?: string;
  unitPrice?: number;
}

export interface CostEstimate {
  stack: string;
  cloud: string;
  region: string;
  currency: string;
  /** The tables the estimate read, with their dates. */
  tables: { region: string; date: string; file: string }[];
  lines: CostLine[];
  usage: UsageLine[];
  /** The sum of the priced lines; unpriced lines are listed, never estimated. */
  monthly: number;
  unpriced: CostLine[];
  notes: string[];
}

export const pricesDir = path.join(__dirname, "prices");

export class PriceTableError extends Error {}

/** Prices of a cloud's region, or undefined when the repository has no table for it. */
export class PriceBook {
  private readonly tables = new Map<string, PriceTable | undefined>();
  constructor(
    readonly cloud: string,
    private readonly dir = pricesDir,
  ) {}

  table(region: string): PriceTable | undefined {
    if (!this.tables.has(region)) {
      // Regions come from plan files: only a region-shaped name may become a path.
      const file = path.join(this.dir, `${this.cloud}.${region}.json`);
      let table: PriceTable | undefined;
      if (/^[a-z0-9-]+$/.test(region) && existsSync(file)) {
        table = JSON.parse(readFileSync(file, "utf8")) as PriceTable;
        if (table.region !== region || table.cloud !== this.cloud || !table.date || typeof table.hoursPerMonth !== "number") {
          throw new PriceTableError(`${file}: expected { cloud: "${this.cloud}", region: "${region}", date, hoursPerMonth, prices }`);
        }
      }
      this.tables.set(region, table);
    }
    return this.tables.get(region);
  }

  price(region: string, key: string): Price | undefined {
    return this.table(region)?.prices[key];
  }

  file(region: string): string {
    return path.relative(path.join(this.dir, "..", ".."), path.join(this.dir, `${this.cloud}.${region}.json`));
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Collects priced lines; hourly prices are given the quantity in hours already. */
class Lines {
  readonly lines: CostLine[] = [];
  readonly usage: UsageLine[] = [];
  constructor(
    private readonly book: PriceBook,
    private readonly home: string,
  ) {}

  /** Items outside the stack's own region say where they are. */
  private where(item: string, region: string): string {
    return region === this.home || item.includes(region) ? item : `${item} (${region})`;
  }

  fixed(item: string, detail: string, quantity: number, priceKey: string, region: string): void {
    if (quantity <= 0) return;
    const price = this.book.price(region, priceKey);
    this.lines.push({ item: this.where(item, region), detail, quantity, priceKey, region, ...(price ? { unitPrice: price.price, monthly: round(quantity * price.price) } : {}) });
  }

  perUse(item: string, priceKey: string, region: string): void {
    if (this.usage.some((u) => u.priceKey === priceKey && u.region === region)) return;
    const price = this.book.price(region, priceKey);
    this.usage.push({ item: this.where(item, region), priceKey, region, ...(price ? { unit: price.unit, unitPrice: price.price } : {}) });
  }
}

const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.custom && r.type === type);
const regionOf = (r: PlanResource, plan: Plan) => (typeof r.inputs.region === "string" ? r.inputs.region : (planRegion(plan) ?? ""));

/** Resources of a type, counted per region. */
function perRegion(plan: Plan, resources: PlanResource[]): Map<string, PlanResource[]> {
  const groups = new Map<string, PlanResource[]>();
  for (const r of resources) groups.set(regionOf(r, plan), [...(groups.get(regionOf(r, plan)) ?? []), r]);
  return groups;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);

/** The minimum task count of an ECS service: its autoscaling floor, else its desired count. */
function minimumTasks(plan: Plan, service: PlanResource): { tasks: number; from: string } {
  const cluster = String(service.inputs.cluster ?? "").split("/").pop();
  const target = ofType(plan, "aws:appautoscaling/target:Target").find((t) => t.inputs.resourceId === `service/${cluster}/${service.inputs.name}`);
  if (target && Number.isFinite(num(target.inputs.minCapacity))) return { tasks: num(target.inputs.minCapacity), from: "autoscaling minimum" };
  return { tasks: Number.isFinite(num(service.inputs.desiredCount)) ? num(service.inputs.desiredCount) : 0, from: "desired count" };
}

function estimateAws(plan: Plan, out: Lines, hours: number): string[] {
  const notes: string[] = [];
  const h = `${hours} h`;

  for (const [region, nats] of perRegion(plan, ofType(plan, "aws:ec2/natGateway:NatGateway"))) {
    out.fixed("NAT gateways", `${plural(nats.length, "NAT gateway")} × ${h}`, nats.length * hours, "ec2.natGateway.hour", region);
    out.perUse("NAT gateway data processed", "ec2.natGateway.gb", region);
  }
  for (const [region, eips] of perRegion(plan, ofType(plan, "aws:ec2/eip:Eip"))) {
    out.fixed("public IPv4 addresses (Elastic IPs)", `${plural(eips.length, "address", "addresses")} × ${h}`, eips.length * hours, "ec2.publicIpv4.hour", region);
  }
  const albs = ofType(plan, "aws:lb/loadBalancer:LoadBalancer").filter((lb) => (lb.inputs.loadBalancerType ?? "application") === "application");
  for (const [region, group] of perRegion(plan, albs)) {
    out.fixed("Application Load Balancers", `${plural(group.length, "load balancer")} × ${h}`, group.length * hours, "elb.application.hour", region);
    out.perUse("load balancer capacity units", "elb.application.lcuHour", region);
    // An internet-facing load balancer holds a public IPv4 address in each of its subnets at least.
    const publicIps = group.filter((lb) => lb.inputs.internal !== true).reduce((n, lb) => n + (Array.isArray(lb.inputs.subnets) ? lb.inputs.subnets.length : 0), 0);
    out.fixed("public IPv4 addresses (load balancer, one per zone at least)", `${plural(publicIps, "address", "addresses")} × ${h}`, publicIps * hours, "ec2.publicIpv4.hour", region);
  }
  for (const [region, acls] of perRegion(plan, ofType(plan, "aws:wafv2/webAcl:WebAcl"))) {
    const rules = acls.reduce((n, acl) => n + (Array.isArray(acl.inputs.rules) ? acl.inputs.rules.length : 0), 0);
    out.fixed("WAF web ACLs", plural(acls.length, "web ACL"), acls.length, "wafv2.webAcl.month", region);
    out.fixed("WAF rules", plural(rules, "rule"), rules, "wafv2.rule.month", region);
    out.perUse("WAF requests inspected", "wafv2.requests.million", region);
  }

  for (const db of ofType(plan, "aws:rds/instance:Instance")) {
    const region = regionOf(db, plan);
    const copies = db.inputs.multiAz === true ? 2 : 1;
    const az = copies === 2 ? "Multi-AZ: primary and standby" : "Single-AZ";
    const cls = String(db.inputs.instanceClass);
    out.fixed(`database instance (${db.name})`, `${cls} ${db.inputs.engine}, ${az}, ${copies} × ${h}`, copies * hours, `rds.${db.inputs.engine}.${cls}.hour`, region);
    const gb = num(db.inputs.allocatedStorage);
    const storage = String(db.inputs.storageType ?? "gp2");
    if (Number.isFinite(gb)) out.fixed(`database storage (${db.name})`, `${gb} GB ${storage}${copies === 2 ? " × 2 (standby)" : ""}`, gb * copies, `rds.storage.${storage}.gbMonth`, region);
    out.perUse("database backup storage beyond the database's size", "rds.backup.gbMonth", region);
  }

  const taskDefinitions = ofType(plan, "aws:ecs/taskDefinition:TaskDefinition");
  for (const service of ofType(plan, "aws:ecs/service:Service").filter((s) => s.inputs.launchType === "FARGATE")) {
    const region = regionOf(service, plan);
    const family = String(service.inputs.taskDefinition ?? "").match(/task-definition\/([^:]+)/)?.[1];
    const task = taskDefinitions.find((t) => t.inputs.family === family);
    if (!task) {
      notes.push(`${service.name}: its task definition is not in the plan, so its Fargate tasks are not priced.`);
      continue;
    }
    const { tasks, from } = minimumTasks(plan, service);
    const vcpu = num(task.inputs.cpu) / 1024;
    const gb = num(task.inputs.memory) / 1024;
    const platform = task.inputs.runtimePlatform as { cpuArchitecture?: string; operatingSystemFamily?: string } | undefined;
    const arch = (platform?.cpuArchitecture ?? "X86_64").toLowerCase();
    const os = (platform?.operatingSystemFamily ?? "LINUX").toLowerCase();
    const tasksText = `${plural(tasks, "task")} (${from})`;
    out.fixed(`Fargate vCPU (${service.inputs.name})`, `${tasksText} × ${vcpu} vCPU × ${h}`, tasks * vcpu * hours, `fargate.${os}.${arch}.vcpuHour`, region);
    out.fixed(`Fargate memory (${service.inputs.name})`, `${tasksText} × ${gb} GB × ${h}`, tasks * gb * hours, `fargate.${os}.${arch}.gbHour`, region);
  }

  for (const [region, keys] of perRegion(plan, ofType(plan, "aws:kms/key:Key"))) {
    out.fixed("KMS customer managed keys", plural(keys.length, "key"), keys.length, "kms.key.month", region);
    if (keys.some((k) => k.inputs.enableKeyRotation === true)) out.perUse("KMS key rotations (per key, the first two)", "kms.rotation.month", region);
  }
  for (const [region, secrets] of perRegion(plan, ofType(plan, "aws:secretsmanager/secret:Secret"))) {
    out.fixed("Secrets Manager secrets", plural(secrets.length, "secret"), secrets.length, "secretsmanager.secret.month", region);
    out.perUse("Secrets Manager API calls", "secretsmanager.apiCalls.10k", region);
  }
  for (const [region, alarms] of perRegion(plan, ofType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm"))) {
    // Alarms are billed per metric they read: a metric-math alarm pays for each of its metrics.
    const metrics = alarms.reduce((n, a) => n + (Array.isArray(a.inputs.metricQueries) ? a.inputs.metricQueries.filter((q) => q && typeof q === "object" && "metric" in q).length : 1), 0);
    out.fixed("CloudWatch alarms", `${plural(alarms.length, "alarm")} reading ${plural(metrics, "metric")}`, metrics, "cloudwatch.alarmMetric.month", region);
  }
  for (const [region, dashboards] of perRegion(plan, ofType(plan, "aws:cloudwatch/dashboard:Dashboard"))) {
    out.fixed("CloudWatch dashboards", plural(dashboards.length, "dashboard"), dashboards.length, "cloudwatch.dashboard.month", region);
  }
  for (const region of perRegion(plan, ofType(plan, "aws:cloudwatch/logGroup:LogGroup")).keys()) {
    out.perUse("CloudWatch Logs ingestion", "cloudwatch.logs.ingestGb", region);
    out.perUse("CloudWatch Logs storage", "cloudwatch.logs.storageGbMonth", region);
  }
  for (const [region, flowLogs] of perRegion(plan, ofType(plan, "aws:ec2/flowLog:FlowLog"))) {
    if (flowLogs.some((f) => f.inputs.logDestinationType === "cloud-watch-logs")) out.perUse("VPC flow logs delivered to CloudWatch Logs", "cloudwatch.logs.vendedGb", region);
  }
  const checks = ofType(plan, "aws:route53/healthCheck:HealthCheck");
  if (checks.length > 0) {
    // Route 53 is global; its prices are read from the stack's region's table.
    const region = planRegion(plan) ?? "";
    out.fixed("Route 53 health checks", plural(checks.length, "health check"), checks.length, "route53.healthCheck.awsEndpoint.month", region);
    const https = checks.filter((c) => String(c.inputs.type).startsWith("HTTPS")).length;
    out.fixed("Route 53 health check option: HTTPS", plural(https, "health check"), https, "route53.healthCheck.httpsOption.month", region);
  }
  for (const endpoint of ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface")) {
    const zones = Array.isArray(endpoint.inputs.subnetIds) ? endpoint.inputs.subnetIds.length : 0;
    const region = regionOf(endpoint, plan);
    out.fixed(`interface endpoint ${String(endpoint.inputs.serviceName).split(".").pop()}`, `${plural(zones, "zone")} × ${h}`, zones * hours, "vpc.interfaceEndpoint.azHour", region);
    out.perUse("interface endpoint data processed", "vpc.interfaceEndpoint.gb", region);
  }

  if (ofType(plan, "aws:backup/plan:Plan").length > 0) {
    const region = planRegion(plan) ?? "";
    out.perUse("backup storage of the data bucket (AWS Backup, warm)", "backup.s3.warmGbMonth", region);
    const copyRegions = new Set(
      ofType(plan, "aws:backup/vault:Vault")
        .map((v) => regionOf(v, plan))
        .filter((r) => r !== region),
    );
    for (const copy of copyRegions) {
      out.perUse(`backup copies sent to ${copy}`, "backup.crossRegionGb", region);
      out.perUse(`backup copies stored in ${copy} (AWS Backup, warm)`, "backup.s3.warmGbMonth", copy);
    }
  }
  if (ofType(plan, "aws:s3/bucket:Bucket").length > 0) out.perUse("S3 storage of the data and log buckets", "s3.standard.gbMonth", planRegion(plan) ?? "");
  if (ofType(plan, "aws:ecr/repository:Repository").length > 0) out.perUse("ECR image storage", "ecr.storage.gbMonth", planRegion(plan) ?? "");
  return notes;
}

const estimators: Record<string, (plan: Plan, out: Lines, hours: number) => string[]> = {
  aws: estimateAws,
};

/** The estimate of one plan, or undefined when the cloud has no estimator yet. */
export function estimateCost(plan: Plan, dir = pricesDir): CostEstimate | undefined {
  const estimate = estimators[plan.cloud];
  if (!estimate) return undefined;
  const book = new PriceBook(plan.cloud, dir);
  const region = planRegion(plan) ?? "";
  const hours = book.table(region)?.hoursPerMonth ?? 730;
  const out = new Lines(book, region);
  const notes = estimate(plan, out, hours);
  const regions = [...new Set([region, ...out.lines.map((l) => l.region), ...out.usage.map((u) => u.region)])];
  const tables = regions.flatMap((r) => {
    const t = book.table(r);
    return t ? [{ region: r, date: t.date, file: book.file(r) }] : [];
  });
  for (const r of regions) if (!book.table(r)) notes.push(`No price table for ${plan.cloud} ${r} (${book.file(r)}): its items are not priced.`);
  return {
    stack: plan.stack,
    cloud: plan.cloud,
    region,
    currency: book.table(region)?.currency ?? "USD",
    tables,
    lines: out.lines,
    usage: out.usage,
    monthly: round(out.lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0)),
    unpriced: out.lines.filter((l) => l.unitPrice === undefined),
    notes,
  };
}

export interface CostDelta {
  before: number;
  after: number;
  delta: number;
  /** Lines whose monthly amount or pricing changed, keyed by item and region. */
  lines: { item: string; region: string; before?: number; after?: number; unpricedBefore: boolean; unpricedAfter: boolean }[];
}

export function compareCost(before: CostEstimate, after: CostEstimate): CostDelta {
  const id = (l: CostLine) => `${l.item}@${l.region}`;
  const a = new Map(before.lines.map((l) => [id(l), l]));
  const b = new Map(after.lines.map((l) => [id(l), l]));
  const lines: CostDelta["lines"] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if (x && y && x.monthly === y.monthly && x.quantity === y.quantity && (x.unitPrice === undefined) === (y.unitPrice === undefined)) continue;
    const l = (y ?? x)!;
    lines.push({ item: l.item, region: l.region, before: x?.monthly, after: y?.monthly, unpricedBefore: !!x && x.unitPrice === undefined, unpricedAfter: !!y && y.unitPrice === undefined });
  }
  return { before: before.monthly, after: after.monthly, delta: round(after.monthly - before.monthly), lines };
}
