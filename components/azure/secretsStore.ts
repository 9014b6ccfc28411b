// Secrets store on Azure: a Key Vault with RBAC authorization, purge protection and soft delete, a
// rotating key that is the customer-managed key of the data store and the backup vault, and one
// secret per declared secret. Generated values pass through state only (encrypted, marked secret);
// external values never pass through the program: the secret is created with a placeholder that holds
// every service reading it, and an operator puts the value with `az keyvault secret set`.
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BlockContext } from "../cloud";
import type { SecretsStoreOutputs } from "../model";
import { diagnosticSetting } from "./diagnostics";
import type { Foundation } from "./foundation";
import { type AzureNames, keyVaultSecretName } from "./names";
import { child, stateful, tags } from "./options";
import { placeholderContentType, placeholderValue, secretTags } from "./secretLifecycle";

/** The key every other block encrypts with, by Key Vault's own name for it. */
export const encryptionKeyName = "data-encryption";

export interface AzureSecrets {
  outputs: SecretsStoreOutputs;
  vaultId: pulumi.Output<string>;
  vaultName: pulumi.Output<string>;
  /** Secret name -> the secret's resource id, the scope of each reader's role assignment. */
  secretIds: Record<string, pulumi.Output<string>>;
  keyId: pulumi.Output<string>;
  /** Versionless: a rotation reaches every consumer without an update. */
  keyUri: pulumi.Output<string>;
  /** The key of the database's geo-redundant backups, in the region's pair; where the spec has both. */
  geoKey?: { keyId: pulumi.Output<string>; keyUri: pulumi.Output<string> };
}

/**
 * Production keeps a deleted vault, key or secret recoverable for 90 days (the most Key Vault keeps);
 * other stacks for 7, the least, so a destroyed dev stack lets go of its objects soonest.
 */
export const softDeleteRetentionDays = (deletionProtection: boolean): number => (deletionProtection ? 90 : 7);

export function secretsStore(ctx: BlockContext, f: Foundation, names: AzureNames): AzureSecrets {
  const { spec } = ctx;
  const n = ctx.name;
  // Premium keeps the key in an HSM; production only, where the price of a key operation matters least.
  const hsm = spec.environment === "production";
  const { vault, key } = vaultWithKey(ctx, f, names, { prefix: n, vaultName: f.nameSuffix.apply(names.keyVault), hsm });
  // "Data encryption at rest in Azure Database for PostgreSQL flexible server": geo-redundant backups
  // are encrypted with a key of a vault in the region they are stored in, the region's pair.
  const geo = spec.database !== undefined && spec.backup.copyRegion !== undefined ? vaultWithKey(ctx, f, names, { prefix: `${n}-geo`, vaultName: f.nameSuffix.apply(names.geoKeyVault), hsm, location: spec.backup.copyRegion }) : undefined;

  const secretRefs: Record<string, pulumi.Output<string>> = {};
  const secretVersions: Record<string, pulumi.Output<string>> = {};
  const secretIds: Record<string, pulumi.Output<string>> = {};
  for (const [secretName, secretSpec] of Object.entries(spec.secrets)) {
    const generated = secretSpec.source === "generated";
    const value = generated
      ? new random.RandomPassword(`${n}-${secretName}-value`, { length: secretSpec.length, special: false }, child(ctx, { additionalSecretOutputs: ["result", "bcryptHash"] })).result
      : undefined;
    const secret = new keyvault.Secret(
      `${n}-${secretName}`,
      {
        secretName: keyVaultSecretName(secretName),
        vaultName: vault.name,
        resourceGroupName: f.resourceGroupName,
        // Secret as a whole: the provider's schema does not mark the value secret on its own.
        properties: generated ? pulumi.secret({ value, contentType: "text/plain" }) : { value: placeholderValue, contentType: placeholderContentType },
        tags: tags(ctx, secretTags(secretSpec)),
      },
      // An update of a Key Vault secret writes a new version with the value in the program, so an
      // external secret is never updated once created: its value is the operator's.
      stateful(ctx, generated ? {} : { ignoreChanges: ["properties", "tags"] }),
    );
    // The engine marks `properties` secret because its input held the value; its URIs are not.
    const properties = pulumi.unsecret(secret.properties);
    secretRefs[secretName] = properties.secretUri;
    secretIds[secretName] = secret.id;
    if (generated) {
      // A new value is a new version: the services that read it restart with it.
      secretVersions[secretName] = properties.secretUriWithVersion;
    } else if (ctx.release.secretVersions[secretName] !== undefined) {
      secretVersions[secretName] = pulumi.output(ctx.release.secretVersions[secretName]);
    }
  }
  return {
    outputs: { encryptionKeyId: key.keyUri, secretRefs, secretVersions },
    vaultId: vault.id,
    vaultName: vault.name,
    secretIds,
    keyId: key.id,
    keyUri: key.keyUri,
    geoKey: geo ? { keyId: geo.key.id, keyUri: geo.key.keyUri } : undefined,
  };
}

interface VaultOptions {
  /** Logical name prefix: `secrets` (the vault, its audit setting and key are `<prefix>-vault`, `-vault-audit`, `-key`). */
  prefix: string;
  vaultName: pulumi.Input<string>;
  hsm: boolean;
  /** Another region than the resource group's. */
  location?: string;
}

/** A vault with RBAC authorization, purge protection and soft delete, its audit events, and a rotating key. */
function vaultWithKey(ctx: BlockContext, f: Foundation, names: AzureNames, o: VaultOptions): { vault: keyvault.Vault; key: keyvault.Key } {
  const { spec } = ctx;
  const vault = new keyvault.Vault(
    `${o.prefix}-vault`,
    {
      vaultName: o.vaultName,
      resourceGroupName: f.resourceGroupName,
      ...(o.location !== undefined ? { location: o.location } : {}),
      properties: {
        tenantId: f.tenantId,
        sku: { family: "A", name: o.hsm ? "premium" : "standard" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: softDeleteRetentionDays(spec.deletionProtection),
        // Required by every customer-managed-key consumer (storage, backup vault, database); it can never
        // be switched off again, in any stack: a destroyed vault stays recoverable until its retention ends.
        enablePurgeProtection: true,
        // Container Apps reads secret references over the public endpoint (it is no trusted service of
        // the firewall); RBAC decides who reads what.
        publicNetworkAccess: "Enabled",
        networkAcls: { bypass: "AzureServices", defaultAction: "Allow" },
      },
      tags: tags(ctx),
    },
    stateful(ctx),
  );
  diagnosticSetting(ctx, `${o.prefix}-vault-audit`, names.monitor("audit"), vault.id, { categoryGroups: ["audit"], workspaceId: f.auditWorkspaceId });

  const key = new keyvault.Key(
    `${o.prefix}-key`,
    {
      keyName: encryptionKeyName,
      vaultName: vault.name,
      resourceGroupName: f.resourceGroupName,
      properties: {
        kty: o.hsm ? "RSA-HSM" : "RSA",
        keySize: 3072,
        keyOps: ["wrapKey", "unwrapKey"],
        // A new version every year, two years of validity, a notice 30 days before expiry: consumers use
        // the versionless URI, so Storage, Backup and the database pick each new version up on their own.
        rotationPolicy: {
          attributes: { expiryTime: "P2Y" },
          lifetimeActions: [
            { action: { type: "rotate" }, trigger: { timeAfterCreate: "P1Y" } },
            { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } },
          ],
        },
      },
      tags: tags(ctx),
    },
    stateful(ctx),
  );
  return { vault, key };
}
