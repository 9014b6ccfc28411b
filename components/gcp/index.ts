// The GCP implementation: the project inspection and the seven building blocks. Made per stack: the
// enabled APIs, the service agents' key grants, the subnet and the database's handles are kept here,
// between the blocks, and never reach the neutral outputs.
import type { CloudFactory, CloudImplementation } from "../cloud";
import { inspectAccount } from "./accountState";
import { alarms } from "./alarms";
import { autoscaling } from "./autoscaling";
import { backupVault } from "./backupVault";
import { containerService } from "./containerService";
import { loadBalancer } from "./loadBalancer";
import { network } from "./network";
import type { GcpStack } from "./options";
import { secretsStore } from "./secretsStore";

export const gcpCloud: CloudFactory = (spec): CloudImplementation => {
  // config.ts refuses a GCP stack without a valid gcp:project before any cloud is loaded.
  const stack: GcpStack = { project: spec.cloudProject!, apis: [], keyGrants: {}, agents: {} };
  return {
    inspectAccount,
    secretsStore: (ctx) => secretsStore(ctx, stack),
    network: (ctx, deps) => network(ctx, stack, deps),
    backupVault: (ctx, deps) => backupVault(ctx, stack, deps),
    loadBalancer: (ctx, deps) => loadBalancer(ctx, stack, deps),
    containerService: (ctx, deps) => containerService(ctx, stack, deps),
    autoscaling: (ctx, deps) => autoscaling(ctx, deps),
    alarms: (ctx, deps) => alarms(ctx, stack, deps),
  };
};
