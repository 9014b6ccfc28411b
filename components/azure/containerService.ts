// Container service on Azure: a container registry (admin user off, anonymous pull off), a
// workload-profiles Container Apps environment in the network's apps subnet (zone redundant where the
// network spans zones; both fixed at creation), and per service a user-assigned identity with exactly
// its grants (pull from the registry, read its own secrets, use the data container, sign in to the
// database as a Microsoft Entra administrator), a container app that reads its secrets from Key Vault
// by reference, and its Front Door origin and route. A held service (image or secret value missing)
// gets its identity and grants now, and its app, origin and route with the update that finds both:
// the grants have replicated by then (a first app create otherwise fails to read its secrets).
import * as app from "@pulumi/azure-native/app";
import * as cdn from "@pulumi/azure-native/cdn";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ContainerServiceOutputs, LoadBalancerOutputs, ReleaseStatus } from "../model";
import { shortHash } from "../naming";
import { repositoryPath } from "./accountState";
import { containerAppsMemory } from "./containerAppSizes";
import type { AzureDataStore } from "./dataStore";
import { diagnosticSetting } from "./diagnostics";
import type { Foundation } from "./foundation";
import type { AzureFrontDoor } from "./frontDoor";
import { type AzureNames, appSecretName, builtInRoles, frontDoorChildName } from "./names";
import type { AzureNetwork } from "./network";
import { child, stateful, tags } from "./options";
import { privateEndpoint } from "./privateEndpoints";
import { restoreTest } from "./restoreTest";
import { grant } from "./roles";
import { verifiedRelease } from "./rollout";
import { scaleRules } from "./scaleRules";
import type { AzureSecrets } from "./secretsStore";
import { clientIdEnv, frontDoorIdEnv, secretVersionsEnv } from "./serviceEnv";

/** The only workload profile the platform runs on: serverless, billed per use, sizes of containerAppSizes.ts. */
export const workloadProfile = "Consumption";

export interface AzureApps {
  outputs: ContainerServiceOutputs;
  /** Service -> its container app's resource id; absent for a held service. */
  appIds: Record<string, pulumi.Output<string>>;
  environmentId: pulumi.Output<string>;
  /** The restore test job's name, for its alert; absent without one. */
  restoreTestJobName?: string;
}

export interface ContainerDeps {
  foundation: Foundation;
  names: AzureNames;
  secrets: AzureSecrets;
  network: AzureNetwork;
  dataStore: AzureDataStore;
  frontDoor: AzureFrontDoor;
  loadBalancer: LoadBalancerOutputs;
}

export function containerService(ctx: BlockContext, d: ContainerDeps): AzureApps {
  const { spec } = ctx;
  const n = ctx.name;
  const f = d.foundation;
  const rg = f.resourceGroupName;
  const zoneRedundant = spec.network.zones.length >= 2;
  // Premium in every stack: only a Premium registry is encrypted with a customer-managed key ("Encrypt
  // a registry by using a customer-managed key": Premium tier, enabled when the registry is created), a
  // registry created before keeps the service-managed key. Premium also gives zone redundancy, private
  // endpoints and the untagged-manifest retention policy.
  const key = d.dataStore.encryptionIdentity;
  const registry = new containerregistry.Registry(
    `${n}-registry`,
    {
      registryName: f.nameSuffix.apply(d.names.registry),
      resourceGroupName: rg,
      sku: { name: "Premium" },
      adminUserEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccess: "Enabled",
      zoneRedundancy: zoneRedundant ? "Enabled" : "Disabled",
      // Untagged manifests go a week after they lost their tag, as on AWS; tagged ones stay.
      policies: { retentionPolicy: { status: "enabled", days: 7 } },
      identity: { type: "UserAssigned", userAssignedIdentities: key.id.apply((id) => ({ [id]: {} })) },
      // Versionless: the registry follows the key's rotation on its own.
      encryption: { status: "enabled", keyVaultProperties: { keyIdentifier: d.secrets.keyUri, identity: key.clientId } },
      tags: tags(ctx),
    },
    // Encryption and zone redundancy are chosen when a registry is created ("Enable zone redundancy in
    // Azure Container Registry": no region conversion of an existing registry).
    stateful(ctx, { dependsOn: [key.keyAccess], ignoreChanges: ["encryption", "zoneRedundancy"] }),
  );
  if (spec.network.interfaceEndpoints) {
    privateEndpoint(ctx, d.names, { resourceGroupName: rg, virtualNetworkId: d.network.virtualNetworkId, endpointsSubnetId: d.network.endpointsSubnetId }, "registry", registry.id);
  }

  const environment = new app.ManagedEnvironment(
    `${n}-environment`,
    {
      environmentName: d.names.environment,
      resourceGroupName: rg,
      workloadProfiles: [{ name: workloadProfile, workloadProfileType: workloadProfile }],
      vnetConfiguration: { infrastructureSubnetId: d.network.appsSubnetId, internal: false },
      zoneRedundant,
      infrastructureResourceGroup: `${d.names.resourceGroup.slice(0, 85)}-apps`,
      // Logs through a diagnostic setting (below): "log-analytics" would put the workspace's shared key in state.
      appLogsConfiguration: { destination: "azure-monitor" },
      // Traffic between apps inside the environment is encrypted too.
      peerTrafficConfiguration: { encryption: { enabled: true } },
      publicNetworkAccess: "Enabled",
      tags: tags(ctx),
    },
    child(ctx, { ignoreChanges: ["zoneRedundant", "vnetConfiguration.infrastructureSubnetId"] }),
  );
  diagnosticSetting(ctx, `${n}-environment-logs`, d.names.monitor("logs"), environment.id, { categories: ["ContainerAppConsoleLogs", "ContainerAppSystemLogs"], workspaceId: f.logsWorkspaceId, dedicated: true });

  const db = d.dataStore.database;
  const serviceNames: Record<string, pulumi.Output<string>> = {};
  const imageRepositories: Record<string, pulumi.Output<string>> = {};
  const releases: Record<string, pulumi.Output<ReleaseStatus>> = {};
  const appIds: Record<string, pulumi.Output<string>> = {};
  const heldServices: string[] = [];
  // A server takes one change of its administrators at a time.
  let previousAdmin: pulumi.Resource | undefined;
  for (const [svcName, svc] of Object.entries(spec.services)) {
    const s = `${n}-${svcName}`;
    const release = ctx.release.services[svcName];
    const held = release.holdReasons.length > 0;
    if (held) heldServices.push(svcName);
    const appName = d.names.containerApp(svcName);
    serviceNames[svcName] = pulumi.output(appName);
    const repository = repositoryPath(ctx.names, svcName);
    imageRepositories[svcName] = pulumi.interpolate`${registry.loginServer}/${repository}`;

    const identity = new managedidentity.UserAssignedIdentity(`${s}-identity`, { resourceName: d.names.identity(svcName), resourceGroupName: rg, tags: tags(ctx) }, child(ctx));
    const who = { principalId: identity.principalId, subscriptionId: f.subscriptionId };
    const grants: pulumi.Resource[] = [
      grant(ctx, `${s}-pull`, { ...who, scope: registry.id, role: builtInRoles.acrPull, description: `${svcName} pulls its image` }),
      grant(ctx, `${s}-data`, { ...who, scope: d.dataStore.containerId, role: builtInRoles.storageBlobDataContributor, description: `${svcName} reads and writes the data container` }),
      ...svc.secrets.map((secretName) =>
        grant(ctx, `${s}-secret-${secretName}`, { ...who, scope: d.secrets.secretIds[secretName], role: builtInRoles.keyVaultSecretsUser, description: `${svcName} reads secret ${secretName}` }),
      ),
    ];
    if (db) {
      // The identity signs in with a Microsoft Entra token as this principal: no password exists.
      previousAdmin = new dbforpostgresql.AdministratorsMicrosoftEntra(
        `${s}-database-login`,
        { serverName: db.serverName, resourceGroupName: rg, objectId: identity.principalId, principalName: identity.name, principalType: "ServicePrincipal", tenantId: f.tenantId },
        child(ctx, { dependsOn: previousAdmin ? [previousAdmin] : [] }),
      );
      grants.push(previousAdmin);
    }
    if (held) continue;

    const image = svc.image ?? (release.imageDigest ? pulumi.interpolate`${registry.loginServer}/${repository}@${release.imageDigest}` : pulumi.interpolate`${registry.loginServer}/${repository}:${svc.imageTag}`);
    const versions = svc.secrets.map((secretName) => d.secrets.outputs.secretVersions[secretName] ?? pulumi.output(""));
    const env = pulumi
      .all([d.dataStore.outputs.dataStoreUrl, identity.clientId, identity.name, d.loadBalancer.ingressSourceId, db ? db.outputs.host : "", pulumi.all(versions)])
      .apply(([dataUrl, clientId, identityName, frontDoorId, databaseHost, secretVersions]) =>
        Object.entries({
          ...svc.env,
          ENVIRONMENT: spec.environment,
          LOG_LEVEL: spec.logs.level,
          DATA_STORE_URL: dataUrl,
          [clientIdEnv]: clientId,
          [frontDoorIdEnv]: frontDoorId,
          ...(svc.secrets.length > 0 ? { [secretVersionsEnv]: shortHash(secretVersions.join("\n"), 12) } : {}),
          ...(db ? { DATABASE_HOST: databaseHost, DATABASE_PORT: String(db.outputs.port), DATABASE_NAME: db.outputs.databaseName, DATABASE_USER: identityName } : {}),
        })
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, value]) => ({ name, value })),
      );
    const probe = (type: "Liveness" | "Readiness" | "Startup") => ({
      type,
      httpGet: { path: svc.healthCheckPath, port: svc.port, scheme: "HTTP" },
      // Startup: up to 5 minutes for a cold start before liveness takes over.
      ...(type === "Startup" ? { periodSeconds: 10, failureThreshold: 30, timeoutSeconds: 5 } : { periodSeconds: 15, failureThreshold: 3, timeoutSeconds: 5 }),
    });
    const containerApp = new app.ContainerApp(
      `${s}-app`,
      {
        containerAppName: appName,
        resourceGroupName: rg,
        managedEnvironmentId: environment.id,
        workloadProfileName: workloadProfile,
        identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
        configuration: {
          activeRevisionsMode: "Single",
          maxInactiveRevisions: 5,
          ingress: { external: true, targetPort: svc.port, transport: "http", allowInsecure: false, traffic: [{ latestRevision: true, weight: 100 }] },
          registries: [{ server: registry.loginServer, identity: identity.id }],
          // By reference only: Container Apps reads each value from Key Vault with the app's identity.
          secrets: svc.secrets.map((secretName) => ({ name: appSecretName(secretName), keyVaultUrl: d.secrets.outputs.secretRefs[secretName], identity: identity.id })),
        },
        template: {
          containers: [
            {
              name: svcName,
              image,
              resources: { cpu: svc.cpu, memory: containerAppsMemory(svc.memory) },
              env: pulumi.all([env]).apply(([plain]) => [...plain, ...svc.secrets.map((secretName) => ({ name: secretName, secretRef: appSecretName(secretName) }))]),
              probes: [probe("Liveness"), probe("Readiness"), probe("Startup")],
            },
          ],
          // Autoscaling lives on the app (scaleRules.ts); the autoscaling block reports it.
          scale: scaleRules(svc),
        },
        tags: tags(ctx, { service: svcName }),
      },
      child(ctx, { dependsOn: grants }),
    );
    appIds[svcName] = containerApp.id;
    releases[svcName] = verifiedRelease(ctx, svcName, rg, containerApp);

    const fqdn = containerApp.configuration.apply((c) => {
      const host = c?.ingress?.fqdn;
      if (!host) throw new Error(`container app ${appName}: Azure reported no ingress host name`);
      return host;
    });
    const origin = new cdn.AFDOrigin(
      `${s}-origin`,
      {
        originName: frontDoorChildName(svcName),
        originGroupName: d.frontDoor.originGroupNames[svcName],
        profileName: d.frontDoor.profileName,
        resourceGroupName: rg,
        // The app's stable host name, not a revision's: a new revision keeps the origin.
        hostName: fqdn,
        originHostHeader: fqdn,
        httpPort: 80,
        httpsPort: 443,
        priority: 1,
        weight: 1000,
        enforceCertificateNameCheck: true,
        enabledState: "Enabled",
      },
      child(ctx),
    );
    new cdn.Route(
      `${s}-route`,
      {
        routeName: frontDoorChildName(svcName),
        endpointName: d.frontDoor.endpointName,
        profileName: d.frontDoor.profileName,
        resourceGroupName: rg,
        originGroup: { id: d.loadBalancer.backendIds[svcName] },
        patternsToMatch: svc.pathPatterns,
        supportedProtocols: ["Http", "Https"],
        httpsRedirect: "Enabled",
        forwardingProtocol: "HttpsOnly",
        linkToDefaultDomain: "Enabled",
        customDomains: d.frontDoor.customDomainId ? [{ id: d.frontDoor.customDomainId }] : undefined,
        ruleSets: [{ id: d.frontDoor.ruleSetId }],
        enabledState: "Enabled",
      },
      // A route whose origin group has no origin is refused.
      child(ctx, { dependsOn: [origin] }),
    );
  }

  const job = spec.backup.monthlyRestoreTest && db ? restoreTest(ctx, { foundation: f, names: d.names, network: d.network, database: db, environmentId: environment.id }) : undefined;
  return {
    outputs: { runtimeName: environment.name, serviceNames, imageRepositories, heldServices, releases },
    appIds,
    environmentId: environment.id,
    restoreTestJobName: job?.jobName,
  };
}
