// Log buckets with the spec's retention and the sinks that fill them: the services' logs in an app
// bucket (logs.appRetentionDays), and the audit and security logs (Admin and data access, Cloud Armor
// denials, NAT translations, load balancer requests) in a security bucket (logs.auditRetentionDays),
// locked in production so that nobody can shorten it or delete the logs early. Both are encrypted with
// the platform's key, like every other store (Cloud Logging, "Configure CMEK for log buckets": the key
// must be in the bucket's location, and Logging's service account may use it).
import * as logging from "@pulumi/gcp/logging";
import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BlockContext } from "../cloud";
import { type GcpStack, child, stateful } from "./options";

/** What lands in the security bucket: audit logs, Cloud Armor decisions, NAT and load balancer logs. */
export const securityLogFilter = [
  'logName:"cloudaudit.googleapis.com"',
  'resource.type="http_load_balancer"',
  'resource.type="nat_gateway"',
  'resource.type="gce_subnetwork"',
  'resource.type="gce_firewall_rule"',
].join(" OR ");

export const appLogFilter = (cloudRunPrefix: string): string => `resource.type="cloud_run_revision" AND resource.labels.service_name=~"^${cloudRunPrefix}"`;

/**
 * One bucket and the sink that routes into it. A deleted bucket keeps its id for 7 days, so the id
 * ends in a random suffix held in state; the sink gets its own writer identity, which may write there.
 */
export function logBucket(ctx: BlockContext, stack: GcpStack, kind: "app" | "security", retentionDays: number, filter: string, locked: boolean): logging.ProjectBucketConfig {
  const { spec, names } = ctx;
  const n = `${ctx.name}-${kind}-logs`;
  const suffix = new random.RandomId(`${n}-suffix`, { byteLength: 4 }, { parent: ctx.parent, protect: spec.deletionProtection });
  const bucket = new logging.ProjectBucketConfig(
    n,
    {
      project: stack.project,
      location: spec.region,
      bucketId: pulumi.interpolate`${names.name("gcpLogBucket", kind)}-${suffix.hex}`,
      retentionDays,
      locked,
      // Set at creation, or added later for new entries; CMEK cannot be removed from a bucket again.
      cmekSettings: { kmsKeyName: stack.keyId! },
      description: `${spec.project}/${spec.stack}: ${kind === "app" ? "the services' logs" : "audit, Cloud Armor, NAT and load balancer logs"}`,
    },
    stateful(ctx, stack, { dependsOn: [stack.keyGrants.logging!] }),
  );
  new logging.ProjectSink(
    `${n}-sink`,
    {
      project: stack.project,
      name: names.name("gcpLogSink", kind),
      destination: pulumi.interpolate`logging.googleapis.com/${bucket.id}`,
      filter,
      uniqueWriterIdentity: true,
      description: `Routes ${kind} logs of ${spec.project}/${spec.stack} into their bucket`,
    },
    child(ctx, stack),
  );
  return bucket;
}

/** Data access logs of the key and the secrets: who read which secret, who decrypted what. */
export function dataAccessAudit(ctx: BlockContext, stack: GcpStack): void {
  for (const service of ["secretmanager.googleapis.com", "cloudkms.googleapis.com"]) {
    new projects.IAMAuditConfig(
      `${ctx.name}-audit-${service.split(".")[0]}`,
      { project: stack.project, service, auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }] },
      child(ctx, stack),
    );
  }
}
