// GCP's own rules on the spec, checked before anything is registered: each refusal names the key, the
// value and what GCP allows; each mapping is a warning that names the key as the stack file wrote it.
import { databaseDailyDays, gcpLimits, pointInTimeDays } from "../../../components/gcp/limits";
import { cloudRunConcurrency, cloudRunCpu, cloudRunCpuLegal, cloudRunMemoryRange } from "../../../components/gcp/sizes";
import { gcpLayout } from "../../../components/gcp/addressing";
import { routedService } from "../../../components/gcp/routing";
import type { PlatformSpec } from "../../../components/model";
import { loadPlatformSpec } from "../../../stacks/config";
import { ConfigError } from "../../../stacks/configErrors";
import { knownZones } from "../../../stacks/zones";

const values = (extra: Record<string, unknown> = {}, env = "dev") => {
  const out: Record<string, string> = { "platform:cloud": "gcp", "platform:environment": env, "gcp:region": "asia-northeast1", "gcp:project": "example-project" };
  for (const [k, v] of Object.entries(extra)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
};
const load = (extra: Record<string, unknown> = {}, env = "dev") => loadPlatformSpec({ project: "platform", stack: "unit", values: values(extra, env), secretKeys: new Set() });
function refusals(extra: Record<string, unknown>, env = "dev"): string[] {
  try {
    load(extra, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.key}: ${p.value === undefined ? "" : `${JSON.stringify(p.value)} `}${p.message}`);
    throw e;
  }
  return [];
}
const base = load().spec;
const api = (over: Partial<PlatformSpec["services"]["api"]>) => ({ "platform:services": { api: { ...over } } });

describe("Cloud Run sizes", () => {
  it("runs 0.08 to 0.99 vCPU in hundredths, and 1, 2, 4, 6, 8", () => {
    for (const cpu of [0.08, 0.5, 0.99, 1, 2, 4, 6, 8]) expect({ cpu, legal: cloudRunCpuLegal(cpu) }).toEqual({ cpu, legal: true });
    for (const cpu of [0.07, 0.255, 1.5, 3, 5, 16]) expect({ cpu, legal: cloudRunCpuLegal(cpu) }).toEqual({ cpu, legal: false });
    expect(refusals(api({ cpu: 3 }))).toEqual(["platform:services.api.cpu: 3 Cloud Run runs 0.08 to 0.99 vCPU in steps of 0.01, or 1, 2, 4, 6, 8 vCPU"]);
  });

  it("bounds memory per vCPU", () => {
    expect(cloudRunMemoryRange(0.25)).toEqual({ min: 128, max: 512 });
    expect(cloudRunMemoryRange(0.5)).toEqual({ min: 128, max: 1024 });
    expect(cloudRunMemoryRange(4)).toEqual({ min: 2048, max: 16384 });
    expect(refusals(api({ cpu: 1, memory: 8192 }))).toEqual(["platform:services.api.memory: 8192 Cloud Run with 1 vCPU takes 128-4096 MiB of memory"]);
    expect(refusals(api({ cpu: 8, memory: 2048 }))).toEqual(["platform:services.api.memory: 2048 Cloud Run with 8 vCPU takes 4096-32768 MiB of memory"]);
  });

  it("below 1 vCPU serves one request at a time, in millicores, with a warning", () => {
    expect(cloudRunConcurrency(0.5)).toBe(1);
    expect(cloudRunConcurrency(2)).toBe(160);
    expect(cloudRunCpu(0.5)).toBe("500m");
    expect(cloudRunCpu(2)).toBe("2");
    expect(load(api({ cpu: 0.5, memory: 1024 })).warnings).toContain(
      "platform:services.api.cpu: below 1 vCPU Cloud Run serves one request at a time per instance (and throttles CPU between requests): expect more instances, or set 1",
    );
  });
});

describe("autoscaling targets", () => {
  it("refuses a memory target: Cloud Run does not scale on memory", () => {
    expect(refusals(api({ memoryTarget: 80 }))).toEqual(["platform:services.api.memoryTarget: 80 Cloud Run scales on requests and CPU only, never on memory; remove it (the memory alarms stay)"]);
  });

  it("warns where the CPU target differs from Cloud Run's own 60%, and says nothing at 60", () => {
    expect(load().warnings.join("\n")).toContain("platform:services.api.cpuTarget: Cloud Run's autoscaler keeps its own CPU target of 60%");
    expect(load(api({ cpuTarget: 60 })).warnings.join("\n")).not.toContain("cpuTarget");
  });
});

describe("load balancer", () => {
  it("request timeout at most 3600 s, keep-alive 5-1200 s, Cloud Armor's thresholds", () => {
    expect(refusals({ "platform:loadBalancer": { backendTimeoutSeconds: 3601 } })).toEqual(["platform:loadBalancer.backendTimeoutSeconds: 3601 this is the Cloud Run request timeout, at most 3600 seconds"]);
    expect(refusals({ "platform:loadBalancer": { clientIdleTimeoutSeconds: 4 } })).toEqual(["platform:loadBalancer.clientIdleTimeoutSeconds: 4 this is the HTTPS proxy's HTTP keep-alive timeout, 5-1200 seconds"]);
    expect(refusals({ "platform:loadBalancer": { rateLimit: { requests: 2_000_000 } } })).toEqual(["platform:loadBalancer.rateLimit.requests: 2000000 a Cloud Armor throttle counts at most 1000000 requests per interval"]);
    expect(gcpLimits({ ...base, loadBalancer: { ...base.loadBalancer, rateLimit: { requests: 100, windowSeconds: 45 } } }).find((p) => p.key === "loadBalancer.rateLimit.windowSeconds")?.message).toBe(
      "Cloud Armor counts over 10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600 seconds",
    );
  });

  it("takes a certificate of its own project only, and without a zone says who writes the A record", () => {
    expect(refusals({ "platform:loadBalancer": { certificate: "projects/other-project/global/sslCertificates/web" } })).toEqual([
      'platform:loadBalancer.certificate: "projects/other-project/global/sslCertificates/web" the certificate is in project other-project; the load balancer can only use one of its own project example-project',
    ]);
    expect(load({ "platform:loadBalancer": { domain: "app.example.com" } }).warnings.join("\n")).toContain(
      "platform:loadBalancer.dnsZone: not set: the platform writes no DNS record, and Google provisions the managed certificate for app.example.com only once its A record points at the load balancer's address",
    );
  });

  it("routes by the longest matching path rule, unmatched paths to the service that owns /*", () => {
    const services = { api: { ...base.services.api, pathPatterns: ["/api/*"] }, web: { ...base.services.api, pathPatterns: ["/*"] }, v2: { ...base.services.api, pathPatterns: ["/api/v2/*"] } };
    expect(routedService("/api/v1/health", services)).toBe("api");
    expect(routedService("/api/v2/health", services)).toBe("v2");
    expect(routedService("/api", services)).toBe("web");
    expect(routedService("/health", { api: services.api })).toBeUndefined();
  });
});

describe("data and logs", () => {
  it("log buckets keep 1-3650 days", () => {
    expect(refusals({ "platform:logs": { auditRetentionDays: 3651 } })).toEqual(["platform:logs.auditRetentionDays: 3651 a Cloud Logging bucket keeps logs 1 to 3650 days"]);
  });

  it("point-in-time recovery: at most 7 days of logs on Enterprise, all of them kept, the database's daily backups kept a day longer under Backup and DR", () => {
    expect(refusals({ "platform:database": { pointInTimeRecoveryDays: 14 } })).toEqual(["platform:database.pointInTimeRecoveryDays: 14 Cloud SQL Enterprise edition keeps transaction logs for point-in-time recovery 1 to 7 days"]);
    expect(refusals({ "platform:backup": { dailyRetentionDays: 1 } })).toEqual([]);
    const production = load({ "platform:services": { api: { imageTag: "1.0.0" } }, "platform:loadBalancer": { domain: "app.example.com", dnsZone: "example-com" } }, "production");
    expect(production.warnings).toContain(
      "platform:backup.dailyRetentionDays: the database's daily backups are kept 8 days, one more than its 7 days of point-in-time recovery: Backup and DR keeps a Cloud SQL instance's logs only for less time than a daily backup",
    );
    expect(pointInTimeDays(production.spec)).toBe(7);
    expect(databaseDailyDays(production.spec)).toBe(8);
  });

  it("soft delete 7-90 days, a copy region that is a GCP region other than the stack's", () => {
    expect(refusals({ "platform:backup": { continuousRetentionDays: 3 } })).toEqual(["platform:backup.continuousRetentionDays: 3 on GCP this is the data bucket's soft delete window, which Cloud Storage keeps 7 to 90 days"]);
    expect(refusals({ "platform:backup": { copyRegion: "asia-northeast1" } })).toEqual(['platform:backup.copyRegion: "asia-northeast1" the copy bucket must be in a region other than the stack\'s own (asia-northeast1)']);
    expect(refusals({ "platform:backup": { copyRegion: "us-west-2" } })[0]).toMatch(/^platform:backup\.copyRegion: "us-west-2" not a Google Cloud region; regions there: us-central1/);
  });

  it("Cloud SQL versions and storage", () => {
    expect(refusals({ "platform:database": { version: "12" } })).toEqual(['platform:database.version: "12" Cloud SQL runs PostgreSQL 13, 14, 15, 16, 17 under standard support']);
  });

  it("a network with a database needs room for the subnet and private services access (/23 or larger)", () => {
    expect(refusals({ "platform:network": { cidr: "10.0.0.0/24" } })).toEqual([
      'platform:network.cidr: "10.0.0.0/24" on GCP half of the network is the services\' subnet and half the range Cloud SQL takes its private address from (private services access needs a /24 at least): use a /23 or larger',
    ]);
    expect(refusals({ "platform:network": { cidr: "10.0.0.0/24" }, "platform:database": { enabled: false } })).toEqual([]);
    expect(gcpLayout("10.0.0.0/23")).toEqual({ subnetCidr: "10.0.0.0/24", privateServicesAddress: "10.0.1.0", privateServicesPrefix: 24 });
  });
});

describe("tags as labels", () => {
  it("refuses two tags that would become one label, naming both", () => {
    expect(refusals({ "platform:tags": { "Cost.Center": "a", cost_center: "b" } })).toEqual([
      'platform:tags.cost_center: "cost_center" GCP labels take lowercase letters, digits, _ and - only, so tags Cost.Center and cost_center would both become label cost_center and one would be lost; rename one of them',
    ]);
  });

  it("warns where a tag is rewritten", () => {
    expect(load({ "platform:tags": { "Cost.Center": "R&D" } }).warnings).toContain(
      "platform:tags.Cost.Center: GCP labels take keys and values of at most 63 lowercase letters, digits, _ and - (a key starts with a letter, not goog): this tag becomes label cost_center=r_d",
    );
  });

  it("refuses more labels than a resource takes", () => {
    const tags = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`t${i}`, "x"]));
    expect(refusals({ "platform:tags": tags })).toEqual(["platform:tags: 64 a GCP resource takes at most 64 labels, and the platform adds 1; use at most 63 tags"]);
  });
});

describe("regions, zones and the project", () => {
  it("knows GCP zones offline, including the regions whose zones are not a, b and c", () => {
    expect(knownZones("gcp", "asia-northeast1")).toEqual(["asia-northeast1-a", "asia-northeast1-b", "asia-northeast1-c"]);
    expect(knownZones("gcp", "us-east1")).toEqual(["us-east1-b", "us-east1-c", "us-east1-d"]);
    expect(knownZones("gcp", "moon1")).toBeUndefined();
  });

  it("puts the project id in the spec, and refuses a GCP stack without one", () => {
    expect(base.cloudProject).toBe("example-project");
    const { "gcp:project": _dropped, ...rest } = values();
    let thrown: unknown;
    try {
      loadPlatformSpec({ project: "platform", stack: "unit", values: rest, secretKeys: new Set() });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as ConfigError).problems).toEqual([{ key: "gcp:project", message: "required for platform:cloud gcp: the project id every resource is created in; set it with `pulumi config set gcp:project <project-id>`" }]);
  });

  it("never names GCP services on an AWS stack", () => {
    const aws = loadPlatformSpec({ project: "platform", stack: "unit", values: { "platform:cloud": "aws", "platform:environment": "dev", "aws:region": "us-east-1" }, secretKeys: new Set() });
    expect(aws.spec.cloudProject).toBeUndefined();
    expect(aws.warnings.join("\n")).not.toMatch(/Cloud Run|Cloud Armor|Backup and DR|Cloud NAT|GCP/);
  });
});
