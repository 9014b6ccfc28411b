// Relations and settings between GCP resources that several readers need: which buckets are where
// logs or copies land, how long a bucket keeps what was replaced, and which Cloud SQL instances are
// primaries. Storage Transfer jobs and exports name buckets by name, so those relations compare names.
import type { StackResourceView } from "../../facts";
import type { StackGraph } from "../../graph";
import { gcp } from "./tokens";

const day = 86400;

/** Storage buckets a log sink writes to (`storage.googleapis.com/<bucket>`), with the sink. */
export function sinkBuckets(graph: StackGraph): Map<string, StackResourceView[]> {
  const out = new Map<string, StackResourceView[]>();
  for (const sink of graph.ofType(gcp.logSink)) {
    for (const bucket of graph.sources(sink, "destination", gcp.bucket)) out.set(bucket.urn, [...(out.get(bucket.urn) ?? []), sink]);
  }
  return out;
}

export interface Transfer {
  job: StackResourceView;
  source: StackResourceView;
  sink: StackResourceView;
  /** The prefix the job writes under in the sink ("" for the whole bucket). */
  path: string;
}

/** Storage Transfer jobs between two buckets of the stack, each with its source and sink. */
export function transfers(graph: StackGraph): Transfer[] {
  return graph.ofType(gcp.transferJob).flatMap((job) => {
    const spec = job.props.transferSpec ?? {};
    const buckets = graph.sources(job, "transferSpec", gcp.bucket);
    const source = buckets.find((b) => b.props.name === spec.gcsDataSource?.bucketName);
    const sink = buckets.find((b) => b.props.name === spec.gcsDataSink?.bucketName);
    return source && sink && source !== sink ? [{ job, source, sink, path: String(spec.gcsDataSink?.path ?? "") }] : [];
  });
}

interface LifecycleRule {
  action?: { type?: string };
  condition?: { age?: number; daysSinceNoncurrentTime?: number; withState?: string; matchesPrefixes?: string[]; isLive?: boolean };
}

const appliesTo = (rule: LifecycleRule, path: string) => {
  const prefixes = rule.condition?.matchesPrefixes ?? [];
  return prefixes.length === 0 || prefixes.some((p) => path.startsWith(p));
};

/**
 * How long a bucket keeps an object under `path` after it was replaced or deleted: with versioning, the
 * shortest lifecycle rule that deletes noncurrent versions there (none: kept until deleted by hand);
 * without versioning, nothing is kept (Cloud Storage, "Object Versioning"; "Object Lifecycle Management").
 */
export function keptAfterReplaced(bucket: StackResourceView, path = ""): { days: number; setting: string } {
  if (bucket.props.versioning?.enabled !== true) return { days: 0, setting: "versioning is not enabled" };
  const days = ((bucket.props.lifecycleRules ?? []) as LifecycleRule[])
    .filter((r) => r.action?.type === "Delete" && appliesTo(r, path) && typeof r.condition?.daysSinceNoncurrentTime === "number")
    .map((r) => r.condition!.daysSinceNoncurrentTime as number);
  return days.length === 0 ? { days: Number.MAX_SAFE_INTEGER, setting: "versioning, no lifecycle rule deletes noncurrent versions" } : { days: Math.min(...days), setting: "versioning, lifecycleRules daysSinceNoncurrentTime" };
}

/** Days a bucket keeps a live object under `path` before a lifecycle rule deletes it by age; forever without one. */
export function keptLive(bucket: StackResourceView, path = ""): number | "forever" {
  const days = ((bucket.props.lifecycleRules ?? []) as LifecycleRule[])
    .filter((r) => r.action?.type === "Delete" && appliesTo(r, path) && typeof r.condition?.age === "number" && r.condition.withState !== "ARCHIVED")
    .map((r) => r.condition!.age as number);
  return days.length === 0 ? "forever" : Math.min(...days);
}

/** Soft delete keeps deleted and replaced objects 7 days unless set otherwise; 0 turns it off (Cloud Storage, "Soft delete"). */
export function softDeleteDays(bucket: StackResourceView): number {
  const seconds = bucket.props.softDeletePolicy?.retentionDurationSeconds;
  return typeof seconds === "number" ? Math.floor(seconds / day) : 7;
}

/**
 * A Cloud SQL primary: replicas copy one (masterInstanceName) and are not data stores of their own. Whether
 * the input is given is known in a preview even where the primary's name is not yet.
 */
export const isReplica = (props: Record<string, unknown>) => "masterInstanceName" in props;
export const isPrimary = (db: StackResourceView) => !isReplica(db.props);

/** Bucket locations are regions, dual-regions or multi-regions, compared case-insensitively. */
export const sameLocation = (a: unknown, b: unknown) => String(a ?? "").toLowerCase() === String(b ?? "").toLowerCase();
