// The contract every cloud implementation fulfils: an inspection of the account before anything is
// planned, then one function per building block, each given the spec and the neutral outputs of the
// blocks before it.
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
  SpecProblem,
} from "./model";
import type { Namer } from "./naming";

/** What the account holds for one service's release, as the inspection found it. */
export interface ServiceRelease {
  /**
   * Why the service cannot run yet (its image or a secret value is missing); empty when it can. A held
   * service is created with no running tasks and no autoscaling, so it never crash-loops.
   */
  holdReasons: string[];
  /** The service exists with no running tasks and can run now: this deployment starts it. */
  starting: boolean;
  /** Content id (digest) of the image the tag points at, for a service that runs its own registry's image. */
  imageDigest?: string;
}

/** Facts about the account that decide how each service is deployed; read before any resource is planned. */
export interface ReleaseFacts {
  services: Record<string, ServiceRelease>;
  /** Secret name -> id of the value the cloud hands to services now; absent while there is none. */
  secretVersions: Record<string, string>;
}

export interface AccountInspection {
  release: ReleaseFacts;
  /** Config the account contradicts (a tag that is not in the registry, a domain outside its zone). */
  problems: SpecProblem[];
  /** What the operator must do or know (a held service and the commands that release it). */
  warnings: string[];
}

export interface BlockContext {
  /** The block component; every child is parented to it. */
  parent: pulumi.ComponentResource;
  /** The block's logical name, the prefix of every child's logical name. */
  name: string;
  spec: PlatformSpec;
  names: Namer;
  release: ReleaseFacts;
}

/**
 * How a cloud is plugged in: called once per program run, after validation, with the stack's spec and
 * namer. A cloud that needs stack-wide handles the others do not have (Azure: the resource group and
 * the log workspace every resource refers to) creates and keeps them in this closure, so they never
 * reach the neutral outputs; a cloud without any (AWS) returns one stateless implementation.
 */
export type CloudFactory = (spec: PlatformSpec, names: Namer) => CloudImplementation;

export interface CloudImplementation {
  /**
   * Reads what the account already holds (images, secret values, DNS zones) with plain cloud reads
   * that also run in a preview. Gets the spec, never stack config.
   */
  inspectAccount(spec: PlatformSpec): Promise<AccountInspection>;
  secretsStore(ctx: BlockContext): SecretsStoreOutputs;
  network(ctx: BlockContext, deps: { secrets: SecretsStoreOutputs }): NetworkOutputs;
  backupVault(ctx: BlockContext, deps: { secrets: SecretsStoreOutputs; network: NetworkOutputs }): DataStoreOutputs;
  loadBalancer(ctx: BlockContext, deps: { network: NetworkOutputs; secrets: SecretsStoreOutputs }): LoadBalancerOutputs;
  containerService(
    ctx: BlockContext,
    deps: { network: NetworkOutputs; secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; dataStore: DataStoreOutputs },
  ): ContainerServiceOutputs;
  autoscaling(ctx: BlockContext, deps: { containerService: ContainerServiceOutputs }): AutoscalingOutputs;
  alarms(
    ctx: BlockContext,
    deps: { secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; containerService: ContainerServiceOutputs; dataStore: DataStoreOutputs },
  ): AlarmOutputs;
  /**
   * Stack output names this cloud exported before they were made neutral, each mapped to the neutral
   * output it is now: exported as well, for one release, so that scripts reading them keep working.
   */
  outputAliases?: Readonly<Record<string, string>>;
}
