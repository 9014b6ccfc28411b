// The Azure limits on a spec, checked directly, and the way config validation applies them: regions
// and zones, the paired region of backup copies, Container Apps sizes and replicas, Front Door's
// timeouts, certificate, DNS zone, rate windows and routes, egress, retention, tags, the database, the
// subnet sizes and the uptime tests. Every message names Azure's service.
import { azureLimits } from "../../../components/azure/limits";
import { azurePairedRegion, azureRegionNames, azureRegionProblem, azureZones } from "../../../components/azure/regions";
import { appsAddressesNeeded, subnetLayout } from "../../../components/azure/subnets";
import { frontDoorRoutedService } from "../../../components/azure/frontDoorLimits";
import type { PlatformSpec, ServiceSpec } from "../../../components/model";
import { loadPlatformSpec, type StackConfig } from "../../../stacks/config";
import { ConfigError } from "../../../stacks/configErrors";
import { runProgram } from "../../harness/run";

const values = { "platform:cloud": "azure", "platform:environment": "dev", "azure-native:location": "japaneast" };
const base: PlatformSpec = loadPlatformSpec({ project: "platform", stack: "unit", values, secretKeys: new Set() }).spec;

type Patch = { [K in keyof PlatformSpec]?: PlatformSpec[K] extends unknown[] ? PlatformSpec[K] : PlatformSpec[K] extends object ? Partial<PlatformSpec[K]> : PlatformSpec[K] };
const spec = (patch: Patch = {}): PlatformSpec => {
  const out = { ...base } as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    const merge = !["services", "secrets", "tags"].includes(key) && value && typeof value === "object" && !Array.isArray(value) && current && typeof current === "object";
    out[key] = merge ? { ...(current as object), ...value } : value;
  }
  return out as unknown as PlatformSpec;
};
const service = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({ ...base.services.api, ...over });
const problem = (s: PlatformSpec, key: string) => azureLimits(s).filter((p) => p.key === key);
const load = (extra: Record<string, string>, environment = "dev"): ReturnType<typeof loadPlatformSpec> =>
  loadPlatformSpec({ project: "platform", stack: "unit", values: { ...values, "platform:environment": environment, ...extra }, secretKeys: new Set() } as StackConfig);
const production = { "platform:loadBalancer": JSON.stringify({ domain: "app.example.com" }), "platform:services": JSON.stringify({ api: { imageTag: "1.0.0" } }) };
const refusal = (extra: Record<string, string>, environment = "dev"): ConfigError => {
  try {
    load(extra, environment);
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error("the config was accepted");
};

describe("the committed specs on Azure", () => {
  it("a dev spec has no refusal", () => {
    expect(azureLimits(base).filter((p) => p.severity !== "warning")).toEqual([]);
  });
});

describe("Azure regions, zones and pairs", () => {
  it("knows japaneast with three zones and japanwest as its pair, both ways", () => {
    expect(azureZones("japaneast")).toEqual(["1", "2", "3"]);
    expect(azurePairedRegion("japaneast")).toBe("japanwest");
    expect(azurePairedRegion("japanwest")).toBe("japaneast");
  });

  it("knows regions without zones, and regions without a pair", () => {
    expect(azureZones("westus")).toEqual([]);
    expect(azureZones("northcentralus")).toEqual([]);
    expect(azurePairedRegion("italynorth")).toBeUndefined();
    expect(azureZones("nowhere")).toBeUndefined();
  });

  it("has a programmatic name for every region: lowercase letters and digits", () => {
    for (const region of azureRegionNames) expect(region).toMatch(/^[a-z]+[a-z0-9]*$/);
    expect(azureRegionNames.length).toBeGreaterThan(50);
  });

  it.each([
    ["japaneas", 'not an Azure region; did you mean "japaneast"?'],
    ["westeurop", 'not an Azure region; did you mean "westeurope"?'],
  ])("%s is refused with a suggestion", (region, message) => {
    expect(azureRegionProblem(region)).toBe(message);
    expect(refusal({ "azure-native:location": region }).message).toContain(`azure-native:location: "${region}" is not allowed: ${message}`);
  });

  it("refuses a region without availability zones: the platform spreads its network over zones", () => {
    const e = refusal({ "azure-native:location": "westus" });
    expect(e.message).toContain("platform:network.zones: 2 is not allowed: region westus has no availability zones");
  });

  it("a zone list names zones 1-3 of the region", () => {
    expect(load({ "platform:network": JSON.stringify({ availabilityZones: ["1", "3"] }) }).spec.network.zones).toEqual(["1", "3"]);
    expect(refusal({ "platform:network": JSON.stringify({ availabilityZones: ["1", "4"] }) }).message).toContain('platform:network.availabilityZones[1]: "4" is not allowed: not a zone of region japaneast (1, 2, 3)');
  });

  it("production copies backups to the region's pair by default, and refuses another region", () => {
    expect(load(production, "production").spec.backup.copyRegion).toBe("japanwest");
    const wrong = problem(spec({ backup: { ...base.backup, copyRegion: "eastus" } }), "backup.copyRegion");
    expect(wrong).toEqual([{ key: "backup.copyRegion", value: "eastus", message: "Azure Backup copies a geo-redundant vault only to the stack region's pair: for japaneast that is japanwest" }]);
    expect(problem(spec({ region: "italynorth", backup: { ...base.backup, copyRegion: "westeurope" } }), "backup.copyRegion")[0].message).toContain("italynorth has no paired region");
    expect(problem(spec({ backup: { ...base.backup, copyRegion: "japanwest" } }), "backup.copyRegion")).toEqual([]);
  });
});

describe("Container Apps sizes and replicas", () => {
  it.each([
    [0.25, 512],
    [0.5, 1024],
    [1, 2048],
    [1.75, 3584],
    [4, 8192],
  ])("%s vCPU with %s MiB runs", (cpu, memory) => {
    expect(azureLimits(spec({ services: { api: service({ cpu, memory }) } })).filter((p) => p.key.startsWith("services.api"))).toEqual([]);
  });

  it("refuses a vCPU count off the 0.25 steps or above 4", () => {
    for (const cpu of [0.3, 4.25, 8]) {
      expect(problem(spec({ services: { api: service({ cpu, memory: 2048 }) } }), "services.api.cpu")[0].message).toBe("Azure Container Apps (Consumption profile) runs 0.25 to 4 vCPU in steps of 0.25 (0.25, 0.5, 0.75, 1, ... 4)");
    }
  });

  it("refuses memory other than 2048 MiB per vCPU, naming the one that works", () => {
    expect(problem(spec({ services: { api: service({ cpu: 1, memory: 4096 }) } }), "services.api.memory")).toEqual([
      { key: "services.api.memory", value: 4096, message: "Azure Container Apps (Consumption profile) gives a container exactly 2048 MiB per vCPU: with 1 vCPU, set 2048" },
    ]);
  });

  it("refuses min instances of 0: a CPU scale rule cannot scale to zero", () => {
    expect(problem(spec({ services: { api: service({ minInstances: 0 }) } }), "services.api.minInstances")[0].message).toContain("cannot scale an app with a CPU scale rule");
  });

  it("reserves the env vars the platform sets on Azure", () => {
    for (const name of ["AZURE_CLIENT_ID", "FRONT_DOOR_ID", "PLATFORM_VAULT_VERSIONS"]) {
      expect(problem(spec({ services: { api: service({ env: { [name]: "x" } }) } }), `services.api.env.${name}`)[0].message).toContain(`${name} is reserved on Azure`);
    }
  });
});

describe("Front Door", () => {
  it("takes a backend timeout of 16-240 s (its origin response timeout)", () => {
    expect(problem(spec({ loadBalancer: { backendTimeoutSeconds: 16 } }), "loadBalancer.backendTimeoutSeconds")).toEqual([]);
    expect(problem(spec({ loadBalancer: { backendTimeoutSeconds: 240 } }), "loadBalancer.backendTimeoutSeconds")).toEqual([]);
    for (const seconds of [15, 241]) {
      expect(problem(spec({ loadBalancer: { backendTimeoutSeconds: seconds } }), "loadBalancer.backendTimeoutSeconds")[0].message).toBe("on Azure this is the Front Door origin response timeout, which takes 16 to 240 seconds");
    }
  });

  it("has no client idle timeout to set: any value is refused", () => {
    expect(problem(spec({ loadBalancer: { clientIdleTimeoutSeconds: 60 } }), "loadBalancer.clientIdleTimeoutSeconds")[0].message).toContain("Azure Front Door has no client idle timeout to set");
  });

  it("counts rate limits over 1 or 5 minutes", () => {
    expect(problem(spec({ loadBalancer: { rateLimit: { requests: 100, windowSeconds: 300 } } }), "loadBalancer.rateLimit.windowSeconds")).toEqual([]);
    expect(problem(spec({ loadBalancer: { rateLimit: { requests: 100, windowSeconds: 120 } } }), "loadBalancer.rateLimit.windowSeconds")[0].message).toBe("an Azure Front Door WAF rate-limit rule counts over 1 or 5 minutes: use 60 or 300");
  });

  it("takes a Key Vault certificate's resource id, on a custom domain", () => {
    const id = "/subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b/resourceGroups/certs/providers/Microsoft.KeyVault/vaults/my-certs/certificates/app-example-com";
    expect(problem(spec({ loadBalancer: { certificate: id, domain: "app.example.com" } }), "loadBalancer.certificate")).toEqual([]);
    expect(problem(spec({ loadBalancer: { certificate: "arn:aws:acm:us-east-1:123456789012:certificate/x", domain: "app.example.com" } }), "loadBalancer.certificate")[0].message).toContain("expected a Key Vault certificate as Azure Front Door takes it");
    expect(problem(spec({ loadBalancer: { certificate: id } }), "loadBalancer.domain")[0].message).toContain("required with loadBalancer.certificate on Azure");
  });

  it("takes an Azure DNS zone id, and the domain must be inside the zone", () => {
    const zone = "/subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com";
    expect(azureLimits(spec({ loadBalancer: { domain: "app.example.com", dnsZone: zone } })).filter((p) => p.key.startsWith("loadBalancer"))).toEqual([]);
    expect(problem(spec({ loadBalancer: { domain: "app.example.org", dnsZone: zone } }), "loadBalancer.domain")[0].message).toBe(
      "is outside Azure DNS zone example.com, where its validation and CNAME records go; use example.com or a name ending in .example.com",
    );
    expect(problem(spec({ loadBalancer: { domain: "app.example.com", dnsZone: "/subscriptions/x/dnszones/y" } }), "loadBalancer.dnsZone")[0]).toMatchObject({ message: expect.stringContaining("expected an Azure DNS zone resource id") });
  });

  it("writes no records into another cloud's zone or without a zone: a warning says what to create", () => {
    const [route53] = problem(spec({ loadBalancer: { domain: "app.example.com", dnsZone: "Z0123456789ABCDEFGHIJ" } }), "loadBalancer.dnsZone");
    expect(route53).toMatchObject({ severity: "warning", message: expect.stringContaining("is another cloud's DNS zone, not an Azure DNS zone resource id") });
    const [none] = problem(spec({ loadBalancer: { domain: "app.example.com" } }), "loadBalancer.dnsZone");
    expect(none).toMatchObject({ severity: "warning", message: expect.stringContaining("_dnsauth.app.example.com") });
  });

  it("matches at most 25 paths per route", () => {
    const paths = Array.from({ length: 26 }, (_, i) => `/p${i}/*`);
    expect(problem(spec({ services: { api: service({ pathPatterns: paths }) } }), "services.api.pathPatterns")[0].message).toContain("an Azure Front Door route matches at most 25 paths");
  });

  it("routes a path to the most specific pattern: exact, then the longest prefix", () => {
    const services = { api: service({ pathPatterns: ["/api/*"] }), web: service({ pathPatterns: ["/*"] }), health: service({ pathPatterns: ["/api/health"] }) };
    expect(frontDoorRoutedService("/api/v1/health", services)).toBe("api");
    expect(frontDoorRoutedService("/api/health", services)).toBe("health");
    expect(frontDoorRoutedService("/index.html", services)).toBe("web");
    expect(frontDoorRoutedService("/x", { api: service({ pathPatterns: ["/api/*"] }) })).toBeUndefined();
  });
});

describe("egress", () => {
  it("refuses egress per zone with Azure's reason", () => {
    const [p] = problem(spec({ network: { ...base.network, egress: "perZone" } }), "network.egress");
    expect(p.severity).toBeUndefined();
    expect(p.message).toContain("Azure NAT Gateway serves a subnet with one gateway");
    expect(refusal({ "platform:network": JSON.stringify({ egress: "perZone" }) }).message).toContain("platform:network.egress: \"perZone\" is not allowed: Azure NAT Gateway");
  });

  it("builds shared egress where the production preset asks for per-zone, with a warning, and says nothing once the stack file says shared", () => {
    const prod = production;
    const preset = load(prod, "production");
    expect(preset.spec.network.egress).toBe("shared");
    expect(preset.warnings.filter((w) => w.startsWith("platform:network.egress: the production preset asks for perZone egress. Azure cannot give each zone its own egress"))).toHaveLength(1);
    const explicit = load({ ...prod, "platform:network": JSON.stringify({ egress: "shared" }) }, "production");
    expect(explicit.warnings.filter((w) => w.includes("network.egress"))).toEqual([]);
  });
});

describe("retention and tags", () => {
  it("keeps application logs 4-730 days per table and audit logs 30-730 days", () => {
    expect(problem(spec({ logs: { ...base.logs, appRetentionDays: 3 } }), "logs.appRetentionDays")[0].message).toBe("a Log Analytics table keeps data 4 to 730 days");
    expect(problem(spec({ logs: { ...base.logs, appRetentionDays: 7 } }), "logs.appRetentionDays")).toEqual([]);
    expect(problem(spec({ logs: { ...base.logs, auditRetentionDays: 731 } }), "logs.auditRetentionDays")[0].message).toContain("a Log Analytics workspace of their own, which keeps data 30 to 730 days");
  });

  it("refuses tag names Azure refuses, and two names that differ only in case", () => {
    expect(problem(spec({ tags: { ...base.tags, "cost/center": "1" } }), "tags.cost/center")[0].message).toBe("Azure refuses < > % & \\ ? / in tag names; choose another name");
    expect(problem(spec({ tags: { ...base.tags, "team:name": "1" } }), "tags.team:name")[0].message).toContain("Azure Front Door refuses # and : in tag names");
    expect(problem(spec({ tags: { ...base.tags, Team: "a", team: "b" } }), "tags.team")[0].message).toContain("Azure compares tag names without case: this is the same tag as Team");
    expect(problem(spec({ tags: { ...base.tags, team: "x".repeat(257) } }), "tags.team")[0].message).toBe("Azure accepts tag values of at most 256 characters; this one has 257");
  });

  it("counts the platform's own tags against the 50 a resource may carry", () => {
    const many = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`t${i}`, "v"]));
    expect(problem(spec({ tags: { ...base.tags, ...many } }), "tags")[0].message).toContain("Azure allows at most 50 per resource: remove 1");
    const fits = Object.fromEntries(Array.from({ length: 44 }, (_, i) => [`t${i}`, "v"]));
    expect(problem(spec({ tags: { ...base.tags, ...fits } }), "tags")).toEqual([]);
  });
});

describe("the database", () => {
  it("maps storage to the next size Azure offers, and the point-in-time window to 7-35 days, with warnings", () => {
    const warnings = load({}).warnings;
    expect(warnings).toContain("platform:database.storageGb: Azure Database for PostgreSQL flexible server offers 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767 GiB: the server gets 32 GiB");
    expect(warnings).toContain("platform:database.pointInTimeRecoveryDays: Azure Database for PostgreSQL flexible server keeps point-in-time backups 7 to 35 days: the server keeps 7");
    expect(warnings.find((w) => w.startsWith("platform:database.maxStorageGb"))).toContain("100 GiB is not enforced on Azure");
  });

  it("refuses majors Azure does not start a server on", () => {
    expect(problem(spec({ database: { ...base.database!, version: "12" } }), "database.version")[0].message).toContain("PostgreSQL 12 reached its community end of life on November 21, 2024");
    expect(problem(spec({ database: { ...base.database!, version: "19" } }), "database.version")[0].message).toBe("Azure Database for PostgreSQL flexible server runs majors 13, 14, 15, 16, 17, 18");
    expect(problem(spec({ database: { ...base.database!, version: "17", storageGb: 32, maxStorageGb: 32, pointInTimeRecoveryDays: 7 } }), "database.version")).toEqual([]);
  });
});

describe("the network's subnets", () => {
  it("cuts the apps half and two quarters by role, the same for a block whatever runs in it", () => {
    expect(subnetLayout("10.0.0.0/16")).toEqual({ apps: "10.0.0.0/17", endpoints: "10.0.128.0/18", database: "10.0.192.0/18" });
    expect(subnetLayout("192.168.4.0/24")).toEqual({ apps: "192.168.4.0/25", endpoints: "192.168.4.128/26", database: "192.168.4.192/26" });
  });

  it("refuses a network whose Container Apps subnet cannot hold every replica twice over, naming the smallest that works", () => {
    const many = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`s${i}`, service({ maxInstances: 20, pathPatterns: [`/s${i}/*`] })]));
    const s = spec({ network: { ...base.network, cidr: "10.0.0.0/24" }, services: many });
    expect(appsAddressesNeeded(s)).toBe(4 * 20 * 2 + 12 + 5);
    expect(problem(s, "network.cidr")[0].message).toContain("too small: the Azure Container Apps subnet (the first half of the network, /25, 128 addresses) must hold 177");
    expect(problem(s, "network.cidr")[0].message).toContain("the smallest network that works is a /23");
  });
});

describe("uptime checks", () => {
  it("say that a test runs every 5 minutes from each of 5 locations (a warning), and refuse windows no test round fills", () => {
    const check = { intervalSeconds: 60, availabilityPercentMin: 99, availabilityWindowMinutes: 5 };
    const [interval] = problem(spec({ observability: { dashboard: true, uptimeCheck: check } }), "observability.uptimeIntervalSeconds");
    expect(interval).toMatchObject({ severity: "warning", message: expect.stringContaining("each of the 5 locations checks every 5 minutes, so the endpoint is checked about every 60 seconds") });
    expect(problem(spec({ observability: { dashboard: true, uptimeCheck: { ...check, availabilityWindowMinutes: 10 } } }), "observability.availabilityWindowMinutes")[0].message).toContain("evaluates over 5, 15, 30, 60 minutes");
  });

  it("keep the test agents under half the rate limit", () => {
    const check = { intervalSeconds: 300, availabilityPercentMin: 99, availabilityWindowMinutes: 5 };
    const services = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`s${i}`, service({ pathPatterns: [`/s${i}/*`], healthCheckPath: `/s${i}/health` })]));
    const s = spec({ services, observability: { dashboard: true, uptimeCheck: check }, loadBalancer: { rateLimit: { requests: 10, windowSeconds: 300 } } });
    expect(problem(s, "loadBalancer.rateLimit.requests")[0].message).toContain("set at least 12");
  });
});

describe("the program on a bad Azure value", () => {
  it("stops with one problem naming the key, before anything is registered", async () => {
    const r = await runProgram({ stack: "dev", cloud: "azure", set: ["platform:services.api.memory=4096"] });
    expect(r.error).toBeInstanceOf(ConfigError);
    expect((r.error as ConfigError).problems).toHaveLength(1);
    expect(r.error!.message).toContain("platform:services.api.memory: 4096 is not allowed: Azure Container Apps (Consumption profile) gives a container exactly 2048 MiB per vCPU: with 1 vCPU, set 2048");
    expect(r.resources).toEqual([]);
  });
});
