// The Azure readers against the provider they read: every type token they know is a resource of
// @pulumi/azure-native, they claim no other cloud's tokens, and the required-tags list is exactly the
// types, among what the committed stacks register on Azure and what the readers know, whose arguments
// take tags.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { controlNames } from "../../policy/controls";
import type { PlanResource } from "../../policy/offline";
import { azureReaders } from "../../policy/readers/azure";
import { documentedGrants, privilegedRoles } from "../../policy/readers/azure/iam";
import { durationDays } from "../../policy/readers/azure/relations";
import { taggableTypes } from "../../policy/readers/azure/tags";
import { az } from "../../policy/readers/azure/tokens";
import { projectRoot } from "../harness/stackFiles";
import { edit, finding, findings, plan } from "./plans";

const sdk = path.join(projectRoot, "node_modules", "@pulumi", "azure-native");

/** `azure-native:app:ContainerApp` is registered by the `app` module's index as a `case` of its construct switch. */
function providerHasType(type: string): boolean {
  const module = type.split(":")[1];
  return readFileSync(path.join(sdk, module, "index.js"), "utf8").includes(`case "${type}":`);
}

/** The declaration file of a resource class: the module's index loads it lazily by file name (`./afdendpoint` for AFDEndpoint). */
function declarationOf(type: string): string {
  const [, module, kind] = type.split(":");
  const index = readFileSync(path.join(sdk, module, "index.js"), "utf8");
  const file = new RegExp(`lazyLoad\\(exports, \\["${kind}"\\], \\(\\) => require\\("\\./([^"]+)"\\)\\)`).exec(index)?.[1];
  if (!file) throw new Error(`no module file of ${type} in @pulumi/azure-native/${module}`);
  return readFileSync(path.join(sdk, module, `${file}.d.ts`), "utf8");
}

/** Whether the provider's arguments of `type` take `tags`. */
function takesTags(type: string): boolean {
  const kind = type.split(":")[2];
  const text = declarationOf(type);
  const args = text.slice(text.indexOf(`export interface ${kind}Args {`));
  return /\n {4}tags\?:/.test(args.slice(0, args.indexOf("\n}\n")));
}

const readerTypes = controlNames.flatMap((name) => {
  const reader = azureReaders.read[name];
  return typeof reader === "function" ? [] : Object.keys(reader);
});

describe("Azure type tokens", () => {
  it("every token the readers know is a resource of @pulumi/azure-native", () => {
    const unknown = [...new Set([...Object.values(az), ...readerTypes])].filter((t) => !providerHasType(t));
    expect(unknown).toEqual([]);
  });

  it("the Azure readers claim azure-native tokens only", () => {
    expect(azureReaders.packages).toEqual(["azure-native"]);
    for (const type of readerTypes) expect(type.split(":")[0]).toBe("azure-native");
  });

  it("the taggable types are exactly those, among the committed stacks' on Azure and the readers', whose arguments take tags", async () => {
    const plans: PlanResource[][] = [];
    for (const stack of ["dev", "staging", "production"] as const) plans.push(await plan(stack, { cloud: "azure" }));
    const types = new Set([...plans.flat().map((r) => r.type).filter((t) => t.startsWith("azure-native:")), ...Object.values(az)]);
    expect([...types].filter(takesTags).sort()).toEqual([...taggableTypes].sort());
  });

  it("knows the declarations the tag check reads: a type with tags and one without", () => {
    expect(takesTags("azure-native:cdn:AFDEndpoint")).toBe(true);
    expect(takesTags("azure-native:network:Subnet")).toBe(false);
  });
});

describe("Azure privileged roles", () => {
  it("are the built-in roles Azure lists as privileged administrator roles, by their fixed ids", () => {
    expect(Object.values(privilegedRoles).sort()).toEqual(["Contributor", "Owner", "Reservations Administrator", "Role Based Access Control Administrator", "User Access Administrator"]);
    for (const id of Object.keys(privilegedRoles)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("the one documented grant is Contributor on the restore test's scratch group for a managed identity, nothing wider", () => {
    const [scratch] = documentedGrants;
    expect(documentedGrants).toHaveLength(1);
    const contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    const grant = { principalType: "ServicePrincipal", scope: "/subscriptions/s/resourceGroups/platform-production-restore-test" };
    expect(scratch.allows(contributor, grant)).toBe(true);
    expect(scratch.allows("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", grant)).toBe(false);
    expect(scratch.allows(contributor, { ...grant, scope: "/subscriptions/s/resourceGroups/platform-production" })).toBe(false);
    expect(scratch.allows(contributor, { ...grant, scope: "/subscriptions/s/resourceGroups/platform-production-restore-test/providers/Microsoft.Storage/storageAccounts/x" })).toBe(false);
    expect(scratch.allows(contributor, { ...grant, scope: "/subscriptions/s" })).toBe(false);
    expect(scratch.allows(contributor, { ...grant, principalType: "User" })).toBe(false);
  });
});

describe("Azure readers' own rules", () => {
  it("reads ISO 8601 durations of backup policies and rotation policies in days", () => {
    expect([durationDays("P7D"), durationDays("P4W"), durationDays("P12M"), durationDays("P1Y"), durationDays("P1Y6M"), durationDays("PT12H")]).toEqual([7, 28, 365, 365, 548, 1]);
    for (const bad of ["", "P", "PT", "7D", "P7", undefined]) expect(durationDays(bad)).toBeUndefined();
  });

  it("an NSG allow behind an earlier deny for the same source admits nothing; before it, it does", async () => {
    const production = await plan("production", { cloud: "azure" });
    const internet = (priority: number) =>
      edit(production, "network-apps-nsg", (i) =>
        i.securityRules.push({ name: "late", priority, access: "Allow", direction: "Inbound", protocol: "Tcp", sourceAddressPrefix: "Internet", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: "8080" }),
      );
    // deny-internet has priority 4000: NSG rules apply by priority, the first match decides.
    expect(findings(internet(4100), "production", "no-public-ingress")).toEqual([]);
    expect(findings(internet(3000), "production", "no-public-ingress").map(finding)).toEqual(["the compute admits Internet on port 8080"]);
  });
});
