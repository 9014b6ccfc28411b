// The stack-wide handles every Azure resource refers to: the subscription and tenant, the resource
// group, the stack's random name suffix, and the two Log Analytics workspaces (application logs with
// the preset's retention per table; audit and security logs in a workspace of their own, so no table
// default of the application workspace can shorten them). Created once, by the first block, and kept
// in the per-stack closure (index.ts): they never reach the neutral outputs.
import * as authorization from "@pulumi/azure-native/authorization";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BlockContext } from "../cloud";
import { workspaceRetentionDays } from "./limits";
import { type AzureNames, nameSuffixLength, nameSuffixTag } from "./names";
import { keptWith, stateful, tags } from "./options";

/**
 * Tables the application logs land in (resource-specific tables of the Container Apps diagnostic
 * setting, the availability test results, and AzureDiagnostics for the database's server logs): each
 * keeps the preset's application retention. Everything else keeps the workspace's default.
 */
export const applicationLogTables = ["ContainerAppConsoleLogs", "ContainerAppSystemLogs", "AppAvailabilityResults", "AzureDiagnostics"] as const;

export interface Foundation {
  subscriptionId: pulumi.Output<string>;
  tenantId: pulumi.Output<string>;
  resourceGroupName: pulumi.Output<string>;
  resourceGroupId: pulumi.Output<string>;
  /** Lowercase letters and digits, held in state: appended to every globally unique name. */
  nameSuffix: pulumi.Output<string>;
  logsWorkspaceId: pulumi.Output<string>;
  logsWorkspaceName: pulumi.Output<string>;
  /** Key Vault audit events, Front Door access and WAF logs, flow-log analytics: auditRetentionDays. */
  auditWorkspaceId: pulumi.Output<string>;
  auditWorkspaceName: pulumi.Output<string>;
  /** The workspace's GUID (what traffic analytics asks for beside its resource id). */
  auditWorkspaceCustomerId: pulumi.Output<string>;
}

export function foundation(ctx: BlockContext, names: AzureNames): Foundation {
  const { spec } = ctx;
  const n = ctx.name;
  const client = authorization.getClientConfigOutput({ parent: ctx.parent });
  // Kept with the stateful resources it names: a retained vault keeps its name, and a new stack (a new
  // state) draws a new suffix, free of the names a deleted vault still holds.
  const suffix = new random.RandomString(`${n}-name-suffix`, { length: nameSuffixLength, lower: true, upper: false, numeric: true, special: false }, stateful(ctx));
  const group = new resources.ResourceGroup(
    `${n}-resource-group`,
    { resourceGroupName: names.resourceGroup, location: spec.region, tags: pulumi.all([suffix.result]).apply(([s]) => tags(ctx, { [nameSuffixTag]: s })) },
    stateful(ctx),
  );
  const logs = new operationalinsights.Workspace(
    `${n}-logs`,
    {
      workspaceName: names.workspace("logs"),
      resourceGroupName: group.name,
      sku: { name: "PerGB2018" },
      // The workspace default is never below 30 days; the application tables below get the preset's own.
      retentionInDays: Math.max(workspaceRetentionDays.min, spec.logs.appRetentionDays),
      features: { disableLocalAuth: true },
      tags: tags(ctx),
    },
    // The application logs are kept like the audit logs: deleting the workspace deletes them.
    stateful(ctx),
  );
  for (const table of applicationLogTables) {
    new operationalinsights.Table(
      `${n}-logs-${table}`,
      { resourceGroupName: group.name, workspaceName: logs.name, tableName: table, retentionInDays: spec.logs.appRetentionDays, totalRetentionInDays: spec.logs.appRetentionDays },
      keptWith(ctx),
    );
  }
  const audit = new operationalinsights.Workspace(
    `${n}-audit-logs`,
    {
      workspaceName: names.workspace("audit"),
      resourceGroupName: group.name,
      sku: { name: "PerGB2018" },
      retentionInDays: spec.logs.auditRetentionDays,
      features: { disableLocalAuth: true },
      tags: tags(ctx),
    },
    stateful(ctx),
  );
  return {
    subscriptionId: client.subscriptionId,
    tenantId: client.tenantId,
    resourceGroupName: group.name,
    resourceGroupId: group.id,
    nameSuffix: suffix.result,
    logsWorkspaceId: logs.id,
    logsWorkspaceName: logs.name,
    auditWorkspaceId: audit.id,
    auditWorkspaceName: audit.name,
    auditWorkspaceCustomerId: audit.customerId,
  };
}
