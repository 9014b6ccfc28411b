// Renders a synth result as a readable tree: the Platform, its blocks, each block's resources.
import type { RegisteredResource, SynthResult } from "../tests/harness/run";

function label(r: RegisteredResource): string {
  const flags = [r.protect ? "protected" : "", r.retainOnDelete ? "retained on delete" : ""].filter(Boolean);
  return `${r.name}  (${r.type})${flags.length ? `  [${flags.join(", ")}]` : ""}`;
}

export function renderTree(result: SynthResult): string {
  const children = new Map<string | null, RegisteredResource[]>();
  for (const r of result.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, indent: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const kids = children.get(r.name) ?? [];
      const count = kids.length ? `  — ${countDescendants(r.name, children)} resources` : "";
      lines.push(`${indent}${last ? "└─ " : "├─ "}${label(r)}${count}`);
      if (kids.length) walk(r.name, indent + (last ? "   " : "│  "));
    });
  };
  walk(null, "");
  const custom = result.resources.filter((r) => r.custom).length;
  const protectedCount = result.resources.filter((r) => r.protect).length;
  lines.push("");
  lines.push(`${result.resources.length} resources: ${custom} cloud resources, ${result.resources.length - custom} components, ${protectedCount} protected`);
  return lines.join("\n");
}

function countDescendants(name: string, children: Map<string | null, RegisteredResource[]>): number {
  return (children.get(name) ?? []).reduce((n, r) => n + 1 + countDescendants(r.name, children), 0);
}

export function renderOutputs(outputs: Record<string, unknown>): string {
  return Object.entries(outputs)
    .map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("\n");
}
