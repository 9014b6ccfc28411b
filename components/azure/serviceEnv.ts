// Env vars the Azure container service sets beyond the neutral ones (ENVIRONMENT, LOG_LEVEL,
// DATA_STORE_URL, DATABASE_*). No SDK import: the limits reserve these names while config is validated.
import type { PlatformSpec, SpecProblem } from "../model";

/** The client id of the service's own managed identity: what Azure SDKs sign in with (DefaultAzureCredential). */
export const clientIdEnv = "AZURE_CLIENT_ID";
/**
 * The id of the stack's Front Door profile. Front Door sends it with every request it forwards, in the
 * X-Azure-FDID header ("Secure traffic to Azure Front Door origins"); an app that answers only requests
 * whose header equals it answers nothing that went around Front Door.
 */
export const frontDoorIdEnv = "FRONT_DOOR_ID";

/**
 * A digest of the versions of the service's secrets. A new secret version neither reaches running
 * revisions nor creates one ("Manage secrets in Azure Container Apps"); a changed env var does, and
 * the new revision reads the secrets' current versions at start. Named without a secret-looking word
 * (SECRET, TOKEN, ...): the value is a digest, and the policy pack refuses a literal value under such a
 * name (secrets-by-reference).
 */
export const secretVersionsEnv = "PLATFORM_VAULT_VERSIONS";

export const azureReservedEnv: Record<string, string> = {
  [clientIdEnv]: "the client id of the service's managed identity, which Azure SDKs sign in with",
  [frontDoorIdEnv]: "the id of the stack's Front Door profile, to compare with the X-Azure-FDID request header",
  [secretVersionsEnv]: "a digest of the versions of the service's secrets (a new version starts a new revision)",
};

/** The data store as services read it: the blob container's URL. */
export const blobContainerUrl = (accountName: string, container: string): string => `https://${accountName}.blob.core.windows.net/${container}`;

export function azureReservedEnvProblems(spec: PlatformSpec): SpecProblem[] {
  return Object.entries(spec.services).flatMap(([name, svc]) =>
    Object.entries(svc.env)
      .filter(([envName]) => Object.hasOwn(azureReservedEnv, envName))
      .map(([envName, value]) => ({
        key: `services.${name}.env.${envName}`,
        value,
        message: `${envName} is reserved on Azure: the platform sets it to ${azureReservedEnv[envName]}; remove it from services.${name}.env`,
      })),
  );
}
