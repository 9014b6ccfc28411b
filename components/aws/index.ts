// The AWS implementation of the seven building blocks.
import type { CloudImplementation } from "../cloud";
import { alarms } from "./alarms";
import { autoscaling } from "./autoscaling";
import { backupVault } from "./backupVault";
import { containerService } from "./containerService";
import { loadBalancer } from "./loadBalancer";
import { network } from "./network";
import { secretsStore } from "./secretsStore";

export const awsImplementation: CloudImplementation = {
  secretsStore,
  network,
  backupVault,
  loadBalancer,
  containerService,
  autoscaling,
  alarms,
};
