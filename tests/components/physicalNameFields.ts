// The physical names of a synth, keyed by resource and input path: a changed physical name
// replaces the resource (and may lose its data), so the committed stacks' names are pinned.
import type { SynthResult } from "../harness/run";

/** Input keys that hold a name the cloud knows the resource by. */
const nameKeys = new Set(["name", "bucket", "family", "namePrefix", "ruleName", "metricName", "Name"]);
/** Subtrees whose `name` keys are not names we give (the metrics an alarm reads, ECS cluster settings). */
const skipKeys = new Set(["metricQueries", "settings"]);

function collect(value: unknown, at: string, out: Record<string, string>, top: boolean): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => collect(v, `${at}[${i}]`, out, false));
    return;
  }
  if (!value || typeof value !== "object") return;
  for (const [key, v] of Object.entries(value)) {
    const path = at ? `${at}.${key}` : key;
    // A top-level metricName is the metric an alarm watches, not a name we give.
    if (typeof v === "string" && nameKeys.has(key) && !(top && key === "metricName")) out[path] = v;
    else if (!skipKeys.has(key)) collect(v, path, out, false);
  }
}

/** `type::logicalName` -> input path -> physical name, for every resource that sets one. */
export function physicalNamesOf(result: SynthResult): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const r of result.resources) {
    if (!r.custom) continue;
    const names: Record<string, string> = {};
    collect(r.inputs, "", names, true);
    if (Object.keys(names).length > 0) out[`${r.type}::${r.name}`] = names;
  }
  return out;
}
