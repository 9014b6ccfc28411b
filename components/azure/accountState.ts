// Looks at the Azure subscription before anything is planned: whether the stack's resource group
// exists (and the name suffix it carries), which images are in the registry, which external secrets
// have a value. Plain reads, so a preview sees the same subscription as the update after it. A service
// whose image or external secret value is missing is held: Container Apps cannot provision an app
// whose image does not exist ("Operation expired" after its provisioning timeout), so a held service
// gets its identity and roles now and its app with the update that finds both.
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { accountRead } from "../accountReads";
import type { AccountInspection, ServiceRelease } from "../cloud";
import type { PlatformSpec, SpecProblem } from "../model";
import type { Namer } from "../naming";
import { azureNames, keyVaultSecretName, nameSuffixTag } from "./names";
import { RegistryClient, type RegistryTag } from "./registryImages";
import { keyVaultSecretFindings, type StoredKeyVaultSecret, storedState } from "./secretLifecycle";

/** What a read that found nothing says: ARM's 404 codes, and Key Vault's. Anything else is rethrown. */
const notFound = /ResourceGroupNotFound|ResourceNotFound|SecretNotFound|VaultNotFound|NotFound|\(404\)|status code 404|StatusCode=404|was not found/i;

const unlessNotFound = accountRead("the Azure subscription", notFound);

/** The repository of a service in the stack's registry: `<project>/<stack>/<service>`, lowercase as ACR keeps it. */
export const repositoryPath = (names: Namer, service: string): string => `${names.project}/${names.stack}/${service}`.toLowerCase();

/** Tags shown when a configured tag is missing: a few, the highest versions first. */
const shownTags = 5;

export async function inspectAccount(spec: PlatformSpec, names: Namer): Promise<AccountInspection> {
  const az = azureNames(names);
  const problems: SpecProblem[] = [];
  const warnings: string[] = [];
  const ownImage = Object.entries(spec.services).filter(([, svc]) => svc.image === undefined);

  const group = await unlessNotFound(`resource group ${az.resourceGroup}`, () => resources.getResourceGroup({ resourceGroupName: az.resourceGroup }));
  const suffix = group?.tags?.[nameSuffixTag];
  if (group && !suffix) {
    return {
      release: { services: {}, secretVersions: {} },
      problems: [
        {
          key: "cloud",
          value: "azure",
          message: `resource group ${az.resourceGroup} exists without the ${nameSuffixTag} tag the platform gives its own: it is not this stack's, or the tag was removed. Restore the tag (its value is the end of the stack's Key Vault name), or run the stack in another subscription`,
        },
      ],
      warnings,
    };
  }
  const vaultName = suffix ? az.keyVault(suffix) : undefined;
  const registryName = suffix ? az.registry(suffix) : undefined;

  // Secrets: absent (not created yet), a placeholder (created, no value), or a value.
  const secretNames = Object.keys(spec.secrets);
  const stored = await Promise.all(
    secretNames.map(async (name): Promise<StoredKeyVaultSecret | undefined> => {
      if (!vaultName) return undefined;
      const secret = await unlessNotFound(`secret ${keyVaultSecretName(name)} of Key Vault ${vaultName}`, () => keyvault.getSecret({ resourceGroupName: az.resourceGroup, vaultName, secretName: keyVaultSecretName(name) }));
      return secret ? { versionUri: secret.properties.secretUriWithVersion, contentType: secret.properties.contentType, tags: secret.tags ?? {} } : undefined;
    }),
  );
  const secretVersions: Record<string, string> = {};
  const missingValue = new Map<string, { exists: boolean }>();
  const readers = (secret: string) => Object.keys(spec.services).filter((svc) => spec.services[svc].secrets.includes(secret));
  secretNames.forEach((name, i) => {
    const current = stored[i];
    const state = current ? storedState(current) : undefined;
    if (current && state !== "placeholder") secretVersions[name] = current.versionUri;
    if (spec.secrets[name].source === "external" && (current === undefined || state === "placeholder")) missingValue.set(name, { exists: current !== undefined });
    const findings = keyVaultSecretFindings(spec, name, vaultName ?? az.keyVault("<suffix>"), keyVaultSecretName(name), current, readers(name));
    problems.push(...findings.problems);
    warnings.push(...findings.warnings);
  });

  // Images: the registry exists only after the first update; then its tags decide.
  const registry = registryName ? await unlessNotFound(`container registry ${registryName}`, () => containerregistry.getRegistry({ resourceGroupName: az.resourceGroup, registryName })) : undefined;
  const images = new Map<string, RegistryTag | { missing: "registry" }>();
  if (registry && ownImage.length > 0) {
    const client = await registryClient(registry.loginServer);
    for (const [name, svc] of ownImage) {
      const repository = repositoryPath(names, name);
      let tag: RegistryTag;
      try {
        tag = await client.tag(repository, svc.imageTag);
      } catch (e) {
        throw new pulumi.RunError(`could not read ${registry.loginServer}/${repository}:${svc.imageTag} (nothing was changed): ${e instanceof Error ? e.message : String(e)}`);
      }
      images.set(name, tag);
      if ("missing" in tag && tag.missing === "tag" && tag.tags.length > 0) {
        const sorted = [...tag.tags].sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
        const there = `tags ${sorted.slice(0, shownTags).join(", ")}${sorted.length > shownTags ? ` (and ${sorted.length - shownTags} more)` : ""}`;
        problems.push({ key: `services.${name}.imageTag`, value: svc.imageTag, message: `no image with this tag in repository ${repository} of container registry ${registry.loginServer}, which has ${there}. Push the tag or set one that exists` });
      } else if ("digest" in tag && spec.immutableImageTags && tag.writeEnabled) {
        // ACR has no registry-wide immutable tags: each release tag is locked on its own.
        problems.push({
          key: `services.${name}.imageTag`,
          value: svc.imageTag,
          message: `image tags are immutable here (platform:immutableImageTags), but ${registry.loginServer}/${repository}:${svc.imageTag} can still be overwritten; lock it first: az acr repository update --name ${registry.name} --image ${repository}:${svc.imageTag} --write-enabled false`,
        });
      }
    }
  } else {
    for (const [name] of ownImage) images.set(name, { missing: "registry" });
  }
  if (problems.length > 0) return { release: { services: {}, secretVersions }, problems, warnings };

  const services: Record<string, ServiceRelease> = {};
  for (const [name, svc] of Object.entries(spec.services)) {
    const image = images.get(name);
    const repository = repositoryPath(names, name);
    const server = registry?.loginServer ?? "the stack's registry";
    const missingSecrets = svc.secrets.filter((s) => missingValue.has(s));
    const holdReasons = [
      ...(image && "missing" in image ? [image.missing === "registry" ? "the container registry does not exist yet" : `repository ${repository} of ${server} has no image ${svc.imageTag} yet`] : []),
      ...missingSecrets.map((s) => `secret ${s} (${keyVaultSecretName(s)} in Key Vault ${vaultName ?? "of the stack"}) has no value yet`),
    ];
    services[name] = { holdReasons, starting: false, imageDigest: image && "digest" in image ? image.digest : undefined };
    if (holdReasons.length > 0) {
      const steps: string[] = [];
      // Before the first update the registry's and the vault's names are not known (this update draws
      // their suffix): the commands look them up in the stack's resource group.
      const vaultArg = vaultName ?? `"$(az keyvault list --resource-group ${az.resourceGroup} --query [0].name --output tsv)"`;
      if (image && "missing" in image) {
        const target = `${registry ? registry.loginServer : "$REGISTRY"}/${repository}:${svc.imageTag}`;
        steps.push(
          registry
            ? `push its image: az acr login --name ${registry.name} && docker tag <your-image> ${target} && docker push ${target}`
            : `push its image (this update creates the registry): REGISTRY=$(az acr list --resource-group ${az.resourceGroup} --query [0].loginServer --output tsv) && az acr login --name "\${REGISTRY%%.*}" && docker tag <your-image> "${target}" && docker push "${target}"`,
        );
      }
      for (const s of missingSecrets) {
        const created = missingValue.get(s)!.exists ? "" : " (this update creates the secret)";
        steps.push(`put the value of secret ${s}${created}; read -rs keeps it off the screen and out of shell history: read -rs VALUE && printf %s "$VALUE" | az keyvault secret set --vault-name ${vaultArg} --name ${keyVaultSecretName(s)} --file /dev/stdin; unset VALUE`);
      }
      warnings.push(
        `platform:services.${name} is held: its container app is not created yet, so that it cannot fail to provision: ${holdReasons.join("; ")}. After this update:\n` +
          steps.map((step, i) => `  ${i + 1}. ${step}\n`).join("") +
          `  then run \`pulumi up\` again: it creates the app${spec.waitForRollout ? " and waits until it runs" : ""}.`,
      );
    }
  }
  return { release: { services, secretVersions }, problems, warnings };
}

/** A registry client signed in as the deployer: the provider's own Microsoft Entra token for Azure Resource Manager. */
async function registryClient(loginServer: string): Promise<RegistryClient> {
  const client = await authorization.getClientConfig();
  return new RegistryClient(loginServer, client.tenantId, async () => (await authorization.getClientToken({})).token);
}
