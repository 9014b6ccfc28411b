// Least privilege on GCP: the roles the platform grants. GCP has no policy documents with wildcard
// actions or resources to write (custom roles refuse wildcards), so what is judged is the role: no
// basic Owner or Editor role and no role that administers a service or IAM itself for any principal
// but Google's own service agents, which the platform grants only the narrow roles their service needs.
import type { PrivilegeFact } from "../../facts";
import type { ResourceReaders } from "../types";
import { gcp } from "./tokens";

/**
 * Roles that grant everything or the means to grant oneself anything (IAM, "Basic roles": Owner and
 * Editor "include thousands of permissions ... do not grant in production"; a service's `.admin` role
 * includes setting the IAM policy of its resources; the IAM and Resource Manager admin roles change who
 * may do what; at project level, Service Account Token Creator and User act as any service account).
 */
export function isOwnerClass(role: string, projectLevel: boolean): boolean {
  if (role === "roles/owner" || role === "roles/editor") return true;
  if (/^roles\/[a-zA-Z]+\.admin$/.test(role)) return true;
  if (/^roles\/(iam|resourcemanager)\.[a-zA-Z]+Admin$/.test(role)) return true;
  return projectLevel && (role === "roles/iam.serviceAccountTokenCreator" || role === "roles/iam.serviceAccountUser");
}

/**
 * Google's own service agents (IAM, "Service agents": `service-PROJECT_NUMBER@gcp-sa-SERVICE.iam.gserviceaccount.com`,
 * and the older forms of Cloud Storage, Storage Transfer and the Google APIs agent).
 */
export const isServiceAgent = (member: string) =>
  /^serviceAccount:(service|project)-\d+@/.test(member) || /@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$/.test(member) || /^serviceAccount:\d+@cloudservices\.gserviceaccount\.com$/.test(member);

const grants =
  (where: string, projectLevel = false) =>
  ({ props }: { props: Record<string, any> }): PrivilegeFact[] => {
    const members: string[] = props.member !== undefined ? [String(props.member)] : ((props.members ?? []) as string[]).map(String);
    const role = String(props.role);
    return members.filter((m) => !isServiceAgent(m)).map((m) => ({ kind: "role", role, ownerClass: isOwnerClass(role, projectLevel), setting: `role on ${where} for ${m}` }));
  };

/**
 * A Cloud Run service or job without its own service account runs as the Compute Engine default service
 * account, which every such workload of the project shares and which is granted Editor on the project
 * unless the organization turned that grant off (IAM, "Default service accounts"; Cloud Run, "Introduction
 * to service identity": use a dedicated service account).
 */
const runsAs = (serviceAccount: unknown, setting: string): PrivilegeFact[] =>
  serviceAccount === undefined || serviceAccount === ""
    ? [{ kind: "role", role: "roles/editor (the Compute Engine default service account's)", ownerClass: true, setting: `${setting} is not set` }]
    : [{ kind: "role", role: `its own service account ${String(serviceAccount)}`, ownerClass: false, setting }];

export const leastPrivilege: ResourceReaders<PrivilegeFact> = {
  [gcp.cloudRunService]: ({ props }) => runsAs(props.template?.serviceAccount, "template.serviceAccount"),
  [gcp.cloudRunJob]: ({ props }) => runsAs(props.template?.template?.serviceAccount, "template.template.serviceAccount"),
  [gcp.projectIamMember]: grants("the project", true),
  [gcp.projectIamBinding]: grants("the project", true),
  [gcp.bucketIamMember]: grants("a bucket"),
  [gcp.bucketIamBinding]: grants("a bucket"),
  [gcp.secretIamMember]: grants("a secret"),
  [gcp.secretIamBinding]: grants("a secret"),
  [gcp.cryptoKeyIamMember]: grants("a key"),
  [gcp.cryptoKeyIamBinding]: grants("a key"),
  [gcp.artifactRepositoryIamMember]: grants("a repository"),
  [gcp.cloudRunServiceIamMember]: grants("a Cloud Run service"),
  [gcp.serviceAccountIamMember]: grants("a service account"),
  [gcp.serviceAccountIamBinding]: grants("a service account"),
};
