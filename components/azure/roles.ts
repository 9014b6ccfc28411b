// Role assignments: a built-in role for one principal on one scope, named by the GUID of the three so
// the same grant keeps its name on every run (names.ts, roleAssignmentName).
import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import { roleAssignmentName } from "./names";
import { child } from "./options";

export interface Grant {
  scope: pulumi.Input<string>;
  /** A role definition's GUID: a built-in one (names.ts, builtInRoles) or the platform's own. */
  role: pulumi.Input<string>;
  principalId: pulumi.Input<string>;
  subscriptionId: pulumi.Input<string>;
  description: string;
}

export function grant(ctx: BlockContext, logicalName: string, g: Grant, opts?: pulumi.CustomResourceOptions): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    logicalName,
    {
      roleAssignmentName: pulumi.all([g.scope, g.role, g.principalId]).apply(([scope, role, principal]) => roleAssignmentName(scope, role, principal)),
      scope: g.scope,
      roleDefinitionId: pulumi.interpolate`/subscriptions/${g.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${g.role}`,
      principalId: g.principalId,
      // A managed identity: without the type, a grant made right after the identity was created can
      // fail while Microsoft Entra ID replicates it ("Assign Azure roles using Azure Resource Manager templates").
      principalType: "ServicePrincipal",
      description: g.description,
    },
    child(ctx, opts),
  );
}

/** A CanNotDelete lock where the spec protects stateful resources: a portal or CLI delete fails too, not only `pulumi destroy`. */
export function deleteLock(ctx: BlockContext, logicalName: string, scope: pulumi.Input<string>, what: string): void {
  if (!ctx.spec.deletionProtection) return;
  new authorization.ManagementLockByScope(
    logicalName,
    { scope, level: "CanNotDelete", lockName: "platform-deletion-protection", notes: `${what}: deletion protection of ${ctx.spec.project}/${ctx.spec.stack} (platform:deletionProtection)` },
    child(ctx, { protect: true }),
  );
}
