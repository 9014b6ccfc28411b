// Looks at the GCP project before anything is planned: which images and secret values exist, and
// whether the Cloud DNS zone holds the domain. These are the only reads of the project at plan time
// (with the three service agents the blocks read): plain reads that also run in a preview and never
// fetch a secret's value. A service whose image or secret value is missing is held: Cloud Run cannot
// create a service whose revision cannot start, so it is not created until both exist.
import * as artifactregistry from "@pulumi/gcp/artifactregistry";
import * as dns from "@pulumi/gcp/dns";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import { accountRead } from "../accountReads";
import type { AccountInspection, ServiceRelease } from "../cloud";
import type { PlatformSpec, SpecProblem } from "../model";
import { Namer } from "../naming";
import { repositoryId, secretId } from "./names";

/**
 * How a read that found nothing fails: the Google APIs answer 404 / NOT_FOUND (a secret without any
 * version too). Anything else (permission denied, a disabled API, a wrong project) is rethrown: it must
 * never read as "not deployed yet".
 */
const notFound = /\b404\b|NOT_FOUND|notFound|not found|was not found|does not exist/i;

const unlessNotFound = accountRead("GCP project", notFound, /\b403\b|PERMISSION_DENIED|SERVICE_DISABLED|has not been used/i);

async function zoneProblems(spec: PlatformSpec, project: string): Promise<SpecProblem[]> {
  const { domain, dnsZone } = spec.loadBalancer;
  if (!domain || !dnsZone) return [];
  const zone = await unlessNotFound(`Cloud DNS zone ${dnsZone}`, () => dns.getManagedZone({ name: dnsZone, project }));
  if (!zone) return [{ key: "loadBalancer.dnsZone", value: dnsZone, message: `no Cloud DNS managed zone with this name in project ${project}; create the zone of your domain first, or copy its name from \`gcloud dns managed-zones list\`` }];
  const zoneName = zone.dnsName.replace(/\.$/, "").toLowerCase();
  const problems: SpecProblem[] = [];
  if (domain !== zoneName && !domain.endsWith(`.${zoneName}`)) {
    problems.push({ key: "loadBalancer.domain", value: domain, message: `is outside Cloud DNS zone ${dnsZone} (${zoneName}), where its A record goes; use ${zoneName} or a name ending in .${zoneName}, or the zone of this domain` });
  }
  if (zone.visibility === "private") {
    problems.push({ key: "loadBalancer.dnsZone", value: dnsZone, message: `${zoneName} is a private zone; the managed certificate needs the domain to resolve publicly, so use the public zone of ${domain}` });
  }
  return problems;
}

export async function inspectAccount(spec: PlatformSpec): Promise<AccountInspection> {
  const names = new Namer(spec.project, spec.stack);
  const project = spec.cloudProject!;
  const repository = repositoryId(names);
  const registry = `${spec.region}-docker.pkg.dev/${project}/${repository}`;
  const ownImage = Object.entries(spec.services).filter(([, svc]) => svc.image === undefined);
  const external = Object.entries(spec.secrets).filter(([, s]) => s.source === "external");
  const [images, versions, zone] = await Promise.all([
    Promise.all(
      ownImage.map(([name, svc]) =>
        unlessNotFound(`image ${registry}/${name}:${svc.imageTag}`, () => artifactregistry.getDockerImage({ location: spec.region, repositoryId: repository, imageName: `${name}:${svc.imageTag}`, project })),
      ),
    ),
    // The latest version's metadata only: the value never enters the program.
    Promise.all(external.map(([name]) => unlessNotFound(`the versions of secret ${secretId(names, name)}`, () => secretmanager.getSecretVersion({ secret: secretId(names, name), project, fetchSecretData: false })))),
    zoneProblems(spec, project),
  ]);
  const imageFound = new Map(ownImage.map(([name], i) => [name, images[i]]));
  const secretVersions: Record<string, string> = {};
  const missingValue = new Set<string>();
  external.forEach(([name], i) => {
    const version = versions[i];
    if (version && version.enabled) secretVersions[name] = version.version;
    else missingValue.add(name);
  });
  const warnings: string[] = [];
  const services: Record<string, ServiceRelease> = {};
  for (const [name, svc] of Object.entries(spec.services)) {
    const image = imageFound.get(name);
    const missingImage = svc.image === undefined && image === undefined;
    const missingSecrets = svc.secrets.filter((s) => missingValue.has(s));
    const holdReasons = [
      ...(missingImage ? [`image ${registry}/${name}:${svc.imageTag} is not in Artifact Registry yet`] : []),
      ...missingSecrets.map((s) => `secret ${s} (${secretId(names, s)}) has no value yet`),
    ];
    // The digest the tag points at: a new push to the same tag deploys a new revision.
    const digest = image?.name.split("@")[1];
    services[name] = { holdReasons, starting: false, imageDigest: digest };
    if (holdReasons.length > 0) {
      const steps = [
        ...(missingImage
          ? [`push its image (this update creates the repository): gcloud auth configure-docker ${spec.region}-docker.pkg.dev && docker tag <your-image> ${registry}/${name}:${svc.imageTag} && docker push ${registry}/${name}:${svc.imageTag}`]
          : []),
        ...missingSecrets.map(
          (s) => `put the value of secret ${s} (this update creates the secret); read -rs keeps it off the screen and out of shell history: read -rs VALUE && printf %s "$VALUE" | gcloud secrets versions add ${secretId(names, s)} --project ${project} --data-file=-`,
        ),
      ];
      warnings.push(
        `platform:services.${name} is held (not created yet: Cloud Run cannot start a revision while ${holdReasons.join("; ")}); until then the load balancer answers its paths with an error (5xx). After this update:\n` +
          steps.map((step, i) => `  ${i + 1}. ${step}\n`).join("") +
          "  then run `pulumi up` again: it creates the service.",
      );
    }
  }
  return { release: { services, secretVersions }, problems: zone, warnings };
}
