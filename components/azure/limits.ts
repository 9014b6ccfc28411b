// What Azure refuses that a mock accepts, checked on the spec before anything is registered, in
// Azure's words. No SDK import: this runs while config is validated.
import type { CloudDefaults } from "../limits";
import type { PlatformSpec, SpecProblem } from "../model";
import { containerAppSizeProblems } from "./containerAppSizes";
import { azureDatabaseProblems } from "./databaseLimits";
import { frontDoorProblems } from "./frontDoorLimits";
import { azurePairedRegion, azureRegionProblem } from "./regions";
import { azureReservedEnvProblems } from "./serviceEnv";
import { azureSubnetProblem } from "./subnets";
import { azureTagProblems } from "./tagLimits";
import { azureUptimeProblems } from "./uptimeLimits";

/**
 * Log Analytics retention ("Manage data retention in a Log Analytics workspace"): a table keeps data
 * 4 to 730 days in its interactive (analytics) tier; a workspace's default is 30 to 730 days.
 */
export const tableRetentionDays = { min: 4, max: 730 } as const;
export const workspaceRetentionDays = { min: 30, max: 730 } as const;

export const azureLimits = (spec: PlatformSpec): SpecProblem[] => {
  const problems: SpecProblem[] = [...containerAppSizeProblems(spec), ...azureReservedEnvProblems(spec), ...frontDoorProblems(spec), ...azureTagProblems(spec), ...azureDatabaseProblems(spec), ...azureUptimeProblems(spec)];
  const subnets = azureSubnetProblem(spec);
  if (subnets) problems.push(subnets);
  if (spec.backup.monthlyRestoreTest && !spec.database) {
    // The scheduled restore test restores the database; vaulted blob backups have no automated test.
    problems.push({
      key: "backup.monthlyRestoreTest",
      value: true,
      severity: "warning",
      message: "on Azure the monthly restore test restores the database, and this stack has none (database.enabled false): the storage account's vaulted backups are not tested automatically; restore a sample each month (README, Backups on Azure)",
    });
  }

  // Azure NAT Gateway (Standard, the only SKU of the API the platform uses) is one zonal or non-zonal
  // gateway per subnet ("Azure NAT Gateway and availability zones"), and the Container Apps
  // environment has a single infrastructure subnet: there is no egress path per zone to build.
  if (spec.network.egress === "perZone") {
    problems.push({
      key: "network.egress",
      value: "perZone",
      message:
        "Azure NAT Gateway serves a subnet with one gateway, and Azure Container Apps runs every replica in one subnet: there is no egress path per zone to build on Azure. " +
        "Set network.egress to shared (one NAT gateway with a zone-redundant public IP; a zone outage can cut outbound calls until Azure recovers the gateway, while Front Door keeps serving requests)",
    });
  }

  for (const [name, svc] of Object.entries(spec.services)) {
    // CPU and memory scale rules cannot scale to zero ("Set scaling rules in Azure Container Apps":
    // "scaling to zero isn't supported" for CPU and memory scalers); the platform always has a CPU rule.
    if (svc.minInstances < 1) {
      problems.push({
        key: `services.${name}.minInstances`,
        value: svc.minInstances,
        message: "Azure Container Apps cannot scale an app with a CPU scale rule (the platform's cpuTarget) to zero: set at least 1",
      });
    }
  }

  if (spec.logs.appRetentionDays < tableRetentionDays.min || spec.logs.appRetentionDays > tableRetentionDays.max) {
    problems.push({ key: "logs.appRetentionDays", value: spec.logs.appRetentionDays, message: `a Log Analytics table keeps data ${tableRetentionDays.min} to ${tableRetentionDays.max} days` });
  }
  if (spec.logs.auditRetentionDays < workspaceRetentionDays.min || spec.logs.auditRetentionDays > workspaceRetentionDays.max) {
    problems.push({
      key: "logs.auditRetentionDays",
      value: spec.logs.auditRetentionDays,
      message: `the audit logs have a Log Analytics workspace of their own, which keeps data ${workspaceRetentionDays.min} to ${workspaceRetentionDays.max} days`,
    });
  }

  const copyRegion = spec.backup.copyRegion;
  if (copyRegion !== undefined) {
    const pair = azurePairedRegion(spec.region);
    const unknown = azureRegionProblem(copyRegion);
    if (unknown) {
      problems.push({ key: "backup.copyRegion", value: copyRegion, message: unknown });
    } else if (pair === undefined) {
      problems.push({
        key: "backup.copyRegion",
        value: copyRegion,
        message: `Azure Backup copies a geo-redundant vault only to the stack region's pair, and ${spec.region} has no paired region: a second-region copy cannot be built here; run the stack in a paired region`,
      });
    } else if (copyRegion !== pair) {
      problems.push({ key: "backup.copyRegion", value: copyRegion, message: `Azure Backup copies a geo-redundant vault only to the stack region's pair: for ${spec.region} that is ${pair}` });
    }
  }
  return problems;
};

/**
 * What config validation asks Azure beyond its limits: the second region of backup copies is the
 * region's pair; the production preset's egress per zone, which Azure cannot build, is shared egress
 * when the stack file asks for nothing; and Front Door serves HTTPS on its own endpoint host name
 * without a domain or certificate (<endpoint>-<hash>.z01.azurefd.net, with Front Door's certificate).
 */
export const azureDefaults: CloudDefaults = {
  copyRegion: azurePairedRegion,
  egress: {
    value: "shared",
    reason:
      "Azure cannot give each zone its own egress (one NAT gateway serves the Container Apps subnet): this stack gets one NAT gateway with a zone-redundant public IP. " +
      "A zone outage can cut outbound calls until Azure recovers the gateway; Front Door keeps serving requests. Set network.egress: shared to say so and silence this warning",
  },
  ownHostnameHttps: true,
};
