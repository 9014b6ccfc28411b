// The Platform component: turns one PlatformSpec into the seven building blocks, in dependency
// order, on the cloud the spec names.
import * as pulumi from "@pulumi/pulumi";
import { Block, type BlockKind } from "./blocks";
import type { BlockContext, CloudFactory, CloudImplementation, ReleaseFacts } from "./cloud";
import type { CloudName, PlatformSpec, ReleaseStatus } from "./model";
import { Namer } from "./naming";

/**
 * One line per cloud: adding a cloud is adding its folder and its line here. Loaded on demand, so
 * that a stack on one cloud never loads another cloud's SDK.
 */
export const cloudImplementations: Record<CloudName, (() => Promise<CloudFactory>) | undefined> = {
  aws: async () => (await import("./aws")).awsCloud,
  azure: async () => (await import("./azure")).azureCloud,
  gcp: async () => (await import("./gcp")).gcpCloud,
};

/** The implementation of the spec's cloud for this stack; only that cloud's code is loaded. */
export async function loadCloud(spec: PlatformSpec): Promise<CloudImplementation> {
  const load = cloudImplementations[spec.cloud];
  if (!load) throw new pulumi.RunError(`platform:cloud: ${spec.cloud} is not implemented yet`);
  const create = await load();
  return create(spec, new Namer(spec.project, spec.stack));
}

export interface PlatformArgs {
  cloud: CloudImplementation;
  /** What the account inspection found (`CloudImplementation.inspectAccount`). */
  release: ReleaseFacts;
}

export class Platform extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly outputs: Record<string, pulumi.Input<unknown>>;
  private readonly releaseStatuses: Record<string, pulumi.Output<ReleaseStatus>>;
  private readonly waitsForRollouts: boolean;

  constructor(name: string, spec: PlatformSpec, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Platform", name, {}, opts);
    const { cloud, release } = args;
    const names = new Namer(spec.project, spec.stack);
    const block = <T extends object>(kind: BlockKind, blockName: string, build: (ctx: BlockContext) => T) =>
      new Block<T>(kind, blockName, (parent) => build({ parent, name: blockName, spec, names, release }), { parent: this }).outputs;

    // The managed key comes first: flow logs, backups and logs are encrypted with it.
    const secrets = block("SecretsStore", "secrets", (ctx) => cloud.secretsStore(ctx));
    const network = block("Network", "network", (ctx) => cloud.network(ctx, { secrets }));
    // The data stores live with their backup vault; services are handed their names. The database
    // sits in the private subnets.
    const dataStore = block("BackupVault", "backup", (ctx) => cloud.backupVault(ctx, { secrets, network }));
    const loadBalancer = block("LoadBalancer", "lb", (ctx) => cloud.loadBalancer(ctx, { network, secrets }));
    const containerService = block("ContainerService", "app", (ctx) =>
      cloud.containerService(ctx, { network, secrets, loadBalancer, dataStore }),
    );
    const autoscaling = block("Autoscaling", "scaling", (ctx) => cloud.autoscaling(ctx, { containerService }));
    const alarms = block("Alarms", "alarms", (ctx) => cloud.alarms(ctx, { secrets, loadBalancer, containerService, dataStore }));

    this.url = loadBalancer.url;
    this.outputs = {
      url: loadBalancer.url,
      hostname: loadBalancer.hostname,
      networkId: network.networkId,
      privateSubnetIds: network.privateSubnetIds,
      publicSubnetIds: network.publicSubnetIds,
      serviceRuntime: containerService.runtimeName,
      serviceNames: containerService.serviceNames,
      imageRepositories: containerService.imageRepositories,
      heldServices: containerService.heldServices,
      releases: Object.fromEntries(Object.entries(containerService.releases).map(([svcName, status]) => [svcName, status.apply((s) => s.release)])),
      dataStoreName: dataStore.dataStoreName,
      dataStoreUrl: dataStore.dataStoreUrl,
      backupVaultName: dataStore.backupVaultName,
      // References only: the credentials stay in the secret the cloud keeps them in.
      ...(dataStore.database
        ? {
            database: {
              host: dataStore.database.host,
              port: dataStore.database.port,
              name: dataStore.database.databaseName,
              instance: dataStore.database.instanceId,
              credentialsRef: dataStore.database.credentialsRef,
            },
          }
        : {}),
      alarmTargets: alarms.targetIds,
      uptimeChecks: alarms.uptimeCheckIds,
      ...(alarms.dashboardUrl ? { dashboardUrl: alarms.dashboardUrl } : {}),
      scalingPolicies: autoscaling.policyIds,
      secretRefs: secrets.secretRefs,
    };
    for (const [old, neutral] of Object.entries(cloud.outputAliases ?? {})) {
      if (!(neutral in this.outputs)) throw new Error(`output alias ${old}: no output named ${neutral}`);
      this.outputs[old] = this.outputs[neutral];
    }
    this.registerOutputs(this.outputs);
    this.releaseStatuses = containerService.releases;
    this.waitsForRollouts = spec.waitForRollout;
  }

  /**
   * Resolves once every service's update is over (where the spec waits for rollouts) with what went
   * wrong: one message per service that does not run the release the update asked for. None in a
   * preview, where nothing is deployed.
   */
  async rolloutFailures(): Promise<string[]> {
    if (!this.waitsForRollouts || pulumi.runtime.isDryRun()) return [];
    const statuses = await Promise.all(Object.values(this.releaseStatuses).map(settled));
    return statuses.flatMap((s) => (s?.failure !== undefined ? [s.failure] : []));
  }
}

/**
 * An Output's value as a promise that also rejects when the Output does. The SDK awaits stack outputs
 * this way (runtime/stack.ts); its typings keep the method internal.
 */
function settled<T>(output: pulumi.Output<T>): Promise<T | undefined> {
  return (output as unknown as { promise(): Promise<T | undefined> }).promise();
}
