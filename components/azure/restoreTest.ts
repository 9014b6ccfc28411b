// The monthly restore test on Azure (seeds 001, 004): Azure has no restore-testing service, so a
// Container Apps job restores the platform database every month, as an operator would in an outage:
// a point-in-time restore of the live server to an hour ago, into a scratch server in a resource group
// of the test's own (in the database subnet and private DNS zone: the networking of a VNet-integrated
// server is kept by a restore), checks that the server is ready and holds the database, within the
// RTO (seed 003: 4 h), then deletes it. The job's identity may create and delete servers in the
// scratch group only, read the live server, join the subnet and zone, and assign the database's
// encryption identities to the restored server; it can change nothing else.
// Each run prints one result line to its console logs, which the alarms block watches.
import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AzureDatabase } from "./database";
import type { Foundation } from "./foundation";
import { type AzureNames, builtInRoles, uuidV5 } from "./names";
import type { AzureNetwork } from "./network";
import { child, tags } from "./options";
import { grant } from "./roles";

/** The 2nd of each month at 06:00 UTC, the morning after the monthly backup (as on AWS). */
export const restoreTestSchedule = "0 6 2 * *";
/** Seed 003: RTO 4 h. The job is stopped at that point; the script reports a failure before it. */
export const restoreTestRtoMinutes = 240;
/** The Azure CLI image the job runs, by version: a new CLI is a reviewed change. */
export const restoreTestImage = "mcr.microsoft.com/azure-cli:2.71.0";
/** What each run prints; the alert looks for the failure line. */
export const restoreTestResultPrefix = "RESTORE-TEST RESULT:";

/** Contributor: the job creates and deletes scratch servers in the scratch group (built-in role). */
const contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";

export const restoreTestScript = `set -u
result() { echo "${restoreTestResultPrefix} $1 job=$JOB_NAME $2"; }
az login --identity --client-id "$AZURE_CLIENT_ID" --output none || { result FAILED "could not sign in with the job's managed identity"; exit 1; }
scratch="$SCRATCH_PREFIX-$(date -u +%Y%m%d%H%M)"
restore_time=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
cleanup() { az postgres flexible-server delete --resource-group "$SCRATCH_GROUP" --name "$scratch" --yes --output none >/dev/null 2>&1 || true; }
trap cleanup EXIT
started=$(date +%s)
if ! timeout $(( (RTO_MINUTES - 10) * 60 )) az postgres flexible-server restore --resource-group "$SCRATCH_GROUP" --name "$scratch" --source-server "$SOURCE_SERVER_ID" --restore-time "$restore_time" --subnet "$SUBNET_ID" --private-dns-zone "$DNS_ZONE_ID" --output none; then
  result FAILED "the point-in-time restore of $SOURCE_SERVER_ID to $restore_time failed or took longer than the RTO"; exit 1
fi
state=$(az postgres flexible-server show --resource-group "$SCRATCH_GROUP" --name "$scratch" --query state --output tsv)
[ "$state" = "Ready" ] || { result FAILED "the restored server $scratch is $state, not Ready"; exit 1; }
az postgres flexible-server db show --resource-group "$SCRATCH_GROUP" --server-name "$scratch" --database-name "$DATABASE_NAME" --output none || { result FAILED "the restored server has no database $DATABASE_NAME"; exit 1; }
minutes=$(( ($(date +%s) - started) / 60 ))
result PASSED "restored database $DATABASE_NAME as of $restore_time in $minutes minutes (RTO $RTO_MINUTES)"
`;

export interface RestoreTestDeps {
  foundation: Foundation;
  names: AzureNames;
  network: AzureNetwork;
  database: AzureDatabase;
  environmentId: pulumi.Output<string>;
}

export function restoreTest(ctx: BlockContext, d: RestoreTestDeps): { jobName: string } {
  const { spec } = ctx;
  const n = `${ctx.name}-restore-test`;
  const f = d.foundation;
  const jobName = d.names.containerApp("restore-test");
  const scratchGroup = new resources.ResourceGroup(`${n}-group`, { resourceGroupName: `${d.names.resourceGroup.slice(0, 77)}-restore-test`, location: spec.region, tags: tags(ctx) }, child(ctx));
  const identity = new managedidentity.UserAssignedIdentity(`${n}-identity`, { resourceName: d.names.identity("restore-test"), resourceGroupName: f.resourceGroupName, tags: tags(ctx) }, child(ctx));
  const who = { principalId: identity.principalId, subscriptionId: f.subscriptionId };
  const joinRole = new authorization.RoleDefinition(
    `${n}-network-join`,
    {
      // Custom roles are objects of the tenant: the GUID names the subscription, project and stack.
      roleDefinitionId: f.subscriptionId.apply((sub) => uuidV5(`restore-test-network|${sub}|${spec.project}|${spec.stack}`)),
      roleName: `${spec.project}/${spec.stack} restore test: join the database subnet and DNS zone`,
      description: "Places a restored scratch server in the platform database's subnet and private DNS zone; nothing else",
      scope: f.resourceGroupId,
      assignableScopes: [f.resourceGroupId],
      permissions: [{ actions: ["Microsoft.Network/virtualNetworks/subnets/join/action", "Microsoft.Network/privateDnsZones/join/action", "Microsoft.Network/privateDnsZones/read"] }],
    },
    child(ctx),
  );
  const grants = [
    grant(ctx, `${n}-scratch`, { ...who, scope: scratchGroup.id, role: contributor, description: "The restore test creates and deletes scratch servers here" }),
    grant(ctx, `${n}-source`, { ...who, scope: d.database.serverId, role: builtInRoles.reader, description: "The restore test restores the platform database" }),
    grant(ctx, `${n}-subnet`, { ...who, scope: d.network.databaseSubnetId, role: joinRole.name, description: "The restored server joins the database subnet" }),
    grant(ctx, `${n}-dns`, { ...who, scope: d.network.databaseDnsZoneId, role: joinRole.name, description: "The restored server registers in the database's private zone" }),
    // A server restored from one encrypted with the platform key is encrypted with it too, through the
    // same identities ("Data encryption at rest in Azure Database for PostgreSQL flexible server",
    // restore of a server with a customer-managed key), which the restore assigns to the new server.
    ...d.database.encryptionIdentityIds.map((identityId, i) =>
      grant(ctx, `${n}-encryption-identity${i === 0 ? "" : "-geo"}`, { ...who, scope: identityId, role: builtInRoles.managedIdentityOperator, description: "The restored server reads the platform key through the database's identity" }),
    ),
  ];
  new app.Job(
    n,
    {
      jobName,
      resourceGroupName: f.resourceGroupName,
      environmentId: d.environmentId,
      workloadProfileName: "Consumption",
      identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
      configuration: {
        triggerType: "Schedule",
        scheduleTriggerConfig: { cronExpression: restoreTestSchedule, parallelism: 1, replicaCompletionCount: 1 },
        replicaTimeout: restoreTestRtoMinutes * 60,
        replicaRetryLimit: 0,
      },
      template: {
        containers: [
          {
            name: "restore-test",
            image: restoreTestImage,
            command: ["/bin/bash", "-c", restoreTestScript],
            resources: { cpu: 0.5, memory: "1Gi" },
            env: [
              { name: "JOB_NAME", value: jobName },
              { name: "AZURE_CLIENT_ID", value: identity.clientId },
              { name: "SCRATCH_GROUP", value: scratchGroup.name },
              { name: "SCRATCH_PREFIX", value: d.names.containerApp("rt").slice(0, 40) },
              { name: "SOURCE_SERVER_ID", value: d.database.serverId },
              { name: "SUBNET_ID", value: d.network.databaseSubnetId },
              { name: "DNS_ZONE_ID", value: d.network.databaseDnsZoneId },
              { name: "DATABASE_NAME", value: d.database.outputs.databaseName },
              { name: "RTO_MINUTES", value: String(restoreTestRtoMinutes) },
            ],
          },
        ],
      },
      tags: tags(ctx),
    },
    child(ctx, { dependsOn: grants }),
  );
  return { jobName };
}
