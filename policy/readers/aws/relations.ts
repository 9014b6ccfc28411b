// Relations between AWS resources that several readers need, read from property dependencies.
import type { StackResourceView } from "../../facts";
import type { StackGraph } from "../../graph";
import { aws } from "./tokens";

/** Buckets a load balancer writes its access logs to (its `accessLogs` input names them). */
export function accessLogBuckets(graph: StackGraph): Set<string> {
  const urns = new Set<string>();
  for (const lb of graph.ofType(aws.loadBalancer)) for (const b of graph.sources(lb, "accessLogs", aws.bucket)) urns.add(b.urn);
  return urns;
}

/** Internet-facing application load balancers: the public entry points. */
export function publicLoadBalancers(graph: StackGraph): StackResourceView[] {
  return graph.ofType(aws.loadBalancer).filter((lb) => lb.props.internal !== true && (lb.props.loadBalancerType ?? "application") === "application");
}

/** Zones of the subnets an input of `resource` came from. */
export function subnetZones(graph: StackGraph, resource: StackResourceView, property: string): Set<string> {
  return new Set(graph.sources(resource, property, aws.subnet).map((s) => String(s.props.availabilityZone ?? s.props.availabilityZoneId)));
}

/**
 * Days a bucket keeps an object before a lifecycle rule expires it: the shortest enabled expiration of
 * current objects; "forever" without one.
 */
export function bucketRetention(graph: StackGraph, bucket: StackResourceView): { days: number | "forever"; setting: string } {
  const rules: { status?: string; expiration?: { days?: number } }[] = graph.users(bucket, aws.bucketLifecycle, "bucket").flatMap((l) => l.props.rules ?? []);
  const days = rules.filter((r) => r.status === "Enabled" && typeof r.expiration?.days === "number").map((r) => r.expiration!.days as number);
  return days.length === 0 ? { days: "forever", setting: "no lifecycle expiration" } : { days: Math.min(...days), setting: "lifecycle rule expiration.days" };
}
