// Every rule of the pack on the real production plan on Azure: quiet on the resources as the program
// builds them (and reading them, not skipping them), firing on a resource changed to break it, and
// degrading to the engine's advisory when a value it reads is unknown (as in a preview).
import type { ControlName } from "../../policy/controls";
import type { PlanResource } from "../../policy/offline";
import { synthUnknown } from "../../policy/offline";
import { azureReaders } from "../../policy/readers/azure";
import { type ControlCase, describeControlCases } from "./controlCases";
import { edit, plan, rewire, without } from "./plans";

let production: PlanResource[];

beforeAll(async () => {
  production = await plan("production", { cloud: "azure" });
});

type Container = { env: object[]; image: string };
const withContainer = (change: (c: Container) => void) => (i: any) => i.template.containers.forEach(change);
const policyRules = (i: any) => i.properties.policyRules as { name: string; lifecycles?: { deleteAfter: { duration: string } }[] }[];
const contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const roleId = (guid: string) => `/subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

const cases: Record<ControlName, ControlCase> = {
  "encryption-at-rest": {
    reads: "secrets-key",
    breaches: [
      { what: "a key that does not rotate", change: (p) => edit(p, "secrets-key", (i) => delete i.properties.rotationPolicy), on: "secrets-key", reports: "the key does not rotate automatically (properties.rotationPolicy has no Rotate lifetime action)" },
      { what: "a key that only notifies", change: (p) => edit(p, "secrets-key", (i) => (i.properties.rotationPolicy.lifetimeActions = [{ action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } }])), on: "secrets-key", reports: "the key does not rotate automatically" },
      { what: "a database on the service-managed key", change: (p) => edit(p, "backup-db", (i) => delete i.dataEncryption), on: "backup-db", reports: "the database are not encrypted with a customer-managed key (dataEncryption is not set: the service-managed key)" },
      { what: "a backup vault without its key", change: (p) => edit(p, "backup-vault", (i) => (i.properties.securitySettings.encryptionSettings.state = "Disabled")), on: "backup-vault", reports: "the backup vault are not encrypted with a customer-managed key (securitySettings.encryptionSettings state Disabled)" },
      { what: "a registry on the service-managed key", change: (p) => edit(p, "app-registry", (i) => delete i.encryption), on: "app-registry", reports: "the image registry are not encrypted with a customer-managed key (encryption is not set: the service-managed key)" },
    ],
    unknown: (p) => edit(p, "secrets-key", (i) => (i.properties.rotationPolicy = synthUnknown)),
  },
  "object-storage-encrypted": {
    reads: "backup-storage",
    breaches: [
      { what: "the data store on Microsoft-managed keys", change: (p) => edit(p, "backup-storage", (i) => (i.encryption.keySource = "Microsoft.Storage")), on: "backup-storage", reports: "encrypted with the provider's key, not a customer-managed one (encryption.keySource Microsoft.Storage)" },
      { what: "the flow logs' account without encryption settings", change: (p) => edit(p, "network-flow-logs-storage", (i) => delete i.encryption), on: "network-flow-logs-storage", reports: "(encryption.keySource is not set: Microsoft-managed keys)" },
    ],
    unknown: (p) => edit(p, "backup-storage", (i) => (i.encryption.keySource = synthUnknown)),
  },
  "https-only": {
    reads: "lb-domain",
    breaches: [
      { what: "a domain that takes TLS 1.0", change: (p) => edit(p, "lb-domain", (i) => (i.tlsSettings.minimumTlsVersion = "TLS10")), on: "lb-domain", reports: "TLS 1.0 is accepted; the minimum is 1.2 (tlsSettings.minimumTlsVersion TLS10)" },
      { what: "a domain without a TLS minimum", change: (p) => edit(p, "lb-domain", (i) => delete i.tlsSettings.minimumTlsVersion), on: "lb-domain", reports: "the TLS versions it accepts are not known to start at 1.2 (tlsSettings.minimumTlsVersion is not set)" },
      { what: "a route that serves plain HTTP", change: (p) => edit(p, "app-api-route", (i) => delete i.httpsRedirect), on: "app-api-route", reports: "plain HTTP is served instead of redirected to HTTPS (httpsRedirect is not set (Disabled))" },
      { what: "a route that forwards plain HTTP over the internet", change: (p) => edit(p, "app-api-route", (i) => (i.forwardingProtocol = "HttpOnly")), on: "app-api-route", reports: "(forwardingProtocol HttpOnly: requests reach the origin over the internet in plain HTTP)" },
    ],
    unknown: (p) => edit(p, "lb-domain", (i) => (i.tlsSettings.minimumTlsVersion = synthUnknown)),
  },
  "security-headers": {
    reads: "lb-security-headers-all",
    breaches: [
      {
        what: "no HSTS",
        change: (p) => edit(p, "lb-security-headers-all", (i) => (i.actions = i.actions.filter((a: any) => a.parameters.headerName !== "Strict-Transport-Security"))),
        on: "lb-security-headers-all",
        reports: "Strict-Transport-Security is not set (rule securityHeaders has no ModifyResponseHeader for it)",
      },
      { what: "a short HSTS max-age", change: (p) => edit(p, "lb-security-headers-all", (i) => (i.actions[2].parameters.value = "max-age=300")), on: "lb-security-headers-all", reports: "Strict-Transport-Security max-age is 300, below 31536000" },
      { what: "framing allowed", change: (p) => edit(p, "lb-security-headers-all", (i) => (i.actions[1].parameters.value = "ALLOW-FROM https://x.example")), on: "lb-security-headers-all", reports: 'X-Frame-Options is "ALLOW-FROM https://x.example"' },
      {
        what: "headers on some requests only",
        change: (p) => edit(p, "lb-security-headers-all", (i) => (i.conditions = [{ name: "RequestScheme", parameters: { typeName: "DeliveryRuleRequestSchemeConditionParameters", operator: "Equal", matchValues: ["HTTPS"] } }])),
        on: "lb-security-headers-all",
        reports: "Content-Security-Policy is not set (rule securityHeaders applies only where its conditions match)",
      },
      { what: "a route without the rule set", change: (p) => edit(p, "app-api-route", (i) => delete i.ruleSets), on: "app-api-route", reports: "X-Content-Type-Options is not set (ruleSets is empty: no rule set adds headers to this route's responses)" },
    ],
    unknown: (p) => edit(p, "lb-security-headers-all", (i) => (i.actions[0].parameters.value = synthUnknown)),
  },
  "rate-limit": {
    reads: "lb-domain",
    breaches: [
      // The config cannot switch the WAF off: these are crafted plans.
      { what: "the WAF policy detached", change: (p) => without(p, "lb-waf-association"), on: "lb-domain", reports: "the public entry point has no rate-limit rule" },
      { what: "the custom domain left out of the association", change: (p) => rewire(p, "lb-waf-association", (d) => (d.parameters = d.parameters.filter((u) => !u.endsWith("::lb-domain")))), on: "lb-domain", reports: "the public entry point has no rate-limit rule" },
      { what: "a rate rule for all clients together", change: (p) => edit(p, "lb-waf", (i) => (i.customRules.rules[0].groupBy = [{ variableName: "None" }])), on: "lb-endpoint", reports: "is not keyed on the client IP" },
      { what: "a policy in detection mode", change: (p) => edit(p, "lb-waf", (i) => (i.policySettings.mode = "Detection")), on: "lb-domain", reports: "does not block (WAF policy platformproductionc2ab4a rule RateLimitPerClientIp: groupBy SocketAddr, action Block, policy mode Detection)" },
      { what: "a rate rule that only logs", change: (p) => edit(p, "lb-waf", (i) => (i.customRules.rules[0].action = "Log")), on: "lb-domain", reports: "does not block" },
    ],
    unknown: (p) => edit(p, "lb-waf", (i) => (i.customRules.rules[0].groupBy = synthUnknown)),
  },
  "no-public-address": {
    reads: "backup-db",
    breaches: [
      { what: "a database with public access", change: (p) => edit(p, "backup-db", (i) => (i.network = { publicNetworkAccess: "Enabled" })), on: "backup-db", reports: "the database is reachable from the internet (network.publicNetworkAccess Enabled)" },
      {
        what: "an environment outside the VNet",
        change: (p) => edit(p, "app-environment", (i) => delete i.vnetConfiguration),
        on: "app-environment",
        reports: "the container apps environment is reachable from the internet (publicNetworkAccess without vnetConfiguration: no network security group can filter its public address)",
      },
    ],
    unknown: (p) => edit(p, "backup-db", (i) => (i.network.publicNetworkAccess = synthUnknown)),
  },
  "no-public-ingress": {
    // No NSG rule of the plan admits the internet: the apps' only source outside the VNet is Front Door's.
    reads: null,
    breaches: [
      { what: "the apps open to the internet", change: (p) => edit(p, "network-apps-nsg", (i) => (i.securityRules[0].sourceAddressPrefix = "Internet")), on: "network-apps-nsg", reports: "the compute admits Internet on port 31443" },
      { what: "the database open to a public range", change: (p) => edit(p, "network-database-nsg", (i) => (i.securityRules[0].sourceAddressPrefix = "203.0.113.0/24")), on: "network-database-nsg", reports: "the database admits 203.0.113.0/24 on port 5432" },
      { what: "the apps open to every Azure customer", change: (p) => edit(p, "network-apps-nsg", (i) => (i.securityRules[0].sourceAddressPrefix = "AzureCloud")), on: "network-apps-nsg", reports: "the compute admits AzureCloud on port 443" },
      { what: "the apps subnet without its NSG", change: (p) => rewire(p, "network-apps", (d) => (d.networkSecurityGroup = [])), on: "network-apps", reports: "the compute admits the internet (no network security group on the subnet) on every port" },
    ],
    unknown: (p) => edit(p, "network-apps-nsg", (i) => (i.securityRules[0].sourceAddressPrefix = synthUnknown)),
  },
  "object-storage-private": {
    reads: "backup-storage",
    breaches: [
      { what: "anonymous access allowed", change: (p) => edit(p, "backup-storage", (i) => (i.allowBlobPublicAccess = true)), on: "backup-storage", reports: "public access to the object store is not blocked (allowBlobPublicAccess true)" },
      {
        what: "a container readable by anyone",
        change: (p) => edit(edit(p, "backup-storage", (i) => delete i.allowBlobPublicAccess), "backup-storage-data", (i) => (i.publicAccess = "Blob")),
        on: "backup-storage",
        reports: "the object store grants access to anyone: container data publicAccess Blob",
      },
    ],
    unknown: (p) => edit(p, "backup-storage", (i) => (i.allowBlobPublicAccess = synthUnknown)),
  },
  "secrets-by-reference": {
    reads: "app-api-app",
    breaches: [
      { what: "a password as a plain variable", change: (p) => edit(p, "app-api-app", withContainer((c) => c.env.push({ name: "DB_PASSWORD", value: "hunter2" }))), on: "app-api-app", reports: "container api sets DB_PASSWORD to a literal value; a variable of that name holds a secret" },
      { what: "a token under an innocent name", change: (p) => edit(p, "app-api-app", withContainer((c) => c.env.push({ name: "UPSTREAM", value: `ghp_${"a".repeat(36)}` }))), on: "app-api-app", reports: "container api sets UPSTREAM to a literal value that looks like a GitHub token (not shown)" },
      {
        what: "an app secret held as a value, not a Key Vault reference",
        change: (p) => edit(p, "app-api-app", (i) => (i.configuration.secrets[1] = { name: "anthropic-api-key", value: "[secret]" })),
        on: "app-api-app",
        reports: "container app platform-production-api sets secret anthropic-api-key (configuration.secrets value, not keyVaultUrl) to a literal value",
      },
    ],
    unknown: (p) => edit(p, "app-api-app", (i) => (i.template = synthUnknown)),
  },
  "min-instances": {
    reads: "app-api-app",
    breaches: [
      { what: "a service with one replica", change: (p) => edit(p, "app-api-app", (i) => (i.template.scale.minReplicas = 1)), on: "app-api-app", reports: "the service keeps 1 instance, fewer than 2 (template.scale.minReplicas 1)" },
      { what: "a service that scales to zero", change: (p) => edit(p, "app-api-app", (i) => delete i.template.scale.minReplicas), on: "app-api-app", reports: "the service keeps 0 instances, fewer than 2 (template.scale.minReplicas is not set (0))" },
    ],
    unknown: (p) => edit(p, "app-api-app", (i) => (i.template.scale.minReplicas = synthUnknown)),
  },
  "multi-zone": {
    reads: "app-api-app",
    breaches: [
      { what: "an environment in one zone", change: (p) => edit(p, "app-environment", (i) => (i.zoneRedundant = false)), on: "app-api-app", reports: "the service spans 1 zone, fewer than 2 (its environment's zoneRedundant false)" },
      { what: "a locally redundant data store", change: (p) => edit(p, "backup-storage", (i) => (i.sku.name = "Standard_GRS")), on: "backup-storage", reports: "the storage account spans 1 zone, fewer than 2 (sku.name Standard_GRS)" },
    ],
    unknown: (p) => edit(p, "app-environment", (i) => (i.zoneRedundant = synthUnknown)),
  },
  "database-ha": {
    reads: "backup-db",
    breaches: [
      { what: "a standby in the same zone", change: (p) => edit(p, "backup-db", (i) => (i.highAvailability = { mode: "SameZone" })), on: "backup-db", reports: "the database has no standby in another zone (highAvailability.mode SameZone)" },
      { what: "no standby", change: (p) => edit(p, "backup-db", (i) => delete i.highAvailability), on: "backup-db", reports: "(highAvailability.mode is not set (Disabled))" },
    ],
    unknown: (p) => edit(p, "backup-db", (i) => (i.highAvailability.mode = synthUnknown)),
  },
  "stateful-protected": {
    reads: "backup-storage",
    breaches: [
      { what: "an unprotected storage account", change: (p) => p.map((r) => (r.name === "backup-storage" ? { ...r, protect: false } : r)), on: "backup-storage", reports: "the storage account is not protected (resource option protect)" },
      { what: "an unprotected application log workspace", change: (p) => p.map((r) => (r.name === "secrets-logs" ? { ...r, protect: false } : r)), on: "secrets-logs", reports: "the log workspace is not protected" },
      { what: "a key vault that can be purged", change: (p) => edit(p, "secrets-vault", (i) => (i.properties.enablePurgeProtection = false)), on: "secrets-vault", reports: "enablePurgeProtection is not true: a deleted vault can be purged before its retention ends" },
      { what: "a backup vault without soft delete", change: (p) => edit(p, "backup-vault", (i) => (i.properties.securitySettings.softDeleteSettings.state = "Off")), on: "backup-vault", reports: "securitySettings.softDeleteSettings.state Off: deleted recovery points are not kept" },
      { what: "an unprotected lock", change: (p) => p.map((r) => (r.name === "backup-db-lock" ? { ...r, protect: false } : r)), on: "backup-db-lock", reports: "the deletion lock is not protected (resource option protect)" },
    ],
    unknown: (p) => edit(p, "secrets-vault", (i) => (i.properties.enablePurgeProtection = synthUnknown)),
  },
  backups: {
    reads: "backup-db",
    breaches: [
      { what: "the database out of the vault", change: (p) => without(p, "backup-postgres-backup"), on: "backup-db", reports: "the database has no daily backup; it must be kept at least 7 days" },
      {
        what: "short daily retention",
        change: (p) => edit(p, "backup-blob-policy", (i) => (policyRules(i).find((r) => r.name === "Default")!.lifecycles![0].deleteAfter.duration = "P3D")),
        on: "backup-storage",
        reports: "the storage account's daily backup is kept 3 days, less than 7",
      },
      { what: "no copy", change: (p) => edit(p, "backup-vault", (i) => (i.properties.storageSettings = [{ datastoreType: "VaultStore", type: "ZoneRedundant" }])), on: "backup-db", reports: "the database's daily backups are not copied to another region" },
      { what: "no monthly rule", change: (p) => edit(p, "backup-postgres-policy", (i) => (i.properties.policyRules = policyRules(i).filter((r) => r.name !== "Monthly"))), on: "backup-db", reports: "the database has no monthly backup; it must be kept at least 365 days" },
      { what: "a short point-in-time window for blobs", change: (p) => edit(p, "backup-storage-blob-service", (i) => (i.restorePolicy.days = 3)), on: "backup-storage", reports: "the storage account's continuous backup is kept 3 days, less than 7" },
    ],
    unknown: (p) => edit(p, "backup-postgres-policy", (i) => (i.properties.policyRules = synthUnknown)),
  },
  alarms: {
    reads: "app-api-app",
    breaches: [
      { what: "no CPU alarms", change: (p) => without(p, "alarms-api-cpu-warning", "alarms-api-cpu-critical"), on: "app-api-app", reports: "the service has no CPU alarm" },
      { what: "no uptime check", change: (p) => without(p, "alarms-api-uptime"), on: "app-api-app", reports: "the service has no uptime check alarm" },
      { what: "an uptime test of another service", change: (p) => edit(p, "alarms-api-uptime", (i) => (i.criteria.allOf[0].dimensions[0].values = ["platform-production-web-uptime"])), on: "app-api-app", reports: "the service has no uptime check alarm" },
      {
        what: "Front Door's access log not sent where the log alerts read",
        change: (p) => edit(p, "lb-logs", (i) => (i.logs = i.logs.filter((l: { category: string }) => l.category !== "FrontDoorAccessLog"))),
        on: "app-api-app",
        reports: "the service has no error rate alarm",
      },
      {
        what: "nobody to notify",
        change: (p) => ["alarms-warning", "alarms-critical"].reduce((plan, name) => edit(plan, name, (i) => ((i.emailReceivers = []), (i.webhookReceivers = []))), p as PlanResource[]),
        on: "app-api-app",
        reports: "the service's error rate alarm reaches no notification target with a subscriber",
      },
    ],
    unknown: (p) => edit(p, "alarms-api-cpu-warning", (i) => (i.criteria = synthUnknown)),
  },
  "log-retention": {
    reads: "secrets-audit-logs",
    breaches: [
      { what: "short audit logs", change: (p) => edit(p, "secrets-audit-logs", (i) => (i.retentionInDays = 90)), on: "secrets-audit-logs", reports: "the log workspace (audit) is kept 90 days, less than 365 (retentionInDays)" },
      { what: "short service logs", change: (p) => edit(p, "secrets-logs-ContainerAppConsoleLogs", (i) => ((i.retentionInDays = 14), (i.totalRetentionInDays = 14))), on: "secrets-logs-ContainerAppConsoleLogs", reports: "the table ContainerAppConsoleLogs is kept 14 days, less than 30 (totalRetentionInDays)" },
      { what: "short flow logs", change: (p) => edit(p, "network-flow-log", (i) => (i.retentionPolicy.days = 30)), on: "network-flow-log", reports: "the flow log (audit) is kept 30 days, less than 365 (retentionPolicy.days)" },
    ],
    unknown: (p) => edit(p, "secrets-audit-logs", (i) => (i.retentionInDays = synthUnknown)),
  },
  "required-tags": {
    reads: "app-api-app",
    breaches: [
      { what: "no tags", change: (p) => edit(p, "app-api-app", (i) => delete i.tags), on: "app-api-app", reports: "missing required tags project, stack, environment, managed-by (tags)" },
      { what: "no environment tag", change: (p) => edit(p, "network-apps-nsg", (i) => delete i.tags.environment), on: "network-apps-nsg", reports: "missing required tag environment" },
    ],
    unknown: (p) => edit(p, "app-api-app", (i) => (i.tags.project = synthUnknown)),
  },
  "pinned-images": {
    reads: "app-api-app",
    breaches: [
      { what: "latest", change: (p) => edit(p, "app-api-app", withContainer((c) => (c.image = "platformproductionc2ab4a6d3d.azurecr.io/platform/production/api:latest"))), on: "app-api-app", reports: "the tag latest moves with every push" },
      {
        what: "a release tag of the stack's registry",
        change: (p) => edit(p, "app-api-app", withContainer((c) => (c.image = "platformproductionc2ab4a6d3d.azurecr.io/platform/production/api:1.0.0"))),
        on: "app-api-app",
        reports: "tag 1.0.0 can be pushed again unless locked, which the plan cannot show (ACR has no registry-wide immutable tags); run it by digest",
      },
      { what: "an outside image by tag", change: (p) => edit(p, "app-api-app", withContainer((c) => (c.image = "docker.io/library/nginx:1.27"))), on: "app-api-app", reports: "the image docker.io/library/nginx:1.27 is not pinned: tag 1.27 of a registry outside the stack" },
    ],
    unknown: (p) => edit(p, "app-api-app", (i) => (i.template = synthUnknown)),
  },
  "least-privilege": {
    reads: "app-api-pull",
    breaches: [
      { what: "Owner for a service", change: (p) => edit(p, "app-api-pull", (i) => (i.roleDefinitionId = roleId(owner))), on: "app-api-pull", reports: "the owner-class role Owner is granted to a workload identity (roleDefinitionId)" },
      {
        what: "the restore test's Contributor on the platform's own group",
        change: (p) => edit(p, "app-restore-test-scratch", (i) => (i.scope = "/subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b/resourceGroups/platform-production")),
        on: "app-restore-test-scratch",
        reports: "the owner-class role Contributor is granted to a workload identity",
      },
      { what: "Contributor for a service on its registry", change: (p) => edit(p, "app-api-pull", (i) => (i.roleDefinitionId = roleId(contributor))), on: "app-api-pull", reports: "the owner-class role Contributor is granted to a workload identity" },
      { what: "a grant on the whole subscription", change: (p) => edit(p, "app-api-pull", (i) => (i.scope = "/subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b")), on: "app-api-pull", reports: "role assignment of 7f951dda-4ed3-4680-a7ca-43fe172d538d allows on wildcard resources /subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b" },
      {
        what: "a custom role with a wildcard action",
        change: (p) => edit(p, "app-restore-test-network-join", (i) => i.permissions[0].actions.push("Microsoft.Network/*")),
        on: "app-restore-test-network-join",
        reports: "custom role platform/production restore test: join the database subnet and DNS zone permissions #1 allows wildcard actions Microsoft.Network/*",
      },
    ],
    unknown: (p) => edit(p, "app-api-pull", (i) => (i.roleDefinitionId = synthUnknown)),
  },
};

describeControlCases("%s on Azure", azureReaders, () => production, cases);
