// The contract every cloud implementation fulfils: one function per building block, each given
// the spec and the neutral outputs of the blocks before it.
import type * as pulumi from "@pulumi/pulumi";
import type {
  AlarmOutputs,
  AutoscalingOutputs,
  ContainerServiceOutputs,
  DataStoreOutputs,
  LoadBalancerOutputs,
  NetworkOutputs,
  PlatformSpec,
  SecretsStoreOutputs,
} from "./model";
import type { Namer } from "./naming";

export interface BlockContext {
  /** The block component; every child is parented to it. */
  parent: pulumi.ComponentResource;
  /** The block's logical name, the prefix of every child's logical name. */
  name: string;
  spec: PlatformSpec;
  names: Namer;
}

export interface CloudImplementation {
  secretsStore(ctx: BlockContext): SecretsStoreOutputs;
  network(ctx: BlockContext, deps: { secrets: SecretsStoreOutputs }): NetworkOutputs;
  backupVault(ctx: BlockContext, deps: { secrets: SecretsStoreOutputs }): DataStoreOutputs;
  loadBalancer(ctx: BlockContext, deps: { network: NetworkOutputs; secrets: SecretsStoreOutputs }): LoadBalancerOutputs;
  containerService(
    ctx: BlockContext,
    deps: { network: NetworkOutputs; secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; dataStore: DataStoreOutputs },
  ): ContainerServiceOutputs;
  autoscaling(ctx: BlockContext, deps: { containerService: ContainerServiceOutputs }): AutoscalingOutputs;
  alarms(
    ctx: BlockContext,
    deps: { secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; containerService: ContainerServiceOutputs },
  ): AlarmOutputs;
}
