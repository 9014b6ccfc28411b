// Autoscaling on Azure registers no resources: Container Apps scales each app by the rules on the app
// itself (scaleRules.ts, set by the container service), and Azure Monitor autoscale settings cannot
// target container apps. The block reports each app's rules by id (`<app id>/scale/<rule>`). A held
// service has no app yet, so no rules.
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { AutoscalingOutputs } from "../model";
import type { AzureApps } from "./containerService";
import { scaleRules } from "./scaleRules";

export function autoscaling(ctx: BlockContext, apps: AzureApps): AutoscalingOutputs {
  const policyIds: Record<string, pulumi.Output<string>[]> = {};
  for (const [svcName, svc] of Object.entries(ctx.spec.services)) {
    const appId = apps.appIds[svcName];
    if (!appId) continue;
    policyIds[svcName] = scaleRules(svc).rules.map((rule) => pulumi.interpolate`${appId}/scale/${rule.name}`);
  }
  return { policyIds };
}
