// The contract between a control and a cloud: what a cloud's readers module provides, checked by the
// compiler so that a cloud cannot leave a control without a reader.
import type { ControlName, Controls, ResourceControl, StackControl } from "../controls";
import type { ResourceView, StackResourceView } from "../facts";

/**
 * Resource controls: per type token the cloud has a reader for, the facts of one resource (none when
 * the control has nothing to say about it). A type without a reader is "not applicable".
 */
export type ResourceReaders<F> = Readonly<Record<string, (resource: ResourceView) => F[]>>;

/** Stack controls: the facts of the whole stack, each about one resource (`urn`). */
export type StackReader<F> = (resources: readonly StackResourceView[]) => F[];

// `any` for the config: a reader never sees it, only the control's judge does.
type ReaderOf<C> = C extends ResourceControl<infer F, any> ? ResourceReaders<F> : C extends StackControl<infer F, any> ? StackReader<F> : never;

export interface CloudReaders {
  /** Package part of this cloud's type tokens: `aws` in `aws:s3/bucket:Bucket`. */
  packages: readonly string[];
  /** One reader per control; the compiler refuses a cloud that misses one. */
  read: { readonly [K in ControlName]: ReaderOf<Controls[K]> };
}
