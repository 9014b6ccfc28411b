// Physical names on Azure that the blocks and the account inspection share, so the two can never
// drift apart; role assignment names as deterministic GUIDs. No SDK import.
import { createHash } from "node:crypto";
import type { Severity } from "../model";
import { type Namer, NamingError, nameRules, physicalName } from "../naming";

/**
 * The characters of the stack's random name suffix: a RandomString of this length, lowercase letters
 * and digits, held in state, so that a stack created again after a destroy gets new global names (a
 * deleted Key Vault's name stays reserved for its soft-delete retention, up to 90 days).
 */
export const nameSuffixLength = 4;
/** The resource group tag that holds the suffix: the inspection reads it to find the vault and registry. */
export const nameSuffixTag = "platform-name-suffix";

/**
 * A Key Vault secret name of a neutral one: `JWT_SECRET` -> `JWT-SECRET`. Key Vault takes no `_`, and
 * neutral names (uppercase letters, digits, `_`) hold no `-`, so no two secrets meet and no hash is needed.
 */
export function keyVaultSecretName(secret: string): string {
  const name = secret.replaceAll("_", "-");
  if (!nameRules.azureKeyVaultObject.valid.test(name)) throw new NamingError(`secret ${secret} gives no valid ${nameRules.azureKeyVaultObject.what}: ${name}`);
  return name;
}
/** The secret name inside a container app: lowercase letters, digits, - and . ("Manage secrets in Azure Container Apps"). */
export const appSecretName = (secret: string): string => secret.toLowerCase().replaceAll("_", "-");

export function azureNames(names: Namer) {
  return {
    resourceGroup: names.name("azureResourceGroup"),
    keyVault: (suffix: string) => `${names.name("azureKeyVault")}-${suffix}`,
    /** The vault of the key that encrypts the database's geo-redundant backups, in the region's pair. */
    geoKeyVault: (suffix: string) => `${names.name("azureKeyVault", "geo")}-${suffix}`,
    storageAccount: (suffix: string) => `${names.name("azureStorageAccount")}${suffix}`,
    flowLogStorageAccount: (suffix: string) => `${names.name("azureStorageAccount", "flow")}${suffix}`,
    registry: (suffix: string) => `${names.name("azureContainerRegistry")}${suffix}`,
    postgresServer: (suffix: string) => `${names.name("azurePostgresServer")}-${suffix}`,
    environment: names.name("azureContainerAppsEnvironment"),
    containerApp: (service: string) => names.name("azureContainerApp", service),
    identity: (who: string) => names.name("azureManagedIdentity", who),
    workspace: (what: "logs" | "audit") => names.name("azureLogAnalyticsWorkspace", what),
    network: (...parts: string[]) => names.name("azureNetwork", ...parts),
    databaseDnsZone: `${names.name("azureDnsLabel")}.private.postgres.database.azure.com`,
    frontDoorProfile: names.name("azureFrontDoorProfile"),
    frontDoorEndpoint: names.name("azureFrontDoorEndpoint"),
    wafPolicy: names.name("azureFrontDoorWafPolicy"),
    backupVault: names.name("azureBackupVault"),
    monitor: (...parts: string[]) => names.name("azureMonitorName", ...parts),
    actionGroupShortName: (severity: Severity) => actionGroupShortNameOf(names.stack, severity),
    dashboard: names.name("azureDashboard"),
  };
}
export type AzureNames = ReturnType<typeof azureNames>;

/** The short name an action group's notifications carry (12 characters): the stack and the severity's initial. */
export const actionGroupShortNameOf = (stack: string, severity: Severity): string => physicalName("azureActionGroupShortName", [stack, severity === "critical" ? "c" : "w"]);

/** A name inside a Front Door profile (origin group, origin, route): the profile is the stack's own. */
export const frontDoorChildName = (...parts: string[]): string => physicalName("azureFrontDoorChild", parts);

/**
 * A name-based (version 5) UUID, RFC 9562 section 5.5: SHA-1 of a namespace and a name. Role
 * assignments are named by the GUID of their scope, role and principal, so the same grant has the same
 * name on every run and after a lost state (Azure then answers RoleAssignmentExists instead of
 * creating a duplicate under a random name).
 */
export function uuidV5(name: string, namespace = platformNamespace): string {
  const ns = Buffer.from(namespace.replaceAll("-", ""), "hex");
  const hash = createHash("sha1").update(Buffer.concat([ns, Buffer.from(name, "utf8")])).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The namespace of the platform's role assignment names (the RFC's URL namespace: they are named by resource URLs). */
const platformNamespace = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

export const roleAssignmentName = (scope: string, roleDefinitionId: string, principalId: string): string =>
  uuidV5(`${scope.toLowerCase()}|${roleDefinitionId.toLowerCase()}|${principalId.toLowerCase()}`);

/**
 * Built-in role definition ids ("Azure built-in roles", learn.microsoft.com/azure/role-based-access-control/built-in-roles).
 */
export const builtInRoles = {
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  storageAccountBackupContributor: "e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  postgresLongTermRetentionBackup: "c088a766-074b-43ba-90d4-1fb21feae531",
  managedIdentityOperator: "f1a07417-d97a-45cb-824c-7a7467783830",
} as const;
