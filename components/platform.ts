// The Platform component: turns one PlatformSpec into the seven building blocks, in dependency
// order, on the cloud the spec names.
import * as pulumi from "@pulumi/pulumi";
import { awsImplementation } from "./aws";
import { Block, type BlockKind } from "./blocks";
import type { BlockContext, CloudImplementation } from "./cloud";
import type { CloudName, PlatformSpec } from "./model";
import { Namer } from "./naming";

/** One line per cloud: adding a cloud is adding its folder and its line here. */
export const cloudImplementations: Record<CloudName, CloudImplementation | undefined> = {
  aws: awsImplementation,
  azure: undefined,
  gcp: undefined,
};

export class Platform extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly outputs: Record<string, pulumi.Input<unknown>>;

  constructor(name: string, spec: PlatformSpec, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Platform", name, {}, opts);
    const cloud = cloudImplementations[spec.cloud];
    if (!cloud) throw new pulumi.RunError(`platform:cloud: ${spec.cloud} is not implemented yet`);
    const names = new Namer(spec.project, spec.stack);
    const block = <T extends object>(kind: BlockKind, blockName: string, build: (ctx: BlockContext) => T) =>
      new Block<T>(kind, blockName, (parent) => build({ parent, name: blockName, spec, names }), { parent: this }).outputs;

    // The managed key comes first: flow logs, backups and logs are encrypted with it.
    const secrets = block("SecretsStore", "secrets", (ctx) => cloud.secretsStore(ctx));
    const network = block("Network", "network", (ctx) => cloud.network(ctx, { secrets }));
    // The data store lives with its backup vault; services are handed its name.
    const dataStore = block("BackupVault", "backup", (ctx) => cloud.backupVault(ctx, { secrets }));
    const loadBalancer = block("LoadBalancer", "lb", (ctx) => cloud.loadBalancer(ctx, { network, secrets }));
    const containerService = block("ContainerService", "app", (ctx) =>
      cloud.containerService(ctx, { network, secrets, loadBalancer, dataStore }),
    );
    const autoscaling = block("Autoscaling", "scaling", (ctx) => cloud.autoscaling(ctx, { containerService }));
    const alarms = block("Alarms", "alarms", (ctx) => cloud.alarms(ctx, { secrets, loadBalancer, containerService }));

    this.url = loadBalancer.url;
    this.outputs = {
      url: loadBalancer.url,
      hostname: loadBalancer.hostname,
      networkId: network.networkId,
      privateSubnetIds: network.privateSubnetIds,
      publicSubnetIds: network.publicSubnetIds,
      clusterName: containerService.clusterName,
      serviceNames: containerService.serviceNames,
      imageRepositories: containerService.imageRepositories,
      dataStoreName: dataStore.dataStoreName,
      backupVaultName: dataStore.backupVaultName,
      alarmTopics: alarms.topicIds,
      scalingPolicies: autoscaling.policyIds,
      secretRefs: secrets.secretRefs,
    };
    this.registerOutputs(this.outputs);
  }
}
