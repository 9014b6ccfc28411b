// Relations between the resources of a stack, as the engine records them: which resources a
// resource's input came from (`propertyDependencies`). Known in a preview even where the values are
// not, so stack readers follow these instead of matching ids or ARNs.
import type { StackResourceView } from "./facts";

const graphs = new WeakMap<readonly StackResourceView[], StackGraph>();

export class StackGraph {
  /** The graph of a resource list, built once however many readers of one evaluation ask for it. */
  static of(resources: readonly StackResourceView[]): StackGraph {
    let graph = graphs.get(resources);
    if (!graph) graphs.set(resources, (graph = new StackGraph(resources)));
    return graph;
  }

  private readonly byType = new Map<string, StackResourceView[]>();
  /** urn -> property -> resources whose `property` came from that urn. */
  private readonly usersBySource = new Map<string, Map<string, StackResourceView[]>>();

  constructor(readonly resources: readonly StackResourceView[]) {
    for (const r of resources) {
      const list = this.byType.get(r.type);
      if (list) list.push(r);
      else this.byType.set(r.type, [r]);
      for (const [property, sources] of Object.entries(r.propertyDependencies)) {
        for (const source of sources) {
          let byProperty = this.usersBySource.get(source.urn);
          if (!byProperty) this.usersBySource.set(source.urn, (byProperty = new Map()));
          const list = byProperty.get(property);
          if (list) list.push(r);
          else byProperty.set(property, [r]);
        }
      }
    }
  }

  ofType(type: string): StackResourceView[] {
    return this.byType.get(type) ?? [];
  }

  /** The resources of `type` that `resource`'s input `property` came from. */
  sources(resource: StackResourceView, property: string, type?: string): StackResourceView[] {
    const list = resource.propertyDependencies[property] ?? [];
    return type === undefined ? list : list.filter((r) => r.type === type);
  }

  /** The resources of `type` whose input `property` came from `resource`. */
  users(resource: StackResourceView, type: string, property: string): StackResourceView[] {
    return (this.usersBySource.get(resource.urn)?.get(property) ?? []).filter((r) => r.type === type);
  }
}
