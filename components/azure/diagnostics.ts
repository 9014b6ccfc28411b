// Diagnostic settings: where a resource sends its logs. One helper so every setting has the same form.
import * as monitor from "@pulumi/azure-native/monitor";
import type * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import { child } from "./options";

export interface LogsTo {
  /** Log categories or category groups ("audit", "allLogs") of the resource, as its diagnostic settings name them. */
  categories?: string[];
  categoryGroups?: string[];
  workspaceId: pulumi.Input<string>;
  /** Resource-specific tables where the resource offers them ("Dedicated"); AzureDiagnostics otherwise. */
  dedicated?: boolean;
}

export function diagnosticSetting(ctx: BlockContext, logicalName: string, name: string, resourceUri: pulumi.Input<string>, to: LogsTo, opts?: pulumi.CustomResourceOptions): monitor.DiagnosticSetting {
  return new monitor.DiagnosticSetting(
    logicalName,
    {
      name,
      resourceUri,
      workspaceId: to.workspaceId,
      logAnalyticsDestinationType: to.dedicated ? "Dedicated" : undefined,
      logs: [
        ...(to.categories ?? []).map((category) => ({ category, enabled: true })),
        ...(to.categoryGroups ?? []).map((categoryGroup) => ({ categoryGroup, enabled: true })),
      ],
    },
    child(ctx, opts),
  );
}
