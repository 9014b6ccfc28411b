// Looks at the AWS account before anything is planned: which images and secret values exist, which
// services already run, and whether the DNS zone holds the domain. Plain reads (invokes with plain
// arguments), so a preview sees the same account as the update that follows it.
import * as aws from "./sdk";
import { accountRead } from "../accountReads";
import type { AccountInspection, ServiceRelease } from "../cloud";
import type { PlatformSpec, ServiceSpec, SpecProblem } from "../model";
import { Namer } from "../naming";
import { clusterName, ecsServiceName, repositoryName, secretName } from "./resourceNames";
import { secretLifecycleFindings, type StoredSecret } from "./secretLifecycle";

/**
 * How a read that found nothing fails. The provider turns AWS's not-found codes into its own
 * NotFoundError, whose text is only "couldn't find resource" (terraform-provider-aws
 * internal/service/ecr/image_data_source.go findImageDetails: ImageNotFoundException and
 * RepositoryNotFoundException alike); older provider versions pass AWS's code through. Anything
 * else (AccessDenied, throttling, a wrong region) is rethrown: it must never read as "not deployed yet".
 */
const notFound =
  /couldn't find resource|empty result|Your query returned no results|no matching Route ?53 ?Hosted ?Zone found|RepositoryNotFoundException|ImageNotFoundException|ResourceNotFoundException|NoSuchHostedZone|ServiceNotFoundException|ClusterNotFoundException/;

const unlessNotFound = accountRead("the AWS account", notFound);

/** Tags shown when a configured tag is missing: a few, the highest versions first. */
const shownTags = 5;

type ImageState = { digest: string } | { missing: "repository" | "empty" } | { problem: SpecProblem };

async function imageState(name: string, svc: ServiceSpec, repository: string): Promise<ImageState> {
  const image = await unlessNotFound(`image ${repository}:${svc.imageTag}`, () => aws.ecr.getImage({ repositoryName: repository, imageTag: svc.imageTag }));
  if (image) return { digest: image.imageDigest };
  // getImage answers the same for a missing repository and a missing tag; the listing tells them apart.
  const listing = await unlessNotFound(`the images of ${repository}`, () => aws.ecr.getImages({ repositoryName: repository }));
  if (!listing) return { missing: "repository" };
  if (listing.imageIds.length === 0) return { missing: "empty" };
  const tags = [...new Set(listing.imageIds.map((i) => i.imageTag).filter((t): t is string => Boolean(t)))].sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
  const there = tags.length === 0 ? "only untagged images" : `tags ${tags.slice(0, shownTags).join(", ")}${tags.length > shownTags ? ` (and ${tags.length - shownTags} more)` : ""}`;
  return {
    problem: {
      key: `services.${name}.imageTag`,
      value: svc.imageTag,
      message: `no image with this tag in ECR repository ${repository}, which has ${there}. Push the tag (the README's "Release a new image") or set one that exists`,
    },
  };
}

async function storedSecret(physical: string): Promise<StoredSecret | undefined> {
  const listing = await unlessNotFound(`the versions of secret ${physical}`, () => aws.secretsmanager.getSecretVersions({ secretId: physical }));
  if (!listing) return undefined;
  const secret = await unlessNotFound(`secret ${physical}`, () => aws.secretsmanager.getSecret({ name: physical }));
  if (!secret) return undefined;
  const current = listing.versions.find((v) => v.versionStages.includes("AWSCURRENT"));
  return { versionId: current?.versionId, tags: secret.tags ?? {}, description: secret.description ?? "" };
}

async function runsNoTasks(cluster: string, service: string): Promise<boolean> {
  const current = await unlessNotFound(`ECS service ${service}`, () => aws.ecs.getService({ clusterArn: cluster, serviceName: service }));
  return current !== undefined && current.status === "ACTIVE" && current.desiredCount === 0;
}

async function zoneProblems(spec: PlatformSpec): Promise<SpecProblem[]> {
  const { domain, dnsZone, certificate } = spec.loadBalancer;
  if (!domain || !dnsZone) return [];
  const zone = await unlessNotFound(`Route 53 hosted zone ${dnsZone}`, () => aws.route53.getZone({ zoneId: dnsZone }));
  if (!zone) {
    return [{ key: "loadBalancer.dnsZone", value: dnsZone, message: "no Route 53 hosted zone with this id in the account; create the zone of your domain first, or copy its id from `aws route53 list-hosted-zones`" }];
  }
  const zoneName = zone.name.replace(/\.$/, "").toLowerCase();
  const problems: SpecProblem[] = [];
  // Records can only be written inside the zone: the apex or a name ending in ".<zone>".
  if (domain !== zoneName && !domain.endsWith(`.${zoneName}`)) {
    problems.push({ key: "loadBalancer.domain", value: domain, message: `is outside Route 53 zone ${dnsZone} (${zoneName}), where its certificate validation and alias records go; use ${zoneName} or a name ending in .${zoneName}, or the zone of this domain` });
  }
  // ACM validates through public DNS; a private zone would leave the certificate pending forever.
  if (zone.privateZone && !certificate) {
    problems.push({ key: "loadBalancer.dnsZone", value: dnsZone, message: `${zoneName} is a private hosted zone; ACM validates a new certificate through public DNS, so use the public zone of ${domain}` });
  }
  return problems;
}

/** The exact commands that release a held service, in the order an operator runs them. */
function releaseSteps(spec: PlatformSpec, svc: ServiceSpec, image: ImageState | undefined, repository: string, registry: string, missingSecrets: { name: string; physical: string; exists: boolean }[]): string[] {
  const steps: string[] = [];
  if (image && "missing" in image) {
    const created = image.missing === "repository" ? " (this update creates the repository)" : "";
    steps.push(
      `push its image${created}: aws ecr get-login-password --region ${spec.region} | docker login --username AWS --password-stdin ${registry} && docker tag <your-image> ${registry}/${repository}:${svc.imageTag} && docker push ${registry}/${repository}:${svc.imageTag}`,
    );
  }
  for (const s of missingSecrets) {
    const created = s.exists ? "" : " (this update creates the secret)";
    steps.push(`put the value of secret ${s.name}${created}; read -rs keeps it off the screen and out of shell history: read -rs VALUE && aws secretsmanager put-secret-value --region ${spec.region} --secret-id ${s.physical} --secret-string "$VALUE"`);
  }
  return steps;
}

export async function inspectAccount(spec: PlatformSpec): Promise<AccountInspection> {
  const names = new Namer(spec.project, spec.stack);
  const problems: SpecProblem[] = [];
  const warnings: string[] = [];

  const secretNames = Object.keys(spec.secrets);
  const readers = (secret: string) => Object.keys(spec.services).filter((svc) => spec.services[svc].secrets.includes(secret));
  // Services with an explicit `image` run what the operator named; their registry is not ours to read.
  const ownImage = Object.entries(spec.services).filter(([, svc]) => svc.image === undefined);
  const [stored, images, zone] = await Promise.all([
    Promise.all(secretNames.map((name) => storedSecret(secretName(names, name)))),
    Promise.all(ownImage.map(([name, svc]) => imageState(name, svc, repositoryName(names, name)))),
    zoneProblems(spec),
  ]);
  problems.push(...zone);

  const secretVersions: Record<string, string> = {};
  const missingValue = new Map<string, { exists: boolean }>();
  secretNames.forEach((name, i) => {
    const current = stored[i];
    if (current?.versionId !== undefined) secretVersions[name] = current.versionId;
    // A generated secret gets its value from this update; an external one waits for an operator.
    if (spec.secrets[name].source === "external" && current?.versionId === undefined) missingValue.set(name, { exists: current !== undefined });
    const findings = secretLifecycleFindings(spec, name, secretName(names, name), current, readers(name));
    problems.push(...findings.problems);
    warnings.push(...findings.warnings);
  });

  const imageByService = new Map(ownImage.map(([name], i) => [name, images[i]]));
  for (const state of images) if ("problem" in state) problems.push(state.problem);
  if (problems.length > 0) return { release: { services: {}, secretVersions }, problems, warnings };

  const held = Object.entries(spec.services).filter(([name, svc]) => {
    const image = imageByService.get(name);
    return (image !== undefined && "missing" in image) || svc.secrets.some((s) => missingValue.has(s));
  });
  let registry = "";
  if (held.length > 0) {
    const [identity, partition] = await Promise.all([aws.getCallerIdentity({}), aws.getPartition({})]);
    registry = `${identity.accountId}.dkr.ecr.${spec.region}.${partition.dnsSuffix}`;
  }
  const heldNames = new Set(held.map(([name]) => name));
  const ready = Object.keys(spec.services).filter((name) => !heldNames.has(name));
  const cluster = clusterName(names);
  const idle = await Promise.all(ready.map((name) => runsNoTasks(cluster, ecsServiceName(names, name))));

  const services: Record<string, ServiceRelease> = {};
  for (const [name, svc] of Object.entries(spec.services)) {
    const image = imageByService.get(name);
    const repository = repositoryName(names, name);
    const missingSecrets = svc.secrets.filter((s) => missingValue.has(s)).map((s) => ({ name: s, physical: secretName(names, s), exists: missingValue.get(s)!.exists }));
    const holdReasons = [
      ...(image && "missing" in image ? [image.missing === "repository" ? `ECR repository ${repository} does not exist yet` : `ECR repository ${repository} has no images yet`] : []),
      ...missingSecrets.map((s) => `secret ${s.name} (${s.physical}) has no value yet`),
    ];
    services[name] = {
      holdReasons,
      starting: holdReasons.length === 0 && idle[ready.indexOf(name)] === true,
      imageDigest: image && "digest" in image ? image.digest : undefined,
    };
    if (holdReasons.length > 0) {
      const steps = releaseSteps(spec, svc, image, repository, registry, missingSecrets);
      warnings.push(
        `platform:services.${name} is held at 0 tasks and without autoscaling, so that it does not crash-loop: ${holdReasons.join("; ")}. After this update:\n` +
          steps.map((step, i) => `  ${i + 1}. ${step}\n`).join("") +
          `  then run \`pulumi up\` again: it starts the service${spec.waitForRollout ? " and waits until it runs" : ""}.`,
      );
    }
  }
  return { release: { services, secretVersions }, problems, warnings };
}
