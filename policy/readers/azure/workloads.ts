// Workloads on Azure: the containers of container apps and jobs, their environment and secrets, the
// apps' replica floor, and the images they run.
import type { EnvironmentFact, ImagesFact, InstancesFact, ResourceView } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { az } from "./tokens";

interface Container {
  name?: string;
  image?: string;
  env?: { name?: string; value?: string; secretRef?: string }[];
}

const containersOf = (template: { containers?: Container[]; initContainers?: Container[] } | undefined): Container[] => [...(template?.initContainers ?? []), ...(template?.containers ?? [])];

/**
 * An env entry with `secretRef` names a secret of the app; one with `value` is a literal. The app's
 * secrets themselves are references with `keyVaultUrl` (read by the app's identity at start) or
 * literals with `value`, kept in the app's configuration ("Manage secrets in Azure Container Apps").
 */
function environment({ props }: ResourceView): EnvironmentFact[] {
  const what = props.containerAppName ?? props.jobName;
  const facts: EnvironmentFact[] = containersOf(props.template).map((c) => ({
    where: `container ${c.name ?? "(unnamed)"}`,
    variables: (c.env ?? []).filter((v) => v.secretRef === undefined).map((v) => ({ name: String(v.name ?? ""), value: String(v.value ?? "") })),
  }));
  const secrets: { name?: string; value?: string; keyVaultUrl?: string }[] = props.configuration?.secrets ?? [];
  // Every entry of `secrets` holds a secret by definition: named so, the control refuses its literal value.
  const literal = secrets.filter((s) => s.keyVaultUrl === undefined && s.value !== undefined);
  if (literal.length > 0) facts.push({ where: `${props.jobName !== undefined ? "job" : "container app"} ${what ?? "(unnamed)"}`, variables: literal.map((s) => ({ name: `secret ${s.name ?? "(unnamed)"} (configuration.secrets value, not keyVaultUrl)`, value: "" })) });
  return facts;
}

export const secretsByReference: ResourceReaders<EnvironmentFact> = {
  [az.containerApp]: environment,
  [az.containerAppJob]: environment,
};

export const minInstances: ResourceReaders<InstancesFact> = {
  // Container Apps keeps template.scale.minReplicas running, 0 when unset: the app scales to zero when
  // idle ("Set scaling rules in Azure Container Apps"). A held service has no app yet (its image or a
  // secret value is missing): nothing runs, and nothing is judged until the update that creates it.
  [az.containerApp]: ({ props }) => {
    const minimum = props.template?.scale?.minReplicas ?? 0;
    return [{ minimum, held: false, setting: props.template?.scale?.minReplicas === undefined ? "template.scale.minReplicas is not set (0)" : `template.scale.minReplicas ${minimum}` }];
  },
};

const digest = /@sha256:[0-9a-f]{64}$/;

/**
 * The images the services run. ACR has no registry-wide immutable tags (a tag is locked on its own with
 * `az acr repository update --write-enabled false`, which the plan does not show): the platform runs
 * each app by digest, and a tag counts as pinned nowhere. The restore test job's Azure CLI image is
 * not a service, as AWS's restore validation function is not (README: policy on Azure).
 */
export const pinnedImages: StackReader<ImagesFact> = (resources) => {
  const graph = StackGraph.of(resources);
  return graph.ofType(az.containerApp).map((app) => {
    // Read only for a tag: a registry's name comes from the stack's random suffix, unknown in a preview.
    const registries = () => graph.sources(app, "template", az.registry).map((r) => String(r.props.registryName ?? "").toLowerCase());
    const images = containersOf(app.props.template).map((c) => {
      const reference = String(c.image ?? "");
      if (digest.test(reference)) return { reference, pinned: true, how: "by digest" };
      const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
      const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "latest";
      if (tag === "latest") return { reference, pinned: false, how: "the tag latest moves with every push" };
      const own = registries().some((name) => reference.toLowerCase().startsWith(`${name}.azurecr.io/`));
      return {
        reference,
        pinned: false,
        how: own ? `tag ${tag} can be pushed again unless locked, which the plan cannot show (ACR has no registry-wide immutable tags); run it by digest` : `tag ${tag} of a registry outside the stack, which may be moved; pin it by digest`,
      };
    });
    return { urn: app.urn, images };
  });
};
