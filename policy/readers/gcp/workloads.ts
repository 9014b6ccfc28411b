// Workloads on GCP: Cloud Run services and jobs, their environment, their instance floor and their
// images. A service held until its image or a secret value exists is not created at all on GCP
// (README: first deploy), so there is nothing of it here to read.
import type { EnvironmentFact, ImagesFact, InstancesFact, StackResourceView } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { gcp } from "./tokens";

interface Container {
  name?: string;
  image?: string;
  envs?: { name?: string; value?: string; valueSource?: unknown }[];
}

/** An env entry is a literal `value` or a `valueSource.secretKeyRef` to Secret Manager (Cloud Run, "Configure secrets"). */
function environment(containers: Container[]): EnvironmentFact[] {
  return containers.map((c, i) => ({
    where: `container ${c.name ?? `#${i + 1}`}`,
    variables: (c.envs ?? []).filter((e) => e.valueSource === undefined).map((e) => ({ name: String(e.name ?? ""), value: String(e.value ?? "") })),
  }));
}

export const secretsByReference: ResourceReaders<EnvironmentFact> = {
  [gcp.cloudRunService]: ({ props }) => environment(props.template?.containers ?? []),
  // A job's template holds an execution template, which holds the task's containers.
  [gcp.cloudRunJob]: ({ props }) => environment(props.template?.template?.containers ?? []),
};

export const minInstances: ResourceReaders<InstancesFact> = {
  [gcp.cloudRunService]: ({ props }) => {
    const scaling = props.scaling ?? {};
    if (scaling.scalingMode === "MANUAL") return [{ minimum: scaling.manualInstanceCount ?? 0, held: false, setting: `scaling.manualInstanceCount ${scaling.manualInstanceCount ?? 0}` }];
    // Cloud Run, "Set minimum instances for services": a service-level minimum and a revision's own
    // minimum both keep instances warm; the service keeps at least the larger.
    const revision = props.template?.scaling?.minInstanceCount ?? 0;
    const service = scaling.minInstanceCount ?? 0;
    return [{ minimum: Math.max(revision, service), held: false, setting: service > revision ? `scaling.minInstanceCount ${service}` : `template.scaling.minInstanceCount ${revision}` }];
  },
};

const digest = /@sha256:[0-9a-f]{64}$/;

/** The Artifact Registry repository an image path names: `<location>-docker.pkg.dev/<project>/<repository>/<image>` ("Repository and image names"). */
function repositoryOf(reference: string, repositories: StackResourceView[]): StackResourceView | undefined {
  const match = /^([a-z0-9-]+)-docker\.pkg\.dev\/([^/]+)\/([^/]+)\//.exec(reference);
  if (!match) return undefined;
  const [, location, project, repositoryId] = match;
  return repositories.find((r) => r.props.repositoryId === repositoryId && r.props.location === location && (r.props.project === undefined || r.props.project === project));
}

function image(reference: string, repositories: StackResourceView[]): ImagesFact["images"][number] {
  if (digest.test(reference)) return { reference, pinned: true, how: "by digest" };
  const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "latest";
  if (tag === "latest") return { reference, pinned: false, how: "the tag latest moves with every push" };
  const repository = repositoryOf(reference, repositories);
  if (!repository) return { reference, pinned: false, how: `tag ${tag} of a registry outside the stack, which may be moved; pin it by digest` };
  // Artifact Registry, "Tag immutability": with immutableTags a tag cannot be moved or deleted.
  return repository.props.dockerConfig?.immutableTags === true
    ? { reference, pinned: true, how: `tag ${tag} in a repository with immutable tags` }
    : { reference, pinned: false, how: `tag ${tag} can be pushed again with other content (repository dockerConfig.immutableTags is not true)` };
}

export const pinnedImages: StackReader<ImagesFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const repositories = graph.ofType(gcp.artifactRepository);
  const containersOf = (r: StackResourceView): Container[] => (r.type === gcp.cloudRunJob ? (r.props.template?.template?.containers ?? []) : (r.props.template?.containers ?? []));
  return [...graph.ofType(gcp.cloudRunService), ...graph.ofType(gcp.cloudRunJob)].map((r) => ({ urn: r.urn, images: containersOf(r).map((c) => image(String(c.image ?? ""), repositories)) }));
};
