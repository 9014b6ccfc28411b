// The Azure implementation, made per stack: the first block creates the stack-wide handles (resource
// group, workspaces, name suffix) and each block keeps what a later one needs (subnets, the Front
// Door profile, the apps), all in this closure, never in the neutral outputs.
import * as pulumi from "@pulumi/pulumi";
import type { CloudFactory, CloudImplementation } from "../cloud";
import { dropVersionedAliases } from "./aliases";
import { inspectAccount } from "./accountState";
import { alarms } from "./alarms";
import { autoscaling } from "./autoscaling";
import { type AzureApps, containerService } from "./containerService";
import { type AzureDataStore, dataStore } from "./dataStore";
import { type Foundation, foundation } from "./foundation";
import { type AzureFrontDoor, frontDoor } from "./frontDoor";
import { azureNames } from "./names";
import { type AzureNetwork, azureNetwork } from "./network";
import { type AzureSecrets, secretsStore } from "./secretsStore";

export const azureCloud: CloudFactory = (_spec, names) => {
  pulumi.runtime.registerStackTransformation(dropVersionedAliases);
  const n = azureNames(names);
  const made: { foundation?: Foundation; secrets?: AzureSecrets; network?: AzureNetwork; data?: AzureDataStore; frontDoor?: AzureFrontDoor; apps?: AzureApps } = {};
  // The platform builds the blocks in dependency order; a block asking for one not built yet is a bug.
  const need = <K extends keyof typeof made>(key: K): NonNullable<(typeof made)[K]> => {
    const handle = made[key];
    if (!handle) throw new Error(`the Azure ${key} is used before its block was built`);
    return handle as NonNullable<(typeof made)[K]>;
  };
  const implementation: CloudImplementation = {
    inspectAccount: (spec) => inspectAccount(spec, names),
    secretsStore(ctx) {
      made.foundation = foundation(ctx, n);
      made.secrets = secretsStore(ctx, made.foundation, n);
      return made.secrets.outputs;
    },
    network(ctx) {
      made.network = azureNetwork(ctx, need("foundation"), n, need("secrets"));
      return made.network.outputs;
    },
    backupVault(ctx) {
      made.data = dataStore(ctx, need("foundation"), n, need("secrets"), need("network"));
      return made.data.outputs;
    },
    loadBalancer(ctx) {
      made.frontDoor = frontDoor(ctx, need("foundation"), n);
      return made.frontDoor.outputs;
    },
    containerService(ctx, deps) {
      made.apps = containerService(ctx, { foundation: need("foundation"), names: n, secrets: need("secrets"), network: need("network"), dataStore: need("data"), frontDoor: need("frontDoor"), loadBalancer: deps.loadBalancer });
      return made.apps.outputs;
    },
    autoscaling(ctx) {
      return autoscaling(ctx, need("apps"));
    },
    alarms(ctx, deps) {
      return alarms(ctx, { foundation: need("foundation"), names: n, frontDoor: need("frontDoor"), apps: need("apps"), loadBalancer: deps.loadBalancer, containerService: deps.containerService, dataStore: deps.dataStore });
    },
  };
  return implementation;
};
