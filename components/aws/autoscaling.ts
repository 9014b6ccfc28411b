// Autoscaling on AWS: Application Auto Scaling keeps each ECS service between its min and max
// instance (task) counts, tracking average CPU (and memory where the spec sets a target). A held service gets no
// scalable target: registering one "changes the resource's current capacity to a value that is inside
// of this range" (Application Auto Scaling API reference, RegisterScalableTarget), which would start
// tasks that can only fail. The update that finds the service ready registers it.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AutoscalingOutputs, ContainerServiceOutputs } from "../model";
import { child, tags } from "./options";

export function autoscaling(ctx: BlockContext, deps: { containerService: ContainerServiceOutputs }): AutoscalingOutputs {
  const { spec } = ctx;
  const n = ctx.name;
  const policyIds: Record<string, pulumi.Output<string>[]> = {};
  for (const [svcName, svc] of Object.entries(spec.services)) {
    // Deregistering a target deletes its policies and scheduled actions, not the service's tasks
    // (DeregisterScalableTarget API reference): a service that is held again keeps what it runs.
    if (deps.containerService.heldServices.includes(svcName)) continue;
    const target = new aws.appautoscaling.Target(
      `${n}-${svcName}-target`,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${deps.containerService.runtimeName}/${deps.containerService.serviceNames[svcName]}`,
        minCapacity: svc.minInstances,
        maxCapacity: svc.maxInstances,
        tags: tags(ctx),
      },
      child(ctx),
    );
    const tracking = (metric: "cpu" | "memory", predefinedMetricType: string, targetValue: number) =>
      new aws.appautoscaling.Policy(
        `${n}-${svcName}-${metric}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            predefinedMetricSpecification: { predefinedMetricType },
            targetValue,
            scaleOutCooldown: 60,
            scaleInCooldown: 300,
          },
        },
        child(ctx),
      ).id;
    policyIds[svcName] = [tracking("cpu", "ECSServiceAverageCPUUtilization", svc.cpuTarget)];
    if (svc.memoryTarget !== undefined) policyIds[svcName].push(tracking("memory", "ECSServiceAverageMemoryUtilization", svc.memoryTarget));
  }
  return { policyIds };
}
