// Secrets store on GCP: the project's APIs, a Cloud KMS key ring and key (rotated every 90 days) that
// every other block encrypts with, the Google service agents that use the key and their grants, and
// one Secret Manager secret per declared secret, replicated in the stack's region under that key.
// Generated values are in the stack's state, encrypted by its secrets provider; external values never are.
import * as kms from "@pulumi/gcp/kms";
import * as logging from "@pulumi/gcp/logging";
import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BlockContext } from "../cloud";
import type { SecretsStoreOutputs } from "../model";
import { secretId } from "./names";
import { type GcpAgent, type GcpStack, child, labels, stateful } from "./options";
import { enableApis } from "./project";

/** 90 days: Cloud KMS rotates the primary version; old versions still decrypt (CryptoKey.rotationPeriod, > 1 day). */
export const keyRotationPeriod = "7776000s";
const encrypterDecrypter = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

/**
 * A key ring can never be deleted ("KeyRings cannot be deleted from Google Cloud Platform", the
 * provider's kms.KeyRing docs): a stack destroyed and created again needs a new name. The suffix is
 * random and held in state, so it changes only when the stack is created anew.
 */
export function keyRingSuffix(ctx: BlockContext, name: string): random.RandomId {
  return new random.RandomId(name, { byteLength: 4 }, { parent: ctx.parent, protect: ctx.spec.deletionProtection });
}

export function secretsStore(ctx: BlockContext, stack: GcpStack): SecretsStoreOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const project = stack.project;
  stack.apis.push(...enableApis(ctx, project));

  const suffix = keyRingSuffix(ctx, `${n}-keyring-suffix`);
  const ring = new kms.KeyRing(`${n}-keyring`, { name: pulumi.interpolate`${names.name("gcpKmsName")}-${suffix.hex}`, location: spec.region, project }, stateful(ctx, stack));
  const key = new kms.CryptoKey(
    `${n}-key`,
    {
      name: names.name("gcpKmsName", "platform"),
      keyRing: ring.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: keyRotationPeriod,
      // How long a destroyed key version can still be restored: a month where data is protected.
      destroyScheduledDuration: spec.deletionProtection ? "2592000s" : "86400s",
      labels: labels(ctx),
    },
    stateful(ctx, stack),
  );

  // The agents as resources (no read at plan time); each may use the key, nothing else.
  const agents: [GcpAgent, pulumi.Output<string>][] = [];
  const generated: GcpAgent[] = ["secretmanager", "artifactregistry", ...(spec.database ? (["sqladmin"] as const) : [])];
  for (const service of generated) {
    const identity = new projects.ServiceIdentity(`${n}-agent-${service}`, { project, service: `${service}.googleapis.com` }, child(ctx, stack));
    agents.push([service, identity.member]);
  }
  // Cloud Storage and Cloud Logging have no generated identity: their agents are read once (`gsutil kms
  // serviceaccount`; Cloud Logging, "Configure CMEK for log buckets": the service account GetCmekSettings
  // returns), the plan-time reads the blocks make besides the storage transfer agent (README: GCP).
  const gcsAgent = storage.getProjectServiceAccountOutput({ project }, { parent: ctx.parent });
  agents.push(["storage", pulumi.interpolate`serviceAccount:${gcsAgent.emailAddress}`]);
  const logsAgent = logging.getProjectCmekSettingsOutput({ project }, { parent: ctx.parent });
  agents.push(["logging", pulumi.interpolate`serviceAccount:${logsAgent.serviceAccountId}`]);
  for (const [service, member] of agents) {
    stack.agents[service] = member;
    stack.keyGrants[service] = new kms.CryptoKeyIAMMember(`${n}-key-${service}`, { cryptoKeyId: key.id, role: encrypterDecrypter, member }, child(ctx, stack));
  }

  stack.keyId = key.id;

  const secretRefs: Record<string, pulumi.Output<string>> = {};
  const secretVersions: Record<string, pulumi.Output<string>> = {};
  for (const [secretName, secretSpec] of Object.entries(spec.secrets)) {
    const secret = new secretmanager.Secret(
      `${n}-${secretName}`,
      {
        secretId: secretId(names, secretName),
        project,
        // User-managed replication in the stack's region: a CMEK needs a key in each replica's location.
        replication: { userManaged: { replicas: [{ location: spec.region, customerManagedEncryption: { kmsKeyName: key.id } }] } },
        deletionProtection: spec.deletionProtection,
        labels: labels(ctx, { source: secretSpec.source }),
      },
      stateful(ctx, stack, { dependsOn: [stack.keyGrants.secretmanager!] }),
    );
    if (secretSpec.source === "generated") {
      const value = new random.RandomPassword(`${n}-${secretName}-value`, { length: secretSpec.length, special: false }, { parent: ctx.parent, additionalSecretOutputs: ["result", "bcryptHash"] });
      const version = new secretmanager.SecretVersion(
        `${n}-${secretName}-version`,
        // Production keeps a replaced value disabled (restorable) rather than destroyed.
        { secret: secret.id, secretData: value.result, deletionPolicy: spec.deletionProtection ? "DISABLE" : "DELETE" },
        child(ctx, stack, { additionalSecretOutputs: ["secretData"] }),
      );
      // A new value is a new version: the services that read it get a new revision that pins it.
      secretVersions[secretName] = version.version;
    } else if (ctx.release.secretVersions[secretName] !== undefined) {
      secretVersions[secretName] = pulumi.output(ctx.release.secretVersions[secretName]);
    }
    secretRefs[secretName] = secret.id;
  }
  return { encryptionKeyId: key.id, secretRefs, secretVersions };
}
