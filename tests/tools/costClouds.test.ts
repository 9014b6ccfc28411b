import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { compareCost, type CostEstimate, estimateCost, gibOf, pricesDir, type PriceTable, vcpuOf } from "../../tools/cost";
import { type Plan, type PlanResource, toPlan } from "../../tools/plan";
import { renderText } from "../../tools/report";
import { runProgram, type RunOptions } from "../harness/run";

const resource = (type: string, name: string, inputs: Record<string, unknown>): PlanResource => ({ type, name, parent: null, custom: true, protect: false, inputs });
const plan = (cloud: string, region: string, resources: PlanResource[]): Plan => ({ stack: "t", cloud, environment: "dev", region, resources, outputs: {} });

// A price table written for the test, so that the arithmetic is checked against numbers chosen here.
function priceDir(cloud: string, region: string, prices: Record<string, number>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "prices-"));
  const table: PriceTable = {
    cloud,
    region,
    currency: "USD",
    date: "2026-01-01",
    hoursPerMonth: 730,
    prices: Object.fromEntries(Object.entries(prices).map(([k, price]) => [k, { price, unit: "unit", source: "test" }])),
  };
  writeFileSync(path.join(dir, `${cloud}.${region}.json`), JSON.stringify(table));
  return dir;
}

const amounts = (cost: CostEstimate) => Object.fromEntries(cost.lines.map((l) => [l.item, l.monthly]));
const seconds = 730 * 3600;

describe("quantities of the container sizes", () => {
  it("reads memory and CPU the way Container Apps and Cloud Run write them", () => {
    expect([gibOf("2Gi"), gibOf("512Mi"), gibOf("2048Mi"), gibOf("1.5Gi"), gibOf("x")]).toEqual([2, 0.5, 2, 1.5, NaN]);
    expect([vcpuOf(1), vcpuOf("0.5"), vcpuOf("1000m"), vcpuOf("2"), vcpuOf("two")]).toEqual([1, 0.5, 1, 2, NaN]);
  });
});

describe("estimateCost on Azure: the fixed-cost drivers priced from the table", () => {
  const azurePlan = () =>
    plan("azure", "japaneast", [
      resource("azure-native:cdn:Profile", "lb-profile", { location: "Global", sku: { name: "Premium_AzureFrontDoor" } }),
      resource("azure-native:frontdoor:Policy", "lb-waf", { location: "Global", sku: { name: "Premium_AzureFrontDoor" }, customRules: { rules: [{}, {}] } }),
      resource("azure-native:network:NatGateway", "nat", { sku: { name: "Standard" } }),
      resource("azure-native:network:PublicIPAddress", "nat-ip", { sku: { name: "Standard" }, publicIPAllocationMethod: "Static" }),
      resource("azure-native:app:ContainerApp", "app", { containerAppName: "p-api", workloadProfileName: "Consumption", template: { scale: { minReplicas: 2, maxReplicas: 10 }, containers: [{ resources: { cpu: 1, memory: "2Gi" } }] } }),
      resource("azure-native:dbforpostgresql:Server", "db", { serverName: "p-db", sku: { name: "Standard_D2ds_v5", tier: "GeneralPurpose" }, highAvailability: { mode: "ZoneRedundant" }, storage: { storageSizeGB: 64 } }),
      resource("azure-native:keyvault:Key", "key", { properties: { kty: "RSA-HSM", keySize: 3072 } }),
      ...[1, 2, 3].map((i) => resource("azure-native:monitor:MetricAlert", `metric-${i}`, { location: "global" })),
      resource("azure-native:monitor:ScheduledQueryRule", "log-1", { evaluationFrequency: "PT1M" }),
      resource("azure-native:monitor:ScheduledQueryRule", "log-2", { evaluationFrequency: "PT1M" }),
      resource("azure-native:monitor:ScheduledQueryRule", "log-3", { evaluationFrequency: "PT5M" }),
      resource("azure-native:applicationinsights:WebTest", "uptime", { frequency: 300, locations: [1, 2, 3, 4, 5] }),
      resource("azure-native:containerregistry:Registry", "acr", { sku: { name: "Premium" } }),
    ]);

  it("prices a known plan to a known total: HA doubles the database compute, minimum replicas at the idle rate", () => {
    const dir = priceDir("azure", "japaneast", {
      "frontDoor.Premium_AzureFrontDoor.month": 300,
      "frontDoor.waf.Premium_AzureFrontDoor.policyMonth": 5,
      "frontDoor.waf.Premium_AzureFrontDoor.customRuleMonth": 1,
      "network.natGateway.hour": 0.05,
      "network.publicIp.standardStatic.hour": 0.01,
      "containerApps.consumption.idleVcpuSecond": 0.000003,
      "containerApps.consumption.gibSecond": 0.000003,
      "postgresql.flexible.Standard_D2ds_v5.hour": 0.2,
      "postgresql.flexible.storage.gbMonth": 0.1,
      "keyvault.premium.hsmKey.RSA-HSM-3072.month": 5,
      "monitor.metricAlert.timeSeries.month": 0.1,
      "monitor.logAlert.PT1M.month": 3,
      "monitor.logAlert.PT5M.month": 1.5,
      "appinsights.standardTest.execution": 0.001,
      "containerregistry.Premium.day": 2,
    });
    const cost = estimateCost(azurePlan(), dir)!;
    expect(amounts(cost)).toEqual({
      "Front Door base fee (Premium_AzureFrontDoor)": 300,
      "Front Door WAF policies (Premium_AzureFrontDoor)": 5,
      "Front Door WAF custom rules (Premium_AzureFrontDoor)": 2,
      "NAT gateways": 36.5, // 730 h × 0.05
      "public IPv4 addresses (Standard, static)": 7.3,
      "Container Apps vCPU, idle (p-api)": 15.77, // 2 × 1 vCPU × 2,628,000 s × 0.000003
      "Container Apps memory (p-api)": 31.54, // 2 × 2 GiB × 2,628,000 s × 0.000003
      "database compute (p-db)": 292, // primary and standby: 2 × 730 × 0.2
      "database storage (p-db)": 6.4,
      "Key Vault HSM-protected keys (RSA-HSM 3072)": 5,
      "metric alert rules": 0.3,
      "log alert rules evaluated every PT1M": 6,
      "log alert rules evaluated every PT5M": 1.5,
      "Application Insights standard availability tests": 43.8, // 5 locations × 8,760 runs × 0.001
      "container registry (Premium)": 60.84, // 30.42 days × 2
    });
    expect(cost.monthly).toBe(813.95);
    expect(cost.unpriced).toEqual([]);
    expect(cost.lines.find((l) => l.item === "database compute (p-db)")?.detail).toBe("Standard_D2ds_v5 (GeneralPurpose), high availability (ZoneRedundant): primary and standby, 2 × 730 h");
    expect(cost.notes).toEqual([expect.stringContaining("free grant (180,000 vCPU-seconds, 360,000 GiB-seconds")]);
    expect(cost.usage.map((u) => u.priceKey)).toEqual(
      expect.arrayContaining(["containerApps.consumption.activeVcpuSecond", "network.natGateway.gb", "frontDoor.Premium_AzureFrontDoor.requests10k"]),
    );
  });

  it("never quotes a price missing from the table, and a location without a table prices nothing", () => {
    const cost = estimateCost(azurePlan(), priceDir("azure", "japaneast", { "frontDoor.Premium_AzureFrontDoor.month": 300 }))!;
    expect(cost.monthly).toBe(300);
    expect(cost.unpriced.map((l) => l.priceKey)).toContain("postgresql.flexible.Standard_D2ds_v5.hour");
    const elsewhere = estimateCost({ ...azurePlan(), region: "westeurope" }, priceDir("azure", "japaneast", { "frontDoor.Premium_AzureFrontDoor.month": 300 }))!;
    expect(elsewhere.monthly).toBe(0);
    expect(elsewhere.notes).toContainEqual(expect.stringMatching(/^No price table for azure westeurope \(.*azure\.westeurope\.json\): its items are not priced\.$/));
  });
});

describe("estimateCost on GCP: the fixed-cost drivers priced from the table", () => {
  const gcpPlan = () =>
    plan("gcp", "asia-northeast1", [
      ...[1, 2, 3, 4, 5, 6, 7].map((i) => resource("gcp:compute/globalForwardingRule:GlobalForwardingRule", `rule-${i}`, {})),
      resource("gcp:compute/securityPolicy:SecurityPolicy", "armor", { rules: [{}, {}, {}] }),
      resource("gcp:compute/routerNat:RouterNat", "nat", { region: "asia-northeast1", natIpAllocateOption: "AUTO_ONLY" }),
      resource("gcp:cloudrunv2/service:Service", "idle", { name: "p-idle", location: "asia-northeast1", template: { scaling: { minInstanceCount: 2 }, containers: [{ resources: { cpuIdle: true, limits: { cpu: "1", memory: "512Mi" } } }] } }),
      resource("gcp:cloudrunv2/service:Service", "busy", { name: "p-busy", location: "asia-northeast1", template: { scaling: { minInstanceCount: 1 }, containers: [{ resources: { cpuIdle: false, limits: { cpu: "2", memory: "4Gi" } } }] } }),
      resource("gcp:sql/databaseInstance:DatabaseInstance", "db", { name: "p-db", region: "asia-northeast1", settings: { tier: "db-custom-2-7680", availabilityType: "REGIONAL", edition: "ENTERPRISE", diskSize: 50, diskType: "PD_SSD" } }),
      resource("gcp:kms/cryptoKey:CryptoKey", "key", { keyRing: "projects/p/locations/asia-northeast1/keyRings/r", rotationPeriod: "7776000s" }),
      resource("gcp:kms/cryptoKey:CryptoKey", "copy-key", { keyRing: "projects/p/locations/asia-northeast2/keyRings/c" }),
      resource("gcp:secretmanager/secret:Secret", "s1", { replication: { userManaged: { replicas: [{ location: "asia-northeast1" }] } } }),
      resource("gcp:secretmanager/secret:Secret", "s2", { replication: { auto: {} } }),
      resource("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", "uptime", { period: "60s" }),
    ]);

  it("prices a known plan to a known total: REGIONAL doubles the database, idle rates for request-based minimum instances", () => {
    const dir = priceDir("gcp", "asia-northeast1", {
      "lb.forwardingRules.firstFive.hour": 0.025,
      "lb.forwardingRule.additional.hour": 0.01,
      "armor.policy.month": 5,
      "armor.rule.month": 1,
      "nat.ip.hour": 0.005,
      "run.requestBased.idleVcpuSecond": 0.0000025,
      "run.requestBased.idleGibSecond": 0.0000025,
      "run.instanceBased.vcpuSecond": 0.000018,
      "run.instanceBased.gibSecond": 0.000002,
      "sql.enterprise.vcpuHour": 0.05,
      "sql.enterprise.gbHour": 0.01,
      "sql.storage.PD_SSD.gbMonth": 0.2,
      "kms.software.keyVersion.month": 0.06,
      "secretmanager.activeVersion.month": 0.06,
      "monitoring.uptimeCheck.execution": 0.0003,
    });
    const cost = estimateCost(gcpPlan(), dir)!;
    expect(amounts(cost)).toEqual({
      "load balancer forwarding rules (the first 5)": 18.25, // 730 h × 0.025, however many of the first five
      "load balancer forwarding rules beyond 5": 14.6, // 2 × 730 × 0.01
      "Cloud Armor policies": 5,
      "Cloud Armor rules": 3,
      "Cloud NAT external IP addresses": 3.65,
      "Cloud Run vCPU, idle (p-idle)": 13.14, // 2 × 1 vCPU × 2,628,000 s × 0.0000025
      "Cloud Run memory, idle (p-idle)": 6.57, // 2 × 0.5 GiB × 2,628,000 s × 0.0000025
      "Cloud Run vCPU, instance-based (p-busy)": 94.61, // 1 × 2 vCPU × 2,628,000 s × 0.000018
      "Cloud Run memory, instance-based (p-busy)": 21.02, // 1 × 4 GiB × 2,628,000 s × 0.000002
      "database vCPUs (p-db)": 146, // REGIONAL: 2 vCPU × 2 × 730 × 0.05
      "database memory (p-db)": 109.5, // 7.5 GB × 2 × 730 × 0.01
      "database storage (p-db)": 20, // 50 GB × 2 × 0.2
      "Cloud KMS keys (software)": 0.06,
      "Cloud KMS keys (software) (asia-northeast2)": undefined,
      "Secret Manager secrets": 0.12, // the automatic replication policy is billed as one location
      "uptime check executions": 13.14, // 43,800 runs × 0.0003
    });
    expect(cost.monthly).toBe(468.66);
    expect(cost.unpriced.map((l) => `${l.priceKey} ${l.region}`)).toEqual(["kms.software.keyVersion.month asia-northeast2"]);
    expect(cost.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Cloud Run's free tier"),
        expect.stringContaining("each rotation adds one"),
        expect.stringMatching(/^No price table for gcp asia-northeast2 \(.*gcp\.asia-northeast2\.json\)/),
      ]),
    );
    expect(seconds).toBe(2_628_000);
  });
});

describe("the committed stacks with the committed Azure and GCP price tables", () => {
  const committed = async (options: RunOptions) => {
    const run = await runProgram(options);
    expect(run.error).toBeUndefined();
    return toPlan(run);
  };

  it("Azure: dev and production, their known totals, and every driver Japan East prices are not verified for is listed as not priced", async () => {
    const dev = estimateCost(await committed({ stack: "dev", cloud: "azure" }))!;
    expect(dev.tables).toEqual([{ region: "japaneast", date: "2026-11-28", file: "tools/prices/azure.japaneast.json" }]);
    // The Front Door Standard base fee; nothing else has a verified Japan East price.
    expect(dev.monthly).toBe(35);
    expect(dev.unpriced.map((l) => l.priceKey)).toEqual([
      "frontDoor.waf.Standard_AzureFrontDoor.policyMonth",
      "frontDoor.waf.Standard_AzureFrontDoor.customRuleMonth",
      "network.natGateway.hour",
      "network.publicIp.standardStatic.hour",
      "containerApps.consumption.idleVcpuSecond",
      "containerApps.consumption.gibSecond",
      "postgresql.flexible.Standard_B2s.hour",
      "postgresql.flexible.storage.gbMonth",
      "monitor.metricAlert.timeSeries.month",
      "monitor.logAlert.PT1M.month",
      "containerregistry.Premium.day",
    ]);
    expect(dev.lines.find((l) => l.priceKey === "containerApps.consumption.idleVcpuSecond")).toMatchObject({ quantity: 2_628_000, detail: "1 minimum replica × 1 vCPU × 730 h" });
    const production = estimateCost(await committed({ stack: "production", cloud: "azure" }))!;
    expect(production.monthly).toBe(330);
    expect(production.lines.find((l) => l.item.startsWith("database compute"))).toMatchObject({ quantity: 1460, priceKey: "postgresql.flexible.Standard_D2ds_v5.hour" });
    expect(production.lines.find((l) => l.item === "Application Insights standard availability tests")?.quantity).toBe(5 * 8760 + 2 * 2920);
    expect(renderText({ plan: await committed({ stack: "dev", cloud: "azure" }), cost: dev })).toContain("$35.00 a month fixed, plus 11 not priced");
  });

  it("GCP: dev and production, their known totals, instance-based billing in production", async () => {
    const dev = estimateCost(await committed({ stack: "dev", cloud: "gcp" }))!;
    // NAT address 730 × 0.005 + Cloud Run idle 2,628,000 s × (1 vCPU + 2 GiB) × 0.0000025 + 1 key × 0.06 + 4 secrets × 0.06.
    expect(dev.monthly).toBe(23.66);
    expect(amounts(dev)).toMatchObject({ "Cloud NAT external IP addresses": 3.65, "Cloud Run vCPU, idle (platform-dev-api)": 6.57, "Cloud Run memory, idle (platform-dev-api)": 13.14, "Cloud KMS keys (software)": 0.06, "Secret Manager secrets": 0.24 });
    expect(dev.unpriced.map((l) => l.priceKey)).toEqual([
      "lb.forwardingRules.firstFive.hour",
      "armor.policy.month",
      "armor.rule.month",
      "sql.enterprise.vcpuHour",
      "sql.enterprise.gbHour",
      "sql.storage.PD_SSD.gbMonth",
    ]);
    const production = estimateCost(await committed({ stack: "production", cloud: "gcp" }))!;
    // NAT address 3.65 + 2 instances × 1 vCPU × 2,628,000 s × 0.000018 (instance-based) + 0.06 + 0.24.
    expect(production.monthly).toBe(98.56);
    expect(production.unpriced.map((l) => `${l.priceKey} ${l.region}`)).toEqual(
      expect.arrayContaining(["run.instanceBased.gibSecond asia-northeast1", "sql.enterprise.vcpuHour asia-northeast2", "kms.software.keyVersion.month asia-northeast2"]),
    );
    expect(production.lines.find((l) => l.item === "database storage (platform-production-bca4532d)")).toMatchObject({ quantity: 100, detail: "50 GB PD_SSD × 2 (standby)" });
    expect(renderText({ plan: await committed({ stack: "dev", cloud: "gcp" }), cost: dev })).toContain("$0.0000025 per GiB-second while serving");
  });

  it("shows the difference a change makes: one more minimum instance on GCP, the same change on Azure changes unpriced lines only", async () => {
    const set = ["platform:services.api.minInstances=2"];
    const gcp = compareCost(estimateCost(await committed({ stack: "dev", cloud: "gcp" }))!, estimateCost(await committed({ stack: "dev", cloud: "gcp", set }))!);
    // One more idle instance of 1 vCPU and 2 GiB for 730 h.
    expect(gcp.delta).toBe(19.71);
    expect(gcp.lines.map((l) => [l.item, l.before, l.after])).toEqual([
      ["Cloud Run vCPU, idle (platform-dev-api)", 6.57, 13.14],
      ["Cloud Run memory, idle (platform-dev-api)", 13.14, 26.28],
    ]);
    const azure = compareCost(estimateCost(await committed({ stack: "dev", cloud: "azure" }))!, estimateCost(await committed({ stack: "dev", cloud: "azure", set }))!);
    expect(azure.delta).toBe(0);
    expect(azure.lines).toEqual([
      { item: "Container Apps vCPU, idle (platform-dev-api)", region: "japaneast", before: undefined, after: undefined, unpricedBefore: true, unpricedAfter: true },
      { item: "Container Apps memory (platform-dev-api)", region: "japaneast", before: undefined, after: undefined, unpricedBefore: true, unpricedAfter: true },
    ]);
  });

  it("shows Front Door Standard -> Premium as the base fee's difference", async () => {
    const before = estimateCost(await committed({ stack: "dev", cloud: "azure" }))!;
    const after = estimateCost(await committed({ stack: "dev", cloud: "azure", set: ["platform:environment=staging"] }))!;
    const delta = compareCost(before, after);
    expect(delta.delta).toBe(295);
    expect(delta.lines.filter((l) => l.item.startsWith("Front Door base fee")).map((l) => [l.item, l.before, l.after])).toEqual([
      ["Front Door base fee (Standard_AzureFrontDoor)", 35, undefined],
      ["Front Door base fee (Premium_AzureFrontDoor)", undefined, 330],
    ]);
  });
});

describe("the Azure and GCP price tables", () => {
  const table = (file: string) => JSON.parse(readFileSync(path.join(pricesDir, file), "utf8")) as PriceTable;

  it("exist for the committed stacks' regions, dated, each price from the provider's own pricing page", () => {
    for (const [file, region, host] of [
      ["azure.japaneast.json", "japaneast", /azure\.microsoft\.com\/pricing/],
      ["gcp.asia-northeast1.json", "asia-northeast1", /cloud\.google\.com\/(run|kms|secret-manager|stackdriver|nat)\/pricing/],
    ] as const) {
      const t = table(file);
      expect({ file, region: t.region, date: t.date, hours: t.hoursPerMonth }).toEqual({ file, region, date: "2026-11-28", hours: 730 });
      for (const [key, price] of Object.entries(t.prices)) expect({ key, source: price.source }).toEqual({ key, source: expect.stringMatching(host) });
    }
  });
});
