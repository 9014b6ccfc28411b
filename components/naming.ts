// Every physical cloud name comes from here, so that each one satisfies the cloud's length and
// character rules for any project, stack and service name. Mocks accept any name; clouds do not.
import { createHash } from "node:crypto";

export interface NameRule {
  /** What the name belongs to, for error messages. */
  what: string;
  maxLength: number;
  minLength: number;
  /** One allowed character. */
  allowed: RegExp;
  lowercase: boolean;
  separator: "-" | "_" | "/" | "";
  startsWithLetter: boolean;
  /** Characters the cloud or Pulumi appends after our name (a random suffix, for example). */
  reservedSuffix: number;
  /** The complete rule the final name must match, as the cloud documents it. */
  valid: RegExp;
}

const rule = (r: Partial<NameRule> & Pick<NameRule, "what" | "maxLength" | "allowed" | "valid">): NameRule => ({
  minLength: 1,
  lowercase: false,
  separator: "-",
  startsWithLetter: false,
  reservedSuffix: 0,
  ...r,
});

const dnsLabel = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Azure's reserved words for names reachable through a public endpoint ("Reserved resource names"):
 * never microsoft or windows anywhere, never login or xbox first, never one of the reserved words as
 * the whole name.
 */
const azureReservedWords = ["accesscontrol", "apmterminals", "appservices", "azure", "azuread", "azurestorage", "bing", "biztalk", "cortana", "directx", "dotnet", "dynamics", "exchange", "foreflight", "github", "hololens", "hyperv", "kinect", "lync", "msdn", "o365", "office", "office365", "onedrive", "onenote", "outlook", "powerpoint", "sharepoint", "skype", "visio", "visualstudio"];
function publicName(valid: RegExp): RegExp {
  return new RegExp(`^(?!.*(?:microsoft|windows))(?!login|xbox)(?!(?:${azureReservedWords.join("|")})$)${valid.source.replace(/^\^/, "")}`, valid.flags.includes("i") ? "i" : "");
}

/**
 * The naming rules of each cloud resource whose name we set. Sources: the AWS, Azure and GCP API
 * references for each resource (limits quoted in the `what` field where they surprise people).
 */
export const nameRules = {
  // AWS
  awsLoadBalancer: rule({ what: "AWS load balancer name (32 chars, alphanumerics and hyphens)", maxLength: 32, allowed: /[a-zA-Z0-9-]/, valid: /^(?!internal-)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/ }),
  awsTargetGroup: rule({ what: "AWS target group name (32 chars, alphanumerics and hyphens)", maxLength: 32, allowed: /[a-zA-Z0-9-]/, valid: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/ }),
  awsIamRole: rule({ what: "AWS IAM role name (64 chars)", maxLength: 64, allowed: /[\w+=,.@-]/, valid: /^[\w+=,.@-]{1,64}$/ }),
  awsEcsName: rule({ what: "AWS ECS cluster, service or task family name (255 chars)", maxLength: 255, allowed: /[a-zA-Z0-9_-]/, valid: /^[a-zA-Z0-9_-]{1,255}$/ }),
  awsEcrRepository: rule({ what: "AWS ECR repository name (lowercase)", maxLength: 256, minLength: 2, allowed: /[a-z0-9-]/, lowercase: true, separator: "/", valid: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/ }),
  awsLogGroup: rule({ what: "AWS CloudWatch log group name (512 chars)", maxLength: 512, allowed: /[a-zA-Z0-9_-]/, separator: "/", valid: /^[.\-_/#A-Za-z0-9]{1,512}$/ }),
  // 63 chars, lowercase; a 9-character random suffix (`-` and 8 hex) keeps it globally unique.
  // Reserved prefixes xn--, sthree- and amzn-s3-demo- (the reserved suffixes -s3alias, --ol-s3,
  // .mrap, --x-s3, --table-s3 cannot occur: the name always ends in the hex suffix).
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
  awsS3Bucket: rule({ what: "AWS S3 bucket name (3-63 lowercase chars, globally unique)", maxLength: 63, minLength: 3, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, reservedSuffix: 9, valid: /^(?!xn--|sthree-|amzn-s3-demo-)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/ }),
  awsSecret: rule({ what: "AWS Secrets Manager secret name (512 chars)", maxLength: 512, allowed: /[A-Za-z0-9_+=.@-]/, separator: "/", valid: /^[A-Za-z0-9/_+=.@-]{1,512}$/ }),
  awsKmsAlias: rule({ what: "AWS KMS alias (256 chars after alias/)", maxLength: 250, allowed: /[a-zA-Z0-9_-]/, separator: "/", valid: /^(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/ }),
  awsSnsTopic: rule({ what: "AWS SNS topic name (256 chars)", maxLength: 256, allowed: /[A-Za-z0-9_-]/, valid: /^[A-Za-z0-9_-]{1,256}$/ }),
  awsAlarm: rule({ what: "AWS CloudWatch alarm name (255 chars)", maxLength: 255, allowed: /[A-Za-z0-9_.-]/, valid: /^[A-Za-z0-9_.-]{1,255}$/ }),
  // PutDashboard DashboardName: "The maximum length is 255, and valid characters are A-Z, a-z, 0-9, "-", and "_"" (CloudWatch API reference).
  awsDashboard: rule({ what: "AWS CloudWatch dashboard name (1-255 letters, digits, - and _)", maxLength: 255, allowed: /[A-Za-z0-9_-]/, valid: /^[A-Za-z0-9_-]{1,255}$/ }),
  // Web ACL and rule names: 1-128 of [\w-]. VisibilityConfig.MetricName: the API takes up to 255 of [\w#:.\-/],
  // but its documentation says 1-128 letters, digits, - and _; keep to that (API_VisibilityConfig).
  awsWafName: rule({ what: "AWS WAFv2 name or metric name (128 chars)", maxLength: 128, allowed: /[a-zA-Z0-9_-]/, valid: /^[\w-]{1,128}$/ }),
  // CreateRestoreTestingPlan: "only alphanumeric characters and underscores" (AWS Backup API reference).
  awsRestoreTestingName: rule({ what: "AWS Backup restore testing plan or selection name (letters, digits and _, 50 chars)", maxLength: 50, allowed: /[a-zA-Z0-9_]/, separator: "_", valid: /^[a-zA-Z0-9_]{1,50}$/ }),
  awsBackupName: rule({ what: "AWS Backup vault, plan, rule or selection name (50 chars)", maxLength: 50, minLength: 2, allowed: /[a-zA-Z0-9_-]/, valid: /^[a-zA-Z0-9_-]{2,50}$/ }),
  // DBInstanceIdentifier (CreateDBInstance, RDS API reference): 1-63 letters, digits or hyphens, a
  // letter first, no two consecutive hyphens, no hyphen last; RDS stores it in lowercase.
  awsRdsInstance: rule({ what: "AWS RDS DB instance identifier (1-63 lowercase letters, digits and hyphens, a letter first, no --)", maxLength: 63, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: /^(?!.*--)[a-z](?:[a-z0-9-]*[a-z0-9])?$/ }),
  // DBParameterGroupName and DBSubnetGroupName (CreateDBParameterGroup, CreateDBSubnetGroup): up to
  // 255, a letter first, no two consecutive hyphens, no hyphen last, not "default"; stored lowercase.
  awsRdsGroup: rule({ what: "AWS RDS parameter or subnet group name (255 lowercase letters, digits and hyphens, a letter first, no --)", maxLength: 255, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: /^(?!default$)(?!.*--)[a-z](?:[a-z0-9-]*[a-z0-9])?$/ }),
  awsSecurityGroup: rule({ what: "AWS security group name (255 chars, not starting with sg-)", maxLength: 255, allowed: /[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/, valid: /^(?!sg-)[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/ }),
  // CreateFunction FunctionName and PutRule Name (Lambda and EventBridge API references).
  awsLambdaFunction: rule({ what: "AWS Lambda function name (64 chars)", maxLength: 64, allowed: /[a-zA-Z0-9_-]/, valid: /^[a-zA-Z0-9_-]{1,64}$/ }),
  awsEventRule: rule({ what: "Amazon EventBridge rule name (64 chars)", maxLength: 64, allowed: /[a-zA-Z0-9_.-]/, valid: /^[.\-_A-Za-z0-9]{1,64}$/ }),
  awsTagValue: rule({ what: "AWS tag value (256 chars)", maxLength: 256, allowed: /[\p{L}\p{Z}\p{N}_.:/=+@-]/u, valid: /^[\p{L}\p{Z}\p{N}_.:/=+@-]{0,256}$/u }),
  // Azure. Sources: "Naming rules and restrictions for Azure resources" (learn.microsoft.com/azure/
  // azure-resource-manager/management/resource-name-rules, RNR) per resource type, and its "Reserved
  // resource names": a name reachable through a public endpoint may not contain microsoft or windows,
  // start with login or xbox, or be a reserved word such as azure (publicName below). Globally unique
  // names leave room for the random suffix the program appends (`reservedSuffix`).
  azureKeyVault: rule({ what: "Azure Key Vault name (3-24 letters, digits and hyphens, a letter first, no --, globally unique)", maxLength: 24, minLength: 3, allowed: /[a-zA-Z0-9-]/, lowercase: true, startsWithLetter: true, reservedSuffix: 5, valid: publicName(/^[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]$/) }),
  // Key Vault secrets and keys: 1-127 alphanumerics and hyphens (RNR, vaults/secrets).
  azureKeyVaultObject: rule({ what: "Azure Key Vault secret or key name (1-127 letters, digits and hyphens)", maxLength: 127, allowed: /[a-zA-Z0-9-]/, valid: /^[a-zA-Z0-9-]{1,127}$/ }),
  azureStorageAccount: rule({ what: "Azure storage account name (3-24 lowercase letters and digits, globally unique)", maxLength: 24, minLength: 3, allowed: /[a-z0-9]/, lowercase: true, separator: "", reservedSuffix: 4, valid: publicName(/^[a-z0-9]{3,24}$/) }),
  // RNR, containers: 3-63 lowercase letters, digits and hyphens, a letter or digit first, no --.
  azureBlobContainer: rule({ what: "Azure blob container name (3-63 lowercase letters, digits and hyphens, no --)", maxLength: 63, minLength: 3, allowed: /[a-z0-9-]/, lowercase: true, valid: /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/ }),
  // RNR, registries: 5-50 alphanumerics, globally unique; the login server is lowercase.
  azureContainerRegistry: rule({ what: "Azure container registry name (5-50 letters and digits, globally unique)", maxLength: 50, minLength: 5, allowed: /[a-z0-9]/, lowercase: true, separator: "", reservedSuffix: 4, valid: publicName(/^[a-z0-9]{5,50}$/) }),
  // RNR, flexibleServers: 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen; global DNS name.
  azurePostgresServer: rule({ what: "Azure Database for PostgreSQL flexible server name (3-63 lowercase letters, digits and hyphens, globally unique)", maxLength: 63, minLength: 3, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, reservedSuffix: 5, valid: publicName(/^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/) }),
  azureFrontDoorWafPolicy: rule({ what: "Azure Front Door WAF policy name (letters and digits only, starts with a letter)", maxLength: 128, allowed: /[a-zA-Z0-9]/, separator: "", startsWithLetter: true, valid: /^[a-zA-Z][a-zA-Z0-9]{0,127}$/ }),
  // Front Door (Microsoft.Cdn) per RNR: profiles 1-260, endpoints 2-46 (part of a public host name),
  // origin groups, origins, routes, custom domains, security policies and secrets 1-90 (2-260 for
  // custom domains): alphanumerics and hyphens, starting and ending with an alphanumeric.
  azureFrontDoorProfile: rule({ what: "Azure Front Door profile name (1-260 letters, digits and hyphens)", maxLength: 260, allowed: /[a-zA-Z0-9-]/, valid: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/ }),
  azureFrontDoorEndpoint: rule({ what: "Azure Front Door endpoint name (2-46 letters, digits and hyphens)", maxLength: 46, minLength: 2, allowed: /[a-z0-9-]/, lowercase: true, valid: publicName(/^[a-z0-9][a-z0-9-]{0,44}[a-z0-9]$/) }),
  azureFrontDoorChild: rule({ what: "Azure Front Door origin group, origin, route, custom domain or security policy name (2-90 letters, digits and hyphens)", maxLength: 90, minLength: 2, allowed: /[a-zA-Z0-9-]/, valid: /^[a-zA-Z0-9][a-zA-Z0-9-]{0,88}[a-zA-Z0-9]$/ }),
  // Rule sets and rules: letters and digits only, a letter first; 1-60 and 1-260 (RNR, profiles/ruleSets and rules).
  azureFrontDoorRuleSet: rule({ what: "Azure Front Door rule set name (1-60 letters and digits, a letter first)", maxLength: 60, allowed: /[a-zA-Z0-9]/, separator: "", startsWithLetter: true, valid: /^[a-zA-Z][a-zA-Z0-9]{0,59}$/ }),
  azureFrontDoorRule: rule({ what: "Azure Front Door rule or WAF custom rule name (1-128 letters and digits, a letter first)", maxLength: 128, allowed: /[a-zA-Z0-9]/, separator: "", startsWithLetter: true, valid: /^[a-zA-Z][a-zA-Z0-9]{0,127}$/ }),
  azureActionGroupShortName: rule({ what: "Azure action group short name (12 chars)", maxLength: 12, allowed: /[a-zA-Z0-9-]/, valid: /^[a-zA-Z0-9-]{1,12}$/ }),
  // Action groups, metric alerts, scheduled query rules, web tests, components: 1-260, none of * # & + : < > ? @ % { } \ / | (RNR, Microsoft.Insights).
  azureMonitorName: rule({ what: "Azure Monitor alert, action group, Application Insights or web test name (1-260 chars, none of *#&+:<>?@%{}\\/|)", maxLength: 260, allowed: /[a-zA-Z0-9_.()-]/, valid: /^[a-zA-Z0-9_.()-]*[a-zA-Z0-9_()-]$/ }),
  azureContainerApp: rule({ what: "Azure container app or job name (2-32 lowercase chars)", maxLength: 32, minLength: 2, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: publicName(/^[a-z](?!.*--)[a-z0-9-]{0,30}[a-z0-9]$/) }),
  // RNR, managedEnvironments: 2-60 lowercase letters, digits and hyphens, a letter first, an alphanumeric last.
  azureContainerAppsEnvironment: rule({ what: "Azure Container Apps environment name (2-60 lowercase letters, digits and hyphens)", maxLength: 60, minLength: 2, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: publicName(/^[a-z](?!.*--)[a-z0-9-]{0,58}[a-z0-9]$/) }),
  // RNR, userAssignedIdentities: 3-128 alphanumerics, hyphens and underscores, an alphanumeric first.
  azureManagedIdentity: rule({ what: "Azure managed identity name (3-128 letters, digits, hyphens and underscores)", maxLength: 128, minLength: 3, allowed: /[a-zA-Z0-9_-]/, valid: /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/ }),
  // RNR, workspaces: 4-63 alphanumerics and hyphens, starting and ending with an alphanumeric.
  azureLogAnalyticsWorkspace: rule({ what: "Azure Log Analytics workspace name (4-63 letters, digits and hyphens)", maxLength: 63, minLength: 4, allowed: /[a-zA-Z0-9-]/, valid: /^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$/ }),
  // RNR, Microsoft.Network: virtual networks 2-64, subnets, NSGs, NAT gateways, public IPs 1-80:
  // alphanumerics, underscores, periods and hyphens, an alphanumeric first, an alphanumeric or _ last.
  azureNetwork: rule({ what: "Azure network resource name (2-64 letters, digits, _ . -)", maxLength: 64, minLength: 2, allowed: /[a-zA-Z0-9_.-]/, valid: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_]$/ }),
  // A DNS label of the database's private zone (<label>.private.postgres.database.azure.com).
  azureDnsLabel: rule({ what: "DNS label (1-63 lowercase letters, digits and hyphens)", maxLength: 63, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: dnsLabel }),
  // RNR, backupVaults 2-50 and backupPolicies 3-150: alphanumerics and hyphens, a letter first.
  azureBackupVault: rule({ what: "Azure Backup vault name (2-50 letters, digits and hyphens, a letter first)", maxLength: 50, minLength: 2, allowed: /[a-zA-Z0-9-]/, startsWithLetter: true, valid: /^[a-zA-Z][a-zA-Z0-9-]{0,48}[a-zA-Z0-9]$/ }),
  azureBackupPolicy: rule({ what: "Azure Backup policy or instance name (3-150 letters, digits and hyphens, a letter first)", maxLength: 150, minLength: 3, allowed: /[a-zA-Z0-9-]/, startsWithLetter: true, valid: /^[a-zA-Z][a-zA-Z0-9-]{1,148}[a-zA-Z0-9]$/ }),
  // Portal dashboards: 3-160 alphanumerics and hyphens (RNR, Microsoft.Portal/dashboards).
  azureDashboard: rule({ what: "Azure portal dashboard name (3-160 letters, digits and hyphens)", maxLength: 160, minLength: 3, allowed: /[a-zA-Z0-9-]/, valid: /^[a-zA-Z0-9-]{3,160}$/ }),
  azureResourceGroup: rule({ what: "Azure resource group name (90 chars)", maxLength: 90, allowed: /[a-zA-Z0-9_.()-]/, valid: /^[-\w.()]{0,89}[-\w()]$/ }),
  // GCP
  gcpResource: rule({ what: "GCP resource name (RFC 1035, 63 chars)", maxLength: 63, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: dnsLabel }),
  // 49, not the 63 of RFC 1035: "Service names must be 49 characters or less" (https://cloud.google.com/run/docs/deploying).
  gcpCloudRunService: rule({ what: "Cloud Run service name (49 chars, RFC 1035)", maxLength: 49, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: dnsLabel }),
  gcpServiceAccountId: rule({ what: "GCP service account id (6-30 chars, RFC 1035)", maxLength: 30, minLength: 6, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: dnsLabel }),
  // Cannot begin with "goog" nor contain "google" or close misspellings such as "g00gle".
  // https://cloud.google.com/storage/docs/buckets#naming
  gcpBucket: rule({ what: "GCS bucket name (3-63 lowercase chars, globally unique)", maxLength: 63, minLength: 3, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, reservedSuffix: 9, valid: /^(?!goog)(?!.*g[o0][o0]gle)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/ }),
  gcpSecretId: rule({ what: "GCP Secret Manager secret id (255 chars)", maxLength: 255, allowed: /[A-Za-z0-9_-]/, valid: /^[A-Za-z0-9_-]{1,255}$/ }),
  // "Repository names can only contain lowercase letters, numbers, and hyphens, must start with a
  // letter and end with a letter or number, and be at most 63 characters" (Artifact Registry, "Create
  // standard repositories").
  gcpArtifactRepository: rule({ what: "Artifact Registry repository id (63 lowercase chars, a letter first)", maxLength: 63, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: dnsLabel }),
  // Key ring and key ids: [a-zA-Z0-9_-]{1,63} (Cloud KMS, "Resource naming"). A key ring can never be
  // deleted, so the program appends a random suffix (`-` and 8 hex) held in state: room for it here.
  gcpKmsName: rule({ what: "Cloud KMS key ring or key id (1-63 letters, digits, _ and -)", maxLength: 63, allowed: /[a-zA-Z0-9_-]/, reservedSuffix: 9, valid: /^[a-zA-Z0-9_-]{1,63}$/ }),
  // Log bucket ids: up to 100 letters, digits, _, - and . (Cloud Logging API, projects.locations.buckets.create:
  // "Bucket identifiers must be ... limited to 100 characters and can include only letters, digits,
  // underscores, hyphens, and periods"); a deleted bucket keeps its id for 7 days, hence the random suffix.
  gcpLogBucket: rule({ what: "Cloud Logging bucket id (100 letters, digits, _, - and .)", maxLength: 100, allowed: /[A-Za-z0-9_-]/, reservedSuffix: 9, valid: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/ }),
  // Sink names: "limited to 100 characters and can include only the following characters: upper and
  // lower-case alphanumeric characters, underscores, hyphens, and periods" (LogSink.name).
  gcpLogSink: rule({ what: "Cloud Logging sink name (100 letters, digits, _, - and .)", maxLength: 100, allowed: /[A-Za-z0-9_-]/, valid: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/ }),
  // "Use lowercase letters, numbers, and hyphens. Start with a letter ... The total length of
  // project-ID:instance-ID must be 98 characters or less" (Cloud SQL, "Create instances"); a project id
  // has at most 30, so 63 always fits. An instance name cannot be reused for up to a week after deletion:
  // the program appends a random suffix held in state.
  gcpSqlInstance: rule({ what: "Cloud SQL instance name (lowercase letters, digits and hyphens, a letter first)", maxLength: 63, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, reservedSuffix: 9, valid: dnsLabel }),
  // Backup and DR vault, plan and association ids: "must be unique ... start with a lowercase letter
  // followed by up to 62 lowercase letters, numbers, or hyphens" (Backup and DR API, backupVaults.create
  // backupVaultId): RFC 1035 in 63 characters.
  gcpBackupDrId: rule({ what: "Backup and DR vault, plan or association id (63 chars, RFC 1035)", maxLength: 63, allowed: /[a-z0-9-]/, lowercase: true, startsWithLetter: true, valid: dnsLabel }),
} satisfies Record<string, NameRule>;

export type NameRuleName = keyof typeof nameRules;

export class NamingError extends Error {}

const hashLength = 6;

export function shortHash(text: string, length = hashLength): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function normalizePart(part: string, r: NameRule): string {
  const text = r.lowercase ? part.toLowerCase() : part;
  let out = "";
  for (const ch of text) out += r.allowed.test(ch) ? ch : r.separator === "/" ? "-" : r.separator;
  if (r.separator !== "") {
    // Collapse runs of separator-like characters and trim them (and dots: several clouds refuse
    // a name ending in `.`, e.g. Azure resource groups, and Pulumi stack names may end in one).
    out = out.replace(/[-_/]{2,}/g, (run) => run[0]).replace(/^[-_/.]+|[-_/.]+$/g, "");
  }
  return out;
}

/** A name that ends the way a hashed name does: the separator and 6 hex digits. */
function looksHashed(name: string, r: NameRule): boolean {
  return r.separator !== "" && name.length > hashLength && name[name.length - hashLength - 1] === r.separator && /^[0-9a-f]+$/i.test(name.slice(-hashLength));
}

/**
 * Whether the plain join of `normalized` could also be the name of other parts, so that the name
 * must carry a hash of the raw parts: normalisation changed a part (replaced, collapsed, trimmed
 * or case-folded it), the project or stack (the first two parts) holds the separator or an
 * uppercase letter (`dev-api` + `x` and `dev` + `api-x` join alike; IAM compares names without
 * case), a rule without separator concatenates parts, or the join already ends like a hash.
 */
function needsHash(parts: string[], normalized: string[], joined: string, r: NameRule): boolean {
  if (parts.some((p, i) => normalized[i] !== p)) return true;
  if (r.separator === "" && normalized.filter((p) => p.length > 0).length > 1) return true;
  if (parts.slice(0, 2).some((p) => (r.separator !== "" && p.includes(r.separator)) || /\p{Lu}/u.test(p))) return true;
  if (r.startsWithLetter && !/^[a-zA-Z]/.test(joined)) return true;
  return joined.length < r.minLength || looksHashed(joined, r);
}

/**
 * Builds a name from parts (project, stack, block, key...). A name that normalisation made
 * ambiguous ends in a 6-hex hash of the raw parts, so distinct parts give distinct names; a name
 * that is too long keeps its start and ends in the same hash. The same input always gives the
 * same name, and the names of plain lowercase parts (`platform`, `dev`, `api`) stay as they are.
 */
export function physicalName(ruleName: NameRuleName, parts: string[]): string {
  const r: NameRule = nameRules[ruleName];
  const normalized = parts.map((p) => normalizePart(p, r));
  let name = normalized.filter((p) => p.length > 0).join(r.separator);
  const hashed = needsHash(parts, normalized, name, r);
  if (r.startsWithLetter && !/^[a-zA-Z]/.test(name)) name = name === "" ? "p" : `p${r.separator}${name}`;
  const room = r.maxLength - r.reservedSuffix;
  if (hashed || name.length > room) {
    const hash = shortHash(parts.join("\u0000"));
    const keep = Math.min(name.length, room - hash.length - r.separator.length);
    if (name.length > 0 && keep < 1) {
      throw new NamingError(`cannot fit a ${r.what} for ${JSON.stringify(parts)} into ${room} characters`);
    }
    // Never keep half of a surrogate pair (an astral letter such as 𝒜 in a tag value).
    const head = name.slice(0, Math.max(keep, 0)).replace(/[\uD800-\uDBFF]$/, "").replace(/[-_/.]+$/, "");
    name = head === "" ? hash : head + r.separator + hash;
  }
  if (!r.valid.test(name) || name.length > room || [...name].length < r.minLength) {
    throw new NamingError(
      `the ${r.what} ${JSON.stringify(name)} built from ${JSON.stringify(parts)} breaks the cloud's naming rule ${r.valid}`,
    );
  }
  return name;
}

/**
 * Pulumi auto-naming appends `-` and 7 random characters to a logical name; a logical name we let
 * Pulumi auto-name must leave that room within the cloud's limit.
 */
export const autoNameSuffixLength = 8;

export function assertAutoNameFits(ruleName: NameRuleName, logicalName: string): void {
  const r = nameRules[ruleName];
  if (logicalName.length + autoNameSuffixLength > r.maxLength) {
    throw new NamingError(
      `logical name ${JSON.stringify(logicalName)} is ${logicalName.length} chars; with Pulumi's 8-char random suffix the ${r.what} would exceed ${r.maxLength}`,
    );
  }
}

/** Names of one stack's resources: every call starts from the same project and stack. */
export class Namer {
  constructor(
    readonly project: string,
    readonly stack: string,
  ) {}

  name(ruleName: NameRuleName, ...parts: string[]): string {
    return physicalName(ruleName, [this.project, this.stack, ...parts]);
  }
}

// ---- GCP labels ----
// "Keys have a minimum length of 1 character and a maximum length of 63 characters ... Keys and values
// can contain only lowercase letters, numeric characters, underscores, and dashes ... Keys must start
// with a lowercase letter ... Each resource can have multiple labels, up to a maximum of 64"
// (Resource Manager, "Labels overview", Requirements). International lowercase letters are allowed
// too; this keeps to ASCII so that every resource type takes the same label. Keys starting with goog
// are reserved for Google.

export const gcpMaxLabels = 64;
const gcpLabelMax = 63;
const gcpLabelCharacter = /[a-z0-9_-]/;
export const gcpLabelKeyRule = /^(?!goog)[a-z][a-z0-9_-]{0,62}$/;
export const gcpLabelValueRule = /^[a-z0-9_-]{0,63}$/;

function labelText(text: string): string {
  let out = "";
  for (const ch of text.toLowerCase()) out += gcpLabelCharacter.test(ch) ? ch : "_";
  return out;
}

/** Fits a rewritten label into 63 characters; a shortened one ends in a hash of the original text, so two long texts stay apart. */
function fitLabel(text: string, original: string): string {
  if (text.length <= gcpLabelMax) return text;
  return `${text.slice(0, gcpLabelMax - hashLength - 1)}_${shortHash(original)}`;
}

/** A tag key as a GCP label key: lowercase, other characters as `_`, a letter first (and never goog). */
export function gcpLabelKey(key: string): string {
  let text = labelText(key);
  if (!/^[a-z]/.test(text) || text.startsWith("goog")) text = `t_${text}`;
  return fitLabel(text, key);
}

/** A tag value as a GCP label value: lowercase, other characters as `_`, at most 63 characters. */
export function gcpLabelValue(value: string): string {
  return fitLabel(labelText(value), value);
}

export interface GcpLabels {
  labels: Record<string, string>;
  /** Tags whose key or value had to be rewritten to become a label. */
  rewritten: { tag: string; value: string; label: string; labelValue: string }[];
  /** Label keys that two or more tags would become: each such label would keep only one of them. */
  collisions: { label: string; tags: string[] }[];
}

/** The spec's tags as GCP labels, saying what had to change. */
export function gcpLabels(tags: Record<string, string>): GcpLabels {
  const labels: Record<string, string> = {};
  const from = new Map<string, string[]>();
  const rewritten: GcpLabels["rewritten"] = [];
  for (const [tag, value] of Object.entries(tags)) {
    const label = gcpLabelKey(tag);
    const labelValue = gcpLabelValue(value);
    if (label !== tag || labelValue !== value) rewritten.push({ tag, value, label, labelValue });
    from.set(label, [...(from.get(label) ?? []), tag]);
    labels[label] = labelValue;
  }
  const collisions = [...from].filter(([, list]) => list.length > 1).map(([label, list]) => ({ label, tags: list }));
  return { labels, rewritten, collisions };
}
