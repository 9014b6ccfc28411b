// The data bucket on GCP: uniform access, public access prevention, the platform's key, versioning,
// soft delete and noncurrent versions (kept as long as the daily backups, or as the longest backup
// where there is no copy region). Backup and DR does not take Cloud Storage buckets (its backup plans
// protect Compute Engine, Cloud SQL, AlloyDB and Filestore: Backup and DR, "Backup plans"), so where
// the spec names a copy region the bucket is copied there by Storage Transfer Service: daily, weekly and
// monthly into prefixes kept 7 days, 4 weeks and 12 months.
import * as kms from "@pulumi/gcp/kms";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BlockContext } from "../cloud";
import type { SecretsStoreOutputs } from "../model";
import { noncurrentVersionDays } from "./limits";
import { type GcpStack, child, labels, stateful } from "./options";
import { keyRotationPeriod } from "./secretsStore";

const day = 86400;
/** Where the database's daily dump goes in the copy bucket (databaseCopy.ts). */
export const databaseCopyPrefix = "database/";

/** The copy tiers: how often Storage Transfer Service copies, into which prefix, kept how long. */
export function copyTiers(ctx: BlockContext): { tier: string; everySeconds: number; keepDays: number }[] {
  const b = ctx.spec.backup;
  return [
    { tier: "daily", everySeconds: day, keepDays: b.dailyRetentionDays },
    ...(b.weeklyRetentionWeeks ? [{ tier: "weekly", everySeconds: 7 * day, keepDays: b.weeklyRetentionWeeks * 7 }] : []),
    // Transfer jobs repeat at fixed intervals: a month is 30 days here.
    ...(b.monthlyRetentionMonths ? [{ tier: "monthly", everySeconds: 30 * day, keepDays: Math.ceil(b.monthlyRetentionMonths * 30.5) }] : []),
  ];
}

/** Soft delete keeps deleted objects restorable for the continuous window (7 days where the spec sets none: Cloud Storage's own default). */
export const softDeleteSeconds = (ctx: BlockContext): number => (ctx.spec.backup.continuousRetentionDays ?? 7) * day;

export interface DataBucket {
  bucket: storage.Bucket;
  copyBucket?: storage.Bucket;
  /** The key ring in the copy region, for what else keeps a copy there (the database replica). */
  copyKeyId?: pulumi.Output<string>;
}

export function dataBucket(ctx: BlockContext, stack: GcpStack, deps: { secrets: SecretsStoreOutputs }): DataBucket {
  const { spec, names } = ctx;
  const n = ctx.name;
  const project = stack.project;
  const suffix = new random.RandomId(`${n}-bucket-suffix`, { byteLength: 4 }, { parent: ctx.parent, protect: spec.deletionProtection });
  const bucket = new storage.Bucket(
    `${n}-data`,
    {
      name: pulumi.interpolate`${names.name("gcpBucket", "data")}-${suffix.hex}`,
      project,
      location: spec.region.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      encryption: { defaultKmsKeyName: deps.secrets.encryptionKeyId },
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: softDeleteSeconds(ctx) },
      // A replaced or deleted object stays as a noncurrent version as long as a daily backup would, or
      // as the longest backup where no copy region keeps weekly and monthly copies (limits.ts).
      lifecycleRules: [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: noncurrentVersionDays(spec), withState: "ARCHIVED" } }],
      forceDestroy: !spec.deletionProtection,
      labels: labels(ctx),
    },
    stateful(ctx, stack, { dependsOn: [stack.keyGrants.storage!] }),
  );
  const copyRegion = spec.backup.copyRegion;
  if (copyRegion === undefined) return { bucket };

  // A bucket's key must be in its own location: the copy region gets a key ring of its own.
  const ringSuffix = new random.RandomId(`${n}-copy-keyring-suffix`, { byteLength: 4 }, { parent: ctx.parent, protect: spec.deletionProtection });
  const ring = new kms.KeyRing(`${n}-copy-keyring`, { name: pulumi.interpolate`${names.name("gcpKmsName", "copy")}-${ringSuffix.hex}`, location: copyRegion, project }, stateful(ctx, stack));
  const copyKey = new kms.CryptoKey(
    `${n}-copy-key`,
    { name: names.name("gcpKmsName", "copy"), keyRing: ring.id, purpose: "ENCRYPT_DECRYPT", rotationPeriod: keyRotationPeriod, destroyScheduledDuration: spec.deletionProtection ? "2592000s" : "86400s", labels: labels(ctx) },
    stateful(ctx, stack),
  );
  const gcsAgent = storage.getProjectServiceAccountOutput({ project }, { parent: ctx.parent });
  const copyKeyGrants = [
    new kms.CryptoKeyIAMMember(`${n}-copy-key-storage`, { cryptoKeyId: copyKey.id, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: pulumi.interpolate`serviceAccount:${gcsAgent.emailAddress}` }, child(ctx, stack)),
  ];
  const tiers = copyTiers(ctx);
  const copySuffix = new random.RandomId(`${n}-copy-bucket-suffix`, { byteLength: 4 }, { parent: ctx.parent, protect: spec.deletionProtection });
  const copyBucket = new storage.Bucket(
    `${n}-data-copy`,
    {
      name: pulumi.interpolate`${names.name("gcpBucket", "copy")}-${copySuffix.hex}`,
      project,
      location: copyRegion.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      encryption: { defaultKmsKeyName: copyKey.id },
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: softDeleteSeconds(ctx) },
      // Each tier's prefix keeps its objects as long as the tier says; a version a copy replaced goes with it.
      lifecycleRules: tiers.flatMap(({ tier, keepDays }) => [
        { action: { type: "Delete" }, condition: { age: keepDays, matchesPrefixes: [`${tier}/`] } },
        { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: keepDays, matchesPrefixes: [`${tier}/`], withState: "ARCHIVED" } },
      ]).concat(
        // The database's daily dump replaces yesterday's: the earlier ones are kept as long as the daily backups (databaseCopy.ts).
        spec.database ? [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: spec.backup.dailyRetentionDays, matchesPrefixes: [databaseCopyPrefix], withState: "ARCHIVED" } }] : [],
      ),
      forceDestroy: !spec.deletionProtection,
      labels: labels(ctx),
    },
    stateful(ctx, stack, { dependsOn: copyKeyGrants }),
  );
  // The transfer service's agent reads the data bucket and writes the copy (Storage Transfer Service,
  // "Configure access to a source/sink: Cloud Storage"); read once, like the Cloud Storage agent.
  const transferAgent = storage.getTransferProjectServiceAccountOutput({ project }, { parent: ctx.parent });
  const agent = pulumi.interpolate`serviceAccount:${transferAgent.email}`;
  const grants = [
    new storage.BucketIAMMember(`${n}-data-transfer-reader`, { bucket: bucket.name, role: "roles/storage.objectViewer", member: agent }, child(ctx, stack)),
    new storage.BucketIAMMember(`${n}-data-transfer-lister`, { bucket: bucket.name, role: "roles/storage.legacyBucketReader", member: agent }, child(ctx, stack)),
    new storage.BucketIAMMember(`${n}-copy-transfer-writer`, { bucket: copyBucket.name, role: "roles/storage.legacyBucketWriter", member: agent }, child(ctx, stack)),
    new storage.BucketIAMMember(`${n}-copy-transfer-objects`, { bucket: copyBucket.name, role: "roles/storage.objectAdmin", member: agent }, child(ctx, stack)),
  ];
  for (const { tier, everySeconds } of tiers) {
    new storage.TransferJob(
      `${n}-copy-${tier}`,
      {
        project,
        description: `${spec.project}/${spec.stack}: ${tier} copy of the data bucket`,
        transferSpec: {
          gcsDataSource: { bucketName: bucket.name },
          gcsDataSink: { bucketName: copyBucket.name, path: `${tier}/` },
          // Objects deleted at the source stay in the copy as noncurrent versions until the tier expires them.
          transferOptions: { overwriteWhen: "DIFFERENT", deleteObjectsUniqueInSink: true },
        },
        schedule: { scheduleStartDate: { year: 2026, month: 1, day: 1 }, startTimeOfDay: { hours: 17, minutes: 0, seconds: 0, nanos: 0 }, repeatInterval: `${everySeconds}s` },
        status: "ENABLED",
      },
      child(ctx, stack, { dependsOn: grants }),
    );
  }
  return { bucket, copyBucket, copyKeyId: copyKey.id };
}
