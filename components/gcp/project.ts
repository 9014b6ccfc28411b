// The Google APIs the stack uses, enabled in its project before anything else is created ("API ...
// has not been used in project ... or it is disabled" otherwise). Destroying the stack leaves them on:
// other workloads of the project may use them too.
import * as projects from "@pulumi/gcp/projects";
import type * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { PlatformSpec } from "../model";
import { certificateManagerCertificate } from "./limits";

export function requiredApis(spec: PlatformSpec): string[] {
  const apis = [
    "compute.googleapis.com",
    "run.googleapis.com",
    "iam.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "secretmanager.googleapis.com",
    "cloudkms.googleapis.com",
    "artifactregistry.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "storage.googleapis.com",
  ];
  if (spec.loadBalancer.dnsZone !== undefined) apis.push("dns.googleapis.com");
  if (spec.loadBalancer.certificate !== undefined && certificateManagerCertificate.test(spec.loadBalancer.certificate)) apis.push("certificatemanager.googleapis.com");
  if (spec.backup.copyRegion !== undefined) apis.push("storagetransfer.googleapis.com");
  if (spec.database) apis.push("sqladmin.googleapis.com", "servicenetworking.googleapis.com", "backupdr.googleapis.com");
  if (spec.database && spec.backup.copyRegion !== undefined) apis.push("cloudscheduler.googleapis.com");
  return apis;
}

export function enableApis(ctx: BlockContext, project: string): pulumi.Resource[] {
  return requiredApis(ctx.spec).map(
    (service) =>
      new projects.Service(
        `${ctx.name}-api-${service.split(".")[0]}`,
        { project, service, disableOnDestroy: false, disableDependentServices: false },
        { parent: ctx.parent },
      ),
  );
}
