// Cross-cutting properties of the Azure platform, for the three committed stacks with platform:cloud
// azure: block components and parenting, previews that plan the same resources, clean inputs, neutral
// outputs, stable names when a service is added, submodule imports only, and every physical name
// within the Azure rule of its resource type (mocks accept any name; Azure does not).
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { nameRules, type NameRuleName } from "../../../components/naming";
import { type RegisteredResource, runProgram, type SynthResult } from "../../harness/run";
import { projectRoot } from "../../harness/stackFiles";

const stacks = ["dev", "staging", "production"] as const;
const blocks: Record<string, string> = { secrets: "SecretsStore", network: "Network", backup: "BackupVault", lb: "LoadBalancer", app: "ContainerService", scaling: "Autoscaling", alarms: "Alarms" };
const webService = ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0", "platform:services.web.healthCheckPath=/web/healthz"];

const runs: Record<string, SynthResult> = {};
const previews: Record<string, SynthResult> = {};
const withWeb: Record<string, SynthResult> = {};

beforeAll(async () => {
  for (const stack of stacks) {
    runs[stack] = await runProgram({ stack, cloud: "azure" });
    previews[stack] = await runProgram({ stack, cloud: "azure", preview: true });
  }
  for (const stack of ["dev", "production"]) withWeb[stack] = await runProgram({ stack, cloud: "azure", set: webService });
}, 180_000);

const key = (r: RegisteredResource) => `${r.type}::${r.name}`;

/** The input that holds each Azure resource type's physical name, and the rule it must satisfy. */
const nameFields: Record<string, { field: string; rule: NameRuleName }> = {
  "azure-native:resources:ResourceGroup": { field: "resourceGroupName", rule: "azureResourceGroup" },
  "azure-native:keyvault:Vault": { field: "vaultName", rule: "azureKeyVault" },
  "azure-native:keyvault:Key": { field: "keyName", rule: "azureKeyVaultObject" },
  "azure-native:keyvault:Secret": { field: "secretName", rule: "azureKeyVaultObject" },
  "azure-native:storage:StorageAccount": { field: "accountName", rule: "azureStorageAccount" },
  "azure-native:storage:BlobContainer": { field: "containerName", rule: "azureBlobContainer" },
  "azure-native:containerregistry:Registry": { field: "registryName", rule: "azureContainerRegistry" },
  "azure-native:dbforpostgresql:Server": { field: "serverName", rule: "azurePostgresServer" },
  "azure-native:app:ManagedEnvironment": { field: "environmentName", rule: "azureContainerAppsEnvironment" },
  "azure-native:app:ContainerApp": { field: "containerAppName", rule: "azureContainerApp" },
  "azure-native:app:Job": { field: "jobName", rule: "azureContainerApp" },
  "azure-native:managedidentity:UserAssignedIdentity": { field: "resourceName", rule: "azureManagedIdentity" },
  "azure-native:operationalinsights:Workspace": { field: "workspaceName", rule: "azureLogAnalyticsWorkspace" },
  "azure-native:network:VirtualNetwork": { field: "virtualNetworkName", rule: "azureNetwork" },
  "azure-native:network:Subnet": { field: "subnetName", rule: "azureNetwork" },
  "azure-native:network:NetworkSecurityGroup": { field: "networkSecurityGroupName", rule: "azureNetwork" },
  "azure-native:network:NatGateway": { field: "natGatewayName", rule: "azureNetwork" },
  "azure-native:network:PublicIPAddress": { field: "publicIpAddressName", rule: "azureNetwork" },
  "azure-native:network:FlowLog": { field: "flowLogName", rule: "azureNetwork" },
  "azure-native:privatedns:VirtualNetworkLink": { field: "virtualNetworkLinkName", rule: "azureNetwork" },
  "azure-native:dataprotection:BackupVault": { field: "vaultName", rule: "azureBackupVault" },
  "azure-native:dataprotection:BackupPolicy": { field: "backupPolicyName", rule: "azureBackupPolicy" },
  "azure-native:dataprotection:BackupInstance": { field: "backupInstanceName", rule: "azureBackupPolicy" },
  "azure-native:cdn:Profile": { field: "profileName", rule: "azureFrontDoorProfile" },
  "azure-native:cdn:AFDEndpoint": { field: "endpointName", rule: "azureFrontDoorEndpoint" },
  "azure-native:cdn:AFDOriginGroup": { field: "originGroupName", rule: "azureFrontDoorChild" },
  "azure-native:cdn:AFDOrigin": { field: "originName", rule: "azureFrontDoorChild" },
  "azure-native:cdn:Route": { field: "routeName", rule: "azureFrontDoorChild" },
  "azure-native:cdn:AFDCustomDomain": { field: "customDomainName", rule: "azureFrontDoorChild" },
  "azure-native:cdn:SecurityPolicy": { field: "securityPolicyName", rule: "azureFrontDoorChild" },
  "azure-native:cdn:RuleSet": { field: "ruleSetName", rule: "azureFrontDoorRuleSet" },
  "azure-native:cdn:Rule": { field: "ruleName", rule: "azureFrontDoorRule" },
  "azure-native:frontdoor:Policy": { field: "policyName", rule: "azureFrontDoorWafPolicy" },
  "azure-native:monitor:ActionGroup": { field: "actionGroupName", rule: "azureMonitorName" },
  "azure-native:monitor:MetricAlert": { field: "ruleName", rule: "azureMonitorName" },
  "azure-native:monitor:ScheduledQueryRule": { field: "ruleName", rule: "azureMonitorName" },
  "azure-native:monitor:DiagnosticSetting": { field: "name", rule: "azureMonitorName" },
  "azure-native:applicationinsights:Component": { field: "resourceName", rule: "azureMonitorName" },
  "azure-native:applicationinsights:WebTest": { field: "webTestName", rule: "azureMonitorName" },
  "azure-native:portal:Dashboard": { field: "dashboardName", rule: "azureDashboard" },
};
/** Resources named by their parent's rules or by Azure itself (GUIDs, fixed names such as `default`). */
const namedElsewhere = new Set([
  "azure-native:operationalinsights:Table",
  "azure-native:storage:BlobServiceProperties",
  "azure-native:storage:ManagementPolicy",
  "azure-native:authorization:RoleAssignment",
  "azure-native:authorization:RoleDefinition",
  "azure-native:authorization:ManagementLockByScope",
  "azure-native:dbforpostgresql:Database",
  "azure-native:dbforpostgresql:Configuration",
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra",
  "azure-native:privatedns:PrivateZone",
]);

describe.each(stacks)("%s on Azure", (stack) => {
  it("runs without error", () => {
    expect(runs[stack].error).toBeUndefined();
    expect(previews[stack].error).toBeUndefined();
    expect(runs[stack].cloud).toBe("azure");
  });

  it("has the Platform component and one component per block", () => {
    const components = runs[stack].resources.filter((r) => r.type.startsWith("platform:"));
    for (const [name, kind] of Object.entries(blocks)) expect(components.find((c) => c.name === name)).toMatchObject({ type: `platform:index:${kind}`, parent: "platform" });
    expect(components).toHaveLength(Object.keys(blocks).length + 1);
  });

  it("parents every cloud resource to a block, and names it after that block", () => {
    const cloud = runs[stack].resources.filter((r) => !r.type.startsWith("platform:"));
    expect(cloud.length).toBeGreaterThan(80);
    for (const r of cloud) {
      expect(Object.keys(blocks)).toContain(r.parent);
      expect(r.name.startsWith(`${r.parent}-`)).toBe(true);
    }
  });

  it("in preview mode registers the same resources as a normal run", () => {
    expect(previews[stack].resources.map(key).sort()).toEqual(runs[stack].resources.map(key).sort());
    expect(previews[stack].warnings).toEqual(runs[stack].warnings);
  });

  it("never passes the text 'undefined' or '[object Object]' to a provider, normally or in preview", () => {
    for (const r of [runs[stack], previews[stack]]) {
      for (const res of r.resources) {
        const text = JSON.stringify(res.inputs);
        expect({ resource: key(res), bad: /undefined|\[object Object\]/.test(text) }).toEqual({ resource: key(res), bad: false });
      }
    }
    expect(JSON.stringify(runs[stack].outputs)).not.toMatch(/undefined|\[object Object\]/);
  });

  it("exports the neutral outputs in Azure's terms: the Front Door URL, the VNet, the environment, the blob container", () => {
    const o = runs[stack].outputs;
    expect(o).toMatchObject({ cloud: "azure", environment: stack, region: "japaneast", serviceRuntime: `platform-${stack}`, heldServices: [], publicSubnetIds: [] });
    expect(String(o.url)).toMatch(stack === "dev" ? /^https:\/\/platform-dev-[0-9a-f]{16}\.z01\.azurefd\.net$/ : /^https:\/\/[a-z.]*example\.com$/);
    expect(String(o.networkId)).toMatch(/\/providers\/Microsoft\.Network\/virtualNetworks\//);
    expect(String(o.dataStoreUrl)).toMatch(/^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/data$/);
    for (const ref of Object.values(o.secretRefs as Record<string, string>)) expect(ref).toMatch(/^https:\/\/platform-[a-z0-9-]+\.vault\.azure\.net\/secrets\/[A-Z-]+$/);
    expect(Object.keys(o.alarmTargets as object).sort()).toEqual(["critical", "warning"]);
  });

  it("names every resource within the Azure rule of its type", () => {
    for (const r of runs[stack].resources.filter((x) => x.type.startsWith("azure-native:"))) {
      if (namedElsewhere.has(r.type)) continue;
      const f = nameFields[r.type];
      expect({ type: r.type, known: f !== undefined }).toEqual({ type: r.type, known: true });
      const name = String(r.inputs[f.field]);
      expect({ resource: key(r), name, valid: nameRules[f.rule].valid.test(name) && name.length <= nameRules[f.rule].maxLength }).toEqual({ resource: key(r), name, valid: true });
    }
  });
});

describe.each(["dev", "production"])("adding a service in %s on Azure", (stack) => {
  it("adds the new service's resources and keeps every existing logical and physical name and every input of api", () => {
    expect(withWeb[stack].error).toBeUndefined();
    const before = new Map(runs[stack].resources.map((r) => [key(r), r]));
    const after = new Map(withWeb[stack].resources.map((r) => [key(r), r]));
    const added = [...after.keys()].filter((k) => !before.has(k));
    expect(added.length).toBeGreaterThan(8);
    for (const k of added) expect(k).toMatch(/-web(-|$)/);
    for (const [k, r] of before) {
      expect(after.has(k)).toBe(true);
      if (/-api(-|$)/.test(r.name) && r.type !== "azure-native:portal:Dashboard") expect({ resource: k, inputs: after.get(k)?.inputs }).toEqual({ resource: k, inputs: r.inputs });
    }
  });
});

describe("aliases", () => {
  it("the Azure program registers its resources without the SDK's aliases to API-versioned type tokens", async () => {
    const seen: { type: string; resource: unknown }[] = [];
    const r = await runProgram({
      stack: "dev",
      cloud: "azure",
      program: async () => {
        const pulumi = await import("@pulumi/pulumi");
        pulumi.runtime.registerStackTransformation((t) => {
          seen.push({ type: t.type, resource: t.resource });
          return undefined;
        });
        return (await import("../../../stacks/program")).main();
      },
    });
    expect(r.error).toBeUndefined();
    const subnets = seen.filter((s) => s.type === "azure-native:network:Subnet");
    expect(subnets).toHaveLength(3);
    // The SDK gives a subnet 60 aliases, one per API version; none is left.
    for (const s of subnets) expect((s.resource as { __aliases: unknown[] }).__aliases).toEqual([]);
  });
});

describe("imports", () => {
  it("the Azure implementation imports @pulumi/azure-native by submodule only, never the package root", () => {
    const dir = path.join(projectRoot, "components", "azure");
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(20);
    const rootImports = files.filter((f) => /from\s+["']@pulumi\/azure-native["']|require\(\s*["']@pulumi\/azure-native["']\s*\)/.test(readFileSync(path.join(dir, f), "utf8")));
    expect(rootImports).toEqual([]);
    const submodules = files.flatMap((f) => [...readFileSync(path.join(dir, f), "utf8").matchAll(/from\s+"@pulumi\/azure-native\/([a-z]+)"/g)].map((m) => m[1]));
    expect(new Set(submodules).size).toBeGreaterThan(10);
  });

  it("its SDK-free files import no SDK: config validation loads them before any provider", () => {
    for (const f of ["limits.ts", "regions.ts", "names.ts", "containerAppSizes.ts", "subnets.ts", "databaseLimits.ts", "frontDoorLimits.ts", "tagLimits.ts", "serviceEnv.ts", "uptimeLimits.ts", "scaleRules.ts", "backupPolicies.ts", "secretLifecycle.ts", "logQueries.ts"]) {
      const text = readFileSync(path.join(projectRoot, "components", "azure", f), "utf8");
      expect({ f, sdk: /from\s+"@pulumi\//.test(text) }).toEqual({ f, sdk: false });
    }
  });
});
