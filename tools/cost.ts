// A monthly cost estimate of a plan from the dated price tables in tools/prices/ (one per cloud and
// region: aws.us-east-1, azure.japaneast, gcp.asia-northeast1): the fixed-cost
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

// ---- Azure ----

/** GiB of a Kubernetes-style quantity: "2Gi", "512Mi", "2048Mi", "1.5Gi" (Container Apps, Cloud Run). */
export function gibOf(quantity: unknown): number {
  const m = String(quantity ?? "").match(/^(\d+(?:\.\d+)?)(Gi|Mi|G|M)?$/);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === "Mi" ? n / 1024 : m[2] === "M" ? n / 1000 : n;
}

/** vCPUs of a CPU quantity: 1, "1", "0.5", "1000m". */
export function vcpuOf(quantity: unknown): number {
  const m = String(quantity ?? "").match(/^(\d+(?:\.\d+)?)(m)?$/);
  if (!m) return NaN;
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}

const containerAppsFreeGrant = "Container Apps' free grant (180,000 vCPU-seconds, 360,000 GiB-seconds and 2 million requests per subscription each month, learn.microsoft.com/azure/container-apps/billing) is shared by every app of the subscription and is not subtracted.";

function estimateAzure(plan: Plan, out: Lines, hours: number): string[] {
  const notes: string[] = [];
  const home = planRegion(plan) ?? "";
  const h = `${hours} h`;
  // A resource without a location is in its resource group's, the stack's; "global" resources are priced from the stack's table.
  const at = (r: PlanResource) => (typeof r.inputs.location === "string" && !/^global$/i.test(r.inputs.location) ? r.inputs.location.toLowerCase().replace(/\s/g, "") : home);
  const byRegion = (resources: PlanResource[]) => {
    const groups = new Map<string, PlanResource[]>();
    for (const r of resources) groups.set(at(r), [...(groups.get(at(r)) ?? []), r]);
    return groups;
  };
  const skuName = (r: PlanResource) => String((r.inputs.sku as { name?: string } | undefined)?.name ?? "");

  const profiles = ofType(plan, "azure-native:cdn:Profile");
  for (const sku of new Set(profiles.map(skuName))) {
    const n = profiles.filter((p) => skuName(p) === sku).length;
    // Front Door is global: its base fee is the same wherever the stack runs.
    out.fixed(`Front Door base fee (${sku})`, plural(n, "profile"), n, `frontDoor.${sku}.month`, home);
    out.perUse(`Front Door requests (${sku})`, `frontDoor.${sku}.requests10k`, home);
    out.perUse(`Front Door data transfer to clients (${sku})`, `frontDoor.${sku}.egressGb`, home);
  }
  const wafs = ofType(plan, "azure-native:frontdoor:Policy");
  for (const sku of new Set(wafs.map(skuName))) {
    const policies = wafs.filter((p) => skuName(p) === sku);
    const rules = policies.reduce((n, p) => n + (((p.inputs.customRules as { rules?: unknown[] } | undefined)?.rules ?? []).length), 0);
    out.fixed(`Front Door WAF policies (${sku})`, plural(policies.length, "policy", "policies"), policies.length, `frontDoor.waf.${sku}.policyMonth`, home);
    out.fixed(`Front Door WAF custom rules (${sku})`, plural(rules, "rule"), rules, `frontDoor.waf.${sku}.customRuleMonth`, home);
    out.perUse(`Front Door WAF requests (${sku})`, `frontDoor.waf.${sku}.requestsMillion`, home);
  }

  for (const [region, nats] of byRegion(ofType(plan, "azure-native:network:NatGateway"))) {
    out.fixed("NAT gateways", `${plural(nats.length, "NAT gateway")} × ${h}`, nats.length * hours, "network.natGateway.hour", region);
    out.perUse("NAT gateway data processed", "network.natGateway.gb", region);
  }
  for (const [region, ips] of byRegion(ofType(plan, "azure-native:network:PublicIPAddress"))) {
    const standard = ips.filter((ip) => skuName(ip) === "Standard" && ip.inputs.publicIPAllocationMethod === "Static");
    out.fixed("public IPv4 addresses (Standard, static)", `${plural(standard.length, "address", "addresses")} × ${h}`, standard.length * hours, "network.publicIp.standardStatic.hour", region);
  }

  const seconds = hours * 3600;
  for (const app of ofType(plan, "azure-native:app:ContainerApp")) {
    const region = at(app);
    const template = (app.inputs.template ?? {}) as { scale?: { minReplicas?: unknown }; containers?: { resources?: { cpu?: unknown; memory?: unknown } }[] };
    const replicas = num(template.scale?.minReplicas);
    const vcpu = (template.containers ?? []).reduce((n, c) => n + vcpuOf(c.resources?.cpu), 0);
    const gib = (template.containers ?? []).reduce((n, c) => n + gibOf(c.resources?.memory), 0);
    const name = String(app.inputs.containerAppName ?? app.name);
    if (app.inputs.workloadProfileName !== undefined && app.inputs.workloadProfileName !== "Consumption") {
      notes.push(`${name}: runs on the dedicated workload profile ${String(app.inputs.workloadProfileName)}, which the estimate does not price.`);
      continue;
    }
    if (!Number.isFinite(replicas) || !Number.isFinite(vcpu) || !Number.isFinite(gib)) {
      notes.push(`${name}: its minimum replicas or container sizes are not known in this plan, so its replicas are not priced.`);
      continue;
    }
    // A minimum replica that serves nothing is billed at the idle rate; serving is the active rate, a usage item.
    const replicasText = `${plural(replicas, "minimum replica")} × ${vcpu} vCPU × ${h}`;
    out.fixed(`Container Apps vCPU, idle (${name})`, replicasText, replicas * vcpu * seconds, "containerApps.consumption.idleVcpuSecond", region);
    out.fixed(`Container Apps memory (${name})`, `${plural(replicas, "minimum replica")} × ${gib} GiB × ${h}`, replicas * gib * seconds, "containerApps.consumption.gibSecond", region);
    out.perUse("Container Apps vCPU while active", "containerApps.consumption.activeVcpuSecond", region);
    out.perUse("Container Apps requests", "containerApps.requests.million", region);
    if (!notes.includes(containerAppsFreeGrant)) notes.push(containerAppsFreeGrant);
  }
  for (const job of ofType(plan, "azure-native:app:Job")) out.perUse("Container Apps job executions (vCPU while active)", "containerApps.consumption.activeVcpuSecond", at(job));

  for (const server of ofType(plan, "azure-native:dbforpostgresql:Server")) {
    const region = at(server);
    const sku = skuName(server);
    const tier = String((server.inputs.sku as { tier?: string } | undefined)?.tier ?? "");
    const mode = String((server.inputs.highAvailability as { mode?: string } | undefined)?.mode ?? "Disabled");
    const copies = mode === "Disabled" ? 1 : 2;
    const name = String(server.inputs.serverName ?? server.name);
    const ha = copies === 2 ? `high availability (${mode}): primary and standby` : "no standby";
    out.fixed(`database compute (${name})`, `${sku} (${tier}), ${ha}, ${copies} × ${h}`, copies * hours, `postgresql.flexible.${sku}.hour`, region);
    const gb = num((server.inputs.storage as { storageSizeGB?: unknown } | undefined)?.storageSizeGB);
    if (Number.isFinite(gb)) out.fixed(`database storage (${name})`, `${gb} GiB`, gb, "postgresql.flexible.storage.gbMonth", region);
    out.perUse("database backup storage beyond the server's size", "postgresql.flexible.backupStorage.gbMonth", region);
  }

  for (const vault of ofType(plan, "azure-native:keyvault:Vault")) {
    const sku = String(((vault.inputs.properties as { sku?: { name?: string } } | undefined)?.sku?.name) ?? "standard");
    out.perUse(`Key Vault operations (${sku})`, `keyvault.${sku}.operations10k`, at(vault));
  }
  const hsmKeys = ofType(plan, "azure-native:keyvault:Key").filter((k) => /-HSM$/.test(String((k.inputs.properties as { kty?: string } | undefined)?.kty ?? "")));
  for (const [kty, keys] of new Map([...new Set(hsmKeys.map((k) => `${(k.inputs.properties as { kty: string }).kty} ${(k.inputs.properties as { keySize?: number }).keySize ?? ""}`.trim()))].map((t) => [t, hsmKeys.filter((k) => `${(k.inputs.properties as { kty: string }).kty} ${(k.inputs.properties as { keySize?: number }).keySize ?? ""}`.trim() === t)]))) {
    out.fixed(`Key Vault HSM-protected keys (${kty})`, plural(keys.length, "key"), keys.length, `keyvault.premium.hsmKey.${kty.replace(/\s+/g, "-")}.month`, home);
  }

  for (const vault of ofType(plan, "azure-native:dataprotection:BackupVault")) {
    const region = at(vault);
    const redundancy = String(((vault.inputs.properties as { storageSettings?: { type?: string }[] } | undefined)?.storageSettings ?? [])[0]?.type ?? "");
    for (const instance of ofType(plan, "azure-native:dataprotection:BackupInstance")) {
      const source = String(((instance.inputs.properties as { dataSourceInfo?: { datasourceType?: string } } | undefined)?.dataSourceInfo?.datasourceType) ?? "");
      const kind = source.startsWith("Microsoft.DBforPostgreSQL") ? "postgresql" : source.startsWith("Microsoft.Storage") ? "blob" : "other";
      out.perUse(`Backup vault protected instances (${kind})`, `dataprotection.${kind}.protectedInstanceMonth`, region);
    }
    out.perUse(`Backup vault storage (${redundancy || "default redundancy"})`, `dataprotection.storage.${redundancy || "default"}.gbMonth`, region);
  }

  for (const [region] of byRegion(ofType(plan, "azure-native:operationalinsights:Workspace"))) {
    out.perUse("Log Analytics ingestion (analytics logs)", "loganalytics.analyticsLogs.ingestGb", region);
    out.perUse("Log Analytics retention beyond the included days", "loganalytics.retention.gbMonth", region);
  }

  const metricAlerts = ofType(plan, "azure-native:monitor:MetricAlert");
  if (metricAlerts.length > 0) {
    // Each rule watches one time series: one metric, no dimension split.
    out.fixed("metric alert rules", `${plural(metricAlerts.length, "rule")}, one time series each`, metricAlerts.length, "monitor.metricAlert.timeSeries.month", home);
  }
  const logAlerts = ofType(plan, "azure-native:monitor:ScheduledQueryRule");
  for (const frequency of [...new Set(logAlerts.map((a) => String(a.inputs.evaluationFrequency)))].sort()) {
    const n = logAlerts.filter((a) => String(a.inputs.evaluationFrequency) === frequency).length;
    out.fixed(`log alert rules evaluated every ${frequency}`, plural(n, "rule"), n, `monitor.logAlert.${frequency}.month`, at(logAlerts[0]));
  }
  const tests = ofType(plan, "azure-native:applicationinsights:WebTest");
  if (tests.length > 0) {
    const runs = tests.reduce((n, t) => n + (Array.isArray(t.inputs.locations) ? t.inputs.locations.length : 1) * Math.floor(seconds / num(t.inputs.frequency)), 0);
    const detail = tests.map((t) => `${Array.isArray(t.inputs.locations) ? t.inputs.locations.length : 1} × every ${num(t.inputs.frequency)} s`).join(", ");
    out.fixed("Application Insights standard availability tests", `${plural(tests.length, "test")} (${detail}): ${runs} runs`, runs, "appinsights.standardTest.execution", at(tests[0]));
  }
  for (const registry of ofType(plan, "azure-native:containerregistry:Registry")) {
    const sku = skuName(registry);
    out.fixed(`container registry (${sku})`, `1 registry × ${round(hours / 24)} days`, round(hours / 24), `containerregistry.${sku}.day`, at(registry));
    out.perUse("container registry storage beyond the tier's included storage", "containerregistry.storage.gbMonth", at(registry));
  }
  for (const account of ofType(plan, "azure-native:storage:StorageAccount")) {
    out.perUse(`blob storage (${skuName(account)}, ${String(account.inputs.accessTier ?? "Hot")})`, `storage.blob.${skuName(account)}.${String(account.inputs.accessTier ?? "Hot")}.gbMonth`, at(account));
  }
  return notes;
}

// ---- GCP ----

const runFreeTier = "Cloud Run's free tier (per billing account each month: 180,000 vCPU-seconds, 360,000 GiB-seconds and 2 million requests with request-based billing, cloud.google.com/run/pricing) is shared by every service of the billing account and is not subtracted.";

/** `projects/p/locations/L/...` -> L. */
const locationOfPath = (value: unknown) => String(value ?? "").match(/\/locations\/([^/]+)/)?.[1];

function estimateGcp(plan: Plan, out: Lines, hours: number): string[] {
  const notes: string[] = [];
  const home = planRegion(plan) ?? "";
  const h = `${hours} h`;
  const seconds = hours * 3600;
  const regionOfGcp = (r: PlanResource) => String(r.inputs.region ?? r.inputs.location ?? home).toLowerCase();

  const rules = ofType(plan, "gcp:compute/globalForwardingRule:GlobalForwardingRule");
  if (rules.length > 0) {
    // Forwarding rules are billed per project: one price covers the first five, each further one adds to it.
    out.fixed("load balancer forwarding rules (the first 5)", `${plural(rules.length, "rule")}: 1 × ${h}`, hours, "lb.forwardingRules.firstFive.hour", home);
    out.fixed("load balancer forwarding rules beyond 5", `${plural(Math.max(0, rules.length - 5), "rule")} × ${h}`, Math.max(0, rules.length - 5) * hours, "lb.forwardingRule.additional.hour", home);
    out.perUse("load balancer data processed", "lb.dataProcessed.gb", home);
  }
  const policies = ofType(plan, "gcp:compute/securityPolicy:SecurityPolicy");
  if (policies.length > 0) {
    const n = policies.reduce((sum, p) => sum + (Array.isArray(p.inputs.rules) ? p.inputs.rules.length : 0), 0);
    out.fixed("Cloud Armor policies", plural(policies.length, "policy", "policies"), policies.length, "armor.policy.month", home);
    out.fixed("Cloud Armor rules", plural(n, "rule"), n, "armor.rule.month", home);
    out.perUse("Cloud Armor requests", "armor.requests.million", home);
  }
  for (const nat of ofType(plan, "gcp:compute/routerNat:RouterNat")) {
    const region = regionOfGcp(nat);
    const ips = nat.inputs.natIpAllocateOption === "MANUAL_ONLY" && Array.isArray(nat.inputs.natIps) ? nat.inputs.natIps.length : 1;
    const detail = nat.inputs.natIpAllocateOption === "MANUAL_ONLY" ? plural(ips, "address", "addresses") : "1 auto-allocated address (at least)";
    out.fixed("Cloud NAT external IP addresses", `${detail} × ${h}`, ips * hours, "nat.ip.hour", region);
    out.perUse("Cloud NAT gateway uptime per instance using it", "nat.vm.hour", region);
    out.perUse("Cloud NAT data processed", "nat.gib", region);
  }

  for (const service of ofType(plan, "gcp:cloudrunv2/service:Service")) {
    const region = regionOfGcp(service);
    const template = (service.inputs.template ?? {}) as { scaling?: { minInstanceCount?: unknown }; containers?: { resources?: { cpuIdle?: boolean; limits?: { cpu?: unknown; memory?: unknown } } }[] };
    const instances = num(template.scaling?.minInstanceCount ?? 0);
    const containers = template.containers ?? [];
    const vcpu = containers.reduce((n, c) => n + vcpuOf(c.resources?.limits?.cpu ?? 1), 0);
    const gib = containers.reduce((n, c) => n + gibOf(c.resources?.limits?.memory ?? "512Mi"), 0);
    const name = String(service.inputs.name ?? service.name);
    if (!Number.isFinite(instances) || !Number.isFinite(vcpu) || !Number.isFinite(gib)) {
      notes.push(`${name}: its minimum instances or sizes are not known in this plan, so its instances are not priced.`);
      continue;
    }
    // cpuIdle (the default) is request-based billing: a minimum instance that serves nothing pays the idle rates;
    // without it, instance-based billing charges every instance for its whole lifetime.
    const requestBased = containers.every((c) => c.resources?.cpuIdle !== false);
    const billing = requestBased ? "request-based" : "instance-based";
    const text = (size: string) => `${plural(instances, "minimum instance")} × ${size} × ${h}`;
    if (requestBased) {
      out.fixed(`Cloud Run vCPU, idle (${name})`, text(`${vcpu} vCPU`), instances * vcpu * seconds, "run.requestBased.idleVcpuSecond", region);
      out.fixed(`Cloud Run memory, idle (${name})`, text(`${gib} GiB`), instances * gib * seconds, "run.requestBased.idleGibSecond", region);
      out.perUse("Cloud Run vCPU while serving (request-based)", "run.requestBased.vcpuSecond", region);
      out.perUse("Cloud Run memory while serving (request-based)", "run.requestBased.gibSecond", region);
      out.perUse("Cloud Run requests (request-based)", "run.requests.million", region);
    } else {
      out.fixed(`Cloud Run vCPU, ${billing} (${name})`, text(`${vcpu} vCPU`), instances * vcpu * seconds, "run.instanceBased.vcpuSecond", region);
      out.fixed(`Cloud Run memory, ${billing} (${name})`, text(`${gib} GiB`), instances * gib * seconds, "run.instanceBased.gibSecond", region);
    }
    if (!notes.includes(runFreeTier)) notes.push(runFreeTier);
  }

  for (const instance of ofType(plan, "gcp:sql/databaseInstance:DatabaseInstance")) {
    const region = regionOfGcp(instance);
    const settings = (instance.inputs.settings ?? {}) as { tier?: string; availabilityType?: string; edition?: string; diskSize?: unknown; diskType?: string };
    const name = String(instance.inputs.name ?? instance.name);
    const copies = settings.availabilityType === "REGIONAL" ? 2 : 1;
    const ha = copies === 2 ? "REGIONAL: primary and standby" : "ZONAL";
    const edition = String(settings.edition ?? "ENTERPRISE").toLowerCase().replace(/_/g, "-");
    const custom = String(settings.tier ?? "").match(/^db-custom-(\d+)-(\d+)$/);
    if (custom) {
      const vcpus = Number(custom[1]);
      const gb = Number(custom[2]) / 1024;
      out.fixed(`database vCPUs (${name})`, `${vcpus} vCPU, ${ha}, ${copies} × ${h}`, vcpus * copies * hours, `sql.${edition}.vcpuHour`, region);
      out.fixed(`database memory (${name})`, `${gb} GB, ${ha}, ${copies} × ${h}`, gb * copies * hours, `sql.${edition}.gbHour`, region);
    } else {
      out.fixed(`database instance (${name})`, `${settings.tier}, ${ha}, ${copies} × ${h}`, copies * hours, `sql.${String(settings.tier)}.hour`, region);
    }
    const disk = num(settings.diskSize);
    if (Number.isFinite(disk)) out.fixed(`database storage (${name})`, `${disk} GB ${settings.diskType ?? "PD_SSD"}${copies === 2 ? " × 2 (standby)" : ""}`, disk * copies, `sql.storage.${settings.diskType ?? "PD_SSD"}.gbMonth`, region);
    out.perUse("database backup storage", "sql.backup.gbMonth", region);
  }

  const keysByRegion = new Map<string, PlanResource[]>();
  for (const key of ofType(plan, "gcp:kms/cryptoKey:CryptoKey")) {
    const region = locationOfPath(key.inputs.keyRing) ?? home;
    keysByRegion.set(region, [...(keysByRegion.get(region) ?? []), key]);
  }
  for (const [region, keys] of keysByRegion) {
    const software = keys.filter((k) => ((k.inputs.versionTemplate as { protectionLevel?: string } | undefined)?.protectionLevel ?? "SOFTWARE") === "SOFTWARE");
    out.fixed("Cloud KMS keys (software)", `${plural(software.length, "key")}, 1 active version each`, software.length, "kms.software.keyVersion.month", region);
    out.perUse("Cloud KMS cryptographic operations", "kms.software.operations10k", region);
    if (keys.some((k) => k.inputs.rotationPeriod !== undefined)) notes.push(`Cloud KMS bills every active key version: each rotation adds one to the count above until old versions are destroyed (${region}).`);
  }

  const secretsByRegion = new Map<string, number>();
  for (const secret of ofType(plan, "gcp:secretmanager/secret:Secret")) {
    const replicas = ((secret.inputs.replication as { userManaged?: { replicas?: { location?: string }[] } } | undefined)?.userManaged?.replicas ?? []).map((r) => String(r.location));
    // An automatic replication policy is billed as a single location.
    for (const location of replicas.length > 0 ? replicas : [home]) secretsByRegion.set(location, (secretsByRegion.get(location) ?? 0) + 1);
  }
  for (const [region, n] of secretsByRegion) {
    out.fixed("Secret Manager secrets", `${plural(n, "secret")}, 1 active version each`, n, "secretmanager.activeVersion.month", region);
    out.perUse("Secret Manager access operations", "secretmanager.access10k", region);
  }

  if (ofType(plan, "gcp:backupdisasterrecovery/backupVault:BackupVault").length > 0) out.perUse("Backup and DR backup storage", "backupdr.storage.gbMonth", home);
  const checks = ofType(plan, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
  if (checks.length > 0) {
    const runs = checks.reduce((n, c) => n + Math.floor(seconds / num(String(c.inputs.period ?? "60s").replace(/s$/, ""))), 0);
    out.fixed("uptime check executions", `${plural(checks.length, "check")}: ${runs} runs from each checker location`, runs, "monitoring.uptimeCheck.execution", home);
  }
  const buckets = ofType(plan, "gcp:logging/projectBucketConfig:ProjectBucketConfig");
  if (buckets.length > 0) {
    out.perUse("Cloud Logging storage (log buckets)", "logging.storage.gib", home);
    if (ofType(plan, "gcp:compute/subnetwork:Subnetwork").some((s) => s.inputs.logConfig !== undefined) || ofType(plan, "gcp:compute/routerNat:RouterNat").some((n) => (n.inputs.logConfig as { enable?: boolean } | undefined)?.enable)) {
      out.perUse("Cloud Logging storage of VPC flow and NAT logs", "logging.vendedNetworkLogs.gib", home);
    }
    if (buckets.some((b) => num(b.inputs.retentionDays) > 30)) out.perUse("Cloud Logging retention beyond 30 days", "logging.retention.gibMonth", home);
  }
  if (ofType(plan, "gcp:artifactregistry/repository:Repository").length > 0) out.perUse("Artifact Registry storage", "artifactregistry.storage.gbMonth", home);
  for (const bucket of ofType(plan, "gcp:storage/bucket:Bucket")) out.perUse("Cloud Storage (Standard)", "storage.standard.gbMonth", String(bucket.inputs.location ?? home).toLowerCase());
  return notes;
}

const estimators: Record<string, (plan: Plan, out: Lines, hours: number) => string[]> = {
  aws: estimateAws,
  azure: estimateAzure,
  gcp: estimateGcp,
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
