// Inputs that force a new resource, per GCP type the program registers, in Pulumi's input names.
// @pulumi/gcp 9.x is bridged from terraform-provider-google-beta 7.x, and replacement is decided by
// the Terraform schema: `ForceNew: true` on an attribute (at any depth: a nested ForceNew replaces
// the whole resource) and `customdiff.ForceNewIf*` in the resource's CustomizeDiff. The @pulumi/gcp
// doc comments do not carry it ("Changing this forces a new resource" appears in 10 of its .d.ts
// files, none of ours), so each entry was read from the provider's source at tag v7.45.0
// (github.com/hashicorp/terraform-provider-google-beta, google-beta/services/<service>/resource_<name>.go;
// IAM members: google-beta/tpgiamresource/resource_iam_member.go plus the parent's iam_<parent>.go),
// keeping the ForceNew attributes the program sets. Every other input the program sets is updated in
// place. Terraform names are mapped to Pulumi's (key_ring -> keyRing, managed.domains).
import type { ReplacementRule, ReplacementTable } from "./table";

const tag = "v7.45.0";
const forcing = (terraform: string, inputs: readonly string[], extra: Pick<ReplacementRule, "note" | "when"> = {}): ReplacementRule => ({
  inputs,
  source: `terraform-provider-google-beta ${terraform} (${tag})`,
  ...extra,
});

/** An IPv4 CIDR as [first, last] address numbers; undefined when it is not one. */
function ipv4Range(cidr: unknown): [number, number] | undefined {
  const m = typeof cidr === "string" ? cidr.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/) : null;
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(address / size) * size;
  return [first, first + size - 1];
}

/**
 * compute/resource_compute_subnetwork.go, IsShrinkageIpCidr: a new range that holds the whole old
 * range is an expansion (an update); any other change replaces the subnet. Values that are not CIDRs
 * (unknown ones included) do not force it, as there.
 */
export function isShrinkageIpCidr(before: unknown, after: unknown): boolean {
  const old = ipv4Range(before);
  const next = ipv4Range(after);
  if (!old || !next) return false;
  return !(next[0] <= old[0] && old[1] <= next[1]);
}

export const gcpReplacements: ReplacementTable = {
  "gcp:artifactregistry/repository:Repository": forcing("google_artifact_registry_repository", ["format", "kmsKeyName", "location", "project", "repositoryId"]),
  "gcp:backupdisasterrecovery/backupPlan:BackupPlan": forcing("google_backup_dr_backup_plan", ["backupPlanId", "backupVault", "location", "logRetentionDays", "project"]),
  // MutableIdentity: the plan, resource, id and location are updated in place at this version.
  "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation": forcing("google_backup_dr_backup_plan_association", ["project"]),
  "gcp:backupdisasterrecovery/backupVault:BackupVault": forcing("google_backup_dr_backup_vault", ["backupVaultId", "location", "project"]),
  // A new image, port, size or scaling is a new revision of the same service.
  "gcp:cloudrunv2/service:Service": forcing("google_cloud_run_v2_service", ["location", "name", "project"]),
  "gcp:cloudscheduler/job:Job": forcing("google_cloud_scheduler_job", ["name", "project", "region"]),
  "gcp:compute/backendService:BackendService": forcing("google_compute_backend_service", ["name", "project"]),
  "gcp:compute/firewall:Firewall": forcing("google_compute_firewall", ["direction", "name", "project"]),
  "gcp:compute/globalAddress:GlobalAddress": forcing("google_compute_global_address", ["address", "addressType", "ipVersion", "name", "network", "prefixLength", "project", "purpose"]),
  // target and load_balancing_scheme are updated in place (setTarget, a patch).
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": forcing("google_compute_global_forwarding_rule", ["ipAddress", "ipProtocol", "name", "portRange", "project"]),
  "gcp:compute/managedSslCertificate:ManagedSslCertificate": forcing("google_compute_managed_ssl_certificate", ["managed", "name", "project"]),
  "gcp:compute/network:Network": forcing("google_compute_network", ["autoCreateSubnetworks", "description", "name", "project"]),
  "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": forcing("google_compute_region_network_endpoint_group", ["cloudRun", "name", "networkEndpointType", "project", "region"]),
  "gcp:compute/router:Router": forcing("google_compute_router", ["name", "network", "project", "region"]),
  "gcp:compute/routerNat:RouterNat": forcing("google_compute_router_nat", ["name", "project", "region", "router"]),
  "gcp:compute/sSLPolicy:SSLPolicy": forcing("google_compute_ssl_policy", ["name", "project"]),
  "gcp:compute/securityPolicy:SecurityPolicy": forcing("google_compute_security_policy", ["name", "project", "type"]),
  "gcp:compute/subnetwork:Subnetwork": forcing("google_compute_subnetwork", ["name", "network", "project", "region"], {
    when: { ipCidrRange: { forces: isShrinkageIpCidr, why: "customdiff.ForceNewIfChange(\"ip_cidr_range\", IsShrinkageIpCidr): only an expansion is updated in place" } },
  }),
  "gcp:compute/targetHttpProxy:TargetHttpProxy": forcing("google_compute_target_http_proxy", ["name", "project"]),
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": forcing("google_compute_target_https_proxy", ["name", "project"]),
  "gcp:compute/uRLMap:URLMap": forcing("google_compute_url_map", ["name", "project"]),
  "gcp:dns/recordSet:RecordSet": forcing("google_dns_record_set", ["managedZone", "name", "project"]),
  "gcp:kms/cryptoKey:CryptoKey": forcing("google_kms_crypto_key", ["destroyScheduledDuration", "keyRing", "name", "purpose"]),
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": forcing("google_kms_crypto_key_iam_member", ["condition", "cryptoKeyId", "member", "role"]),
  "gcp:kms/keyRing:KeyRing": forcing("google_kms_key_ring", ["location", "name", "project"]),
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": forcing("google_logging_project_bucket_config", ["bucketId", "location", "project"]),
  // resource_logging_sink.go (name) and resource_logging_project_sink.go (project).
  "gcp:logging/projectSink:ProjectSink": forcing("google_logging_project_sink", ["name", "project"]),
  "gcp:monitoring/alertPolicy:AlertPolicy": forcing("google_monitoring_alert_policy", ["project"]),
  "gcp:monitoring/dashboard:Dashboard": forcing("google_monitoring_dashboard", ["project"]),
  "gcp:monitoring/notificationChannel:NotificationChannel": forcing("google_monitoring_notification_channel", ["project"]),
  "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": forcing("google_monitoring_uptime_check_config", ["checkerType", "httpCheck.requestMethod", "monitoredResource", "project"]),
  "gcp:projects/iAMAuditConfig:IAMAuditConfig": forcing("google_project_iam_audit_config", ["project"]),
  "gcp:projects/iAMMember:IAMMember": forcing("google_project_iam_member", ["condition", "member", "project", "role"]),
  "gcp:projects/service:Service": forcing("google_project_service", ["project", "service"]),
  "gcp:projects/serviceIdentity:ServiceIdentity": forcing("google_project_service_identity", ["project", "service"]),
  "gcp:secretmanager/secret:Secret": forcing("google_secret_manager_secret", ["project", "replication", "secretId"]),
  "gcp:secretmanager/secretIamMember:SecretIamMember": forcing("google_secret_manager_secret_iam_member", ["condition", "member", "project", "role", "secretId"]),
  // A new value is a new version: the version resource is replaced.
  "gcp:secretmanager/secretVersion:SecretVersion": forcing("google_secret_manager_secret_version", ["secret", "secretData"]),
  "gcp:serviceaccount/account:Account": forcing("google_service_account", ["accountId", "project"]),
  "gcp:servicenetworking/connection:Connection": forcing("google_service_networking_connection", ["network", "service"]),
  "gcp:sql/database:Database": forcing("google_sql_database", ["instance", "name", "project"]),
  // databaseVersion is updated in place (a major version upgrade); the tier, availability and disk size too (a shrink with
  // autoresize off would force a new instance; the program keeps autoresize on). masterInstanceName: ForceNewIf, except on
  // a switchover, which the offline plan cannot see.
  "gcp:sql/databaseInstance:DatabaseInstance": forcing("google_sql_database_instance", ["encryptionKeyName", "masterInstanceName", "name", "project", "region", "replicaConfiguration"], {
    when: {
      "settings.ipConfiguration.privateNetwork": { forces: (before, after) => before !== undefined && (after === undefined || after === ""), why: "privateNetworkCustomizeDiff: only unsetting it forces a new instance" },
    },
  }),
  "gcp:sql/user:User": forcing("google_sql_user", ["instance", "name", "project", "type"]),
  "gcp:storage/bucket:Bucket": forcing("google_storage_bucket", ["location", "name", "project"]),
  "gcp:storage/bucketIAMMember:BucketIAMMember": forcing("google_storage_bucket_iam_member", ["bucket", "condition", "member", "role"]),
  "gcp:storage/transferJob:TransferJob": forcing("google_storage_transfer_job", ["project"]),
};

/** Regional types take the provider's region when the program sets none; the program sets it on each. */
export function gcpImplicitRegion(type: string): boolean {
  const rule = gcpReplacements[type];
  return !!rule && rule.inputs !== "*" && rule.inputs.includes("region");
}
