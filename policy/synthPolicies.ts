// The pack inside the offline synth: the stack's pack config, the evaluation of what the program
// registered, and the report by level. tools/synth.ts calls `evaluatePolicies` and `renderViolations`.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { SynthResult } from "../tests/harness/run";
import { analyzePlan, PackConfigError, resolvePackConfig, type ResolvedPackConfig, type Violation, violationsOf } from "./offline";
import { packName, packVersion } from "./pack";

export { PackConfigError, type Violation };

/** Where the pack config of a stack lives; the same file `pulumi preview --policy-pack-config` takes. */
export function packConfigPath(stack: string): string {
  return path.join(__dirname, "config", `${stack}.json`);
}

/** The stack's pack config, resolved; without a file, the pack's own levels and defaults (production's). */
export function loadPackConfig(stack: string): { config: ResolvedPackConfig; source: string } {
  const file = packConfigPath(stack);
  const shown = path.relative(path.join(__dirname, ".."), file);
  if (!existsSync(file)) return { config: resolvePackConfig({}, shown), source: `no ${shown}: every policy at the pack's level (mandatory) and defaults` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new PackConfigError(`${shown}: not valid JSON: ${(e as Error).message}`);
  }
  return { config: resolvePackConfig(parsed, shown), source: shown };
}

export interface PolicyReport {
  violations: Violation[];
  mandatory: number;
  /** Which pack config was used. */
  source: string;
}

/** The pack on what the program registered: resource rules on each resource's inputs, stack rules on all. */
export function evaluatePolicies(result: SynthResult, stack = result.stack): PolicyReport {
  const { config, source } = loadPackConfig(stack);
  const diagnostics = analyzePlan(result.resources, config);
  const project = result.resources.find((r) => r.urn)?.urn.split("::")[1] ?? "";
  const violations = violationsOf(diagnostics, result.resources, { project, stack: result.stack });
  return { violations, mandatory: violations.filter((v) => v.level === "mandatory").length, source };
}

/** The report for a terminal: a summary line, then mandatory and advisory findings, each with its resource. */
export function renderViolations(report: PolicyReport): string {
  const { violations } = report;
  const advisory = violations.length - report.mandatory;
  const lines = [`Policies (${packName} ${packVersion}, ${report.source}): ${report.mandatory} mandatory, ${advisory} advisory`];
  for (const level of ["mandatory", "advisory"] as const) {
    const found = violations.filter((v) => v.level === level);
    if (found.length === 0) continue;
    lines.push("", `${level}:`);
    for (const v of found) {
      // The first line of a message is the policy's description; the rest is the finding.
      const finding = v.message.split("\n").slice(1).join(" ") || v.message;
      lines.push(`  ${v.policy}  ${v.name} (${v.type})`, `    ${finding}`);
    }
  }
  return lines.join("\n");
}
