// Data on Azure: anonymous access to storage, what the Data Protection vault and the stores' own
// point-in-time restore cover and for how long, the database's standby, and what keeps stateful
// resources from being deleted with their data.
import type { BackupFact, BackupFrequency, ObjectStoreAccessFact, StackResourceView, StandbyFact, StatefulFact } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { durationDays, flowLogAccounts } from "./relations";
import { az } from "./tokens";

/**
 * "Prevent anonymous read access to containers and blobs": allowBlobPublicAccess false forbids anonymous
 * access to every container of the account, whatever the container says; a container's publicAccess
 * Blob or Container grants it where the account allows it.
 */
export const objectStoragePrivate: StackReader<ObjectStoreAccessFact> = (resources) => {
  const graph = StackGraph.of(resources);
  return graph.ofType(az.storageAccount).map((account) => {
    const blocked = account.props.allowBlobPublicAccess === false;
    const grants = graph
      .users(account, az.blobContainer, "accountName")
      .filter((c) => c.props.publicAccess === "Blob" || c.props.publicAccess === "Container")
      .map((c) => `container ${c.props.containerName ?? c.name} publicAccess ${c.props.publicAccess}`);
    return { urn: account.urn, publicAccessBlocked: blocked, publicGrants: blocked ? [] : grants, setting: blocked ? "allowBlobPublicAccess false" : `allowBlobPublicAccess ${account.props.allowBlobPublicAccess ?? "is not set"}` };
  });
};

interface TaggingCriteria {
  isDefault?: boolean;
  tagInfo?: { tagName?: string };
  criteria?: { absoluteCriteria?: string[]; daysOfTheWeek?: string[] }[];
}

interface PolicyRule {
  objectType?: string;
  name?: string;
  isDefault?: boolean;
  dataStore?: { dataStoreType?: string };
  trigger?: { schedule?: { repeatingTimeIntervals?: string[] }; taggingCriteria?: TaggingCriteria[] };
  lifecycles?: { deleteAfter?: { duration?: string }; sourceDataStore?: { dataStoreType?: string } }[];
}

/** How often a schedule runs: `R/<start>/P1D` daily, `R/<start>/P1W` weekly (ISO 8601 repeating intervals). */
function scheduleFrequency(intervals: string[] | undefined): BackupFrequency | "other" {
  const days = (intervals ?? []).map((i) => durationDays(i.split("/").pop())).filter((d): d is number => d !== undefined);
  if (days.length === 0) return "other";
  const shortest = Math.min(...days);
  return shortest <= 1 ? "daily" : shortest === 7 ? "weekly" : "other";
}

/** A tag's criteria: the first backup of the week or month (Azure Backup tagging criteria, absoluteCriteria). */
function tagFrequency(tagging: TaggingCriteria | undefined, schedule: BackupFrequency | "other"): BackupFrequency | "other" {
  if (!tagging || tagging.isDefault === true) return schedule;
  const absolute = (tagging.criteria ?? []).flatMap((c) => c.absoluteCriteria ?? []);
  if (absolute.includes("FirstOfWeek") || (tagging.criteria ?? []).some((c) => (c.daysOfTheWeek ?? []).length === 1)) return "weekly";
  if (absolute.includes("FirstOfMonth")) return "monthly";
  return "other";
}

/**
 * The rules of a Data Protection backup policy: each retention rule keeps the recovery points tagged
 * with its name (the default rule those the schedule takes untagged) for its lifecycle's deleteAfter
 * ("Azure Backup: backup policies for Azure Database for PostgreSQL flexible server and blobs"). A
 * geo-redundant vault holds the vaulted copies in the region's pair too.
 */
function policyRules(policy: StackResourceView, geoRedundantVault: boolean): BackupFact["rules"] {
  const rules: PolicyRule[] = policy.props.properties?.policyRules ?? [];
  const backupRules = rules.filter((r) => r.objectType === "AzureBackupRule");
  const taggings = backupRules.flatMap((r) => r.trigger?.taggingCriteria ?? []);
  const schedule = scheduleFrequency(backupRules.flatMap((r) => r.trigger?.schedule?.repeatingTimeIntervals ?? []));
  return rules
    .filter((r) => r.objectType === "AzureRetentionRule")
    .flatMap((retention) =>
      (retention.lifecycles ?? []).map((lifecycle) => {
        const store = lifecycle.sourceDataStore?.dataStoreType;
        const tagging = retention.isDefault === true ? undefined : taggings.find((t) => t.tagInfo?.tagName === retention.name);
        return {
          // Operational backups of blobs are the account's own point-in-time restore.
          frequency: store === "OperationalStore" ? "continuous" : tagFrequency(tagging, schedule),
          retentionDays: durationDays(lifecycle.deleteAfter?.duration) ?? 0,
          copiedToAnotherRegion: store === "VaultStore" && geoRedundantVault,
        };
      }),
    );
}

const isGeoRedundant = (vault: StackResourceView | undefined) => ((vault?.props.properties?.storageSettings ?? []) as { type?: string }[]).some((s) => s.type === "GeoRedundant");

export const backups: StackReader<BackupFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const logAccounts = flowLogAccounts(graph);
  const stores = [
    ...graph.ofType(az.storageAccount).filter((a) => !logAccounts.has(a.urn)).map((store) => ({ store, what: "storage account" })),
    ...graph.ofType(az.postgresServer).filter((s) => s.props.createMode !== "Replica").map((store) => ({ store, what: "database" })),
  ];
  return stores.map(({ store, what }) => {
    const vaulted = graph.users(store, az.backupInstance, "properties").flatMap((instance) => {
      const geo = isGeoRedundant(graph.sources(instance, "vaultName", az.backupVault)[0]);
      return graph.sources(instance, "properties", az.backupPolicy).flatMap((policy) => policyRules(policy, geo));
    });
    const own: BackupFact["rules"] = [];
    if (store.type === az.postgresServer) {
      // The server's own backups restore to any point in their retention (7 days unless set), copied to
      // the paired region with geoRedundantBackup ("Backup and restore in Azure Database for PostgreSQL flexible server").
      own.push({ frequency: "continuous", retentionDays: store.props.backup?.backupRetentionDays ?? 7, copiedToAnotherRegion: store.props.backup?.geoRedundantBackup === "Enabled" });
    } else {
      // "Point-in-time restore for block blobs": restorePolicy on the account's blob service.
      for (const service of graph.users(store, az.blobService, "accountName")) {
        const restore = service.props.restorePolicy;
        if (restore?.enabled === true && typeof restore.days === "number") own.push({ frequency: "continuous", retentionDays: restore.days, copiedToAnotherRegion: false });
      }
    }
    return { urn: store.urn, what, rules: [...vaulted, ...own] };
  });
};

export const databaseHighAvailability: ResourceReaders<StandbyFact> = {
  // "High availability in Azure Database for PostgreSQL": ZoneRedundant keeps the standby in another
  // zone; SameZone in the primary's.
  [az.postgresServer]: ({ props }) => (props.createMode === "Replica" ? [] : [{ standby: props.highAvailability?.mode === "ZoneRedundant", setting: `highAvailability.mode ${props.highAvailability?.mode ?? "is not set (Disabled)"}` }]),
};

const guard = (on: boolean, setting: string) => ({ on, setting });
const plain = (what: string) => (): StatefulFact[] => [{ what, guards: [] }];

/**
 * What holds data that a deletion would lose, and the cloud's own guard where the resource carries one.
 * Storage accounts and flexible servers have none of their own: their guard is a CanNotDelete lock, a
 * resource of its own, which a resource rule cannot see next to the resource it locks; the locks are
 * read here as stateful themselves (protected).
 */
export const statefulProtected: ResourceReaders<StatefulFact> = {
  [az.storageAccount]: plain("storage account"),
  [az.blobContainer]: plain("blob container"),
  [az.postgresServer]: plain("database server"),
  [az.postgresDatabase]: plain("database"),
  [az.registry]: plain("image registry"),
  [az.key]: plain("key"),
  [az.secret]: plain("secret"),
  [az.workspace]: plain("log workspace"),
  // "Azure Key Vault soft-delete overview": purge protection keeps a deleted vault and its objects for
  // the whole retention; without it anyone allowed to purge deletes them at once.
  [az.keyVault]: ({ props }) => [
    {
      what: "key vault",
      guards: [
        guard(props.properties?.enableSoftDelete !== false, "enableSoftDelete false deletes the vault and its objects at once"),
        guard(props.properties?.enablePurgeProtection === true, "enablePurgeProtection is not true: a deleted vault can be purged before its retention ends"),
      ],
    },
  ],
  // "Soft delete for Azure Backup": with soft delete Off, deleted recovery points are gone at once.
  [az.backupVault]: ({ props }) => {
    const state = props.properties?.securitySettings?.softDeleteSettings?.state;
    return [{ what: "backup vault", guards: [guard(state === "On" || state === "AlwaysOn", `securitySettings.softDeleteSettings.state ${state ?? "is not set"}: deleted recovery points are not kept`)] }];
  },
  // A lock's level is CanNotDelete or ReadOnly, and both refuse a delete ("Lock your resources to
  // protect your infrastructure"): what can undo it is removing the lock, which protect refuses.
  [az.managementLock]: plain("deletion lock"),
};
