// Verifies that a waited-for rollout really runs the new revision. Single-revision mode keeps the old
// revision serving until the new one is ready ("Update and deploy changes in Azure Container Apps"):
// a new revision that never becomes ready leaves the app on the old one while ARM reports the update
// as done. This reads the app after its update and fails the deployment when its latest revision is
// not the ready one.
import * as app from "@pulumi/azure-native/app";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ReleaseStatus } from "../model";

export function rolloutFailure(svcName: string, resourceGroup: string, appName: string, wanted: string, ready: string): string {
  return (
    `platform:services.${svcName} did not roll out: container app ${appName} still serves revision ${ready || "(none)"}, not ${wanted} that this update deployed: the new revision did not become ready, so Container Apps kept the previous one. ` +
    `See why: az containerapp revision show --resource-group ${resourceGroup} --name ${appName} --revision ${wanted} --query properties.runningStateDetails ` +
    `and its system logs: az containerapp logs show --resource-group ${resourceGroup} --name ${appName} --revision ${wanted} --type system. ` +
    "Then push a fixed image (a new digest starts a new revision) or retry the same release with `pulumi up --refresh`."
  );
}

export function verifiedRelease(ctx: BlockContext, svcName: string, resourceGroup: pulumi.Output<string>, containerApp: app.ContainerApp): pulumi.Output<ReleaseStatus> {
  if (!ctx.spec.waitForRollout || pulumi.runtime.isDryRun()) return containerApp.latestRevisionName.apply((release) => ({ release }));
  return pulumi.all([resourceGroup, containerApp.name, containerApp.latestRevisionName]).apply(async ([group, name, wanted]): Promise<ReleaseStatus> => {
    let ready: string;
    try {
      ready = (await app.getContainerApp({ resourceGroupName: group, containerAppName: name }, { parent: ctx.parent })).latestReadyRevisionName;
    } catch (e) {
      return { release: wanted, failure: `platform:services.${svcName}: could not verify its rollout: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (ready === wanted) return { release: wanted };
    return { release: wanted, failure: rolloutFailure(svcName, group, name, wanted, ready) };
  });
}
