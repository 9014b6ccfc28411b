// Resource options and labels shared by every GCP block, and the stack-wide handles the factory keeps
// (the enabled APIs and the agents' key grants) so that they never reach the neutral outputs.
import type * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import { gcpLabels } from "../naming";

export type GcpAgent = "secretmanager" | "artifactregistry" | "storage" | "sqladmin" | "logging";

/** What the GCP implementation of one stack holds across its blocks. */
export interface GcpStack {
  project: string;
  /** The project's APIs this stack enables (secrets block); every resource waits for them. */
  apis: pulumi.Resource[];
  /** Key grants of the Google service agents, by service: a CMEK consumer fails before its grant exists. */
  keyGrants: Partial<Record<GcpAgent, pulumi.Resource>>;
  /** The agents' IAM members, for grants on keys other blocks create (the copy region's key). */
  agents: Partial<Record<GcpAgent, pulumi.Output<string>>>;
  /** The platform's key (secrets block), for what other blocks encrypt with it. */
  keyId?: pulumi.Output<string>;
  /** Private services access: the database's private IP comes from it (network block). */
  privateServices?: pulumi.Resource;
  /** The services' subnet, for Direct VPC egress (network block). */
  subnetId?: pulumi.Output<string>;
  /** The database's password secret and its version, its user and its instance (data block), for the services. */
  databasePasswordSecretId?: pulumi.Output<string>;
  databasePasswordVersion?: pulumi.Output<string>;
  databaseUser?: string;
  databaseInstanceName?: pulumi.Output<string>;
}

function dependencies(extra?: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Resource[] {
  if (!extra) return [];
  return (Array.isArray(extra) ? extra : [extra]) as pulumi.Resource[];
}

export function child(ctx: BlockContext, stack: GcpStack, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  return { parent: ctx.parent, ...extra, dependsOn: [...stack.apis, ...dependencies(extra?.dependsOn)] };
}

/** Stateful resources: protected and kept on delete where the spec asks for deletion protection. */
export function stateful(ctx: BlockContext, stack: GcpStack, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  const keep = ctx.spec.deletionProtection;
  return child(ctx, stack, { protect: keep, retainOnDelete: keep, ...extra });
}

/** The spec's tags as GCP labels (limits.ts refuses tags that would collide, and warns where one is rewritten). */
export function labels(ctx: BlockContext, extra?: Record<string, string>): Record<string, string> {
  return { ...gcpLabels(ctx.spec.tags).labels, ...extra };
}
