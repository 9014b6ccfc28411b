// Autoscaling on GCP: Cloud Run scales each service between its min and max instances on requests
// (concurrency) and CPU by itself; the service's template carries both bounds, so nothing else is
// registered here (a service-level scaling block as well would fight it, pulumi/pulumi-gcp#3052). The
// CPU target is Cloud Run's own (limits.ts warns where the spec asks for another); memory is refused.
import type * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AutoscalingOutputs, ContainerServiceOutputs } from "../model";

export function autoscaling(ctx: BlockContext, deps: { containerService: ContainerServiceOutputs }): AutoscalingOutputs {
  const policyIds: Record<string, pulumi.Output<string>[]> = {};
  for (const svcName of Object.keys(ctx.spec.services)) {
    policyIds[svcName] = deps.containerService.heldServices.includes(svcName) ? [] : [deps.containerService.serviceNames[svcName]];
  }
  return { policyIds };
}
