// Finding registered resources in a synth result, for assertions.
import type { RegisteredResource, SynthResult } from "./run";

export const ofType = (r: SynthResult, type: string): RegisteredResource[] => r.resources.filter((x) => x.type === type);

/** The resource with this logical name; fails with the names there are when it is missing. */
export const named = (r: SynthResult, name: string): RegisteredResource => {
  const found = r.resources.find((x) => x.name === name);
  if (!found) throw new Error(`no resource named ${name}; have ${r.resources.map((x) => x.name).join(", ")}`);
  return found;
};
