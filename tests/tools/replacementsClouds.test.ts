import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { type Plan, type PlanResource, toPlan } from "../../tools/plan";
import { comparePlans, type PlanDiff } from "../../tools/planDiff";
import { implicitPlacement, replacementTables } from "../../tools/replacements";
import { azureLocatedTypes, azureReplacements } from "../../tools/replacements/azure";
import { gcpReplacements, isShrinkageIpCidr } from "../../tools/replacements/gcp";
import { runProgram, type RunOptions } from "../harness/run";

// The Azure and GCP tables against real runs of the program, as tests/tools/replacements.test.ts
// does for AWS: each entry is exercised by a config change that changes that input, or listed with
// the reason no config does. Changes the providers make in place are checked to stay updates.

interface Scenario {
  why: string;
  options: RunOptions & { cloud: "azure" | "gcp" };
  /** Resources that must be replaced, with the input that forces it. */
  replaced: [type: string, name: string, input: string][];
  /** Resources that must be updated in place (not replaced), with an input that changed. */
  updated?: [type: string, name: string, path: string][];
  /** Resources whose update the tables cannot vouch for. */
  unverified?: string[];
  /** Resources replaced with the resource group they live in. */
  replacedWithGroup?: string[];
  blocked?: string[];
  blockedAtLeast?: string[];
}

const scenarios: Scenario[] = [
  // ---- Azure ----
  {
    why: "Azure: a service's port is a new revision of the same app",
    options: { stack: "dev", cloud: "azure", set: ["platform:services.api.port=9000"] },
    replaced: [],
    updated: [["azure-native:app:ContainerApp", "app-api-app", "configuration.ingress.targetPort"]],
  },
  {
    why: "Azure: the network's address block is updated in place (subnets have no force-new beyond their path)",
    options: { stack: "production", cloud: "azure", set: ["platform:network.cidr=10.1.0.0/16"] },
    replaced: [],
    updated: [
      ["azure-native:network:VirtualNetwork", "network-vnet", "addressSpace.addressPrefixes[0]"],
      ["azure-native:network:Subnet", "network-apps", "addressPrefix"],
    ],
  },
  {
    why: "Azure: the database's major version is an in-place upgrade",
    options: { stack: "staging", cloud: "azure", set: ["platform:database.version=17"] },
    replaced: [],
    updated: [["azure-native:dbforpostgresql:Server", "backup-db", "version"]],
  },
  {
    why: "Azure: one zone: the Container Apps environment loses zone redundancy, fixed at creation",
    options: { stack: "dev", cloud: "azure", set: ["platform:network.zones=1"] },
    replaced: [
      ["azure-native:app:ManagedEnvironment", "app-environment", "zoneRedundant"],
      ["azure-native:app:ContainerApp", "app-api-app", "managedEnvironmentId"],
      ["azure-native:monitor:DiagnosticSetting", "app-environment-logs", "resourceUri"],
    ],
    updated: [
      ["azure-native:network:PublicIPAddress", "network-nat-ip", "zones[0]"],
      ["azure-native:storage:StorageAccount", "backup-storage", "sku.name"],
    ],
  },
  {
    why: "Azure: the stack's location",
    options: { stack: "dev", cloud: "azure", set: ["azure-native:location=koreacentral"] },
    replaced: [
      ["azure-native:resources:ResourceGroup", "secrets-resource-group", "location"],
      ["azure-native:network:VirtualNetwork", "network-vnet", "location"],
      ["azure-native:network:PublicIPAddress", "network-nat-ip", "location"],
      ["azure-native:app:ManagedEnvironment", "app-environment", "location"],
      ["azure-native:app:ContainerApp", "app-api-app", "location"],
      ["azure-native:storage:StorageAccount", "backup-storage", "location"],
    ],
    // Whatever lives in the resource group is replaced with it: its resourceGroupName comes from the
    // replaced group (a recorded dependency), so no location change is left to guess about.
    replacedWithGroup: ["network-nat", "secrets-vault", "backup-db", "app-registry"],
  },
  {
    why: "Azure: production's location: the flow log moves to another network watcher; the protected stores are BLOCKED",
    options: { stack: "production", cloud: "azure", set: ["azure-native:location=koreacentral"] },
    replaced: [["azure-native:network:FlowLog", "network-flow-log", "networkWatcherName"]],
    blockedAtLeast: ["secrets-resource-group", "backup-storage", "network-flow-logs-storage"],
  },
  {
    why: "Azure: the stack's name (every physical name is part of a resource's URL)",
    options: { stack: "dev", cloud: "azure", stackName: "dev2" },
    replaced: [
      ["azure-native:resources:ResourceGroup", "secrets-resource-group", "resourceGroupName"],
      ["azure-native:keyvault:Vault", "secrets-vault", "vaultName"],
      ["azure-native:dbforpostgresql:Server", "backup-db", "serverName"],
      ["azure-native:storage:StorageAccount", "backup-storage", "accountName"],
      ["azure-native:cdn:Profile", "lb-profile", "profileName"],
      ["azure-native:authorization:RoleAssignment", "app-api-pull", "principalId"],
      ["azure-native:dbforpostgresql:AdministratorsMicrosoftEntra", "app-api-database-login", "objectId"],
    ],
  },
  {
    why: "Azure: production's stack name: its vault, server, storage and locks are BLOCKED",
    options: { stack: "production", cloud: "azure", stackName: "production2" },
    replaced: [["azure-native:authorization:ManagementLockByScope", "backup-db-lock", "scope"]],
    blockedAtLeast: ["backup-db", "backup-storage", "secrets-vault", "backup-vault", "app-registry", "secrets-resource-group"],
  },
  {
    why: "Azure: the domain is another custom domain",
    options: { stack: "staging", cloud: "azure", set: ["platform:loadBalancer.domain=other.platform.example.com"] },
    replaced: [["azure-native:cdn:AFDCustomDomain", "lb-domain", "customDomainName"]],
  },
  {
    why: "Azure: the database's name",
    options: { stack: "staging", cloud: "azure", set: ["platform:database.name=orders"] },
    replaced: [["azure-native:dbforpostgresql:Database", "backup-db-database", "databaseName"]],
  },
  {
    why: "Azure: dev as staging: Front Door Standard -> Premium is a new profile",
    options: { stack: "dev", cloud: "azure", set: ["platform:environment=staging"] },
    replaced: [
      ["azure-native:cdn:Profile", "lb-profile", "sku.name"],
      ["azure-native:dataprotection:BackupPolicy", "backup-blob-policy", "backupPolicyName"],
    ],
    unverified: ["lb-waf"],
  },
  // ---- GCP ----
  {
    why: "GCP: a service's port is a new revision of the same service",
    options: { stack: "dev", cloud: "gcp", set: ["platform:services.api.port=9000"] },
    replaced: [],
    updated: [["gcp:cloudrunv2/service:Service", "app-api-service", "template.containers[0].ports.containerPort"]],
  },
  {
    why: "GCP: the network's address block moves the subnet (not an expansion) and the peering range",
    options: { stack: "production", cloud: "gcp", set: ["platform:network.cidr=10.1.0.0/16"] },
    replaced: [
      ["gcp:compute/subnetwork:Subnetwork", "network-services", "ipCidrRange"],
      ["gcp:compute/globalAddress:GlobalAddress", "network-private-services", "address"],
    ],
  },
  {
    why: "GCP: the database's major version is an in-place upgrade",
    options: { stack: "staging", cloud: "gcp", set: ["platform:database.version=17"] },
    replaced: [],
    updated: [["gcp:sql/databaseInstance:DatabaseInstance", "backup-database", "databaseVersion"]],
  },
  {
    why: "GCP: the stack's region",
    options: { stack: "dev", cloud: "gcp", set: ["gcp:region=asia-northeast2"] },
    replaced: [
      ["gcp:compute/subnetwork:Subnetwork", "network-services", "region"],
      ["gcp:sql/databaseInstance:DatabaseInstance", "backup-database", "region"],
      ["gcp:cloudrunv2/service:Service", "app-api-service", "location"],
      ["gcp:kms/keyRing:KeyRing", "secrets-keyring", "location"],
      ["gcp:kms/cryptoKey:CryptoKey", "secrets-key", "keyRing"],
      ["gcp:storage/bucket:Bucket", "backup-data", "location"],
    ],
  },
  {
    why: "GCP: production's project: every resource is in another project; the protected ones are BLOCKED",
    options: { stack: "production", cloud: "gcp", set: ["gcp:project=example-platform-other"] },
    replaced: [
      ["gcp:compute/network:Network", "network-vpc", "project"],
      ["gcp:storage/transferJob:TransferJob", "backup-copy-daily", "project"],
    ],
    blockedAtLeast: ["backup-database", "backup-data", "secrets-keyring", "app-repository"],
  },
  {
    why: "GCP: the stack's name",
    options: { stack: "staging", cloud: "gcp", stackName: "staging2" },
    replaced: [
      ["gcp:compute/network:Network", "network-vpc", "name"],
      ["gcp:sql/databaseInstance:DatabaseInstance", "backup-database", "name"],
      ["gcp:serviceaccount/account:Account", "app-api-account", "accountId"],
    ],
  },
  {
    why: "GCP: production's stack name: its database, keys, secrets and buckets are BLOCKED",
    options: { stack: "production", cloud: "gcp", stackName: "production2" },
    replaced: [["gcp:sql/databaseInstance:DatabaseInstance", "backup-database-replica", "masterInstanceName"]],
    blockedAtLeast: ["backup-database", "backup-database-replica", "backup-data", "secrets-key"],
  },
  {
    why: "GCP: the domain is another managed certificate and record",
    options: { stack: "staging", cloud: "gcp", set: ["platform:loadBalancer.domain=other.platform.example.com"] },
    replaced: [
      ["gcp:compute/managedSslCertificate:ManagedSslCertificate", "lb-certificate", "managed"],
      ["gcp:dns/recordSet:RecordSet", "lb-dns", "name"],
    ],
  },
  {
    why: "GCP: the database's name",
    options: { stack: "staging", cloud: "gcp", set: ["platform:database.name=orders"] },
    replaced: [["gcp:sql/database:Database", "backup-database-db", "name"]],
  },
  {
    why: "GCP: the point-in-time window is the backup plan's log retention",
    options: { stack: "staging", cloud: "gcp", set: ["platform:database.pointInTimeRecoveryDays=3"] },
    replaced: [["gcp:backupdisasterrecovery/backupPlan:BackupPlan", "backup-plan", "logRetentionDays"]],
  },
  {
    why: "GCP: deletion protection in dev: keys wait 30 days before destruction",
    options: { stack: "dev", cloud: "gcp", set: ["platform:deletionProtection=true"] },
    replaced: [["gcp:kms/cryptoKey:CryptoKey", "secrets-key", "destroyScheduledDuration"]],
  },
];

/** Inputs in the tables that no config of the program changes, and why. */
const notExercisable: Record<string, string> = {
  "gcp:cloudscheduler/job:Job region": "the database export job exists only with backup.copyRegion (production), and the region scenario plans dev",
  "azure-native:app:ContainerApp environmentId": "not set: the program sets managedEnvironmentId",
  "azure-native:authorization:ManagementLockByScope lockName": "always platform-deletion-protection",
  "azure-native:cdn:AFDOrigin originName": "named after the service, which names the Pulumi resource too",
  "azure-native:cdn:AFDOriginGroup originGroupName": "named after the service, which names the Pulumi resource too",
  "azure-native:cdn:Route routeName": "named after the service, which names the Pulumi resource too",
  "azure-native:cdn:Rule ruleName": "one fixed name per security header",
  "azure-native:cdn:RuleSet ruleSetName": "always SecurityHeaders",
  "azure-native:cdn:SecurityPolicy securityPolicyName": "always waf",
  "azure-native:cdn:Profile location": "always Global",
  "azure-native:dataprotection:BackupInstance backupInstanceName": "always data or database",
  "azure-native:dbforpostgresql:Configuration configurationName": "one fixed server parameter per resource",
  "azure-native:dbforpostgresql:Server administratorLogin": "never set: the server takes Microsoft Entra sign-in only (password authentication off)",
  "azure-native:dbforpostgresql:Server availabilityZone": "always zone 1 (the standby's zone changes in place)",
  "azure-native:keyvault:Key keyName": "always data-encryption",
  "azure-native:keyvault:Secret secretName": "named after the secret, which names the Pulumi resource too: another secret is another resource",
  "azure-native:network:FlowLog resourceGroupName": "always NetworkWatcherRG, Azure's own group for network watchers",
  "azure-native:network:PublicIPAddress publicIPAddressVersion": "always IPv4",
  "azure-native:network:PublicIPAddress sku": "always Standard (Regional)",
  "azure-native:network:Subnet subnetName": "one fixed name per role (apps, endpoints, database)",
  "azure-native:operationalinsights:Table tableName": "the Azure tables the services write, fixed",
  "azure-native:storage:BlobContainer containerName": "always data",
  "azure-native:storage:BlobServiceProperties blobServicesName": "always default (the only name ARM takes)",
  "azure-native:storage:ManagementPolicy managementPolicyName": "always default (the only name ARM takes)",
  "azure-native:storage:StorageAccount isHnsEnabled": "never set (no hierarchical namespace)",
  "gcp:artifactregistry/repository:Repository format": "always DOCKER",
  "gcp:compute/firewall:Firewall direction": "always INGRESS",
  "gcp:compute/globalAddress:GlobalAddress addressType": "fixed per address (INTERNAL for the peering range, EXTERNAL for the load balancer)",
  "gcp:compute/globalAddress:GlobalAddress ipVersion": "always IPV4",
  "gcp:compute/globalAddress:GlobalAddress prefixLength": "always /17: the peering range is half of any /16-/24 network the platform lays out",
  "gcp:compute/globalAddress:GlobalAddress purpose": "always VPC_PEERING",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule ipProtocol": "always TCP",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule portRange": "fixed per rule (80 or 443): turning HTTPS on adds a rule",
  "gcp:compute/network:Network autoCreateSubnetworks": "always false",
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup networkEndpointType": "always SERVERLESS",
  "gcp:compute/securityPolicy:SecurityPolicy type": "always CLOUD_ARMOR",
  "gcp:dns/recordSet:RecordSet managedZone": "the zone must exist in the project: the committed files name one",
  "gcp:kms/cryptoKey:CryptoKey purpose": "always ENCRYPT_DECRYPT",
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember condition": "never set",
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember role": "always cryptoKeyEncrypterDecrypter",
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig checkerType": "always STATIC_IP_CHECKERS",
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig httpCheck.requestMethod": "always GET (the default)",
  "gcp:projects/iAMMember:IAMMember role": "fixed per binding, which names the Pulumi resource too",
  "gcp:projects/service:Service service": "one resource per API, named after it: another API is another resource",
  "gcp:projects/serviceIdentity:ServiceIdentity service": "one resource per API, named after it",
  "gcp:secretmanager/secretIamMember:SecretIamMember condition": "never set",
  "gcp:secretmanager/secretIamMember:SecretIamMember role": "always secretAccessor",
  "gcp:secretmanager/secretVersion:SecretVersion secretData": "secret values are redacted in plans",
  "gcp:servicenetworking/connection:Connection service": "always servicenetworking.googleapis.com",
  "gcp:sql/databaseInstance:DatabaseInstance replicaConfiguration": "secret (redacted in plans); every field of it is ForceNew",
  "gcp:sql/user:User type": "fixed per user (built-in or IAM service account), which names the Pulumi resource too",
  "gcp:storage/bucketIAMMember:BucketIAMMember condition": "never set",
  "gcp:storage/bucketIAMMember:BucketIAMMember role": "fixed per binding, which names the Pulumi resource too",
};

const committed = new Map<string, Promise<Plan>>();
const basePlan = (stack: string, cloud: string) => committed.get(`${stack}.${cloud}`) ?? committed.set(`${stack}.${cloud}`, runProgram({ stack, cloud: cloud as "azure" | "gcp" }).then(toPlan)).get(`${stack}.${cloud}`)!;

const results = new Map<Scenario, PlanDiff>();
beforeAll(async () => {
  for (const s of scenarios) {
    const run = await runProgram(s.options);
    if (run.error) throw new Error(`${s.why}: ${run.error.message}`);
    results.set(s, comparePlans(await basePlan(s.options.stack, s.options.cloud), toPlan(run)));
  }
}, 180_000);

const topInput = (p: string) => p.split(/[.[]/)[0];

function exercised(): Set<string> {
  const seen = new Set<string>();
  for (const diff of results.values()) for (const c of diff.changes) for (const x of c.changes) if (x.forces) seen.add(`${c.type} ${topInput(x.path)}`);
  return seen;
}

describe("the Azure and GCP replacement tables against real runs of the program", () => {
  it.each(scenarios.map((s) => [s.why, s] as const))("%s", (_why, s) => {
    const diff = results.get(s)!;
    for (const [type, name, input] of s.replaced) {
      const change = diff.changes.find((c) => c.type === type && c.name === name);
      expect({ type, name, kind: change?.kind }).toEqual({ type, name, kind: "replace" });
      expect(change!.changes.filter((x) => x.forces).map((x) => x.path)).toContainEqual(expect.stringMatching(new RegExp(`^${input.replace(/[.[\]]/g, "\\$&")}($|[.[])`)));
    }
    for (const [type, name, changed] of s.updated ?? []) {
      const change = diff.changes.find((c) => c.type === type && c.name === name);
      expect({ type, name, kind: change?.kind, unverified: change?.unverified }).toEqual({ type, name, kind: "update", unverified: undefined });
      expect(change!.changes.map((x) => x.path)).toContain(changed);
    }
    if (s.replaced.length === 0) expect(diff.counts).toMatchObject({ replace: 0, create: 0, delete: 0 });
    for (const name of s.unverified ?? []) expect({ name, unverified: diff.changes.find((c) => c.name === name)?.unverified }).toEqual({ name, unverified: true });
    for (const name of s.replacedWithGroup ?? []) {
      const change = diff.changes.find((c) => c.name === name);
      expect({ name, kind: change?.kind, forcedBy: change?.changes.filter((x) => x.forces).map((x) => x.path) }).toEqual({ name, kind: "replace", forcedBy: expect.arrayContaining(["resourceGroupName"]) });
    }
    const blocked = diff.changes.filter((c) => c.blocked).map((c) => c.name);
    if (s.blockedAtLeast) expect(blocked).toEqual(expect.arrayContaining(s.blockedAtLeast));
    else expect(blocked).toEqual(s.blocked ?? []);
  });

  it("exercises every entry of the Azure and GCP tables, or says why the program never changes it", () => {
    const seen = exercised();
    const entries = [...Object.entries(azureReplacements), ...Object.entries(gcpReplacements)].flatMap(([type, rule]) => (rule.inputs === "*" ? [] : rule.inputs.map((input) => `${type} ${input}`)));
    const missing = entries.filter((e) => !seen.has(`${e.split(" ")[0]} ${topInput(e.split(" ")[1])}`) && !notExercisable[e]);
    expect(missing).toEqual([]);
    expect(Object.keys(notExercisable).filter((e) => seen.has(`${e.split(" ")[0]} ${topInput(e.split(" ")[1])}`))).toEqual([]);
    expect(Object.keys(notExercisable).filter((e) => !entries.includes(e))).toEqual([]);
  });
});

describe("the Azure and GCP tables themselves", () => {
  it("cover every Azure and GCP type the committed stacks register", async () => {
    const types = new Set<string>();
    for (const cloud of ["azure", "gcp"]) for (const stack of ["dev", "staging", "production"]) for (const r of (await basePlan(stack, cloud)).resources) if (r.custom) types.add(r.type);
    const known = new Set(Object.values(replacementTables).flatMap((t) => Object.keys(t)));
    expect([...types].filter((t) => !known.has(t))).toEqual([]);
    // Both clouds' own types, not only the random ones.
    expect([...types].filter((t) => t.startsWith("azure-native:")).length).toBeGreaterThan(40);
    expect([...types].filter((t) => t.startsWith("gcp:")).length).toBeGreaterThan(40);
  });

  const sdk = path.join(__dirname, "..", "..", "node_modules", "@pulumi");
  /** The argument names of an SDK interface in a .d.ts file. */
  function argNames(file: string, iface: string): string[] {
    const source = readFileSync(file, "utf8");
    const body = source.match(new RegExp(`export interface ${iface} \\{([\\s\\S]*?)\\n\\}`))?.[1];
    if (!body) throw new Error(`${iface} is not in ${file}`);
    return [...body.matchAll(/\n {4}(\w+)\??:/g)].map((m) => m[1]);
  }
  const azureFile = (type: string, prefix = "") => {
    const [, module, resource] = type.split(":");
    const dir = path.join(sdk, "azure-native", module);
    const name = readdirSync(dir).find((f) => f.toLowerCase() === `${prefix}${resource}.d.ts`.toLowerCase());
    if (!name) throw new Error(`no ${prefix}${resource}.d.ts in ${dir}`);
    return path.join(dir, name);
  };

  it("Azure: every URL path parameter (the arguments of the SDK's get<Resource>, less query parameters) forces a new resource", () => {
    const queryParameters = new Set(["expand", "tenantId"]);
    for (const [type, rule] of Object.entries(azureReplacements)) {
      const resource = type.split(":")[2];
      const pathParameters = argNames(azureFile(type, "get"), `Get${resource}Args`).filter((a) => !queryParameters.has(a));
      expect({ type, missing: pathParameters.filter((p) => rule.inputs === "*" || !rule.inputs.includes(p)) }).toEqual({ type, missing: [] });
    }
  });

  it("Azure: the types whose location the diff fills in are exactly those that take one, and each entry decides on location", () => {
    const located = Object.keys(azureReplacements).filter((type) => argNames(azureFile(type), `${type.split(":")[2]}Args`).includes("location"));
    expect([...azureLocatedTypes].sort()).toEqual(located.sort());
    for (const type of located) {
      const rule = azureReplacements[type];
      expect({ type, decided: rule.inputs !== "*" && (rule.inputs.includes("location") || (rule.unverified ?? []).includes("location")) }).toEqual({ type, decided: true });
    }
  });

  it("names only inputs the SDKs have (a typo would silently never force anything)", () => {
    const gcpFile = (type: string) => {
      const [module, resource] = type.replace(/^gcp:/, "").split(":")[0].split("/");
      const dir = path.join(sdk, "gcp", module);
      return path.join(dir, readdirSync(dir).find((f) => f.toLowerCase() === `${resource}.d.ts`.toLowerCase())!);
    };
    for (const [table, file] of [[azureReplacements, azureFile], [gcpReplacements, gcpFile]] as const) {
      for (const [type, rule] of Object.entries(table)) {
        const args = argNames(file(type), `${type.split(":")[2]}Args`);
        const named = [...(rule.inputs === "*" ? [] : rule.inputs), ...(rule.unverified ?? []), ...Object.keys(rule.when ?? {})].map(topInput);
        expect({ type, unknown: named.filter((n) => !args.includes(n)) }).toEqual({ type, unknown: [] });
      }
    }
  });

  it("names its source for every entry: the provider and the resource it decides for", () => {
    for (const [type, rule] of Object.entries(azureReplacements)) expect({ type, source: rule.source }).toEqual({ type, source: expect.stringMatching(/^azure-native \w+:\w+ \(Microsoft\.\w+\/\S+ \d{4}-\d{2}-\d{2}(-preview)?\)$/) });
    for (const [type, rule] of Object.entries(gcpReplacements)) expect({ type, source: rule.source }).toEqual({ type, source: expect.stringMatching(/^terraform-provider-google-beta google_\w+ \(v7\.\d+\.\d+\)$/) });
    expect(existsSync(path.join(sdk, "azure-native", "package.json"))).toBe(true);
  });
});

// Hand-written plans: each test changes exactly what it is about.
const resource = (type: string, name: string, inputs: Record<string, unknown>): PlanResource => ({ type, name, parent: null, custom: true, protect: false, inputs });
const plan = (cloud: string, region: string, resources: PlanResource[]): Plan => ({ stack: "dev", cloud, environment: "dev", region, resources, outputs: {} });

describe("conditional and unverified inputs, and the implicit location", () => {
  const subnet = (ipCidrRange: string) => resource("gcp:compute/subnetwork:Subnetwork", "network-services", { name: "s", network: "n", region: "asia-northeast1", ipCidrRange });

  it("GCP: a subnet range that grows is updated in place; one that shrinks or moves is a new subnet (IsShrinkageIpCidr)", () => {
    const kind = (from: string, to: string) => comparePlans(plan("gcp", "asia-northeast1", [subnet(from)]), plan("gcp", "asia-northeast1", [subnet(to)])).changes[0].kind;
    expect(kind("10.0.0.0/17", "10.0.0.0/16")).toBe("update");
    expect(kind("10.0.0.0/16", "10.0.0.0/17")).toBe("replace");
    expect(kind("10.0.0.0/17", "10.1.0.0/17")).toBe("replace");
    expect(isShrinkageIpCidr("10.0.0.0/17", "[unknown]")).toBe(false);
    expect(isShrinkageIpCidr("10.0.128.0/17", "10.0.0.0/16")).toBe(false);
  });

  it("Azure: a location left to the provider is the plan's, so making it explicit is no change; a type with an unverified location change is 'may be a replacement'", () => {
    const nat = (location?: string) => resource("azure-native:network:NatGateway", "network-nat", { natGatewayName: "n", resourceGroupName: "g", ...(location ? { location } : {}) });
    expect(comparePlans(plan("azure", "japaneast", [nat()]), plan("azure", "japaneast", [nat("japaneast")])).changes).toEqual([]);
    const moved = comparePlans(plan("azure", "japaneast", [nat()]), plan("azure", "koreacentral", [nat()]));
    expect(moved.changes[0]).toMatchObject({ kind: "update", unverified: true, changes: [{ path: "location", before: "japaneast", after: "koreacentral", forces: undefined }] });
    const vnet = resource("azure-native:network:VirtualNetwork", "network-vnet", { virtualNetworkName: "v", resourceGroupName: "g" });
    expect(comparePlans(plan("azure", "japaneast", [vnet]), plan("azure", "koreacentral", [vnet])).changes[0]).toMatchObject({ kind: "replace", changes: [{ path: "location", forces: true }] });
  });

  it("GCP: a global resource gets no region from the plan, so a region change leaves it alone", () => {
    const network = resource("gcp:compute/network:Network", "network-vpc", { name: "n", project: "p" });
    expect(comparePlans(plan("gcp", "asia-northeast1", [network]), plan("gcp", "asia-northeast2", [network])).changes).toEqual([]);
    expect(implicitPlacement("gcp:compute/network:Network", "gcp")).toBeUndefined();
    expect(implicitPlacement("gcp:compute/subnetwork:Subnetwork", "gcp")).toBe("region");
    expect(implicitPlacement("azure-native:network:Subnet", "azure")).toBeUndefined();
    expect(implicitPlacement("aws:iam/role:Role", "aws")).toBe("region");
  });
});
