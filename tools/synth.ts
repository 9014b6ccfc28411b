// The offline synth: runs the program under mocks for one or more stacks, with no cloud credentials,
// and prints each plan (as a tree for one plan), what it changes against old plans (`--compare`,
// `--compare-dir`), what it costs a month, and writes the plans as JSON and one markdown report for
// a PR comment. Several plans run in one process: the mock runtime is set up afresh for each run.
// Exit 1 with one clear message per failing plan on bad config; exit 2 on bad arguments.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { clouds, type CloudName } from "../components/model";
import { cloudImplementations } from "../components/platform";
import { didYouMean } from "../stacks/configErrors";
import { runProgram, type SynthResult } from "../tests/harness/run";
import { cloudContradiction, parseConfigPath, parseStackName, projectRoot, StackFileError } from "../tests/harness/stackFiles";
import { compareCost, estimateCost } from "./cost";
import { type Plan, PlanFileError, planFileName, parsePlan, toPlan } from "./plan";
import { comparePlans } from "./planDiff";
import { type PlanReport, renderMarkdown, renderText, title } from "./report";
import { renderOutputs, renderTree } from "./synthTree";
import { evaluatePolicies, PackConfigError, type PolicyReport, renderViolations } from "../policy/synthPolicies";

const usage = `usage: npm run synth -- (--stack <name>... | --all) [--cloud aws|azure|gcp] [--set KEY=VALUE]... [--set-secret KEY=VALUE]...
                        [--json FILE | --json-dir DIR] [--compare OLD.json | --compare-dir DIR] [--markdown FILE] [--preview] [--first-deploy]

  --stack       reads Pulumi.<name>.yaml (any Pulumi stack name; <org>/<project>/<name> also works); repeat it for several plans
  --all         every committed stack (Pulumi.<name>.yaml) on every implemented cloud, in one process
  --cloud       overrides platform:cloud (a --set of platform:cloud to another cloud is refused); with --all, only that cloud
  --set         a config value in 'pulumi config set --path' syntax, e.g. platform:services.api.port=9000 (every plan)
  --set-secret  the same, as 'pulumi config set --secret --path'
  --json        writes the plan { stack, cloud, environment, region, resources, outputs, violations } to FILE (one plan)
  --json-dir    writes each plan to DIR/<stack>.<cloud>.json
  --compare     what the plan changes against an old plan (a --json of the base branch): creates,
                updates, replaces (from tools/replacements/), deletes, and deletes or replaces of
                protected resources as BLOCKED; with the change of the monthly cost (one plan)
  --compare-dir the same for each plan, against DIR/<stack>.<cloud>.json
  --markdown    writes one report of every plan for a PR comment to FILE (under GitHub's size limit)
  --preview     plan as 'pulumi preview' does: computed values stay unknown
  --first-deploy  plan against an empty AWS account or Azure subscription (no images, no secret values
                yet): shows which services are held and what to do; default: an account where they exist`;

const options = {
  stack: { type: "string", multiple: true },
  all: { type: "boolean" },
  cloud: { type: "string" },
  set: { type: "string", multiple: true },
  "set-secret": { type: "string", multiple: true },
  json: { type: "string" },
  "json-dir": { type: "string" },
  compare: { type: "string" },
  "compare-dir": { type: "string" },
  markdown: { type: "string" },
  preview: { type: "boolean" },
  "first-deploy": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

interface Target {
  stack: string;
  /** Set when the cloud is overridden (`--cloud`, or each implemented cloud with `--all`). */
  cloud?: CloudName;
}

/** Every committed stack on every implemented cloud (or only `cloud`). */
function allTargets(cloud?: CloudName): Target[] {
  const stacks = readdirSync(projectRoot)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
  const implemented = clouds.filter((c) => cloudImplementations[c] !== undefined && (!cloud || c === cloud));
  return stacks.flatMap((stack) => implemented.map((c) => ({ stack, cloud: c })));
}

function readOldPlan(file: string): Plan {
  return parsePlan(readFileSync(file, "utf8"), file);
}

/** The report of one plan: compared with its old plan where there is one, and priced. */
function reportFor(plan: Plan, old: { plan: Plan; file: string } | { missing: string } | undefined): PlanReport {
  const cost = estimateCost(plan);
  if (!old) return { plan, cost };
  if ("missing" in old) return { plan, cost, notCompared: old.missing };
  const oldCost = estimateCost(old.plan);
  return { plan, comparedWith: old.file, diff: comparePlans(old.plan, plan), cost, ...(cost && oldCost ? { costDelta: compareCost(oldCost, cost) } : {}) };
}

interface Outcome {
  target: Target;
  result?: SynthResult;
  plan?: Plan;
  policy?: PolicyReport;
  error?: string;
}

async function synth(): Promise<void> {
  let args;
  try {
    args = parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const unknown = /Unknown option '--([^']+)'/.exec((e as Error).message)?.[1];
    const hint = unknown ? `; ${didYouMean(unknown, Object.keys(options)).replace(/"(.+)"/, '"--$1"').trim()}` : "";
    fail(`${(e as Error).message}${hint}\n\n${usage}`, 2);
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const stacks = args.stack ?? [];
  if (stacks.length === 0 && !args.all) fail(`--stack or --all is required\n\n${usage}`, 2);
  if (stacks.length > 0 && args.all) fail(`--stack and --all: give the stacks, or --all for every committed stack, not both\n\n${usage}`, 2);
  if (args.cloud !== undefined && !(clouds as readonly string[]).includes(args.cloud)) {
    fail(`--cloud: ${JSON.stringify(args.cloud)} is not allowed: expected one of: ${clouds.join(", ")}`, 2);
  }
  const cloud = args.cloud as CloudName | undefined;
  const targets: Target[] = args.all ? allTargets(cloud) : stacks.map((stack) => ({ stack, cloud }));
  if (args.all && targets.length === 0) fail(`--all: no committed stack on ${cloud ? `cloud ${cloud}` : "an implemented cloud"} (implemented: ${clouds.filter((c) => cloudImplementations[c]).join(", ")})`, 2);
  const several = targets.length > 1;
  if (several && args.json) fail(`--json writes one plan; for ${targets.length} plans use --json-dir DIR\n\n${usage}`, 2);
  if (several && args.compare) fail(`--compare takes the old plan of one stack; for ${targets.length} plans use --compare-dir DIR (with <stack>.<cloud>.json files)\n\n${usage}`, 2);
  if (args.compare && args["compare-dir"]) fail(`--compare and --compare-dir: give one\n\n${usage}`, 2);

  // Malformed arguments are usage errors (exit 2), found before any file is read.
  const assignments = [...(args.set ?? []), ...(args["set-secret"] ?? [])];
  let oldPlan: Plan | undefined;
  try {
    for (const t of targets) parseStackName(t.stack);
    for (const assignment of assignments) {
      const eq = assignment.indexOf("=");
      if (eq < 0) throw new StackFileError(`--set ${JSON.stringify(assignment)}: expected KEY=VALUE, e.g. platform:cloud=aws`);
      parseConfigPath(assignment.slice(0, eq));
    }
    const contradiction = cloudContradiction(args.cloud, assignments, "platform");
    if (contradiction) throw new StackFileError(contradiction);
    if (args.compare) {
      if (!existsSync(args.compare)) throw new StackFileError(`--compare ${args.compare}: no such file (write one with \`npm run synth -- --stack S --json FILE\` on the base branch)`);
      oldPlan = readOldPlan(args.compare);
    }
    const dir = args["compare-dir"];
    if (dir && !(existsSync(dir) && statSync(dir).isDirectory())) throw new StackFileError(`--compare-dir ${dir}: no such directory`);
  } catch (e) {
    if (!(e instanceof StackFileError) && !(e instanceof PlanFileError)) throw e;
    fail(`${e.message}\n\n${usage}`, 2);
  }

  const outcomes: Outcome[] = [];
  for (const target of targets) outcomes.push(await planOne(target, args));

  const reports: PlanReport[] = [];
  for (const outcome of outcomes) {
    const { target, result, plan } = outcome;
    const label = `${target.stack}${target.cloud ? ` on ${target.cloud}` : ""}`;
    for (const warning of result?.warnings ?? []) process.stderr.write(`warning${several ? ` (${label})` : ""}: ${warning}\n`);
    for (const note of result?.notes ?? []) process.stderr.write(`info${several ? ` (${label})` : ""}: ${note}\n`);
    if (!plan || !result) {
      process.stderr.write(`error${several ? ` (${label})` : ""}: ${outcome.error}\n`);
      reports.push({ plan: { stack: result?.stack ?? target.stack, cloud: result?.cloud || target.cloud || "", environment: result?.environment ?? "", resources: [], outputs: {} }, error: outcome.error });
      continue;
    }
    let old: Parameters<typeof reportFor>[1];
    if (oldPlan && args.compare) old = { plan: oldPlan, file: args.compare };
    if (args["compare-dir"]) {
      const file = path.join(args["compare-dir"], planFileName(plan.stack, plan.cloud));
      old = existsSync(file) ? { plan: readOldPlan(file), file } : { missing: `no base plan ${file} (a new stack or cloud, or the base branch could not synth it)` };
    }
    const report = reportFor(plan, old);
    if (outcome.policy) report.policyText = renderViolations(outcome.policy);
    reports.push(report);

    const mode = `${args.preview ? " (preview)" : ""}${args["first-deploy"] ? " (first deploy on an empty account)" : ""}`;
    process.stdout.write(`${several ? "== " : ""}${result.stack}: ${result.environment} on ${result.cloud}${mode}\n\n`);
    if (!several && !old) {
      const outputs = Object.keys(result.outputs).length > 0 ? renderOutputs(result.outputs) : "  (computed when deployed)";
      process.stdout.write(`${renderTree(result)}\n\nOutputs:\n${outputs}\n\n`);
    } else {
      const custom = plan.resources.filter((r) => r.custom).length;
      process.stdout.write(`${plan.resources.length} resources: ${custom} cloud resources, ${plan.resources.length - custom} components, ${plan.resources.filter((r) => r.protect).length} protected\n`);
    }
    process.stdout.write(`${renderText(report)}\n${several ? "\n" : ""}`);
    if (args.json) {
      writeFileSync(args.json, `${JSON.stringify(plan, null, 2)}\n`);
      process.stdout.write(`\nwrote ${args.json}\n`);
    }
    if (args["json-dir"]) {
      mkdirSync(args["json-dir"], { recursive: true });
      writeFileSync(path.join(args["json-dir"], planFileName(plan.stack, plan.cloud)), `${JSON.stringify(plan, null, 2)}\n`);
    }
  }
  if (args["json-dir"]) process.stdout.write(`wrote ${reports.filter((r) => !r.error).length} plans to ${args["json-dir"]}\n`);
  if (args.markdown) {
    writeFileSync(args.markdown, `${renderMarkdown(reports)}\n`);
    process.stdout.write(`wrote ${args.markdown}\n`);
  }
  const failed = reports.filter((r) => r.error);
  const mandatory = reports.filter((r) => r.plan.violations?.some((v) => v.level === "mandatory"));
  if (several && (failed.length || mandatory.length)) {
    process.stderr.write(`${[...failed.map((r) => `${title(r.plan)} failed`), ...mandatory.map((r) => `${title(r.plan)} has mandatory policy violations`)].join("; ")}\n`);
  } else if (mandatory.length) {
    // A mandatory violation fails the synth as it fails `pulumi preview` with the pack.
    const count = mandatory[0].plan.violations!.filter((v) => v.level === "mandatory").length;
    process.stderr.write(`error: ${count} mandatory policy violation${count === 1 ? "" : "s"} (see above)\n`);
  }
  if (failed.length || mandatory.length) process.exit(1);
}

async function planOne(target: Target, args: { set?: string[]; "set-secret"?: string[]; preview?: boolean; "first-deploy"?: boolean }): Promise<Outcome> {
  let result: SynthResult;
  try {
    result = await runProgram({
      stack: target.stack,
      cloud: target.cloud,
      set: args.set,
      setSecret: args["set-secret"],
      preview: args.preview,
      account: args["first-deploy"] ? "empty" : "established",
    });
  } catch (e) {
    return { target, error: (e as Error).message };
  }
  if (result.error) return { target, result, error: result.error.message };
  const plan = toPlan(result);
  // The policy pack's findings join the plan here (`plan.violations`): everything after this point
  // (the compare, the report, the JSON, the exit status) reads them from the plan. A mandatory one
  // fails the synth as it fails `pulumi preview` with the pack.
  let policy: PolicyReport;
  try {
    policy = evaluatePolicies(result);
  } catch (e) {
    if (e instanceof PackConfigError) return { target, result, error: e.message };
    throw e;
  }
  plan.violations = policy.violations;
  return { target, result, plan, policy };
}

synth().then(
  () => process.exit(0),
  (e: Error) => fail(`error: ${e.message}`),
);
