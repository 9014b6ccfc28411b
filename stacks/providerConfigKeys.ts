// The config keys each provider's SDK reads (its `config/vars.d.ts`), as plain data: a typo in a
// provider namespace (`aws:regoin`) would otherwise be ignored by the program and by the mocks, and
// surface only at `pulumi preview`, where the default provider refuses it ("`aws:regoin` is not a
// valid configuration key for the aws provider", pulumi/pulumi-aws#5116) or, on a cloud that does
// not use the provider, never. tests/stacks/providerConfigKeys.test.ts fails when an SDK upgrade
// changes a list.
import { distance } from "fastest-levenshtein";
import { ConfigError, type ConfigProblem, didYouMean } from "./configErrors";

export const providerConfigKeys = {
  // @pulumi/aws 7.48.0: 35 keys
  "aws": [
    "accessKey", "allowedAccountIds", "assumeRoleWithWebIdentity", "assumeRoles", "customCaBundle", "defaultTags",
    "ec2MetadataServiceEndpoint", "ec2MetadataServiceEndpointMode", "endpoints", "forbiddenAccountIds", "httpProxy",
    "httpsProxy", "ignoreTags", "insecure", "maxRetries", "noProxy", "profile", "region", "retryMode",
    "s3UsEast1RegionalEndpoint", "s3UsePathStyle", "secretKey", "sharedConfigFiles", "sharedCredentialsFiles",
    "skipCredentialsValidation", "skipMetadataApiCheck", "skipRegionValidation", "skipRequestingAccountId",
    "stsRegion", "tagPolicyCompliance", "token", "tokenBucketRateLimiterCapacity", "useDualstackEndpoint",
    "useFipsEndpoint", "userAgents",
  ],
  // @pulumi/azure-native 3.28.0: 21 keys
  "azure-native": [
    "auxiliaryTenantIds", "clientCertificatePassword", "clientCertificatePath", "clientId", "clientSecret",
    "disableInstanceDiscovery", "disablePulumiPartnerId", "environment", "location", "metadataHost", "msiEndpoint",
    "oidcRequestToken", "oidcRequestUrl", "oidcToken", "oidcTokenFilePath", "partnerId", "subscriptionId", "tenantId",
    "useDefaultAzureCredential", "useMsi", "useOidc",
  ],
  // @pulumi/gcp 9.37.0: 221 keys
  "gcp": [
    "accessApprovalCustomEndpoint", "accessContextManagerCustomEndpoint", "accessToken",
    "activeDirectoryCustomEndpoint", "addPulumiAttributionLabel", "agentIdentityCustomEndpoint",
    "agentRegistryCustomEndpoint", "agenticApplicationsCustomEndpoint", "alloydbCustomEndpoint",
    "apiGatewayCustomEndpoint", "apigeeCustomEndpoint", "apihubCustomEndpoint", "apikeysCustomEndpoint",
    "appEngineCustomEndpoint", "apphubCustomEndpoint", "artifactRegistryCustomEndpoint",
    "assuredWorkloadsCustomEndpoint", "backupDrCustomEndpoint", "batching", "beyondcorpCustomEndpoint",
    "bigQueryCustomEndpoint", "biglakeCustomEndpoint", "biglakeHiveCustomEndpoint", "biglakeIcebergCustomEndpoint",
    "bigqueryAnalyticsHubCustomEndpoint", "bigqueryConnectionCustomEndpoint", "bigqueryDataTransferCustomEndpoint",
    "bigqueryDatapolicyCustomEndpoint", "bigqueryDatapolicyv2CustomEndpoint", "bigqueryReservationCustomEndpoint",
    "bigtableCustomEndpoint", "billingBudgetsCustomEndpoint", "billingCustomEndpoint", "billingProject",
    "binaryAuthorizationCustomEndpoint", "blockchainNodeEngineCustomEndpoint", "certificateManagerCustomEndpoint",
    "cesCustomEndpoint", "chronicleCustomEndpoint", "cloudAssetCustomEndpoint", "cloudBillingCustomEndpoint",
    "cloudBuildCustomEndpoint", "cloudFunctionsCustomEndpoint", "cloudIdentityCustomEndpoint",
    "cloudIdsCustomEndpoint", "cloudQuotasCustomEndpoint", "cloudResourceManagerCustomEndpoint",
    "cloudRunCustomEndpoint", "cloudRunV2CustomEndpoint", "cloudSchedulerCustomEndpoint",
    "cloudSecurityComplianceCustomEndpoint", "cloudSupportCustomEndpoint", "cloudTasksCustomEndpoint",
    "cloudbuildv2CustomEndpoint", "clouddeployCustomEndpoint", "clouddomainsCustomEndpoint",
    "cloudfunctions2CustomEndpoint", "colabCustomEndpoint", "composerCustomEndpoint", "computeCustomEndpoint",
    "configCustomEndpoint", "contactCenterInsightsCustomEndpoint", "containerAnalysisCustomEndpoint",
    "containerAttachedCustomEndpoint", "containerAwsCustomEndpoint", "containerAzureCustomEndpoint",
    "containerCustomEndpoint", "coreBillingCustomEndpoint", "credentials", "dataCatalogCustomEndpoint",
    "dataFusionCustomEndpoint", "dataLineageCustomEndpoint", "dataLossPreventionCustomEndpoint",
    "dataPipelineCustomEndpoint", "databaseMigrationServiceCustomEndpoint", "dataflowCustomEndpoint",
    "dataformCustomEndpoint", "dataplexCustomEndpoint", "dataprocCustomEndpoint", "dataprocGdcCustomEndpoint",
    "dataprocMetastoreCustomEndpoint", "datastreamCustomEndpoint", "defaultLabels", "deletionPolicy",
    "deploymentManagerCustomEndpoint", "developerConnectCustomEndpoint", "dialogflowCustomEndpoint",
    "dialogflowCxCustomEndpoint", "disableGlobalProjectWarning", "disableGooglePartnerName",
    "discoveryEngineCustomEndpoint", "dnsCustomEndpoint", "documentAiCustomEndpoint",
    "documentAiWarehouseCustomEndpoint", "edgecontainerCustomEndpoint", "edgenetworkCustomEndpoint",
    "essentialContactsCustomEndpoint", "eventarcCustomEndpoint", "externalCredentials", "filestoreCustomEndpoint",
    "firebaseAiLogicCustomEndpoint", "firebaseAppCheckCustomEndpoint", "firebaseAppHostingCustomEndpoint",
    "firebaseCustomEndpoint", "firebaseDataConnectCustomEndpoint", "firebaseDatabaseCustomEndpoint",
    "firebaseExtensionsCustomEndpoint", "firebaseHostingCustomEndpoint", "firebaseRemoteConfigCustomEndpoint",
    "firebaseStorageCustomEndpoint", "firebaserulesCustomEndpoint", "firestoreCustomEndpoint", "geminiCustomEndpoint",
    "gkeBackupCustomEndpoint", "gkeHub2CustomEndpoint", "gkeHubCustomEndpoint", "gkeonpremCustomEndpoint",
    "googlePartnerName", "healthcareCustomEndpoint", "hypercomputeclusterCustomEndpoint", "iam2CustomEndpoint",
    "iam3CustomEndpoint", "iamBetaCustomEndpoint", "iamCredentialsCustomEndpoint", "iamCustomEndpoint",
    "iamWorkforcePoolCustomEndpoint", "iapCustomEndpoint", "identityPlatformCustomEndpoint",
    "impersonateServiceAccount", "impersonateServiceAccountDelegates", "integrationConnectorsCustomEndpoint",
    "integrationsCustomEndpoint", "kmsCustomEndpoint", "licenseManagerCustomEndpoint", "loggingCustomEndpoint",
    "lookerCustomEndpoint", "lustreCustomEndpoint", "managedKafkaCustomEndpoint", "memcacheCustomEndpoint",
    "memorystoreCustomEndpoint", "migrationCenterCustomEndpoint", "mlEngineCustomEndpoint", "modelArmorCustomEndpoint",
    "modelArmorGlobalCustomEndpoint", "monitoringCustomEndpoint", "netappCustomEndpoint",
    "networkConnectivityCustomEndpoint", "networkConnectivityv1CustomEndpoint", "networkManagementCustomEndpoint",
    "networkSecurityCustomEndpoint", "networkServicesCustomEndpoint", "notebooksCustomEndpoint",
    "observabilityCustomEndpoint", "oracleDatabaseCustomEndpoint", "orgPolicyCustomEndpoint", "osConfigCustomEndpoint",
    "osConfigV2CustomEndpoint", "osLoginCustomEndpoint", "parallelstoreCustomEndpoint",
    "parameterManagerCustomEndpoint", "parameterManagerRegionalCustomEndpoint", "pollInterval",
    "preferGlobalEndpoints", "preferRegionalEndpoints", "privatecaCustomEndpoint",
    "privilegedAccessManagerCustomEndpoint", "project", "publicCaCustomEndpoint", "pubsubCustomEndpoint",
    "pubsubLiteCustomEndpoint", "pulumiAttributionLabelAdditionStrategy", "recaptchaEnterpriseCustomEndpoint",
    "redisCustomEndpoint", "region", "requestReason", "requestTimeout", "resourceManager3CustomEndpoint",
    "resourceManagerCustomEndpoint", "resourceManagerV3CustomEndpoint", "runtimeConfigCustomEndpoint",
    "runtimeconfigCustomEndpoint", "saasRuntimeCustomEndpoint", "scopes", "secretManagerCustomEndpoint",
    "secretManagerRegionalCustomEndpoint", "secureSourceManagerCustomEndpoint", "securityCenterCustomEndpoint",
    "securityCenterManagementCustomEndpoint", "securityCenterV2CustomEndpoint", "securityScannerCustomEndpoint",
    "securitypostureCustomEndpoint", "serviceDirectoryCustomEndpoint", "serviceManagementCustomEndpoint",
    "serviceNetworkingCustomEndpoint", "serviceUsageCustomEndpoint", "siteVerificationCustomEndpoint",
    "skipRegionValidation", "sourceRepoCustomEndpoint", "spannerCustomEndpoint", "sqlCustomEndpoint",
    "storageBatchOperationsCustomEndpoint", "storageControlCustomEndpoint", "storageCustomEndpoint",
    "storageInsightsCustomEndpoint", "storageTransferCustomEndpoint", "tagsCustomEndpoint",
    "tagsLocationCustomEndpoint", "tpuV2CustomEndpoint", "transcoderCustomEndpoint", "universeDomain",
    "userProjectOverride", "vectorSearchCustomEndpoint", "vertexAiAadCustomEndpoint", "vertexAiCustomEndpoint",
    "vmwareengineCustomEndpoint", "vpcAccessCustomEndpoint", "workbenchCustomEndpoint", "workflowsCustomEndpoint",
    "workloadIdentityCustomEndpoint", "workstationsCustomEndpoint", "zone",
  ],
  // @pulumi/random 4.21.2: the provider reads no config (no config/vars.d.ts)
  "random": [],
} as const satisfies Record<string, readonly string[]>;

/** Engine settings (`pulumi:tags`, `pulumi:disable-default-providers`): known, not checked here. */
const engineNamespace = "pulumi";

const registryPage = (provider: string) => `https://www.pulumi.com/registry/packages/${provider}/installation-configuration/`;

/** Within one or two edits of a known namespace (one for short names), or two neighbouring letters swapped. */
function nearMiss(word: string, known: string): boolean {
  if (word === known) return false;
  if (distance(word, known) <= (known.length <= 4 ? 1 : 2)) return true;
  const i = [...word].findIndex((c, j) => c !== known[j]);
  return word.length === known.length && word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) === known;
}

/** Keys of a provider namespace the provider does not read, and keys of a namespace that looks like a typo of a known one. */
export function providerConfigProblems(keys: readonly string[], project: string): ConfigProblem[] {
  const providers = Object.keys(providerConfigKeys) as (keyof typeof providerConfigKeys)[];
  const namespaces = [project, engineNamespace, ...providers];
  const problems: ConfigProblem[] = [];
  for (const key of keys) {
    const colon = key.indexOf(":");
    const namespace = key.slice(0, colon);
    const name = key.slice(colon + 1);
    if (Object.hasOwn(providerConfigKeys, namespace)) {
      const known: readonly string[] = providerConfigKeys[namespace as keyof typeof providerConfigKeys];
      if (known.includes(name)) continue;
      const hint = known.length === 0 ? `the ${namespace} provider reads no config` : `${didYouMean(key, known.map((k) => `${namespace}:${k}`))}the ${namespace} provider's keys: ${registryPage(namespace)}`;
      problems.push({ key, message: `unknown key of the ${namespace} provider, which refuses it at \`pulumi preview\`; ${hint}` });
      continue;
    }
    if (namespaces.includes(namespace)) continue;
    const meant = namespaces.find((n) => nearMiss(namespace, n));
    if (meant) {
      problems.push({ key, message: `unknown namespace "${namespace}", so nothing reads this key; did you mean "${meant}:${name}"? Known namespaces: ${namespaces.join(", ")}` });
    }
  }
  return problems;
}

/** Refuses provider-key typos before anything is registered (called first by `loadPlatformSpec`). */
export function checkProviderConfigKeys(keys: readonly string[], project: string): void {
  const problems = providerConfigProblems(keys, project);
  if (problems.length > 0) throw new ConfigError(problems);
}
