// The whole platform on GCP for each committed stack: what each block registers, with the inputs a
// user relies on (and that GCP would refuse if they were wrong), per environment.
import { named, ofType } from "../../harness/queries";
import type { RegisteredResource, SynthResult } from "../../harness/run";
import { gcpStacks, runGcp } from "./run";

const runs: Record<string, SynthResult> = {};
beforeAll(async () => {
  for (const stack of gcpStacks) runs[stack] = await runGcp(stack);
  for (const stack of gcpStacks) expect({ stack, error: runs[stack].error?.message }).toEqual({ stack, error: undefined });
});

const one = (r: SynthResult, type: string): RegisteredResource => {
  const found = ofType(r, type);
  expect(found).toHaveLength(1);
  return found[0];
};
const at = <T = unknown>(value: unknown, path: string): T => path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value) as T;
const production = () => runs.production;
const dev = () => runs.dev;

describe.each(gcpStacks)("GCP %s", (stack) => {
  const r = () => runs[stack];
  const protectedEnv = stack === "production";

  it("enables the APIs it uses, and every cloud resource of the blocks waits for them", () => {
    const apis = ofType(r(), "gcp:projects/service:Service");
    expect(apis.map((a) => a.inputs.service)).toEqual(expect.arrayContaining(["run.googleapis.com", "compute.googleapis.com", "secretmanager.googleapis.com", "cloudkms.googleapis.com", "sqladmin.googleapis.com", "backupdr.googleapis.com"]));
    for (const api of apis) expect(api.inputs).toMatchObject({ project: `example-platform-${stack === "production" ? "prod" : stack}`, disableOnDestroy: false });
    const waiting = r().resources.filter((x) => x.custom && x.type.startsWith("gcp:") && x.type !== "gcp:projects/service:Service");
    for (const x of waiting) expect({ name: x.name, waits: apis.every((a) => x.dependsOn.includes(a.name)) }).toEqual({ name: x.name, waits: true });
  });

  it("network: a custom-mode VPC, one regional subnet of at least /26 with Private Google Access, regional Cloud NAT, a deny-all ingress rule", () => {
    expect(one(r(), "gcp:compute/network:Network").inputs).toMatchObject({ autoCreateSubnetworks: false, routingMode: "REGIONAL" });
    const subnet = one(r(), "gcp:compute/subnetwork:Subnetwork");
    expect(subnet.inputs).toMatchObject({ region: "asia-northeast1", privateIpGoogleAccess: true, ipCidrRange: "10.0.0.0/17" });
    expect(Number(String(subnet.inputs.ipCidrRange).split("/")[1])).toBeLessThanOrEqual(26);
    const nat = one(r(), "gcp:compute/routerNat:RouterNat");
    expect(nat.inputs).toMatchObject({ sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS", natIpAllocateOption: "AUTO_ONLY", logConfig: { enable: true, filter: protectedEnv ? "ALL" : "ERRORS_ONLY" } });
    expect(at(nat.inputs, "subnetworks")).toEqual([{ name: subnet.inputs.name ? expect.stringContaining("/subnetworks/platform-") : "", sourceIpRangesToNats: ["ALL_IP_RANGES"] }]);
    const firewall = one(r(), "gcp:compute/firewall:Firewall");
    expect(firewall.inputs).toMatchObject({ direction: "INGRESS", sourceRanges: ["0.0.0.0/0"], denies: [{ protocol: "all" }] });
    // Flow logs only where the spec asks (production); they never see Cloud Run, the NAT log does.
    expect(subnet.inputs.logConfig !== undefined).toBe(protectedEnv);
    expect(r().outputs.publicSubnetIds).toEqual([]);
  });

  it("network: private services access for the database, outside the services' subnet", () => {
    const psa = ofType(r(), "gcp:compute/globalAddress:GlobalAddress").find((a) => a.inputs.purpose === "VPC_PEERING")!;
    expect(psa.inputs).toMatchObject({ addressType: "INTERNAL", address: "10.0.128.0", prefixLength: 17 });
    expect(one(r(), "gcp:servicenetworking/connection:Connection").inputs).toMatchObject({ service: "servicenetworking.googleapis.com", reservedPeeringRanges: [psa.inputs.name] });
  });

  it("secrets: a key ring with a random suffix held in state, a rotated key, agents granted the key, CMEK secrets", () => {
    const ring = named(r(), "secrets-keyring");
    expect(ring.inputs.name).toMatch(new RegExp(`^platform-${stack}-[0-9a-f]{8}$`));
    expect(ring.protect).toBe(protectedEnv);
    expect(named(r(), "secrets-key").inputs).toMatchObject({ purpose: "ENCRYPT_DECRYPT", rotationPeriod: "7776000s", destroyScheduledDuration: protectedEnv ? "2592000s" : "86400s" });
    expect(ofType(r(), "gcp:projects/serviceIdentity:ServiceIdentity").map((s) => s.inputs.service).sort()).toEqual(["artifactregistry.googleapis.com", "secretmanager.googleapis.com", "sqladmin.googleapis.com"]);
    const grants = ofType(r(), "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember").filter((g) => g.name.startsWith("secrets-key-"));
    expect(grants.map((g) => g.inputs.member)).toEqual(expect.arrayContaining(["serviceAccount:service-912345678901@gcp-sa-secretmanager.iam.gserviceaccount.com", "serviceAccount:service-912345678901@gs-project-accounts.iam.gserviceaccount.com"]));
    for (const g of grants) expect(g.inputs.role).toBe("roles/cloudkms.cryptoKeyEncrypterDecrypter");
    const secret = named(r(), "secrets-JWT_SECRET");
    expect(secret.inputs).toMatchObject({ secretId: `platform-${stack}-JWT_SECRET`, deletionProtection: protectedEnv });
    expect(at(secret.inputs, "replication.userManaged.replicas")).toEqual([{ location: "asia-northeast1", customerManagedEncryption: { kmsKeyName: expect.stringMatching(/\/cryptoKeys\/platform-/) } }]);
    expect(secret.dependsOn).toContain("secrets-key-secretmanager");
    const version = named(r(), "secrets-JWT_SECRET-version");
    expect(version.inputs.secretData).toBe("[secret]");
    expect(version.inputs.deletionPolicy).toBe(protectedEnv ? "DISABLE" : "DELETE");
  });

  it("data: the bucket has uniform access, public access prevention, the key, versioning, soft delete and noncurrent versions kept a daily retention, or the longest backup without a copy region", () => {
    const bucket = named(r(), "backup-data");
    expect(bucket.inputs).toMatchObject({
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: 7 * 86400 },
      forceDestroy: !protectedEnv,
      // Staging keeps weekly backups 4 weeks and has no copy region: versions alone restore them.
      lifecycleRules: [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: stack === "staging" ? 28 : 7, withState: "ARCHIVED" } }],
    });
    expect(at(bucket.inputs, "encryption.defaultKmsKeyName")).toMatch(/cryptoKeys/);
    expect(bucket.protect).toBe(protectedEnv);
    expect(r().outputs.dataStoreUrl).toBe(`gs://${bucket.inputs.name}`);
  });

  it("database: Cloud SQL for PostgreSQL, private IP only, TLS only, point-in-time recovery, deletion protection at the provider and the API, a name suffix", () => {
    const db = named(r(), "backup-database");
    expect(db.inputs).toMatchObject({ databaseVersion: "POSTGRES_16", deletionProtection: protectedEnv, region: "asia-northeast1" });
    expect(db.inputs.name).toMatch(new RegExp(`^platform-${stack}-[0-9a-f]{8}$`));
    expect(db.inputs.settings).toMatchObject({
      edition: "ENTERPRISE",
      availabilityType: protectedEnv ? "REGIONAL" : "ZONAL",
      deletionProtectionEnabled: protectedEnv,
      ipConfiguration: { ipv4Enabled: false, sslMode: "ENCRYPTED_ONLY", privateNetwork: expect.stringContaining("/global/networks/") },
      backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true },
      databaseFlags: [{ name: "cloudsql.iam_authentication", value: "on" }],
    });
    expect(db.protect).toBe(protectedEnv);
    expect(db.ignoreChanges).toEqual(["settings.backupConfiguration"]);
    expect(db.dependsOn).toEqual(expect.arrayContaining(["network-private-services-connection", "secrets-key-sqladmin"]));
    expect(r().outputs.database).toMatchObject({ port: 5432, name: "app", credentialsRef: `projects/${String(db.inputs.project)}/secrets/platform-${stack}-database-credentials` });
  });

  it("backup: a Backup and DR vault, a plan with the preset's rules and an association with the instance by its Backup and DR name", () => {
    const vault = one(r(), "gcp:backupdisasterrecovery/backupVault:BackupVault");
    expect(vault.inputs).toMatchObject({ location: "asia-northeast1", accessRestriction: "WITHIN_PROJECT", backupMinimumEnforcedRetentionDuration: protectedEnv ? `${7 * 86400}s` : "86400s" });
    const plan = one(r(), "gcp:backupdisasterrecovery/backupPlan:BackupPlan");
    const rules = plan.inputs.backupRules as { ruleId: string; backupRetentionDays: number; standardSchedule: Record<string, unknown> }[];
    // Staging and production keep 7 days of point-in-time logs, so their daily backups are kept 8.
    const expected: Record<string, [string, number][]> = { dev: [["daily", 7]], staging: [["daily", 8], ["weekly", 28]], production: [["daily", 8], ["weekly", 28], ["monthly", 366]] };
    expect(rules.map((x) => [x.ruleId, x.backupRetentionDays])).toEqual(expected[stack]);
    expect(plan.inputs).toMatchObject({ resourceType: "sqladmin.googleapis.com/Instance", backupVault: expect.stringMatching(/\/backupVaults\/platform-/) });
    // Log retention must stay below the daily rule's retention, and every rule at least the vault minimum.
    expect(plan.inputs.logRetentionDays).toBe(stack === "dev" ? 1 : 7);
    expect(plan.inputs.logRetentionDays as number).toBeLessThan(rules[0].backupRetentionDays);
    const minimum = Number(String(vault.inputs.backupMinimumEnforcedRetentionDuration).slice(0, -1)) / 86400;
    for (const rule of rules) expect(rule.backupRetentionDays).toBeGreaterThanOrEqual(minimum);
    const association = one(r(), "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation");
    expect(association.inputs.resource).toBe(`projects/${String(named(r(), "backup-database").inputs.project)}/instances/${String(named(r(), "backup-database").inputs.name)}`);
    expect(r().outputs.backupVaultName).toBe(vault.inputs.backupVaultId);
  });

  it("logs: app logs kept as the preset says, audit and security logs 365 days, locked in production", () => {
    const app = named(r(), "app-app-logs");
    expect(app.inputs).toMatchObject({ retentionDays: stack === "dev" ? 7 : 30, locked: false, location: "asia-northeast1" });
    const security = named(r(), "network-security-logs");
    expect(security.inputs).toMatchObject({ retentionDays: 365, locked: protectedEnv });
    expect(named(r(), "app-app-logs-sink").inputs).toMatchObject({ destination: expect.stringMatching(new RegExp(`^logging\\.googleapis\\.com/projects/.+/locations/asia-northeast1/buckets/platform-${stack}-app-[0-9a-f]{8}$`)), uniqueWriterIdentity: true });
    expect(String(named(r(), "app-app-logs-sink").inputs.filter)).toContain('resource.type="cloud_run_revision"');
    expect(String(named(r(), "network-security-logs-sink").inputs.destination)).toMatch(/^logging\.googleapis\.com\/projects\/.+\/locations\/asia-northeast1\/buckets\/platform-/);
  });

  it("logs: both buckets under the platform's key, once Cloud Logging's service account may use it", () => {
    const grant = named(r(), "secrets-key-logging");
    expect(grant.inputs).toMatchObject({ role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: "serviceAccount:service-912345678901@gcp-sa-logging.iam.gserviceaccount.com" });
    for (const name of ["app-app-logs", "network-security-logs"]) {
      const bucket = named(r(), name);
      expect(bucket.inputs.cmekSettings).toEqual({ kmsKeyName: expect.stringMatching(new RegExp(`/locations/asia-northeast1/keyRings/platform-${stack}-[0-9a-f]{8}/cryptoKeys/platform-${stack}-platform$`)) });
      expect(bucket.dependsOn).toContain("secrets-key-logging");
    }
  });

  it("labels: the private services range and the Cloud Armor policy carry the stack's labels like the rest", () => {
    const psa = ofType(r(), "gcp:compute/globalAddress:GlobalAddress").find((a) => a.inputs.purpose === "VPC_PEERING")!;
    const expected = { project: "platform", stack, environment: stack, "managed-by": "pulumi" };
    expect(psa.inputs.labels).toEqual(expected);
    expect(named(r(), "lb-armor").inputs.labels).toEqual(expected);
  });

  it("database copy: a daily export into the copy region where the spec names one, by an account that may export this instance only", () => {
    const job = ofType(r(), "gcp:cloudscheduler/job:Job");
    if (!protectedEnv) {
      // Dev and staging name no copy region.
      expect(job).toEqual([]);
      return;
    }
    expect(job).toHaveLength(1);
    const instance = named(r(), "backup-database");
    const copy = named(r(), "backup-data-copy");
    const target = job[0].inputs.httpTarget as { uri: string; body: string; oauthToken: { serviceAccountEmail: string } };
    expect(target.uri).toBe(`https://sqladmin.googleapis.com/v1/projects/example-platform-prod/instances/${String(instance.inputs.name)}/export`);
    expect(JSON.parse(Buffer.from(target.body, "base64").toString("utf8"))).toEqual({ exportContext: { fileType: "SQL", uri: `gs://${String(copy.inputs.name)}/database/app.sql.gz`, databases: ["app"], offload: true } });
    expect(job[0].inputs).toMatchObject({ schedule: "0 8 * * *", timeZone: "Asia/Tokyo", region: "asia-northeast1" });
    expect(target.oauthToken.serviceAccountEmail).toBe("platform-production-db-copy@example-platform-prod.iam.gserviceaccount.com");
    expect(named(r(), "backup-database-copy-export").inputs).toMatchObject({
      role: "roles/cloudsql.viewer",
      member: "serviceAccount:platform-production-db-copy@example-platform-prod.iam.gserviceaccount.com",
      condition: { expression: `resource.type == "sqladmin.googleapis.com/Instance" && resource.name == "projects/example-platform-prod/instances/${String(instance.inputs.name)}"` },
    });
    expect(named(r(), "backup-database-copy-writer").inputs).toMatchObject({ bucket: copy.inputs.name, role: "roles/storage.objectUser", member: expect.stringMatching(/^serviceAccount:p\d+-[0-9a-f]+@gcp-sa-cloud-sql\.iam\.gserviceaccount\.com$/) });
    expect(job[0].dependsOn).toEqual(expect.arrayContaining(["backup-database-copy-export", "backup-database-copy-writer"]));
    // Yesterday's dump is a noncurrent version, kept as long as the daily backups.
    expect(copy.inputs.lifecycleRules).toContainEqual({ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 7, matchesPrefixes: ["database/"], withState: "ARCHIVED" } });
    expect(ofType(r(), "gcp:projects/service:Service").map((a) => a.inputs.service)).toContain("cloudscheduler.googleapis.com");
  });

  it("Cloud Run: load balancer ingress only, deletion protection set explicitly, Direct VPC egress, legal size, probes on the health path, min and max instances", () => {
    const service = one(r(), "gcp:cloudrunv2/service:Service");
    expect(service.inputs).toMatchObject({ name: `platform-${stack}-api`, ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", deletionProtection: protectedEnv, invokerIamDisabled: true });
    const template = service.inputs.template as Record<string, unknown>;
    const instances: Record<string, [number, number]> = { dev: [1, 2], staging: [1, 4], production: [2, 10] };
    expect(template.scaling).toEqual({ minInstanceCount: instances[stack][0], maxInstanceCount: instances[stack][1] });
    expect(template).toMatchObject({ maxInstanceRequestConcurrency: 80, timeout: "60s", executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2", vpcAccess: { egress: "ALL_TRAFFIC" } });
    expect(template.serviceAccount).toBe(`platform-${stack}-api@${String(service.inputs.project)}.iam.gserviceaccount.com`);
    const container = (template.containers as Record<string, unknown>[])[0];
    expect(container).toMatchObject({ ports: { containerPort: 8001 }, resources: { limits: { cpu: "1", memory: "2048Mi" }, cpuIdle: !protectedEnv } });
    expect(at(container, "startupProbe.httpGet")).toEqual({ path: "/api/v1/health", port: 8001 });
    expect(at(container, "livenessProbe.httpGet")).toEqual({ path: "/api/v1/health", port: 8001 });
    expect(container.image).toBe(`asia-northeast1-docker.pkg.dev/${String(service.inputs.project)}/platform-${stack}/api:${stack === "production" ? "1.0.0" : "latest"}`);
  });

  it("Cloud Run: secrets by reference with pinned versions, never values; the database password too", () => {
    const envs = at<{ name: string; value?: string; valueSource?: { secretKeyRef: { secret: string; version: string } } }[]>(one(r(), "gcp:cloudrunv2/service:Service").inputs, "template.containers.0.envs") ?? (one(r(), "gcp:cloudrunv2/service:Service").inputs.template as { containers: { envs: never[] }[] }).containers[0].envs;
    const byName = Object.fromEntries(envs.map((e) => [e.name, e]));
    expect(byName.JWT_SECRET.valueSource!.secretKeyRef).toEqual({ secret: `projects/${String(one(r(), "gcp:cloudrunv2/service:Service").inputs.project)}/secrets/platform-${stack}-JWT_SECRET`, version: "1" });
    expect(byName.DATABASE_PASSWORD.valueSource!.secretKeyRef.secret).toBe(`platform-${stack}-database-password`);
    expect(byName.DATABASE_USER.value).toBe("app");
    expect(byName.DATA_STORE_URL.value).toBe(r().outputs.dataStoreUrl);
    for (const e of envs) if (e.value !== undefined) expect(e.value).not.toBe("[secret]");
  });

  it("each service account reads only the secrets its service lists", () => {
    const reads = ofType(r(), "gcp:secretmanager/secretIamMember:SecretIamMember");
    expect(reads.map((x) => x.name).sort()).toEqual(["app-api-reads-ANTHROPIC_API_KEY", "app-api-reads-JWT_SECRET", "app-api-reads-database-password"]);
    for (const x of reads) expect(x.inputs).toMatchObject({ role: "roles/secretmanager.secretAccessor", member: `serviceAccount:platform-${stack}-api@${String(x.inputs.project)}.iam.gserviceaccount.com` });
  });

  it("load balancer: EXTERNAL_MANAGED everywhere, a serverless NEG per service, and nothing serverless backends refuse", () => {
    for (const b of ofType(r(), "gcp:compute/backendService:BackendService")) {
      expect(b.inputs.loadBalancingScheme).toBe("EXTERNAL_MANAGED");
      for (const refused of ["healthChecks", "timeoutSec", "portName", "outlierDetection"]) expect(b.inputs[refused]).toBeUndefined();
      expect(b.inputs.logConfig).toEqual({ enable: true, sampleRate: 1 });
    }
    for (const f of ofType(r(), "gcp:compute/globalForwardingRule:GlobalForwardingRule")) expect(f.inputs.loadBalancingScheme).toBe("EXTERNAL_MANAGED");
    const neg = one(r(), "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup");
    expect(neg.inputs).toMatchObject({ networkEndpointType: "SERVERLESS", cloudRun: { service: `platform-${stack}-api` }, region: "asia-northeast1" });
    // The name carries a hash of the Cloud Run service it points at (and, since it then ends like a hashed name, one more).
    expect(neg.inputs.name).toMatch(new RegExp(`^platform-${stack}-neg-api-[0-9a-f]{6}-[0-9a-f]{6}$`));
  });

  it("load balancer: path rules in GCP's syntax; unmatched paths answer 404", () => {
    const routes = named(r(), "lb-routes");
    const matcher = (routes.inputs.pathMatchers as Record<string, unknown>[])[0];
    expect(matcher.pathRules).toEqual([{ paths: ["/api/*"], service: expect.stringContaining("/global/backendServices/platform-") }]);
    expect(matcher.defaultRouteAction).toEqual({ faultInjectionPolicy: { abort: { httpStatus: 404, percentage: 100 } } });
    expect(routes.inputs.hostRules).toEqual([{ hosts: ["*"], pathMatcher: "services" }]);
  });

  it("load balancer: the four security headers on every response (HSTS only over HTTPS)", () => {
    const headers = one(r(), "gcp:compute/backendService:BackendService").inputs.customResponseHeaders;
    const expected = ["X-Content-Type-Options: nosniff", "X-Frame-Options: DENY", ...(stack === "dev" ? [] : ["Strict-Transport-Security: max-age=31536000"]), "Content-Security-Policy: default-src 'self'"];
    expect(headers).toEqual(expected);
  });

  it("Cloud Armor: WAF rules first, then 100 requests per 60 s keyed on the client IP, then the default rule", () => {
    const policy = one(r(), "gcp:compute/securityPolicy:SecurityPolicy");
    const rules = policy.inputs.rules as { priority: number; action: string; rateLimitOptions?: Record<string, unknown>; match: Record<string, unknown> }[];
    const throttle = rules.find((x) => x.action === "throttle")!;
    expect(throttle.rateLimitOptions).toEqual({ enforceOnKey: "IP", rateLimitThreshold: { count: 100, intervalSec: 60 }, conformAction: "allow", exceedAction: "deny(429)" });
    const waf = rules.filter((x) => String(at(x, "match.expr.expression")).startsWith("evaluatePreconfiguredWaf("));
    expect(waf.map((x) => String(at(x, "match.expr.expression")).match(/'([a-z0-9-]+)'/)![1])).toEqual(expect.arrayContaining(["sqli-v33-stable", "xss-v33-stable", "lfi-v33-stable", "rce-v33-stable"]));
    for (const w of waf) expect(w.priority).toBeLessThan(throttle.priority);
    expect(rules[rules.length - 1]).toMatchObject({ priority: 2147483647, action: "allow" });
    expect(new Set(rules.map((x) => x.priority)).size).toBe(rules.length);
    expect(one(r(), "gcp:compute/backendService:BackendService").inputs.securityPolicy).toContain("/global/securityPolicies/");
  });

  it("alarms: the seed thresholds, the 5xx share as a fraction of the load balancer's requests", () => {
    const policy = (name: string) => (named(r(), name).inputs.conditions as { conditionThreshold: Record<string, unknown> }[])[0].conditionThreshold;
    expect(policy("alarms-api-5xx-rate")).toMatchObject({ thresholdValue: 0.01, comparison: "COMPARISON_GT", duration: "300s" });
    expect(String(policy("alarms-api-5xx-rate").filter)).toContain('metric.type="loadbalancing.googleapis.com/https/request_count"');
    expect(String(policy("alarms-api-5xx-rate").denominatorFilter)).not.toContain("response_code_class");
    expect(policy("alarms-api-5xx-count")).toMatchObject({ thresholdValue: 10, duration: "300s" });
    expect(policy("alarms-api-latency-p99-warning")).toMatchObject({ thresholdValue: 500 });
    expect(policy("alarms-api-latency-p99-critical")).toMatchObject({ thresholdValue: 1000 });
    expect(policy("alarms-api-latency-average")).toMatchObject({ thresholdValue: 5000 });
    expect(policy("alarms-api-cpu-warning")).toMatchObject({ thresholdValue: 0.8 });
    expect(policy("alarms-api-cpu-critical")).toMatchObject({ thresholdValue: 0.9 });
    expect(policy("alarms-api-memory-warning")).toMatchObject({ thresholdValue: 0.85 });
    expect(policy("alarms-api-memory-critical")).toMatchObject({ thresholdValue: 0.95 });
    const lowTraffic = r().resources.find((x) => x.name === "alarms-api-low-traffic");
    expect(lowTraffic !== undefined).toBe(protectedEnv);
    if (lowTraffic) expect(policy("alarms-api-low-traffic")).toMatchObject({ thresholdValue: 10, comparison: "COMPARISON_LT", evaluationMissingData: "EVALUATION_MISSING_DATA_ACTIVE" });
  });

  it("uptime checks of each health path through the public entry, where the preset has them", () => {
    const checks = ofType(r(), "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig");
    expect(checks).toHaveLength(stack === "dev" ? 0 : 1);
    for (const c of checks) {
      expect(c.inputs).toMatchObject({ period: "60s", httpCheck: { path: "/api/v1/health", port: 443, useSsl: true, validateSsl: true } });
      expect(at(c.inputs, "monitoredResource.labels.host")).toBe(stack === "production" ? "platform.example.com" : "staging.platform.example.com");
    }
    expect(Object.keys(r().outputs.uptimeChecks as object)).toEqual(stack === "dev" ? [] : ["api"]);
  });

  it("autoscaling: Cloud Run's own, between the service's min and max instances; nothing else registered", () => {
    expect(r().outputs.scalingPolicies).toEqual({ api: [`platform-${stack}-api`] });
    expect(r().resources.filter((x) => x.parent === "scaling")).toEqual([]);
  });

  it("dashboard: the service's requests, errors, latency, CPU, memory and instances, Cloud Armor, the database", () => {
    const board = one(r(), "gcp:monitoring/dashboard:Dashboard");
    const json = JSON.parse(String(board.inputs.dashboardJson)) as { displayName: string; mosaicLayout: { tiles: { widget: { title: string; xyChart: { dataSets: { timeSeriesQuery: { timeSeriesFilter: { filter: string } } }[] } } }[] } };
    expect(json.displayName).toBe(`platform/${stack}`);
    const titles = json.mosaicLayout.tiles.map((t) => t.widget.title);
    expect(titles).toEqual(expect.arrayContaining(["api: requests", "api: 5xx responses", "api: p99 latency (ms)", "api: CPU utilization", "api: memory utilization", "api: instances", "Cloud Armor: denied requests", "database: connections"]));
    const filters = json.mosaicLayout.tiles.map((t) => t.widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.filter).join("\n");
    expect(filters).toContain(`resource.label.service_name="platform-${stack}-api"`);
    expect(filters).toContain(`resource.label.database_id="${String(named(r(), "backup-database").inputs.project)}:${String(named(r(), "backup-database").inputs.name)}"`);
    expect(r().outputs.dashboardUrl).toMatch(/^https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\/builder\/[0-9a-f-]{36}\?project=example-platform-/);
  });

  it("labels every labelled resource with the spec's tags", () => {
    expect(one(r(), "gcp:cloudrunv2/service:Service").inputs.labels).toMatchObject({ project: "platform", stack, environment: stack, "managed-by": "pulumi", service: "api" });
    expect(named(r(), "backup-data").inputs.labels).toMatchObject({ project: "platform", stack, environment: stack });
    expect(at(named(r(), "backup-database").inputs, "settings.userLabels")).toMatchObject({ stack });
  });
});

describe("GCP production only", () => {
  it("copies the data bucket to the copy region: daily, weekly and monthly prefixes kept 7 days, 4 weeks and 12 months", () => {
    const copy = named(production(), "backup-data-copy");
    expect(copy.inputs).toMatchObject({ location: "ASIA-NORTHEAST2", versioning: { enabled: true }, publicAccessPrevention: "enforced" });
    const rules = copy.inputs.lifecycleRules as { condition: { age?: number; matchesPrefixes: string[] } }[];
    expect(rules.filter((x) => x.condition.age !== undefined).map((x) => [x.condition.matchesPrefixes[0], x.condition.age])).toEqual([["daily/", 7], ["weekly/", 28], ["monthly/", 366]]);
    const jobs = ofType(production(), "gcp:storage/transferJob:TransferJob");
    expect(jobs.map((j) => [at(j.inputs, "transferSpec.gcsDataSink.path"), at(j.inputs, "schedule.repeatInterval")])).toEqual([["daily/", "86400s"], ["weekly/", "604800s"], ["monthly/", "2592000s"]]);
    expect(at(named(production(), "backup-copy-keyring").inputs, "location")).toBe("asia-northeast2");
  });

  it("keeps a cross-region read replica of the database in the copy region (a Backup and DR vault is regional)", () => {
    const replica = named(production(), "backup-database-replica");
    expect(replica.inputs).toMatchObject({ region: "asia-northeast2", masterInstanceName: named(production(), "backup-database").inputs.name, deletionProtection: true });
    expect(replica.inputs.encryptionKeyName).toMatch(/locations\/asia-northeast2\//);
  });

  it("protects every stateful resource, dev none", () => {
    for (const name of ["secrets-keyring", "secrets-key", "backup-data", "backup-data-copy", "backup-database", "backup-vault", "app-repository", "network-security-logs"]) expect({ name, protect: named(production(), name).protect }).toEqual({ name, protect: true });
    expect(dev().resources.filter((x) => x.protect)).toEqual([]);
  });

  it("serves HTTPS with a managed certificate for the domain, TLS 1.2 at least, HTTP redirected keeping the query", () => {
    expect(one(production(), "gcp:compute/sSLPolicy:SSLPolicy").inputs).toMatchObject({ profile: "MODERN", minTlsVersion: "TLS_1_2" });
    expect(one(production(), "gcp:compute/managedSslCertificate:ManagedSslCertificate").inputs).toMatchObject({ managed: { domains: ["platform.example.com"] } });
    expect(named(production(), "lb-redirect").inputs.defaultUrlRedirect).toEqual({ httpsRedirect: true, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT", stripQuery: false });
    // What the pack cannot see from one resource (README: policy, GCP): port 80 serves the redirect map, 443 the routes.
    expect(named(production(), "lb-http-proxy").propertyDependencies.urlMap).toEqual([named(production(), "lb-redirect").urn]);
    expect(named(production(), "lb-https-proxy").propertyDependencies.urlMap).toEqual([named(production(), "lb-routes").urn]);
    expect(named(production(), "lb-dns").inputs).toMatchObject({ managedZone: "example-com", name: "platform.example.com.", type: "A" });
    expect(production().outputs.url).toBe("https://platform.example.com");
  });

  it("dev serves plain HTTP without a domain, with the routing map on the HTTP proxy", () => {
    expect(ofType(dev(), "gcp:compute/targetHttpsProxy:TargetHttpsProxy")).toEqual([]);
    expect(named(dev(), "lb-http-proxy").inputs.urlMap).toContain("/global/urlMaps/platform-dev-routes");
    expect(dev().outputs.url).toMatch(/^http:\/\/34\./);
    expect(dev().warnings.join("\n")).toContain("serves plain HTTP on port 80");
  });

  it("says on every GCP stack how the data bucket is protected, since Backup and DR does not take buckets", () => {
    expect(production().warnings.join("\n")).toContain("Backup and DR does not take Cloud Storage buckets: on GCP the data bucket is protected by object versioning (noncurrent versions kept 7 days), soft delete (7 days) and a copy in asia-northeast2");
    expect(dev().warnings.join("\n")).toContain("no copy in another region (set backup.copyRegion for one)");
  });
});
