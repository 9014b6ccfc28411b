// Front Door and the container service on Azure: Premium (Standard in dev), TLS 1.2, the four
// security headers on every route, the WAF's rate limit of 100 per minute per client IP and its
// managed rule sets, GET probes on the health paths, HTTPS-only routes with the redirect, the custom
// domain's certificate and DNS records, logs; the environment (zone redundant from 2 zones), one
// identity per service with exactly its grants, secrets by Key Vault reference, the Front Door id for
// the X-Azure-FDID check, probes, legal sizes, and the autoscaling rules on each app.
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";

const zone = "/subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com";
const certificate = "/subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b/resourceGroups/certs/providers/Microsoft.KeyVault/vaults/my-certs/certificates/platform-example-com";

let dev: SynthResult;
let production: SynthResult;
let withZone: SynthResult;
let apexZone: SynthResult;
let withCertificate: SynthResult;
let twoServices: SynthResult;
beforeAll(async () => {
  dev = await runProgram({ stack: "dev", cloud: "azure" });
  production = await runProgram({ stack: "production", cloud: "azure" });
  withZone = await runProgram({ stack: "production", cloud: "azure", set: [`platform:loadBalancer.dnsZone=${zone}`] });
  apexZone = await runProgram({ stack: "production", cloud: "azure", set: [`platform:loadBalancer.dnsZone=${zone}`, "platform:loadBalancer.domain=example.com"] });
  withCertificate = await runProgram({ stack: "production", cloud: "azure", set: [`platform:loadBalancer.certificate=${certificate}`] });
  twoServices = await runProgram({
    stack: "production",
    cloud: "azure",
    set: ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0", "platform:services.web.healthCheckPath=/healthz", "platform:services.web.pathPatterns[0]=/*", "platform:services.web.memoryTarget=80", "platform:services.web.cpu=0.5", "platform:services.web.memory=1024"],
  });
  for (const r of [dev, production, withZone, apexZone, withCertificate, twoServices]) expect(r.error).toBeUndefined();
}, 180_000);

describe("Front Door", () => {
  it("is Premium in production and Standard in dev, with the backend timeout as its origin response timeout", () => {
    expect(named(production, "lb-profile").inputs).toMatchObject({ sku: { name: "Premium_AzureFrontDoor" }, location: "Global", originResponseTimeoutSeconds: 60 });
    expect(named(dev, "lb-profile").inputs.sku).toEqual({ name: "Standard_AzureFrontDoor" });
  });

  it("probes each service's health path with GET over HTTPS", () => {
    expect(named(production, "lb-origin-group-api").inputs.healthProbeSettings).toEqual({ probePath: "/api/v1/health", probeProtocol: "Https", probeRequestType: "GET", probeIntervalInSeconds: 30 });
  });

  it("adds the four security headers to every response through every route, with one unconditional rule", () => {
    const rules = ofType(production, "azure-native:cdn:Rule");
    expect(rules.map((r) => r.name)).toEqual(["lb-security-headers-all"]);
    expect(rules[0].inputs).toMatchObject({ ruleName: "securityHeaders", order: 1 });
    expect(rules[0].inputs.conditions).toBeUndefined();
    expect((rules[0].inputs.actions as any[]).map((a) => ({ name: a.name, ...a.parameters }))).toEqual([
      { name: "ModifyResponseHeader", typeName: "DeliveryRuleHeaderActionParameters", headerAction: "Overwrite", headerName: "X-Content-Type-Options", value: "nosniff" },
      { name: "ModifyResponseHeader", typeName: "DeliveryRuleHeaderActionParameters", headerAction: "Overwrite", headerName: "X-Frame-Options", value: "DENY" },
      { name: "ModifyResponseHeader", typeName: "DeliveryRuleHeaderActionParameters", headerAction: "Overwrite", headerName: "Strict-Transport-Security", value: "max-age=31536000" },
      { name: "ModifyResponseHeader", typeName: "DeliveryRuleHeaderActionParameters", headerAction: "Overwrite", headerName: "Content-Security-Policy", value: "default-src 'self'" },
    ]);
    for (const route of ofType(twoServices, "azure-native:cdn:Route")) expect(route.inputs.ruleSets).toEqual([{ id: expect.stringMatching(/\/ruleSets\/SecurityHeaders$/) }]);
  });

  it("replaces the rule per header of earlier versions in place of the first, deleting it before the new one (orders are unique)", async () => {
    const seen: { name: string; opts: { aliases?: unknown[]; deleteBeforeReplace?: boolean } }[] = [];
    const r = await runProgram({
      stack: "production",
      cloud: "azure",
      program: async () => {
        const pulumi = await import("@pulumi/pulumi");
        pulumi.runtime.registerStackTransformation((t) => {
          if (t.type === "azure-native:cdn:Rule") seen.push({ name: t.name, opts: t.opts });
          return undefined;
        });
        return (await import("../../../stacks/program")).main();
      },
    });
    expect(r.error).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0].opts.aliases).toContainEqual({ name: "lb-security-headers-contentTypeOptions" });
    expect(seen[0].opts.deleteBeforeReplace).toBe(true);
  });

  it("blocks a client IP past 100 requests a minute, grouped by the socket address, and runs the managed rule sets on Premium", async () => {
    const waf = named(production, "lb-waf").inputs as any;
    expect(waf.policyName).toMatch(/^[a-zA-Z][a-zA-Z0-9]*$/);
    expect(waf.policySettings).toMatchObject({ enabledState: "Enabled", mode: "Prevention" });
    expect(waf.customRules.rules).toEqual([
      expect.objectContaining({ ruleType: "RateLimitRule", rateLimitThreshold: 100, rateLimitDurationInMinutes: 1, groupBy: [{ variableName: "SocketAddr" }], action: "Block", matchConditions: [expect.objectContaining({ matchVariable: "SocketAddr", operator: "IPMatch", matchValue: ["0.0.0.0/0", "::/0"] })] }),
    ]);
    expect(waf.managedRules.managedRuleSets).toEqual([
      { ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1", ruleSetAction: "Block" },
      { ruleSetType: "Microsoft_BotManagerRuleSet", ruleSetVersion: "1.1" },
    ]);
    expect((named(dev, "lb-waf").inputs as any).managedRules).toBeUndefined();
    expect(named(production, "lb-waf-association").inputs.parameters).toMatchObject({ type: "WebApplicationFirewall", associations: [{ patternsToMatch: ["/*"], domains: [{ id: expect.stringContaining("/afdEndpoints/") }, { id: expect.stringContaining("/customDomains/") }] }] });
    const fiveMinutes = await runProgram({ stack: "dev", cloud: "azure", set: ["platform:loadBalancer.rateLimit.windowSeconds=300", "platform:loadBalancer.rateLimit.requests=500"] });
    expect((named(fiveMinutes, "lb-waf").inputs as any).customRules.rules[0]).toMatchObject({ rateLimitDurationInMinutes: 5, rateLimitThreshold: 500 });
  });

  it("serves the custom domain with a managed certificate and TLS 1.2 or newer", () => {
    expect(named(production, "lb-domain").inputs).toMatchObject({ hostName: "platform.example.com", tlsSettings: { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12", cipherSuiteSetType: "TLS12_2023" } });
    expect(production.outputs.url).toBe("https://platform.example.com");
  });

  it("writes the validation TXT record and the CNAME into an Azure DNS zone; an alias A record at the apex", () => {
    expect(named(withZone, "lb-domain").inputs.azureDnsZone).toEqual({ id: zone });
    expect(named(withZone, "lb-domain-validation").inputs).toMatchObject({ zoneName: "example.com", resourceGroupName: "dns", relativeRecordSetName: "_dnsauth.platform", recordType: "TXT", txtRecords: [{ value: [expect.stringMatching(/^[0-9a-f]{32}$/)] }] });
    expect(named(withZone, "lb-domain-record").inputs).toMatchObject({ relativeRecordSetName: "platform", recordType: "CNAME", cnameRecord: { cname: expect.stringMatching(/\.z01\.azurefd\.net$/) } });
    expect(named(apexZone, "lb-domain-validation").inputs.relativeRecordSetName).toBe("_dnsauth");
    expect(named(apexZone, "lb-domain-record").inputs).toMatchObject({ relativeRecordSetName: "@", recordType: "A", targetResource: { id: expect.stringContaining("/afdEndpoints/") } });
    expect(ofType(production, "azure-native:dns:RecordSet")).toEqual([]);
  });

  it("presents the stack's Key Vault certificate, read by the profile's identity", () => {
    expect(named(withCertificate, "lb-certificate").inputs.parameters).toEqual({ type: "CustomerCertificate", secretSource: { id: certificate.replace("/certificates/", "/secrets/") }, useLatestVersion: true });
    expect(named(withCertificate, "lb-domain").inputs.tlsSettings).toMatchObject({ certificateType: "CustomerCertificate", minimumTlsVersion: "TLS12", secret: { id: expect.stringContaining("/secrets/") } });
    expect(named(withCertificate, "lb-profile").inputs.identity).toEqual({ type: "SystemAssigned" });
    expect(named(withCertificate, "lb-certificate-access").inputs).toMatchObject({ scope: certificate.replace(/\/certificates\/.*$/, ""), roleDefinitionId: expect.stringMatching(/4633458b-17de-408a-b874-0445c86b69e6$/) });
  });

  it("logs access, health probes and WAF decisions to the audit workspace", () => {
    expect(named(production, "lb-logs").inputs).toMatchObject({ logs: [{ category: "FrontDoorWebApplicationFirewallLog" }, { category: "FrontDoorHealthProbeLog" }, { category: "FrontDoorAccessLog" }].map((l) => ({ ...l, enabled: true })), workspaceId: expect.stringContaining("-audit") });
  });

  it("routes each service's paths over HTTPS only, HTTP redirected, to an origin that exists first", () => {
    const api = named(twoServices, "app-api-route");
    expect(api.inputs).toMatchObject({ patternsToMatch: ["/api/*"], supportedProtocols: ["Http", "Https"], httpsRedirect: "Enabled", forwardingProtocol: "HttpsOnly", linkToDefaultDomain: "Enabled", customDomains: [{ id: expect.stringContaining("/customDomains/") }] });
    expect(api.dependsOn).toEqual(["app-api-origin"]);
    expect(named(twoServices, "app-web-route").inputs.patternsToMatch).toEqual(["/*"]);
    const origin = named(twoServices, "app-api-origin").inputs;
    expect(origin).toMatchObject({ originGroupName: "api", enforceCertificateNameCheck: true, hostName: expect.stringMatching(/^platform-production-api\..*\.azurecontainerapps\.io$/) });
    expect(origin.originHostHeader).toBe(origin.hostName);
  });
});

describe("the container service", () => {
  it("runs a workload-profiles environment in the apps subnet, zone redundant from 2 zones, logs through a diagnostic setting", () => {
    for (const r of [dev, production]) {
      expect(named(r, "app-environment").inputs).toMatchObject({ workloadProfiles: [{ name: "Consumption", workloadProfileType: "Consumption" }], vnetConfiguration: { infrastructureSubnetId: expect.stringMatching(/\/subnets\/apps$/), internal: false }, zoneRedundant: true, appLogsConfiguration: { destination: "azure-monitor" } });
      expect(JSON.stringify(named(r, "app-environment").inputs)).not.toMatch(/sharedKey/i);
    }
    expect(named(dev, "app-environment-logs").inputs).toMatchObject({ logAnalyticsDestinationType: "Dedicated", logs: [{ category: "ContainerAppConsoleLogs" }, { category: "ContainerAppSystemLogs" }].map((l) => ({ ...l, enabled: true })) });
  });

  it("has a registry without admin user or anonymous pull, Premium and zone-redundant, encrypted with the platform key", () => {
    for (const r of [dev, production]) {
      const registry = named(r, "app-registry");
      expect(registry.inputs).toMatchObject({
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        sku: { name: "Premium" },
        zoneRedundancy: "Enabled",
        policies: { retentionPolicy: { status: "enabled", days: 7 } },
        identity: { type: "UserAssigned" },
        // Versionless key URI: the registry follows the key's rotation; the identity by its client id.
        encryption: { status: "enabled", keyVaultProperties: { keyIdentifier: expect.stringMatching(/\/keys\/data-encryption$/), identity: expect.stringMatching(/^[0-9a-f-]{36}$/) } },
      });
      expect(Object.keys((registry.inputs.identity as { userAssignedIdentities: object }).userAssignedIdentities)).toEqual([expect.stringMatching(/\/userAssignedIdentities\/platform-[a-z]+-data-encryption$/)]);
      expect(registry.dependsOn).toEqual(["backup-encryption-key-access"]);
      // Set when a registry is created: an existing one keeps what it was created with.
      expect(registry.ignoreChanges).toEqual(["encryption", "zoneRedundancy"]);
    }
  });

  it("gives each service its own identity with exactly its grants: pull, its own secrets, the data container, the database", () => {
    const grants = (svc: string) => ofType(twoServices, "azure-native:authorization:RoleAssignment").filter((g) => g.name.startsWith(`app-${svc}-`));
    expect(grants("api").map((g) => g.name).sort()).toEqual(["app-api-data", "app-api-pull", "app-api-secret-ANTHROPIC_API_KEY", "app-api-secret-JWT_SECRET"]);
    expect(grants("web").map((g) => g.name).sort()).toEqual(["app-web-data", "app-web-pull"]);
    expect(named(twoServices, "app-api-secret-JWT_SECRET").inputs).toMatchObject({ scope: expect.stringMatching(/\/secrets\/JWT-SECRET$/), principalType: "ServicePrincipal", roleDefinitionId: expect.stringMatching(/4633458b-17de-408a-b874-0445c86b69e6$/) });
    expect(named(twoServices, "app-api-data").inputs.scope).toMatch(/\/blobServices\/default\/containers\/data$/);
    expect(named(twoServices, "app-api-pull").inputs.scope).toMatch(/\/registries\/platformproduction/);
    for (const g of ofType(twoServices, "azure-native:authorization:RoleAssignment")) expect(g.inputs.roleAssignmentName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(named(twoServices, "app-web-database-login").dependsOn).toEqual(["app-api-database-login"]);
    expect(named(twoServices, "app-api-app").inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [expect.stringContaining("/userAssignedIdentities/platform-production-api")] });
    expect(named(twoServices, "app-api-app").dependsOn.sort()).toEqual(["app-api-data", "app-api-database-login", "app-api-pull", "app-api-secret-ANTHROPIC_API_KEY", "app-api-secret-JWT_SECRET"]);
  });

  it("reads secrets by Key Vault reference with the service's identity, never a value", () => {
    const config = named(production, "app-api-app").inputs.configuration as any;
    expect(config.secrets).toEqual([
      { name: "jwt-secret", keyVaultUrl: expect.stringMatching(/\.vault\.azure\.net\/secrets\/JWT-SECRET$/), identity: expect.stringContaining("/userAssignedIdentities/") },
      { name: "anthropic-api-key", keyVaultUrl: expect.stringMatching(/\/secrets\/ANTHROPIC-API-KEY$/), identity: expect.stringContaining("/userAssignedIdentities/") },
    ]);
    for (const s of config.secrets) expect(s.value).toBeUndefined();
    const env = (named(production, "app-api-app").inputs.template as any).containers[0].env;
    expect(env).toContainEqual({ name: "JWT_SECRET", secretRef: "jwt-secret" });
    expect(env).toContainEqual({ name: "ANTHROPIC_API_KEY", secretRef: "anthropic-api-key" });
  });

  it("accepts HTTPS on the service's port only, and passes the Front Door id for the X-Azure-FDID check", () => {
    const app = named(production, "app-api-app").inputs as any;
    expect(app.configuration.ingress).toEqual({ external: true, targetPort: 8001, transport: "http", allowInsecure: false, traffic: [{ latestRevision: true, weight: 100 }] });
    const env = Object.fromEntries(app.template.containers[0].env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    expect(env.FRONT_DOOR_ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(env).toMatchObject({ ENVIRONMENT: "production", LOG_LEVEL: "warn", AZURE_CLIENT_ID: expect.stringMatching(/^[0-9a-f-]{36}$/), DATABASE_HOST: expect.stringContaining(".postgres.database.azure.com"), DATABASE_PORT: "5432", DATABASE_NAME: "app", DATABASE_USER: "platform-production-api", DATA_STORE_URL: production.outputs.dataStoreUrl, LLM_PROVIDER: "anthropic" });
    expect(env.DATABASE_PASSWORD).toBeUndefined();
    expect(env.PLATFORM_VAULT_VERSIONS).toMatch(/^[0-9a-f]{12}$/);
  });

  it("runs the image by the digest the registry holds for its tag, with probes on the health path and a legal size", () => {
    const container = (named(production, "app-api-app").inputs.template as any).containers[0];
    expect(container.image).toMatch(/^platformproduction[a-z0-9]+\.azurecr\.io\/platform\/production\/api@sha256:[0-9a-f]{64}$/);
    expect(container.resources).toEqual({ cpu: 1, memory: "2Gi" });
    expect(container.probes.map((p: any) => [p.type, p.httpGet.path, p.httpGet.port])).toEqual([["Liveness", "/api/v1/health", 8001], ["Readiness", "/api/v1/health", 8001], ["Startup", "/api/v1/health", 8001]]);
    expect((named(twoServices, "app-web-app").inputs.template as any).containers[0].resources).toEqual({ cpu: 0.5, memory: "1Gi" });
  });

  it("starts a new revision when a secret gets a new version", async () => {
    const rotated = await runProgram({ stack: "production", cloud: "azure", set: ["platform:secrets.JWT_SECRET.source=generated", "platform:secrets.JWT_SECRET.length=128"], account: { azure: { secrets: { JWT_SECRET: { state: "generated", length: 64 } } } } });
    expect(rotated.error).toBeUndefined();
    expect(rotated.warnings.some((w) => w.includes("platform:secrets.JWT_SECRET.length changes from 64 to 128"))).toBe(true);
    const versions = (r: SynthResult) => (named(r, "app-api-app").inputs.template as any).containers[0].env.find((e: any) => e.name === "PLATFORM_VAULT_VERSIONS").value;
    expect(versions(rotated)).not.toBe(versions(production));
  });
});

describe("autoscaling", () => {
  it("is on each app: the replica range and a CPU rule at the target, a memory rule where set; the block registers nothing", () => {
    expect((named(production, "app-api-app").inputs.template as any).scale).toEqual({ minReplicas: 2, maxReplicas: 10, rules: [{ name: "cpu-70", custom: { type: "cpu", metadata: { type: "Utilization", value: "70" } } }] });
    expect((named(twoServices, "app-web-app").inputs.template as any).scale.rules).toEqual([
      { name: "cpu-70", custom: { type: "cpu", metadata: { type: "Utilization", value: "70" } } },
      { name: "memory-80", custom: { type: "memory", metadata: { type: "Utilization", value: "80" } } },
    ]);
    expect((named(dev, "app-api-app").inputs.template as any).scale).toMatchObject({ minReplicas: 1, maxReplicas: 2 });
    expect(production.resources.filter((r) => r.parent === "scaling")).toEqual([]);
    expect(twoServices.outputs.scalingPolicies).toEqual({ api: [expect.stringMatching(/\/containerApps\/platform-production-api\/scale\/cpu-70$/)], web: [expect.stringMatching(/\/scale\/cpu-70$/), expect.stringMatching(/\/scale\/memory-80$/)] });
  });
});
