// What Key Vault says about a secret's past, and what changing its config would do to the value
// services read. A secret the platform writes carries tags naming its source (and, when generated, its
// length); a value an operator puts with `az keyvault secret set` is a new version without them; an
// external secret nobody has put a value into yet still holds the platform's placeholder. The
// inspection reads the current version before anything is planned. No SDK import.
import type { PlatformSpec, SecretSpec, SpecProblem } from "../model";

/** Tag names on the versions the platform writes (Azure tag names take `-`, not `:`). */
export const secretTagNames = { source: "platform-secret-source", length: "platform-secret-length" } as const;

/** The content type and value of an external secret until an operator puts its value. */
export const placeholderContentType = "application/x-platform-placeholder";
export const placeholderValue = "placeholder: put the value with az keyvault secret set (README: put the value of each external secret)";

export function secretTags(secret: SecretSpec): Record<string, string> {
  return secret.source === "generated" ? { [secretTagNames.source]: "generated", [secretTagNames.length]: String(secret.length) } : { [secretTagNames.source]: "external" };
}

/** The current version of a secret as Key Vault holds it. */
export interface StoredKeyVaultSecret {
  /** The version's URI; it changes with every new value. */
  versionUri: string;
  contentType?: string;
  tags: Record<string, string>;
}

export type StoredState = "placeholder" | "generated" | "operator";

export function storedState(stored: StoredKeyVaultSecret): StoredState {
  if (stored.contentType === placeholderContentType) return "placeholder";
  if (stored.tags[secretTagNames.source] === "generated") return "generated";
  return "operator";
}

export interface SecretFindings {
  problems: SpecProblem[];
  warnings: string[];
}

export function keyVaultSecretFindings(spec: PlatformSpec, name: string, vaultName: string, physicalName: string, stored: StoredKeyVaultSecret | undefined, readers: string[]): SecretFindings {
  const findings: SecretFindings = { problems: [], warnings: [] };
  if (!stored) return findings;
  const declared = spec.secrets[name];
  const state = storedState(stored);
  const restarts = readers.length > 0 ? `; services ${readers.join(", ")} restart with it` : "; no service reads it";
  const where = `secret ${physicalName} of Key Vault ${vaultName}`;
  if (declared.source === "generated" && state === "operator") {
    if (spec.environment === "production" && !spec.acceptedRisks.includes("externalSecretOverwrite")) {
      findings.problems.push({
        key: `secrets.${name}.source`,
        value: "generated",
        message: `${where} holds a value an operator put (source external); generating one would overwrite it${restarts}. Keep source external, or acknowledge the overwrite with externalSecretOverwrite in platform:acceptRisks`,
      });
    } else {
      findings.warnings.push(`platform:secrets.${name}.source switches from external to generated: this update overwrites the value an operator put in ${where} with a generated one${restarts}.`);
    }
  } else if (declared.source === "generated" && state === "generated") {
    const storedLength = stored.tags[secretTagNames.length];
    if (storedLength !== undefined && storedLength !== String(declared.length)) {
      findings.warnings.push(`platform:secrets.${name}.length changes from ${storedLength} to ${declared.length}: this update generates a new value for ${where} (a rotation)${restarts}.`);
    }
  } else if (declared.source === "external" && state === "generated") {
    findings.warnings.push(
      `platform:secrets.${name}.source switches from generated to external: the generated value stays current in ${where} until you put one with \`az keyvault secret set --vault-name ${vaultName} --name ${physicalName} --file /dev/stdin\`; the platform no longer changes it.`,
    );
  }
  return findings;
}
