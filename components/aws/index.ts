// The AWS implementation: the account inspection and the seven building blocks.
import type { CloudFactory, CloudImplementation } from "../cloud";
import { inspectAccount } from "./accountState";
import { alarms } from "./alarms";
import { autoscaling } from "./autoscaling";
import { backupVault } from "./backupVault";
import { containerService } from "./containerService";
import { loadBalancer } from "./loadBalancer";
import { network } from "./network";
import { secretsStore } from "./secretsStore";

export const awsImplementation: CloudImplementation = {
  inspectAccount,
  secretsStore,
  network,
  backupVault,
  loadBalancer,
  containerService,
  autoscaling,
  alarms,
  // Model v1 output names, kept for one release (README: stack outputs).
  outputAliases: { clusterName: "serviceRuntime", alarmTopics: "alarmTargets" },
};

/** AWS keeps no stack-wide handles: every stack gets the same stateless implementation. */
export const awsCloud: CloudFactory = () => awsImplementation;
