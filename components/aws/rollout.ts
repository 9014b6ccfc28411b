// Verifies that a waited-for rollout really runs the new release. With the circuit breaker's rollback
// on, a failed deployment rolls back and the provider can report the update as successful
// (hashicorp/terraform-provider-aws#20858, terraform-aws-modules/terraform-aws-ecs#325); this reads
// the service after the update and fails the deployment when ECS runs another task definition.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ReleaseStatus } from "../model";

const revision = (taskDefinitionArn: string) => taskDefinitionArn.replace(/^.*:task-definition\//, "");

export function rolloutFailure(ctx: BlockContext, svcName: string, cluster: string, service: string, wanted: string, running: string): string {
  const region = ctx.spec.region;
  return (
    `platform:services.${svcName} did not roll out: ECS service ${service} runs task definition ${revision(running)}, not ${revision(wanted)} that this update deployed. ` +
    `The deployment was rolled back: the circuit breaker does that when the new tasks do not become healthy. ` +
    `See why: aws ecs describe-services --region ${region} --cluster ${cluster} --services ${service} --query 'services[0].events[:10]' ` +
    `and the stopped tasks' stoppedReason: aws ecs describe-tasks --region ${region} --cluster ${cluster} --tasks $(aws ecs list-tasks --region ${region} --cluster ${cluster} --service-name ${service} --desired-status STOPPED --query 'taskArns[:3]' --output text). ` +
    `Then push a fixed image (a new digest starts a new deployment) or retry the same release with \`pulumi up --refresh\`.`
  );
}

/**
 * The release the service runs. Where the spec waits for rollouts, the value resolves only after the
 * service's update finished, and carries a failure when ECS runs another task definition than the one
 * the update asked for (the program then fails the update). It never rejects, so that the failure
 * reaches the operator as one clean message. A preview never reads it (nothing was deployed).
 */
export function verifiedRelease(ctx: BlockContext, svcName: string, service: aws.ecs.Service, taskDefinition: aws.ecs.TaskDefinition, held: boolean): pulumi.Output<ReleaseStatus> {
  if (!ctx.spec.waitForRollout || held || pulumi.runtime.isDryRun()) return taskDefinition.arn.apply((release) => ({ release }));
  return pulumi.all([service.cluster, service.name, taskDefinition.arn]).apply(async ([cluster, name, wanted]): Promise<ReleaseStatus> => {
    let running: string;
    try {
      running = (await aws.ecs.getService({ clusterArn: cluster, serviceName: name }, { parent: ctx.parent })).taskDefinition;
    } catch (e) {
      return { release: wanted, failure: `platform:services.${svcName}: could not verify its rollout: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (running === wanted) return { release: wanted };
    return { release: wanted, failure: rolloutFailure(ctx, svcName, cluster.replace(/^.*:cluster\//, ""), name, wanted, running) };
  });
}
