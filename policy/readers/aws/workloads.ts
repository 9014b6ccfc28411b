// Workloads on AWS: ECS task definitions and services, their scaling floor, their images, and the
// environment of containers and Lambda functions.
import type { EnvironmentFact, ImagesFact, InstancesFact } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { aws } from "./tokens";

interface ContainerDefinition {
  name?: string;
  image?: string;
  environment?: { name?: string; value?: string }[];
}

/** The containers of a task definition (`containerDefinitions` is a JSON string, as ECS takes it). */
function containers(definitions: unknown): ContainerDefinition[] {
  if (typeof definitions !== "string") return Array.isArray(definitions) ? (definitions as ContainerDefinition[]) : [];
  try {
    const parsed: unknown = JSON.parse(definitions);
    return Array.isArray(parsed) ? (parsed as ContainerDefinition[]) : [];
  } catch {
    return [];
  }
}

export const secretsByReference: ResourceReaders<EnvironmentFact> = {
  // `secrets` entries (valueFrom) are references; `environment` entries are literal values.
  [aws.taskDefinition]: ({ props }) =>
    containers(props.containerDefinitions).map((c) => ({
      where: `container ${c.name ?? "(unnamed)"}`,
      variables: (c.environment ?? []).map((v) => ({ name: String(v.name ?? ""), value: String(v.value ?? "") })),
    })),
  [aws.lambdaFunction]: ({ props }) => {
    const variables: Record<string, unknown> = props.environment?.variables ?? {};
    return [{ where: "function", variables: Object.keys(variables).map((name) => ({ name, value: String(variables[name]) })) }];
  },
};

export const minInstances: ResourceReaders<InstancesFact> = {
  // A service created at 0 tasks is held until its image and secret values exist (README: first deploy).
  [aws.ecsService]: ({ props }) => {
    const desired = props.desiredCount ?? 0;
    return [{ minimum: desired, held: desired === 0, setting: `desiredCount ${desired}` }];
  },
  [aws.appautoscalingTarget]: ({ props }) => (props.serviceNamespace === "ecs" ? [{ minimum: props.minCapacity, held: false, setting: `minCapacity ${props.minCapacity}` }] : []),
};

const digest = /@sha256:[0-9a-f]{64}$/;

export const pinnedImages: StackReader<ImagesFact> = (resources) => {
  const graph = StackGraph.of(resources);
  return graph.ofType(aws.taskDefinition).map((td) => {
    const repositories = graph.sources(td, "containerDefinitions", aws.ecrRepository);
    const images = containers(td.props.containerDefinitions).map((c) => {
      const reference = String(c.image ?? "");
      if (digest.test(reference)) return { reference, pinned: true, how: "by digest" };
      const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
      const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "latest";
      const path = reference.slice(0, reference.length - (lastSegment.includes(":") ? tag.length + 1 : 0));
      if (tag === "latest") return { reference, pinned: false, how: "the tag latest moves with every push" };
      // A repository of this stack, named in the image (`<registry>/<repository name>:<tag>`).
      const repository = repositories.find((r) => typeof r.props.name === "string" && path.endsWith(`/${r.props.name}`));
      if (!repository) return { reference, pinned: false, how: `tag ${tag} of a registry outside the stack, which may be moved; pin it by digest` };
      const mutability = repository.props.imageTagMutability ?? "MUTABLE";
      return mutability === "IMMUTABLE"
        ? { reference, pinned: true, how: `tag ${tag} in an immutable repository` }
        : { reference, pinned: false, how: `tag ${tag} can be pushed again with other content (repository imageTagMutability ${mutability})` };
    });
    return { urn: td.urn, images };
  });
};
