// Data on GCP: who may read the buckets, what keeps each data store restorable and for how long (a
// Backup and DR plan or Cloud SQL's own backups for the database; object versions, soft delete and
// Storage Transfer copies for a bucket; scheduled exports), the database's standby, and what keeps
// stateful resources from being deleted with their data.
import type { BackupFact, BackupFrequency, ObjectStoreAccessFact, StackResourceView, StandbyFact, StatefulFact } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { isPrimary, isReplica, keptAfterReplaced, sameLocation, sinkBuckets, softDeleteDays, transfers } from "./relations";
import { gcp } from "./tokens";

/** IAM principals that are everyone (Cloud Storage, "Making data public"). */
const everyone = ["allUsers", "allAuthenticatedUsers"];
/** Predefined ACLs that grant to everyone (Cloud Storage, "Access control lists": predefined ACLs). */
const publicAcls = ["publicRead", "publicReadWrite", "authenticatedRead", "public-read", "public-read-write", "authenticated-read"];

export const objectStoragePrivate: StackReader<ObjectStoreAccessFact> = (resources) => {
  const graph = StackGraph.of(resources);
  return graph.ofType(gcp.bucket).map((bucket) => {
    const prevention = bucket.props.publicAccessPrevention;
    const grants: string[] = [];
    for (const m of graph.users(bucket, gcp.bucketIamMember, "bucket")) if (everyone.includes(m.props.member)) grants.push(`IAM role ${m.props.role} for ${m.props.member}`);
    for (const b of graph.users(bucket, gcp.bucketIamBinding, "bucket")) for (const member of (b.props.members ?? []) as string[]) if (everyone.includes(member)) grants.push(`IAM role ${b.props.role} for ${member}`);
    for (const acl of graph.users(bucket, gcp.bucketAcl, "bucket")) {
      if (publicAcls.includes(acl.props.predefinedAcl)) grants.push(`predefinedAcl ${acl.props.predefinedAcl}`);
      for (const entity of (acl.props.roleEntities ?? []) as string[]) if (everyone.some((e) => entity.endsWith(`:${e}`))) grants.push(`ACL ${entity}`);
    }
    return {
      urn: bucket.urn,
      // Cloud Storage, "Public access prevention": enforced refuses every public grant; inherited follows
      // the organization policy, which the stack does not decide.
      publicAccessBlocked: prevention === "enforced",
      publicGrants: grants,
      setting: `publicAccessPrevention ${prevention ?? "not set: inherited from the organization policy"}`,
    };
  });
};

/** Storage Transfer repeats every 24 h unless set otherwise (TransferJob schedule.repeatInterval). */
function intervalFrequency(interval: unknown): BackupFrequency | "other" {
  const seconds = /^(\d+)s$/.exec(String(interval ?? "86400s"))?.[1];
  const days = seconds === undefined ? NaN : Number(seconds) / 86400;
  if (days === 1) return "daily";
  if (days === 7) return "weekly";
  if (days >= 28 && days <= 31) return "monthly";
  return "other";
}

/** unix-cron (minute hour day-of-month month day-of-week), as Cloud Scheduler takes it. */
export function cronFrequency(schedule: unknown): BackupFrequency | "other" {
  const fields = String(schedule ?? "").trim().split(/\s+/);
  if (fields.length !== 5) return "other";
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  if (!/^\d+$/.test(minute) || !/^\d+$/.test(hour) || month !== "*") return "other";
  if (dayOfMonth === "*" && dayOfWeek === "*") return "daily";
  if (dayOfMonth === "*" && /^\d$/.test(dayOfWeek)) return "weekly";
  if (/^\d{1,2}$/.test(dayOfMonth) && dayOfWeek === "*") return "monthly";
  return "other";
}

/** Backup and DR recurrence types; an hourly rule takes a backup every day too. */
const recurrence: Record<string, BackupFrequency | "other"> = { HOURLY: "daily", DAILY: "daily", WEEKLY: "weekly", MONTHLY: "monthly", YEARLY: "other" };

type Rule = BackupFact["rules"][number];

/**
 * A bucket's own protection and its copies. Object versioning keeps every replaced or deleted object for
 * as long as noncurrent versions are kept, which is at least what a daily, weekly or monthly backup kept
 * as long would restore, in the bucket's own location; soft delete keeps what is deleted or replaced
 * for its window, continuously. Storage Transfer jobs copy the bucket into another one on a schedule.
 */
function bucketRules(bucket: StackResourceView, copies: ReturnType<typeof transfers>): Rule[] {
  const rules: Rule[] = [];
  const versions = keptAfterReplaced(bucket);
  if (versions.days > 0) for (const frequency of ["daily", "weekly", "monthly"] as const) rules.push({ frequency, retentionDays: versions.days, copiedToAnotherRegion: false });
  const softDelete = softDeleteDays(bucket);
  if (softDelete > 0) rules.push({ frequency: "continuous", retentionDays: softDelete, copiedToAnotherRegion: false });
  for (const t of copies.filter((c) => c.source === bucket && c.job.props.status !== "DISABLED")) {
    // A copy replaced at the next run (overwriteWhen DIFFERENT) or deleted with its source
    // (deleteObjectsUniqueInSink) stays as long as the sink keeps noncurrent versions under the path.
    rules.push({ frequency: intervalFrequency(t.job.props.schedule?.repeatInterval), retentionDays: keptAfterReplaced(t.sink, t.path).days, copiedToAnotherRegion: !sameLocation(t.sink.props.location, t.source.props.location) });
  }
  return rules;
}

interface PlanRule {
  backupRetentionDays?: number;
  standardSchedule?: { recurrenceType?: string };
}

/** Cloud SQL exports a scheduler job starts (`POST .../instances/<instance>/export`), each with the object it writes. */
function exportRules(graph: StackGraph, db: StackResourceView): Rule[] {
  return graph.users(db, gcp.schedulerJob, "httpTarget").flatMap((job): Rule[] => {
    const target = job.props.httpTarget ?? {};
    if (job.props.paused === true || !/^https:\/\/sqladmin\.googleapis\.com\/.*\/instances\/[^/]+\/export$/.test(String(target.uri ?? ""))) return [];
    let uri: string | undefined;
    try {
      uri = JSON.parse(Buffer.from(String(target.body ?? ""), "base64").toString("utf8"))?.exportContext?.uri;
    } catch {
      return [];
    }
    const match = /^gs:\/\/([^/]+)\/(.*)$/.exec(String(uri ?? ""));
    const sink = match ? graph.sources(job, "httpTarget", gcp.bucket).find((b) => b.props.name === match[1]) : undefined;
    if (!match || !sink) return [];
    // The export overwrites one object: the earlier ones are its noncurrent versions.
    return [{ frequency: cronFrequency(job.props.schedule), retentionDays: keptAfterReplaced(sink, match[2]).days, copiedToAnotherRegion: !sameLocation(sink.props.location, db.props.region) }];
  });
}

function databaseRules(graph: StackGraph, db: StackResourceView): Rule[] {
  const rules: Rule[] = [];
  const associations = graph.users(db, gcp.backupPlanAssociation, "resource");
  for (const plan of associations.flatMap((a) => graph.sources(a, "backupPlan", gcp.backupPlan))) {
    const vaults = graph.sources(plan, "backupVault", gcp.backupVault);
    const elsewhere = vaults.length > 0 && vaults.every((v) => !sameLocation(v.props.location, db.props.region));
    for (const r of (plan.props.backupRules ?? []) as PlanRule[]) {
      rules.push({ frequency: recurrence[r.standardSchedule?.recurrenceType ?? ""] ?? "other", retentionDays: r.backupRetentionDays ?? 0, copiedToAnotherRegion: elsewhere });
    }
    // Backup and DR keeps the instance's transaction logs for point-in-time recovery (BackupPlan.logRetentionDays).
    if (typeof plan.props.logRetentionDays === "number") rules.push({ frequency: "continuous", retentionDays: plan.props.logRetentionDays, copiedToAnotherRegion: false });
  }
  // Without Backup and DR, Cloud SQL's own (standard) backups: daily, the retained count of them, and
  // point-in-time logs; an instance uses one backup option at a time (Cloud SQL, "Choose your backup option").
  const own = db.props.settings?.backupConfiguration;
  if (associations.length === 0 && own?.enabled === true) {
    const retention = own.backupRetentionSettings;
    const days = (retention?.retentionUnit ?? "COUNT") === "COUNT" ? (retention?.retainedBackups ?? 7) : 0;
    rules.push({ frequency: "daily", retentionDays: days, copiedToAnotherRegion: own.location !== undefined && !sameLocation(own.location, db.props.region) });
    if (own.pointInTimeRecoveryEnabled === true) rules.push({ frequency: "continuous", retentionDays: own.transactionLogRetentionDays ?? 7, copiedToAnotherRegion: false });
  }
  return [...rules, ...exportRules(graph, db)];
}

export const backups: StackReader<BackupFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const copies = transfers(graph);
  const logs = sinkBuckets(graph);
  // Log sink destinations are records (log-retention), and a bucket only ever written by copies and
  // exports is itself a backup.
  const written = [...copies.map((c) => c.sink.urn), ...graph.ofType(gcp.schedulerJob).flatMap((job) => graph.sources(job, "httpTarget", gcp.bucket).map((b) => b.urn))];
  const copyBuckets = new Set(written.filter((urn) => !copies.some((c) => c.source.urn === urn)));
  return [
    ...graph
      .ofType(gcp.bucket)
      .filter((b) => !logs.has(b.urn) && !copyBuckets.has(b.urn))
      .map((b) => ({ urn: b.urn, what: "bucket", rules: bucketRules(b, copies) })),
    ...graph
      .ofType(gcp.sqlInstance)
      .filter(isPrimary)
      .map((db) => ({ urn: db.urn, what: "database", rules: databaseRules(graph, db) })),
  ];
};

export const databaseHighAvailability: ResourceReaders<StandbyFact> = {
  // Cloud SQL, "About high availability": a REGIONAL instance has a standby in a second zone; ZONAL (the default) has none.
  [gcp.sqlInstance]: ({ props }) => (isReplica(props) ? [] : [{ standby: props.settings?.availabilityType === "REGIONAL", setting: `settings.availabilityType ${props.settings?.availabilityType ?? "not set: ZONAL"}` }]),
};

const guard = (on: boolean, setting: string) => ({ on, setting });

/** What holds data that a deletion would lose, and GCP's own guards where it has them. */
export const statefulProtected: ResourceReaders<StatefulFact> = {
  [gcp.bucket]: ({ props }) => [{ what: "bucket", guards: [guard(props.forceDestroy !== true, "forceDestroy deletes every object with the bucket")] }],
  [gcp.sqlInstance]: ({ props }) => {
    const primary = !isReplica(props);
    return [
      {
        what: primary ? "database" : "database replica",
        guards: [
          // The provider refuses to delete an instance unless deletionProtection is false (its default is true).
          guard(props.deletionProtection !== false, "deletionProtection is false"),
          // Cloud SQL's own flag refuses deletion from every client: the console, gcloud and the API.
          guard(props.settings?.deletionProtectionEnabled === true, "settings.deletionProtectionEnabled is not true"),
          ...(primary ? [guard(props.settings?.retainBackupsOnDelete === true, "settings.retainBackupsOnDelete is not true: Cloud SQL's backups go with the instance")] : []),
        ],
      },
    ];
  },
  [gcp.sqlDatabase]: () => [{ what: "database schema", guards: [] }],
  // Secret Manager deletes a secret with every version at once; the provider's deletionProtection (default false) refuses it.
  [gcp.secret]: ({ props }) => [{ what: "secret", guards: [guard(props.deletionProtection === true, "deletionProtection is not true: the secret and its versions are deleted at once")] }],
  // A key's versions are destroyed only after destroyScheduledDuration (Cloud KMS, "Destroy and restore key versions").
  [gcp.cryptoKey]: () => [{ what: "key", guards: [] }],
  [gcp.artifactRepository]: () => [{ what: "image registry", guards: [] }],
  [gcp.backupVault]: () => [{ what: "backup vault", guards: [] }],
  [gcp.logBucket]: () => [{ what: "log bucket", guards: [] }],
};
