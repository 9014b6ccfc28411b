// The database's copy in the copy region. Backup and DR keeps Cloud SQL backups in a vault of the
// instance's own region and copies none elsewhere (Cloud SQL, "Choose your backup option": enhanced
// backups have no cross-region or multi-region backups), and the read replica there copies every
// change, mistakes included. So every day Cloud Scheduler asks Cloud SQL for a serverless export of the
// database (a SQL dump, `offload`, which does not load the instance) into the copy bucket, whose
// versions keep the earlier dumps as long as the daily backups. Restore with
// `gcloud sql import sql <instance> gs://<copy bucket>/database/<name>.sql.gz --database=<name>`.
import * as cloudscheduler from "@pulumi/gcp/cloudscheduler";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import type * as sql from "@pulumi/gcp/sql";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import { databaseCopyPrefix } from "./dataBucket";
import { type GcpStack, child } from "./options";

/** 08:00 in Tokyo, after the 02:00-06:00 backup window: an export waits for no backup of the same instance. */
export const databaseCopySchedule = "0 8 * * *";

export function databaseCopy(ctx: BlockContext, stack: GcpStack, deps: { instance: sql.DatabaseInstance; databaseName: string; copyBucket: storage.Bucket; timeZone: string }): cloudscheduler.Job {
  const { spec, names } = ctx;
  const n = `${ctx.name}-database-copy`;
  const project = stack.project;
  const account = new serviceaccount.Account(
    `${n}-account`,
    { accountId: names.name("gcpServiceAccountId", "db-copy"), project, displayName: `${spec.project}/${spec.stack} database copy`, description: "Starts the daily export of the database into the copy region" },
    child(ctx, stack),
  );
  // Cloud SQL Viewer carries cloudsql.instances.export (Cloud SQL, "Cloud SQL roles"), here for this instance only.
  const exporter = new projects.IAMMember(
    `${n}-export`,
    {
      project,
      role: "roles/cloudsql.viewer",
      member: pulumi.interpolate`serviceAccount:${account.email}`,
      condition: {
        title: "The platform's instance only",
        expression: pulumi.interpolate`resource.type == "sqladmin.googleapis.com/Instance" && resource.name == "projects/${project}/instances/${deps.instance.name}"`,
      },
    },
    child(ctx, stack),
  );
  // The instance's own service account writes the dump, replacing yesterday's (Cloud SQL, "Export and
  // import using SQL dump files": storage.objects.create, and delete to overwrite).
  const writer = new storage.BucketIAMMember(
    `${n}-writer`,
    { bucket: deps.copyBucket.name, role: "roles/storage.objectUser", member: pulumi.interpolate`serviceAccount:${deps.instance.serviceAccountEmailAddress}` },
    child(ctx, stack),
  );
  const body = pulumi
    .jsonStringify({ exportContext: { fileType: "SQL", uri: pulumi.interpolate`gs://${deps.copyBucket.name}/${databaseCopyPrefix}${deps.databaseName}.sql.gz`, databases: [deps.databaseName], offload: true } })
    .apply((json) => Buffer.from(json, "utf8").toString("base64"));
  return new cloudscheduler.Job(
    n,
    {
      name: names.name("gcpResource", "database-copy"),
      project,
      region: spec.region,
      description: `${spec.project}/${spec.stack}: daily export of the database into ${spec.backup.copyRegion}`,
      schedule: databaseCopySchedule,
      timeZone: deps.timeZone,
      // An export refused while another operation runs on the instance is tried again later.
      retryConfig: { retryCount: 3, minBackoffDuration: "600s", maxDoublings: 2 },
      httpTarget: {
        httpMethod: "POST",
        // Cloud SQL Admin API, instances.export; Cloud Scheduler sends an OAuth token of the account to *.googleapis.com.
        uri: pulumi.interpolate`https://sqladmin.googleapis.com/v1/projects/${project}/instances/${deps.instance.name}/export`,
        headers: { "Content-Type": "application/json" },
        body,
        oauthToken: { serviceAccountEmail: account.email, scope: "https://www.googleapis.com/auth/cloud-platform" },
      },
    },
    child(ctx, stack, { dependsOn: [exporter, writer] }),
  );
}
