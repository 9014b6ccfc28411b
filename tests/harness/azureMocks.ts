// Azure for the mock runtime: ARM ids and the computed outputs the program reads, for every
// azure-native resource it registers, and an Azure subscription the account inspection reads (resource
// group, Key Vault secrets, the registry's tags through its data plane, container apps after an update).
// Dispatched from cloudMocks.ts (resources and invokes) and run.ts (the registry's HTTPS endpoints).
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

export const mockSubscriptionId = "3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b";
export const mockTenantId = "9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f";

const sigKey = "4dabf18193072939515e22adb298388d";
const sig = "1b47061264138c4ac30d75fd1eb44270";
const hex = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);
export const guid = (seed: string): string => {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** What RandomString answers for a logical name: lowercase letters and digits, as the program asks. */
export const mockRandomString = (logicalName: string, length: number): string => hex(`random:${logicalName}`, length);
/** The stack's name suffix as the program's RandomString gets it (foundation.ts: `secrets-name-suffix`). */
export const mockNameSuffix = mockRandomString("secrets-name-suffix", 4);

const isSecret = (v: unknown): v is { value: unknown } => Boolean(v && typeof v === "object" && (v as Record<string, unknown>)[sigKey] === sig);
const unwrap = (v: unknown): unknown => (isSecret(v) ? v.value : v);
const secret = (value: unknown) => ({ [sigKey]: sig, value });

const group = (rg: unknown) => `/subscriptions/${mockSubscriptionId}/resourceGroups/${String(rg)}`;
const provider = (rg: unknown, path: string) => `${group(rg)}/providers/${path}`;

/** The revision Container Apps names for an app's template: `<app>--<suffix>`. */
export const mockRevision = (appName: string, template: unknown): string => `${appName}--${hex(JSON.stringify(template ?? {}), 7)}`;

export function azureResourceState(args: pulumi.runtime.MockResourceArgs, region: string): { id: string; state: Record<string, unknown> } {
  const { type, name } = args;
  const inputs = args.inputs as Record<string, unknown>;
  const [, module, kind] = type.split(":");
  const state: Record<string, unknown> = { ...inputs };
  const rg = inputs.resourceGroupName;
  const named = (field: string) => String(inputs[field] ?? `${name}-${hex(name, 7)}`);
  let id = provider(rg, `Microsoft.${module}/${kind}/${name}`);
  let physical = name;
  const set = (resourceId: string, physicalName: string, extra: Record<string, unknown> = {}) => {
    id = resourceId;
    physical = physicalName;
    Object.assign(state, { name: physicalName, ...extra });
  };
  switch (kind) {
    case "ResourceGroup":
      set(group(inputs.resourceGroupName), named("resourceGroupName"), { location: inputs.location ?? region });
      break;
    case "Workspace":
      set(provider(rg, `Microsoft.OperationalInsights/workspaces/${named("workspaceName")}`), named("workspaceName"), { customerId: guid(`workspace:${name}`) });
      break;
    case "Table":
      set(provider(rg, `Microsoft.OperationalInsights/workspaces/${inputs.workspaceName}/tables/${inputs.tableName}`), String(inputs.tableName));
      break;
    case "Vault":
      if (module === "keyvault") {
        const vault = named("vaultName");
        set(provider(rg, `Microsoft.KeyVault/vaults/${vault}`), vault, { properties: { ...(unwrap(inputs.properties) as object), vaultUri: `https://${vault}.vault.azure.net/` } });
      }
      break;
    case "Key": {
      const vault = String(inputs.vaultName);
      const key = named("keyName");
      set(provider(rg, `Microsoft.KeyVault/vaults/${vault}/keys/${key}`), key, { keyUri: `https://${vault}.vault.azure.net/keys/${key}`, keyUriWithVersion: `https://${vault}.vault.azure.net/keys/${key}/${hex(`key:${name}`, 32)}` });
      break;
    }
    case "Secret":
      if (module === "keyvault") {
        const vault = String(inputs.vaultName);
        const secretName = named("secretName");
        const props = unwrap(inputs.properties) as Record<string, unknown>;
        // A new value is a new version, as in Key Vault.
        const version = hex(`${name}:${JSON.stringify(unwrap(props.value) ?? "")}`, 32);
        const out = { contentType: props.contentType, secretUri: `https://${vault}.vault.azure.net/secrets/${secretName}`, secretUriWithVersion: `https://${vault}.vault.azure.net/secrets/${secretName}/${version}` };
        set(provider(rg, `Microsoft.KeyVault/vaults/${vault}/secrets/${secretName}`), secretName, { properties: isSecret(inputs.properties) ? secret(out) : out });
      } else {
        set(provider(rg, `Microsoft.Cdn/profiles/${inputs.profileName}/secrets/${named("secretName")}`), named("secretName"));
      }
      break;
    case "VirtualNetwork":
      set(provider(rg, `Microsoft.Network/virtualNetworks/${named("virtualNetworkName")}`), named("virtualNetworkName"));
      break;
    case "Subnet":
      set(provider(rg, `Microsoft.Network/virtualNetworks/${inputs.virtualNetworkName}/subnets/${named("subnetName")}`), named("subnetName"));
      break;
    case "NetworkSecurityGroup":
      set(provider(rg, `Microsoft.Network/networkSecurityGroups/${named("networkSecurityGroupName")}`), named("networkSecurityGroupName"));
      break;
    case "PublicIPAddress":
      set(provider(rg, `Microsoft.Network/publicIPAddresses/${named("publicIpAddressName")}`), named("publicIpAddressName"), { ipAddress: `20.${parseInt(hex(name, 2), 16)}.${parseInt(hex(name + 1, 2), 16)}.10` });
      break;
    case "NatGateway":
      set(provider(rg, `Microsoft.Network/natGateways/${named("natGatewayName")}`), named("natGatewayName"));
      break;
    case "FlowLog":
      set(provider(rg, `Microsoft.Network/networkWatchers/${inputs.networkWatcherName}/flowLogs/${named("flowLogName")}`), named("flowLogName"));
      break;
    case "PrivateEndpoint":
      set(provider(rg, `Microsoft.Network/privateEndpoints/${named("privateEndpointName")}`), named("privateEndpointName"));
      break;
    case "PrivateDnsZoneGroup":
      set(provider(rg, `Microsoft.Network/privateEndpoints/${inputs.privateEndpointName}/privateDnsZoneGroups/${named("privateDnsZoneGroupName")}`), named("privateDnsZoneGroupName"));
      break;
    case "PrivateZone":
      set(provider(rg, `Microsoft.Network/privateDnsZones/${named("privateZoneName")}`), named("privateZoneName"));
      break;
    case "VirtualNetworkLink":
      set(provider(rg, `Microsoft.Network/privateDnsZones/${inputs.privateZoneName}/virtualNetworkLinks/${named("virtualNetworkLinkName")}`), named("virtualNetworkLinkName"));
      break;
    case "StorageAccount": {
      const account = named("accountName");
      set(provider(rg, `Microsoft.Storage/storageAccounts/${account}`), account, { primaryEndpoints: { blob: `https://${account}.blob.core.windows.net/` } });
      break;
    }
    case "BlobServiceProperties":
      set(provider(rg, `Microsoft.Storage/storageAccounts/${inputs.accountName}/blobServices/default`), "default");
      break;
    case "BlobContainer":
      set(provider(rg, `Microsoft.Storage/storageAccounts/${inputs.accountName}/blobServices/default/containers/${named("containerName")}`), named("containerName"));
      break;
    case "ManagementPolicy":
      set(provider(rg, `Microsoft.Storage/storageAccounts/${inputs.accountName}/managementPolicies/default`), "default");
      break;
    case "UserAssignedIdentity":
      set(provider(rg, `Microsoft.ManagedIdentity/userAssignedIdentities/${named("resourceName")}`), named("resourceName"), { principalId: guid(`principal:${name}`), clientId: guid(`client:${name}`), tenantId: mockTenantId });
      break;
    case "RoleAssignment":
      set(`${inputs.scope}/providers/Microsoft.Authorization/roleAssignments/${named("roleAssignmentName")}`, named("roleAssignmentName"));
      break;
    case "RoleDefinition":
      set(`/subscriptions/${mockSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${inputs.roleDefinitionId}`, String(inputs.roleDefinitionId));
      break;
    case "ManagementLockByScope":
      set(`${inputs.scope}/providers/Microsoft.Authorization/locks/${named("lockName")}`, named("lockName"));
      break;
    case "Server": {
      const server = named("serverName");
      set(provider(rg, `Microsoft.DBforPostgreSQL/flexibleServers/${server}`), server, { fullyQualifiedDomainName: `${server}.postgres.database.azure.com`, state: "Ready" });
      break;
    }
    case "Database":
      set(provider(rg, `Microsoft.DBforPostgreSQL/flexibleServers/${inputs.serverName}/databases/${named("databaseName")}`), named("databaseName"));
      break;
    case "Configuration":
      set(provider(rg, `Microsoft.DBforPostgreSQL/flexibleServers/${inputs.serverName}/configurations/${named("configurationName")}`), named("configurationName"));
      break;
    case "AdministratorsMicrosoftEntra":
      set(provider(rg, `Microsoft.DBforPostgreSQL/flexibleServers/${inputs.serverName}/administrators/${inputs.objectId}`), String(inputs.objectId));
      break;
    case "BackupVault":
      set(provider(rg, `Microsoft.DataProtection/backupVaults/${named("vaultName")}`), named("vaultName"), { identity: { ...(inputs.identity as object), principalId: guid(`vault:${name}`), tenantId: mockTenantId } });
      break;
    case "BackupPolicy":
      set(provider(rg, `Microsoft.DataProtection/backupVaults/${inputs.vaultName}/backupPolicies/${named("backupPolicyName")}`), named("backupPolicyName"));
      break;
    case "BackupInstance":
      set(provider(rg, `Microsoft.DataProtection/backupVaults/${inputs.vaultName}/backupInstances/${named("backupInstanceName")}`), named("backupInstanceName"));
      break;
    case "DiagnosticSetting":
      set(`${inputs.resourceUri}/providers/Microsoft.Insights/diagnosticSettings/${named("name")}`, named("name"));
      break;
    case "ActionGroup":
      set(provider(rg, `Microsoft.Insights/actionGroups/${named("actionGroupName")}`), named("actionGroupName"));
      break;
    case "MetricAlert":
      set(provider(rg, `Microsoft.Insights/metricAlerts/${named("ruleName")}`), named("ruleName"));
      break;
    case "ScheduledQueryRule":
      set(provider(rg, `Microsoft.Insights/scheduledQueryRules/${named("ruleName")}`), named("ruleName"));
      break;
    case "Component":
      set(provider(rg, `Microsoft.Insights/components/${named("resourceName")}`), named("resourceName"), { appId: guid(`insights:${name}`), connectionString: `InstrumentationKey=${guid(`ikey:${name}`)}` });
      break;
    case "WebTest":
      set(provider(rg, `Microsoft.Insights/webtests/${named("webTestName")}`), named("webTestName"));
      break;
    case "Dashboard":
      set(provider(rg, `Microsoft.Portal/dashboards/${named("dashboardName")}`), named("dashboardName"));
      break;
    case "Profile":
      set(provider(rg, `Microsoft.Cdn/profiles/${named("profileName")}`), named("profileName"), {
        frontDoorId: guid(`front-door:${name}`),
        identity: inputs.identity ? { ...(inputs.identity as object), principalId: guid(`profile:${name}`), tenantId: mockTenantId } : undefined,
      });
      break;
    case "AFDEndpoint":
      set(provider(rg, `Microsoft.Cdn/profiles/${inputs.profileName}/afdEndpoints/${named("endpointName")}`), named("endpointName"), { hostName: `${named("endpointName")}-${hex(name, 16)}.z01.azurefd.net` });
      break;
    case "AFDOriginGroup":
      set(provider(rg, `Microsoft.Cdn/profiles/${inputs.profileName}/originGroups/${named("originGroupName")}`), named("originGroupName"));
      break;
    case "AFDOrigin":
      set(provider(rg, `Microsoft.Cdn/profiles/${inputs.profileName}/originGroups/${inputs.originGroupName}/origins/${named("originName")}`), named("originName"));
      break;
    case "Route":
      set(provider(rg, `Microsoft.Cdn/profiles/${inputs.profileName}/afdEndpoints/${inputs.endpointName}/routes/${named("routeName")}`), named("routeName"));
      break;
    case "RuleSet":
      set(provider(rg, `Microsoft.Cdn/profiles/${inputs.profileName}/ruleSets/${named("ruleSetName")}`), named("ruleSetName"));
      break;
    case "Rule":
      set(provider(rg, `Microsoft.Cdn/profiles/${inputs.profileName}/ruleSets/${inputs.ruleSetName}/rules/${named("ruleName")}`), named("ruleName"));
      break;
    case "AFDCustomDomain":
      set(provider(rg, `Microsoft.Cdn/profiles/${inputs.profileName}/customDomains/${named("customDomainName")}`), named("customDomainName"), {
        validationProperties: { validationToken: hex(`validation:${name}`, 32), expirationDate: "2026-12-31T00:00:00Z" },
      });
      break;
    case "SecurityPolicy":
      set(provider(rg, `Microsoft.Cdn/profiles/${inputs.profileName}/securityPolicies/${named("securityPolicyName")}`), named("securityPolicyName"));
      break;
    case "Policy":
      set(provider(rg, `Microsoft.Network/frontDoorWebApplicationFirewallPolicies/${named("policyName")}`), named("policyName"));
      break;
    case "RecordSet":
      set(`/subscriptions/${mockSubscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/dnszones/${inputs.zoneName}/${inputs.recordType}/${inputs.relativeRecordSetName}`, String(inputs.relativeRecordSetName), { fqdn: `${inputs.relativeRecordSetName}.${inputs.zoneName}.` });
      break;
    case "Registry":
      set(provider(rg, `Microsoft.ContainerRegistry/registries/${named("registryName")}`), named("registryName"), { loginServer: `${named("registryName")}.azurecr.io` });
      break;
    case "ManagedEnvironment":
      set(provider(rg, `Microsoft.App/managedEnvironments/${named("environmentName")}`), named("environmentName"), {
        defaultDomain: `${hex(name, 4)}word-${hex(name + 1, 8)}.${region}.azurecontainerapps.io`,
        staticIp: `20.${parseInt(hex(name, 2), 16)}.1.${parseInt(hex(name + 1, 2), 16)}`,
      });
      break;
    case "ContainerApp": {
      const appName = named("containerAppName");
      const revision = mockRevision(appName, inputs.template);
      const configuration = unwrap(inputs.configuration) as Record<string, unknown> | undefined;
      const domain = `${hex(String(inputs.managedEnvironmentId), 4)}word-${hex(String(inputs.managedEnvironmentId), 8)}.${region}.azurecontainerapps.io`;
      set(provider(rg, `Microsoft.App/containerApps/${appName}`), appName, {
        configuration: { ...configuration, ingress: { ...(configuration?.ingress as object), fqdn: `${appName}.${domain}` } },
        latestRevisionName: revision,
        latestReadyRevisionName: revision,
        latestRevisionFqdn: `${revision}.${domain}`,
        outboundIpAddresses: ["20.10.20.30"],
      });
      break;
    }
    case "Job":
      set(provider(rg, `Microsoft.App/jobs/${named("jobName")}`), named("jobName"));
      break;
    default:
      break;
  }
  if (state.name === undefined) state.name = physical;
  return { id, state };
}

/** What a registry tag holds in the mock subscription. */
export interface MockRegistryTag {
  digest: string;
  /** false: locked against overwrite (`az acr repository update --write-enabled false`). */
  writeEnabled?: boolean;
}

/** A Key Vault secret's current version as the subscription holds it; null: no such secret. */
export type MockKeyVaultSecret = { state: "placeholder" | "operator" | "generated"; length?: number } | null;

export interface AzureAccountFixture {
  /** Repository path -> tag -> what it holds; `{}` is a repository without images. Unlisted: every tag exists (established). */
  repositories?: Record<string, Record<string, MockRegistryTag>>;
  /** Neutral secret name -> its state in Key Vault. Unlisted: generated ones generated, external ones put by an operator (established). */
  secrets?: Record<string, MockKeyVaultSecret>;
  /** Resource group tags instead of the platform's own (a group that is not the stack's). */
  resourceGroupTags?: Record<string, string>;
  /** Container app name -> the revision it still serves after the update (a rollout that did not become ready). */
  readyRevisions?: Record<string, string>;
}

export const mockImageDigest = (repository: string, tag: string): string => `sha256:${hex(`acr:${repository}:${tag}`, 64)}`;

/** What the harness knows about the run: the stack's secrets, and the apps this run registered. */
export interface AzureAccountContext {
  secretSources(): Record<string, { source: "generated" | "external"; length: number }>;
  registeredApp(name: string): { template: unknown } | undefined;
}

function invokeError(token: string, message: string): Error {
  const text = `invoking ${token}: 1 error occurred:\n\t* ${message}`;
  return Object.assign(new Error(text), { details: text });
}

export class AzureMockAccount {
  constructor(
    private readonly established: boolean,
    private readonly fixture: AzureAccountFixture,
    private readonly context: AzureAccountContext,
  ) {}

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const { token, inputs } = args;
    switch (token) {
      case "azure-native:authorization:getClientConfig":
        return { clientId: guid("deployer-client"), objectId: guid("deployer-object"), subscriptionId: mockSubscriptionId, tenantId: mockTenantId };
      case "azure-native:authorization:getClientToken":
        return { token: `entra-token-${hex(String(inputs.endpoint ?? "arm"), 16)}` };
      case "azure-native:resources:getResourceGroup": {
        if (!this.established) throw invokeError(token, `ResourceGroupNotFound: Resource group '${inputs.resourceGroupName}' could not be found.`);
        return { id: group(inputs.resourceGroupName), name: inputs.resourceGroupName, location: "japaneast", properties: { provisioningState: "Succeeded" }, tags: this.fixture.resourceGroupTags ?? { "platform-name-suffix": mockNameSuffix }, type: "Microsoft.Resources/resourceGroups", azureApiVersion: "2024-03-01" };
      }
      case "azure-native:keyvault:getSecret": {
        const neutral = String(inputs.secretName).replaceAll("-", "_");
        const declared = this.context.secretSources()[neutral];
        const listed = this.fixture.secrets?.[neutral];
        if (!this.established || listed === null || (!declared && listed === undefined)) throw invokeError(token, `SecretNotFound: A secret with (name/id) ${inputs.secretName} was not found in this key vault. (404)`);
        const state = listed ?? { state: declared!.source === "generated" ? "generated" : "operator", length: declared!.length };
        const version = hex(`${inputs.vaultName}/${inputs.secretName}/${state.state}`, 32);
        const base = `https://${inputs.vaultName}.vault.azure.net/secrets/${inputs.secretName}`;
        const tags =
          state.state === "generated" ? { "platform-secret-source": "generated", "platform-secret-length": String(state.length ?? 64) } : state.state === "placeholder" ? { "platform-secret-source": "external" } : {};
        return {
          id: `${provider(inputs.resourceGroupName, `Microsoft.KeyVault/vaults/${inputs.vaultName}`)}/secrets/${inputs.secretName}`,
          name: inputs.secretName,
          location: "japaneast",
          type: "Microsoft.KeyVault/vaults/secrets",
          azureApiVersion: "2024-11-01",
          properties: { secretUri: base, secretUriWithVersion: `${base}/${version}`, contentType: state.state === "placeholder" ? "application/x-platform-placeholder" : state.state === "generated" ? "text/plain" : undefined },
          tags,
        };
      }
      case "azure-native:containerregistry:getRegistry": {
        if (!this.established) throw invokeError(token, `ResourceNotFound: The Resource 'Microsoft.ContainerRegistry/registries/${inputs.registryName}' under resource group '${inputs.resourceGroupName}' was not found.`);
        return { id: provider(inputs.resourceGroupName, `Microsoft.ContainerRegistry/registries/${inputs.registryName}`), name: inputs.registryName, loginServer: `${inputs.registryName}.azurecr.io`, location: "japaneast", sku: { name: "Standard" }, azureApiVersion: "2023-01-01-preview" };
      }
      case "azure-native:app:getContainerApp": {
        const name = String(inputs.containerAppName);
        const registered = this.context.registeredApp(name);
        if (!registered) throw invokeError(token, `ResourceNotFound: container app ${name} was not found`);
        const latest = mockRevision(name, registered.template);
        return { id: provider(inputs.resourceGroupName, `Microsoft.App/containerApps/${name}`), name, latestRevisionName: latest, latestReadyRevisionName: this.fixture.readyRevisions?.[name] ?? latest, provisioningState: "Succeeded", runningStatus: "Running" };
      }
      default:
        throw new Error(`the harness has no mock for invoke ${token}; add one to tests/harness/azureMocks.ts`);
    }
  }

  /** The registry's data plane (registryImages.ts): token exchange, manifests, tag lists and attributes. */
  async fetch(url: URL, init?: RequestInit): Promise<Response> {
    const path = url.pathname;
    if (path === "/oauth2/exchange") return Response.json({ refresh_token: "acr-refresh-token" });
    if (path === "/oauth2/token") return Response.json({ access_token: "acr-access-token" });
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    const list = /^\/v2\/(.+)\/tags\/list$/.exec(path);
    const attributes = /^\/acr\/v1\/(.+)\/_tags\/([^/]+)$/.exec(path);
    const repository = (manifest ?? list ?? attributes)?.[1];
    if (!repository) return new Response("not found", { status: 404 });
    const listed = this.fixture.repositories?.[repository];
    const tagOf = (tag: string): MockRegistryTag | undefined => (listed ? listed[tag] : this.established ? { digest: mockImageDigest(repository, tag), writeEnabled: false } : undefined);
    if (manifest) {
      const tag = tagOf(decodeURIComponent(manifest[2]));
      if (!tag || init?.method !== "HEAD") return new Response(null, { status: 404 });
      return new Response(null, { status: 200, headers: { "docker-content-digest": tag.digest } });
    }
    if (attributes) {
      const tag = tagOf(decodeURIComponent(attributes[2]));
      if (!tag) return new Response("not found", { status: 404 });
      return Response.json({ registry: url.host, imageName: repository, tag: { name: attributes[2], digest: tag.digest, changeableAttributes: { writeEnabled: tag.writeEnabled ?? true } } });
    }
    if (!listed && !this.established) return Response.json({ errors: [{ code: "NAME_UNKNOWN" }] }, { status: 404 });
    if (listed && Object.keys(listed).length === 0) return Response.json({ errors: [{ code: "NAME_UNKNOWN" }] }, { status: 404 });
    return Response.json({ name: repository, tags: listed ? Object.keys(listed) : [] });
  }
}
