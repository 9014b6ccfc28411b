// Azure regions of the public cloud, whether each has availability zones, and its paired region, known
// offline so that a typo in `azure-native:location` or `backup.copyRegion` stops the program before
// anything is planned. Source: "Azure regions list" (learn.microsoft.com/azure/reliability/regions-list,
// September 2025): the programmatic name, the availability-zone column and the paired-region column. A
// region launched later is added here. No SDK import: config validation uses it.
import { closest, distance } from "fastest-levenshtein";

interface AzureRegion {
  /** Availability zones 1, 2 and 3: every region that has zones has three (same page). */
  zones: boolean;
  /** The paired region, where geo-redundant storage and backups replicate; absent: the region has none. */
  pair?: string;
}

const regions: Record<string, AzureRegion> = {
  australiacentral: { zones: false, pair: "australiacentral2" },
  australiacentral2: { zones: false, pair: "australiacentral" },
  australiaeast: { zones: true, pair: "australiasoutheast" },
  australiasoutheast: { zones: false, pair: "australiaeast" },
  austriaeast: { zones: true },
  belgiumcentral: { zones: true },
  brazilsouth: { zones: true, pair: "southcentralus" },
  brazilsoutheast: { zones: false, pair: "brazilsouth" },
  canadacentral: { zones: true, pair: "canadaeast" },
  canadaeast: { zones: false, pair: "canadacentral" },
  centralindia: { zones: true, pair: "southindia" },
  centralus: { zones: true, pair: "eastus2" },
  chilecentral: { zones: true },
  denmarkeast: { zones: true },
  eastasia: { zones: true, pair: "southeastasia" },
  eastus: { zones: true, pair: "westus" },
  eastus2: { zones: true, pair: "centralus" },
  francecentral: { zones: true, pair: "francesouth" },
  francesouth: { zones: false, pair: "francecentral" },
  germanynorth: { zones: false, pair: "germanywestcentral" },
  germanywestcentral: { zones: true, pair: "germanynorth" },
  indonesiacentral: { zones: true },
  israelcentral: { zones: true },
  italynorth: { zones: true },
  japaneast: { zones: true, pair: "japanwest" },
  japanwest: { zones: true, pair: "japaneast" },
  koreacentral: { zones: true, pair: "koreasouth" },
  koreasouth: { zones: false, pair: "koreacentral" },
  malaysiawest: { zones: true },
  mexicocentral: { zones: true },
  newzealandnorth: { zones: true },
  northcentralus: { zones: false, pair: "southcentralus" },
  northeurope: { zones: true, pair: "westeurope" },
  norwayeast: { zones: true, pair: "norwaywest" },
  norwaywest: { zones: false, pair: "norwayeast" },
  polandcentral: { zones: true },
  qatarcentral: { zones: true },
  southafricanorth: { zones: true, pair: "southafricawest" },
  southafricawest: { zones: false, pair: "southafricanorth" },
  southcentralus: { zones: true, pair: "northcentralus" },
  southeastasia: { zones: true, pair: "eastasia" },
  southindia: { zones: false, pair: "centralindia" },
  spaincentral: { zones: true },
  swedencentral: { zones: true, pair: "swedensouth" },
  switzerlandnorth: { zones: true, pair: "switzerlandwest" },
  switzerlandwest: { zones: false, pair: "switzerlandnorth" },
  uaecentral: { zones: false, pair: "uaenorth" },
  uaenorth: { zones: true, pair: "uaecentral" },
  uksouth: { zones: true, pair: "ukwest" },
  ukwest: { zones: false, pair: "uksouth" },
  westcentralus: { zones: false, pair: "westus2" },
  westeurope: { zones: true, pair: "northeurope" },
  westindia: { zones: false, pair: "southindia" },
  westus: { zones: false, pair: "eastus" },
  westus2: { zones: true, pair: "westcentralus" },
  westus3: { zones: true, pair: "eastus" },
};

export const azureRegionNames: string[] = Object.keys(regions);

/** Logical zone names, the same in every region that has zones. */
export const azureZoneNames = ["1", "2", "3"] as const;

/** The zones of a known region ([] where it has none); undefined for a region not listed here. */
export function azureZones(region: string): string[] | undefined {
  const known = regions[region];
  if (!known) return undefined;
  return known.zones ? [...azureZoneNames] : [];
}

/** The paired region, where geo-redundant backups replicate; undefined where the region has no pair. */
export function azurePairedRegion(region: string): string | undefined {
  return regions[region]?.pair;
}

/** Why `region` is not an Azure region, with the closest real one when the name looks like a typo. */
export function azureRegionProblem(region: string): string | undefined {
  if (Object.hasOwn(regions, region)) return undefined;
  const best = closest(region, azureRegionNames);
  if (distance(region, best) <= 2) return `not an Azure region; did you mean "${best}"?`;
  return `not an Azure region (the programmatic name, such as japaneast); the regions are ${azureRegionNames.join(", ")}`;
}
