// Required tags on Azure: every resource type the platform creates (or the readers know) whose
// arguments take `tags`. tests/policy/azureReaders.test.ts compares this list with the
// @pulumi/azure-native declarations of every type the committed stacks register on Azure, so a new
// taggable type is not missed. Subnets, rules, role assignments, diagnostic settings and the like take
// no tags in Azure Resource Manager.
import type { TagsFact } from "../../facts";
import type { ResourceReaders } from "../types";

export const taggableTypes = [
  "azure-native:app:ContainerApp",
  "azure-native:app:Job",
  "azure-native:app:ManagedEnvironment",
  "azure-native:applicationinsights:Component",
  "azure-native:applicationinsights:WebTest",
  "azure-native:cdn:AFDEndpoint",
  "azure-native:cdn:Profile",
  "azure-native:containerregistry:Registry",
  "azure-native:dataprotection:BackupInstance",
  "azure-native:dataprotection:BackupVault",
  "azure-native:dbforpostgresql:Server",
  "azure-native:frontdoor:Policy",
  "azure-native:keyvault:Key",
  "azure-native:keyvault:Secret",
  "azure-native:keyvault:Vault",
  "azure-native:managedidentity:UserAssignedIdentity",
  "azure-native:monitor:ActionGroup",
  "azure-native:monitor:MetricAlert",
  "azure-native:monitor:ScheduledQueryRule",
  "azure-native:network:FlowLog",
  "azure-native:network:NatGateway",
  "azure-native:network:NetworkInterface",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:PrivateEndpoint",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:VirtualNetwork",
  "azure-native:operationalinsights:Workspace",
  "azure-native:portal:Dashboard",
  "azure-native:privatedns:PrivateZone",
  "azure-native:privatedns:VirtualNetworkLink",
  "azure-native:resources:ResourceGroup",
  "azure-native:storage:StorageAccount",
] as const;

const readTags = ({ props }: { props: Record<string, any> }): TagsFact[] => [{ tags: props.tags, setting: "tags" }];

export const requiredTags: ResourceReaders<TagsFact> = Object.fromEntries(taggableTypes.map((type) => [type, readTags]));
