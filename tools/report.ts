// Renders what the synth found for one or more plans: the changes against the old plans, the cost
// and its change, and the policy violations, as terminal text and as one markdown comment for a PR
// that stays under GitHub's comment limit (summary first, details collapsed).
import { type CostDelta, type CostEstimate } from "./cost";
import { type Plan, type PolicyViolation } from "./plan";
import { type ChangeKind, type InputChange, type PlanDiff, type ResourceChange, unknownValue } from "./planDiff";
import { replacementRule } from "./replacements";

export interface PlanReport {
  plan: Plan;
  /** Where the old plan came from, for the headings (`base/production.aws.json`). */
  comparedWith?: string;
  diff?: PlanDiff;
  /** Why the plan was not compared (no base plan for a new stack). */
  notCompared?: string;
  cost?: CostEstimate;
  costDelta?: CostDelta;
  /** The program refused the stack (bad config): nothing else is known. */
  error?: string;
  /** The policy findings as the pack reports them (pack, config file, findings by level); else a summary of `plan.violations`. */
  policyText?: string;
}

/** GitHub refuses a comment body over 65,536 characters; the comment workflow adds a short marker. */
export const commentLimit = 65_000;

const symbols: Record<ChangeKind, string> = { create: "+", update: "~", replace: "+-", delete: "-" };
export const title = (p: Plan) => `${p.stack} (${p.cloud}${p.region ? `, ${p.region}` : ""})`;

export function formatMoney(n: number): string {
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
/** Unit prices keep every digit the table has ($0.004445 per GB-hour, $0.0000025 per GiB-second). */
export function formatUnitPrice(n: number): string {
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 8 })}`;
}
const signedMoney = (n: number) => (n > 0 ? `+${formatMoney(n)}` : n < 0 ? `-${formatMoney(-n)}` : formatMoney(0));

function formatValue(v: unknown, max = 80): string {
  if (v === undefined) return "(not set)";
  if (v === unknownValue) return "(known after apply)";
  const text = typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Why an update is not vouched for: the whole type, or the inputs the table leaves open. */
function unverifiedWhy(c: ResourceChange): string {
  const open = c.changes.filter((x) => x.forces === undefined).map((x) => x.path);
  return replacementRule(c.type) ? `replacement not verified for ${open.join(", ")}` : `${c.type} is in no replacement table`;
}

function changeLine(c: InputChange): string {
  const after = c.via ? `(known once ${c.via} is replaced)` : formatValue(c.after);
  const verdict = c.forces === true ? "  [forces replacement]" : "";
  return `${c.path}: ${formatValue(c.before)} -> ${after}${verdict}`;
}

const countsLine = (d: PlanDiff) =>
  `${d.counts.create} to create, ${d.counts.update} to update, ${d.counts.replace} to replace, ${d.counts.delete} to delete${d.counts.blocked ? `, ${d.counts.blocked} BLOCKED` : ""}`;

function blockedWhy(c: ResourceChange): string {
  return `${c.kind === "delete" ? "deletes" : "replaces"} a protected resource: \`pulumi up\` refuses it (unprotect it on purpose with \`pulumi state unprotect\`, or keep it)`;
}

const violationCounts = (v: PolicyViolation[]) => {
  const mandatory = v.filter((x) => x.level === "mandatory").length;
  return `${mandatory} mandatory, ${v.length - mandatory} advisory`;
};

/** Terminal text for one plan: changes, policy, cost. */
export function renderText(report: PlanReport): string {
  if (report.error) return `error: ${report.error}`;
  const lines: string[] = [];
  const { diff } = report;
  if (diff) {
    lines.push(`Changes against ${report.comparedWith}: ${countsLine(diff)}`);
    for (const c of diff.changes) {
      const head = `${c.blocked ? "BLOCKED " : ""}${symbols[c.kind]} ${c.kind}`;
      lines.push(`  ${head.padEnd(16)} ${c.type}  ${c.name}${c.unverified ? `  (${unverifiedWhy(c)}: this may be a replacement)` : ""}`);
      if (c.blocked) lines.push(`      ${blockedWhy(c)}`);
      if (c.reason) lines.push(`      ${c.reason}`);
      for (const change of c.changes) lines.push(`      ${changeLine(change)}`);
    }
    for (const p of diff.possible) lines.push(`  ? may change      ${p.type}  ${p.name}  (depends on ${p.dependsOn}, which is replaced)`);
    for (const note of diff.notes) lines.push(`  note: ${note}`);
  } else if (report.notCompared) {
    lines.push(`Not compared: ${report.notCompared}`);
  }
  const violations = report.plan.violations;
  if (report.policyText) lines.push(report.policyText);
  else if (violations) {
    lines.push(`Policy: ${violationCounts(violations)}`);
    for (const v of violations) lines.push(`  ${v.level.padEnd(9)} ${v.policy}  ${v.type}  ${v.name}: ${v.message.replace(/\n/g, " ")}`);
  }
  if (report.cost) lines.push(...costText(report.cost, report.costDelta));
  else lines.push(`Cost: not estimated (no cost estimator for ${report.plan.cloud} yet)`);
  return lines.join("\n");
}

function costText(cost: CostEstimate, delta?: CostDelta): string[] {
  const tables = cost.tables.map((t) => `${t.file}, ${t.date}`).join("; ") || "no price table";
  const lines = [`Monthly cost estimate (${tables}):`];
  const unpriced = cost.unpriced.length ? `, plus ${cost.unpriced.length} not priced` : "";
  lines.push(`  ${formatMoney(cost.monthly)} a month fixed${unpriced}${delta ? `; was ${formatMoney(delta.before)} (${signedMoney(delta.delta)})` : ""}`);
  const width = Math.max(...cost.lines.map((l) => l.item.length), ...cost.usage.map((u) => u.item.length), 10);
  const detailWidth = Math.max(...cost.lines.map((l) => l.detail.length), 10);
  for (const l of cost.lines) {
    const amount = l.monthly !== undefined ? formatMoney(l.monthly) : `not priced (${l.priceKey} is not in the ${l.region} table)`;
    lines.push(`    ${l.item.padEnd(width)}  ${l.detail.padEnd(detailWidth)}  ${amount}`);
  }
  lines.push("  Usage-based (unit prices):");
  for (const u of cost.usage) lines.push(`    ${u.item.padEnd(width)}  ${u.unitPrice !== undefined ? `${formatUnitPrice(u.unitPrice)} per ${u.unit}` : `not priced (${u.priceKey}, ${u.region})`}`);
  for (const note of cost.notes) lines.push(`  note: ${note}`);
  if (delta) for (const l of delta.lines) lines.push(`  changed: ${l.item} (${l.region}): ${l.before === undefined ? (l.unpricedBefore ? "not priced" : "none") : formatMoney(l.before)} -> ${l.after === undefined ? (l.unpricedAfter ? "not priced" : "none") : formatMoney(l.after)}`);
  return lines;
}

// ---- markdown ----

function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;").replace(/\n/g, "<br>");
}
const code = (text: string) => `<code>${html(text)}</code>`;

function summaryRow(r: PlanReport): string {
  if (r.error) return `| ${html(r.plan.stack)} | ${html(r.plan.cloud)} | **failed** | ${html(r.error.length > 300 ? `${r.error.slice(0, 299)}…` : r.error)} | | | | | | |`;
  const d = r.diff;
  const cells = d ? [d.counts.create, d.counts.update, d.counts.replace, d.counts.delete].map(String) : ["–", "–", "–", "–"];
  const blocked = d ? (d.counts.blocked ? `**${d.counts.blocked}**` : "0") : "–";
  const policy = r.plan.violations ? violationCounts(r.plan.violations).replace(/^(\d+) mandatory/, (m, n) => (n === "0" ? m : `**${m}**`)) : "–";
  const cost = r.cost ? `${formatMoney(r.cost.monthly)}${r.cost.unpriced.length ? ` + ${r.cost.unpriced.length} not priced` : ""}` : "not estimated";
  const change = r.costDelta ? signedMoney(r.costDelta.delta) : "–";
  return `| ${html(r.plan.stack)} | ${html(r.plan.cloud)} | ${cells.join(" | ")} | ${blocked} | ${policy} | ${cost} | ${change} |`;
}

function changeRows(d: PlanDiff, limit: number): string[] {
  const rows = d.changes.slice(0, limit).map((c) => {
    const kind = `${c.blocked ? "**BLOCKED** " : ""}${symbols[c.kind]} ${c.kind}`;
    const details = [
      ...(c.blocked ? [html(blockedWhy(c))] : []),
      ...(c.reason ? [html(c.reason)] : []),
      ...(c.unverified ? [`${html(unverifiedWhy(c))}: may be a replacement`] : []),
      ...c.changes.slice(0, 12).map((x) => `${code(x.path)}: ${html(formatValue(x.before, 60))} → ${html(x.via ? `(known once ${x.via} is replaced)` : formatValue(x.after, 60))}${x.forces ? " **forces replacement**" : ""}`),
      ...(c.changes.length > 12 ? [`… ${c.changes.length - 12} more inputs`] : []),
    ];
    return `| ${kind} | ${code(c.type)}<br>${code(c.name)} | ${details.join("<br>")} |`;
  });
  const left = d.changes.length - Math.min(limit, d.changes.length);
  return [...rows, ...(left > 0 ? [`| | … ${left} more resources, left out to stay under GitHub's comment limit (the artifact has them all) | |`] : [])];
}

function details(r: PlanReport, rowLimit: number): string {
  const parts: string[] = [`### ${html(title(r.plan))}`, ""];
  const d = r.diff;
  if (d) {
    parts.push(`<details><summary>Changes against the base branch: ${html(countsLine(d))}</summary>`, "");
    if (d.changes.length > 0) parts.push("| | resource | changed inputs |", "|---|---|---|", ...changeRows(d, rowLimit));
    else parts.push("No resource changes.");
    if (d.possible.length) parts.push("", `May also change (they depend on a replaced resource without naming it in an input): ${d.possible.map((p) => code(p.name)).join(", ")}`);
    for (const note of d.notes) parts.push("", `> ${html(note)}`);
    parts.push("", "</details>", "");
  } else if (r.notCompared) {
    parts.push(`Not compared: ${html(r.notCompared)}`, "");
  }
  const v = r.plan.violations;
  if (v) {
    parts.push(`<details><summary>Policy: ${violationCounts(v)}</summary>`, "");
    if (v.length) parts.push("| level | policy | resource | message |", "|---|---|---|---|", ...v.slice(0, rowLimit).map((x) => `| ${x.level} | ${code(x.policy)} | ${code(x.type)} ${code(x.name)} | ${html(x.message)} |`));
    if (v.length > rowLimit) parts.push(`| | … ${v.length - rowLimit} more | | |`);
    parts.push("", "</details>", "");
  }
  const c = r.cost;
  if (c) {
    const delta = r.costDelta ? `, was ${formatMoney(r.costDelta.before)} (${signedMoney(r.costDelta.delta)})` : "";
    parts.push(`<details><summary>Cost: ${formatMoney(c.monthly)} a month fixed${c.unpriced.length ? `, ${c.unpriced.length} not priced` : ""}${delta}</summary>`, "");
    parts.push("| item | quantity | monthly |", "|---|---|---|");
    for (const l of c.lines) parts.push(`| ${html(l.item)} | ${html(l.detail)} | ${l.monthly !== undefined ? formatMoney(l.monthly) : `not priced (${code(l.priceKey)}, ${l.region})`} |`);
    parts.push("", "Usage-based, unit prices: " + c.usage.map((u) => `${html(u.item)} ${u.unitPrice !== undefined ? `${formatUnitPrice(u.unitPrice)}/${html(u.unit ?? "")}` : "not priced"}`).join("; "));
    if (r.costDelta?.lines.length) parts.push("", "Changed: " + r.costDelta.lines.map((l) => `${html(l.item)} ${l.before === undefined ? (l.unpricedBefore ? "not priced" : "none") : formatMoney(l.before)} → ${l.after === undefined ? (l.unpricedAfter ? "not priced" : "none") : formatMoney(l.after)}`).join("; "));
    for (const note of c.notes) parts.push("", `> ${html(note)}`);
    parts.push("", "</details>", "");
  }
  return parts.join("\n");
}

/**
 * One comment for every plan: the summary table first, then each plan's details collapsed. When
 * the whole would pass `limit`, the details are cut (fewest rows first) and say so; the summary stays.
 */
export function renderMarkdown(reports: PlanReport[], limit = commentLimit): string {
  const priced = [...new Map(reports.flatMap((r) => r.cost?.tables ?? []).map((t) => [t.file, t])).values()];
  const head: string[] = [
    `## Plan check: ${reports.length} ${reports.length === 1 ? "plan" : "plans"}`,
    "",
    "| stack | cloud | create | update | replace | delete | blocked | policy | monthly (fixed) | change |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...reports.map(summaryRow),
    "",
  ];
  for (const r of reports) {
    for (const c of r.diff?.changes.filter((x) => x.blocked) ?? []) head.push(`> **BLOCKED** in ${html(title(r.plan))}: ${c.kind} of protected ${code(c.type)} ${code(c.name)}`);
    const mandatory = r.plan.violations?.filter((v) => v.level === "mandatory") ?? [];
    if (mandatory.length) head.push(`> **${mandatory.length} mandatory policy ${mandatory.length === 1 ? "violation" : "violations"}** in ${html(title(r.plan))}`);
  }
  head.push(
    "",
    `Offline: the program under mocks, compared with the base branch's plans; replacements from the curated table (\`tools/replacements/\`). Same-repository PRs also get \`pulumi preview\` against the real state. Prices: ${priced.map((t) => `\`${t.file}\` (${t.date})`).join(", ") || "none"}; usage-based items are unit prices, items missing from the table are not priced.`,
    "",
  );
  let text = head.join("\n");
  if (text.length > limit) {
    // Hundreds of plans: keep as many summary rows as fit.
    const keep = reports.map(summaryRow).filter((_, i, all) => head.slice(0, 4).join("\n").length + all.slice(0, i + 1).join("\n").length + 200 < limit);
    text = [...head.slice(0, 4), ...keep, "", `… ${reports.length - keep.length} more plans: the full report is in the workflow artifact.`, ""].join("\n");
    return text;
  }
  // Each plan gets an equal share of what is left, so that one large change does not crowd out the others.
  const detailed = reports.filter((x) => !x.error);
  detailed.forEach((r, i) => {
    const share = Math.floor((limit - text.length) / (detailed.length - i)) - 1;
    let rows = Math.max(r.diff?.changes.length ?? 0, r.plan.violations?.length ?? 0);
    let section = details(r, rows);
    while (section.length > share && rows > 0) {
      rows = Math.floor(rows / 2);
      section = details(r, rows);
    }
    if (section.length > share) section = `### ${html(title(r.plan))}\n\nDetails left out to stay under GitHub's comment limit: see the workflow artifact.\n`;
    if (text.length + section.length + 1 <= limit) text += `\n${section}`;
  });
  return text;
}
