// Least privilege on Azure: the roles the platform assigns (never a privileged administrator role to
// a workload identity, except the documented case below), the scopes it assigns them at, and the
// actions of the custom roles and vault access policies it writes.
import type { PrivilegeFact, ResourceView } from "../../facts";
import type { ResourceReaders } from "../types";
import { az } from "./tokens";

/**
 * "Azure built-in roles for Privileged": Contributor, Owner, Reservations Administrator, Role Based
 * Access Control Administrator and User Access Administrator manage every resource or grant access.
 */
export const privilegedRoles: Record<string, string> = {
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "a8889054-8d42-49c9-bc1c-52486c10e7cd": "Reservations Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
};

export interface DocumentedGrant {
  /** What the grant is for, and why nothing narrower does. */
  case: string;
  source: string;
  /** Whether a role assignment of `role` (a GUID) is this documented case, on its whole form. */
  allows(role: string, props: Record<string, any>): boolean;
}

/** The restore test's scratch resource group: `<project>-<stack>-restore-test` (components/azure/names.ts). */
const scratchGroupScope = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+-restore-test$/i;

export const documentedGrants: DocumentedGrant[] = [
  {
    case: "Contributor for the monthly restore test's identity on the resource group the platform creates for its scratch servers only, which it restores the database into and deletes after each run",
    source:
      "components/azure/restoreTest.ts; \"Point-in-time restore of a flexible server\" (a restore creates a new server, which needs write and delete on servers in the target group); the group holds nothing else, so the role reaches no other resource",
    allows: (role, props) => role === "b24988ac-6180-42a0-ab88-20f7382dd24c" && props.principalType === "ServicePrincipal" && scratchGroupScope.test(String(props.scope)),
  },
];

const guid = (roleDefinitionId: unknown) => String(roleDefinitionId ?? "").split("/").pop()?.toLowerCase() ?? "";

/** A scope that covers a whole subscription, management group or tenant: every resource in it. */
const everyResource = (scope: string) => scope === "/" || /^\/subscriptions\/[^/]+\/?$/i.test(scope) || /^\/providers\/Microsoft\.Management\/managementGroups\//i.test(scope);

function assignment({ props }: ResourceView): PrivilegeFact[] {
  const role = guid(props.roleDefinitionId);
  const name = privilegedRoles[role] ?? role;
  // People and groups are not workload identities; the platform assigns roles to managed identities only.
  const workload = props.principalType === undefined || props.principalType === "ServicePrincipal";
  const privileged = workload && privilegedRoles[role] !== undefined && !documentedGrants.some((g) => g.allows(role, props));
  const scope = String(props.scope);
  return [
    { kind: "role", role: name, ownerClass: privileged, setting: "roleDefinitionId" },
    { kind: "statement", where: `role assignment of ${name}`, wildcardActions: [], wildcardResources: everyResource(scope) ? [scope] : [] },
  ];
}

/** "Azure custom roles": a `*` in an action grants every matching operation, including ones added later. */
const wildcards = (actions: unknown) => ((actions ?? []) as string[]).filter((a) => a.includes("*"));

export const leastPrivilege: ResourceReaders<PrivilegeFact> = {
  [az.roleAssignment]: assignment,
  [az.roleDefinition]: ({ props }) =>
    ((props.permissions ?? []) as { actions?: string[]; dataActions?: string[] }[]).map((p, i) => ({
      kind: "statement",
      where: `custom role ${props.roleName ?? "(unnamed)"} permissions #${i + 1}`,
      wildcardActions: [...wildcards(p.actions), ...wildcards(p.dataActions)],
      wildcardResources: ((props.assignableScopes ?? []) as string[]).filter(everyResource),
    })),
  // Vault access policies (without RBAC authorization): the permission "all" grants every operation.
  [az.keyVault]: ({ props }) =>
    ((props.properties?.accessPolicies ?? []) as { objectId?: string; permissions?: Record<string, string[]> }[]).map((p, i) => ({
      kind: "statement",
      where: `key vault access policy #${i + 1}`,
      wildcardActions: Object.entries(p.permissions ?? {}).flatMap(([kind, granted]) => ((granted ?? []) as string[]).filter((g) => g.toLowerCase() === "all").map(() => `${kind}: all`)),
      wildcardResources: [],
    })),
};
