// The seven building blocks as component resources with stable, cloud-neutral type tokens. Each
// block's children come from the implementation of the cloud the spec names.
import * as pulumi from "@pulumi/pulumi";

export type BlockKind =
  | "SecretsStore"
  | "Network"
  | "BackupVault"
  | "LoadBalancer"
  | "ContainerService"
  | "Autoscaling"
  | "Alarms";

/** A building block: its children are created by `build`, parented to the block. */
export class Block<TOutputs extends object> extends pulumi.ComponentResource {
  readonly outputs: TOutputs;

  constructor(kind: BlockKind, name: string, build: (block: Block<TOutputs>) => TOutputs, opts?: pulumi.ComponentResourceOptions) {
    super(`platform:index:${kind}`, name, {}, opts);
    this.outputs = build(this);
    this.registerOutputs(this.outputs as Record<string, unknown>);
  }
}
