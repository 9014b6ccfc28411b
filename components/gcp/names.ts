// Physical names that the blocks and the account inspection share, so that the inspection reads
// exactly what the blocks create. No SDK import.
import { type Namer, shortHash } from "../naming";

export const cloudRunServiceName = (names: Namer, service: string): string => names.name("gcpCloudRunService", service);
export const serviceAccountId = (names: Namer, service: string): string => names.name("gcpServiceAccountId", service);
/** One Artifact Registry repository per stack; each service is an image in it. */
export const repositoryId = (names: Namer): string => names.name("gcpArtifactRepository");
export const secretId = (names: Namer, secret: string): string => names.name("gcpSecretId", secret);

/**
 * A serverless NEG cannot be changed in place, and its replacement cannot be created under the old
 * name while the backend service still uses it: the name carries a hash of the Cloud Run service it
 * points at, so a new one is created before the old one is deleted.
 */
export const negName = (names: Namer, service: string): string => names.name("gcpResource", "neg", service, shortHash(cloudRunServiceName(names, service)));

/** A service's backend service: load balancer metrics name it (label backend_target_name). */
export const backendServiceName = (names: Namer, service: string): string => names.name("gcpResource", service);

/** Likewise a Google-managed certificate: its domains cannot change in place. */
export const managedCertificateName = (names: Namer, domains: string[]): string => names.name("gcpResource", "cert", shortHash(domains.join(",")));

/** The image a service runs from the stack's own repository. */
export const ownImage = (region: string, project: string, names: Namer, service: string, tag: string): string =>
  `${region}-docker.pkg.dev/${project}/${repositoryId(names)}/${service}:${tag}`;
