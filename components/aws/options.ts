// Resource options shared by every AWS block.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";

export function child(ctx: BlockContext, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { parent: ctx.parent, ...extra };
}

/** Stateful resources: protected and kept on delete where the spec asks for deletion protection. */
export function stateful(ctx: BlockContext, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  const keep = ctx.spec.deletionProtection;
  return { parent: ctx.parent, protect: keep, retainOnDelete: keep, ...extra };
}

/**
 * A child that configures a stateful resource (its policy, public-access block, versioning,
 * lifecycle): kept on delete together with that resource, so a retained bucket keeps its
 * protections instead of being left open.
 */
export function keptWith(ctx: BlockContext, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { parent: ctx.parent, retainOnDelete: ctx.spec.deletionProtection, ...extra };
}

export function tags(ctx: BlockContext, name?: string): Record<string, string> {
  return name ? { ...ctx.spec.tags, Name: name } : { ...ctx.spec.tags };
}

/** The account and partition, for ARNs and key policies (answered at plan time by STS). */
export function callerArnParts(ctx: BlockContext): { accountId: pulumi.Output<string>; partition: pulumi.Output<string> } {
  const identity = aws.getCallerIdentityOutput({}, { parent: ctx.parent });
  const partition = aws.getPartitionOutput({}, { parent: ctx.parent });
  return { accountId: identity.accountId, partition: partition.partition };
}
