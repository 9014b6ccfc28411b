// Data on AWS: who may read the buckets, what AWS Backup covers and for how long, the database's
// standby, and what keeps stateful resources from being deleted with their data.
import type { BackupFact, BackupFrequency, ObjectStoreAccessFact, StackResourceView, StandbyFact, StatefulFact } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { parsePolicyDocument } from "./policyDocuments";
import { accessLogBuckets } from "./relations";
import { aws } from "./tokens";

const publicAccessFlags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
/** Canned ACLs that grant to everyone or to every AWS account (Amazon S3 user guide, "Canned ACL"). */
const publicCannedAcls = ["public-read", "public-read-write", "authenticated-read"];

function isAnyone(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") {
    const aws = (principal as { AWS?: unknown }).AWS;
    return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
  }
  return false;
}

export const objectStoragePrivate: StackReader<ObjectStoreAccessFact> = (resources) => {
  const graph = StackGraph.of(resources);
  return graph.ofType(aws.bucket).map((bucket) => {
    const blocks = graph.users(bucket, aws.bucketPublicAccessBlock, "bucket");
    const full = blocks.find((b) => publicAccessFlags.every((flag) => b.props[flag] === true));
    const setting = full
      ? "BucketPublicAccessBlock with all four settings"
      : blocks.length === 0
        ? "no BucketPublicAccessBlock"
        : `BucketPublicAccessBlock without ${publicAccessFlags.filter((flag) => blocks[0].props[flag] !== true).join(", ")}`;
    const grants: string[] = [];
    for (const policy of graph.users(bucket, aws.bucketPolicy, "bucket")) {
      for (const s of parsePolicyDocument(policy.props.policy)) {
        // A condition (source VPC, account, TLS) narrows who "*" is; without one it is anyone.
        if (s.Effect === "Allow" && isAnyone(s.Principal) && s.Condition === undefined) grants.push(`bucket policy allows ${[s.Action ?? s.NotAction].flat().join(", ")} to *`);
      }
    }
    for (const acl of graph.users(bucket, aws.bucketAcl, "bucket")) if (publicCannedAcls.includes(acl.props.acl)) grants.push(`BucketAclV2 acl ${acl.props.acl}`);
    if (publicCannedAcls.includes(bucket.props.acl)) grants.push(`acl ${bucket.props.acl}`);
    return { urn: bucket.urn, publicAccessBlocked: full !== undefined, publicGrants: grants, setting };
  });
};

/** AWS Backup cron expressions: cron(minutes hours day-of-month month day-of-week year). */
export function backupFrequency(schedule: unknown): BackupFrequency | "other" {
  const fields = /^cron\((.*)\)$/.exec(String(schedule ?? ""))?.[1].trim().split(/\s+/);
  if (!fields || fields.length !== 6) return "other";
  const [, , dayOfMonth, month, dayOfWeek] = fields;
  const any = (f: string) => f === "*" || f === "?";
  if (any(dayOfMonth) && any(dayOfWeek) && any(month)) return "daily";
  if (any(dayOfMonth) && /^[A-Z0-9]{1,3}$/i.test(dayOfWeek) && any(month)) return "weekly";
  if (/^\d{1,2}$/.test(dayOfMonth) && any(dayOfWeek) && any(month)) return "monthly";
  return "other";
}

interface PlanRule {
  schedule?: string;
  targetVaultName?: string;
  enableContinuousBackup?: boolean;
  lifecycle?: { deleteAfter?: number };
  copyActions?: unknown[];
}

/** A recovery point without deleteAfter is kept until deleted by hand. */
const keptForever = Number.MAX_SAFE_INTEGER;

function planRules(graph: StackGraph, plan: StackResourceView): BackupFact["rules"] {
  const vaults = graph.sources(plan, "rules", aws.backupVault);
  return ((plan.props.rules ?? []) as PlanRule[]).map((rule) => {
    const target = vaults.find((v) => v.props.name === rule.targetVaultName);
    const targetRegion = target?.props.region;
    // The copy destinations are ARNs, unknown before the vaults exist: the plan's rules depend on the
    // vaults they name, and a vault placed in another region than the target is the copy's. A vault
    // without `region` is in the provider's region.
    const copied = (rule.copyActions ?? []).length > 0 && vaults.some((v) => v !== target && v.props.region !== undefined && v.props.region !== targetRegion);
    return {
      frequency: rule.enableContinuousBackup === true ? "continuous" : backupFrequency(rule.schedule),
      retentionDays: rule.lifecycle?.deleteAfter ?? keptForever,
      copiedToAnotherRegion: copied,
    };
  });
}

export const backups: StackReader<BackupFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const logBuckets = accessLogBuckets(graph);
  // Access logs are records of the entry point, kept by their own lifecycle (log-retention), not data.
  const stores = [
    ...graph.ofType(aws.bucket).filter((b) => !logBuckets.has(b.urn)).map((b) => ({ store: b, what: "bucket" })),
    ...graph.ofType(aws.rdsInstance).filter((db) => db.props.replicateSourceDb === undefined).map((db) => ({ store: db, what: "database" })),
  ];
  return stores.map(({ store, what }) => ({
    urn: store.urn,
    what,
    // Selections by tag cannot be resolved before deployment; only selections that name the store count.
    rules: graph.users(store, aws.backupSelection, "resources").flatMap((selection) => graph.sources(selection, "planId", aws.backupPlan).flatMap((plan) => planRules(graph, plan))),
  }));
};

export const databaseHighAvailability: ResourceReaders<StandbyFact> = {
  [aws.rdsInstance]: ({ props }) => (props.replicateSourceDb !== undefined ? [] : [{ standby: props.multiAz === true, setting: "multiAz" }]),
};

const guard = (on: boolean, setting: string) => ({ on, setting });

/** What holds data that a deletion would lose, and the cloud's own guard where it has one. */
export const statefulProtected: ResourceReaders<StatefulFact> = {
  [aws.bucket]: ({ props }) => [{ what: "bucket", guards: [guard(props.forceDestroy !== true, "forceDestroy deletes every object with the bucket")] }],
  [aws.rdsInstance]: ({ props }) => [
    { what: "database", guards: [guard(props.deletionProtection === true, "deletionProtection is not true"), guard(props.skipFinalSnapshot !== true, "skipFinalSnapshot keeps no final snapshot")] },
  ],
  [aws.backupVault]: ({ props }) => [{ what: "backup vault", guards: [guard(props.forceDestroy !== true, "forceDestroy deletes the recovery points with the vault")] }],
  [aws.ecrRepository]: ({ props }) => [{ what: "image registry", guards: [guard(props.forceDelete !== true, "forceDelete deletes the images with the repository")] }],
  // Secrets Manager deletes at once with a recovery window of 0 (API reference, DeleteSecret ForceDeleteWithoutRecovery).
  [aws.secret]: ({ props }) => [{ what: "secret", guards: [guard(props.recoveryWindowInDays !== 0, "recoveryWindowInDays 0 deletes the value at once")] }],
  // A deleted key makes everything encrypted with it unreadable; KMS always waits 7-30 days first.
  [aws.kmsKey]: () => [{ what: "key", guards: [] }],
  [aws.logGroup]: () => [{ what: "log group", guards: [] }],
};
