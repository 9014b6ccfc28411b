// Relations between Azure resources that several readers need, read from property dependencies
// (known in a preview, where the resource ids they carry are not).
import type { IngressTarget, StackResourceView } from "../../facts";
import type { StackGraph } from "../../graph";
import { az } from "./tokens";

/** Storage accounts VNet flow logs write to: records of the network (log-retention's), not data. */
export function flowLogAccounts(graph: StackGraph): Set<string> {
  return new Set(graph.ofType(az.flowLog).flatMap((f) => graph.sources(f, "storageId", az.storageAccount).map((a) => a.urn)));
}

/** The Front Door routes that reach a container app: route -> origin group <- origin whose host is the app's. */
export function routesOf(graph: StackGraph, app: StackResourceView): StackResourceView[] {
  const groups = graph.users(app, az.afdOrigin, "hostName").flatMap((origin) => graph.sources(origin, "originGroupName", az.afdOriginGroup));
  return [...new Set(groups.flatMap((group) => graph.users(group, az.route, "originGroup")))];
}

/** The environment a container app or job runs in. */
export function environmentOf(graph: StackGraph, workload: StackResourceView): StackResourceView | undefined {
  const property = workload.type === az.containerAppJob ? "environmentId" : "managedEnvironmentId";
  return graph.sources(workload, property, az.managedEnvironment)[0];
}

/**
 * An environment whose apps the internet reaches through a public address: not internal to its VNet and
 * public network access not disabled ("Networking in Azure Container Apps environment": an external
 * environment gets a public IP; `publicNetworkAccess: Disabled` leaves private endpoints only).
 */
export function isExternalEnvironment(environment: StackResourceView): boolean {
  const vnet = environment.props.vnetConfiguration;
  return environment.props.publicNetworkAccess !== "Disabled" && vnet?.internal !== true;
}

/** What runs in a subnet, as no-public-ingress classifies it. */
export function subnetTarget(graph: StackGraph, subnet: StackResourceView): IngressTarget {
  if (graph.users(subnet, az.postgresServer, "network").length > 0) return "database";
  if (graph.users(subnet, az.managedEnvironment, "vnetConfiguration").length > 0) return "compute";
  return "other";
}

/** Workspaces a diagnostic setting sends the given log categories to (a category group `allLogs` sends every one). */
export function logsSentTo(graph: StackGraph, setting: StackResourceView, matches: (log: { category?: string; categoryGroup?: string }) => boolean): StackResourceView[] {
  const logs: { category?: string; categoryGroup?: string; enabled?: boolean }[] = setting.props.logs ?? [];
  return logs.some((log) => log.enabled !== false && matches(log)) ? graph.sources(setting, "workspaceId", az.workspace) : [];
}

/** ISO 8601 durations of Azure Backup and Key Vault (P7D, P4W, P12M, P1Y, PT4H) in days; undefined for another form. */
export function durationDays(duration: unknown): number | undefined {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(String(duration ?? ""));
  if (!match || duration === "P" || duration === "PT") return undefined;
  const [years, months, weeks, days, hours, minutes] = match.slice(1).map((n) => Number(n ?? 0));
  return Math.round(years * 365 + (months * 365) / 12 + weeks * 7 + days + hours / 24 + minutes / 1440);
}
