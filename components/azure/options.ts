// Resource options and tags shared by every Azure block.
import type * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";

export function child(ctx: BlockContext, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { parent: ctx.parent, ...extra };
}

/** Stateful resources: protected and kept on delete where the spec asks for deletion protection. */
export function stateful(ctx: BlockContext, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  const keep = ctx.spec.deletionProtection;
  return { parent: ctx.parent, protect: keep, retainOnDelete: keep, ...extra };
}

/** A child that configures a stateful resource: kept on delete with it, so a kept account keeps its protections. */
export function keptWith(ctx: BlockContext, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { parent: ctx.parent, retainOnDelete: ctx.spec.deletionProtection, ...extra };
}

export function tags(ctx: BlockContext, extra?: Record<string, string>): Record<string, string> {
  return { ...ctx.spec.tags, ...extra };
}
