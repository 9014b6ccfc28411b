// The offline synth: runs the program under mocks for one stack, with no cloud credentials, and
// prints the plan as a tree (and optionally as JSON). Exit 1 with one clear message on bad config.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { clouds, type CloudName } from "../components/model";
import { didYouMean } from "../stacks/configErrors";
import { runProgram } from "../tests/harness/run";
import { cloudContradiction, parseConfigPath, parseStackName, StackFileError } from "../tests/harness/stackFiles";
import { renderOutputs, renderTree } from "./synthTree";
import { evaluatePolicies, PackConfigError, renderViolations } from "../policy/synthPolicies";

const usage = `usage: npm run synth -- --stack <name> [--cloud aws|azure|gcp] [--set KEY=VALUE]... [--set-secret KEY=VALUE]... [--json FILE] [--preview] [--first-deploy]

  --stack       reads Pulumi.<name>.yaml (any Pulumi stack name; <org>/<project>/<name> also works)
  --cloud       overrides platform:cloud (a --set of platform:cloud to another cloud is refused)
  --set         a config value in 'pulumi config set --path' syntax, e.g. platform:services.api.port=9000
  --set-secret  the same, as 'pulumi config set --secret --path'
  --json        also writes { stack, cloud, environment, resources, outputs, violations } to FILE
  --preview     plan as 'pulumi preview' does: computed values stay unknown
  --first-deploy  plan against an empty AWS account (no images, no secret values yet): shows which
                services are held at 0 tasks and what to do; default: an account where they exist`;

const options = {
  stack: { type: "string" },
  cloud: { type: "string" },
  set: { type: "string", multiple: true },
  "set-secret": { type: "string", multiple: true },
  json: { type: "string" },
  preview: { type: "boolean" },
  "first-deploy": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
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
  if (!args.stack) fail(`--stack is required\n\n${usage}`, 2);
  if (args.cloud !== undefined && !(clouds as readonly string[]).includes(args.cloud)) {
    fail(`--cloud: ${JSON.stringify(args.cloud)} is not allowed: expected one of: ${clouds.join(", ")}`, 2);
  }
  // Malformed arguments are usage errors (exit 2), found before any file is read.
  const assignments = [...(args.set ?? []), ...(args["set-secret"] ?? [])];
  try {
    parseStackName(args.stack);
    for (const assignment of assignments) {
      const eq = assignment.indexOf("=");
      if (eq < 0) throw new StackFileError(`--set ${JSON.stringify(assignment)}: expected KEY=VALUE, e.g. platform:cloud=aws`);
      parseConfigPath(assignment.slice(0, eq));
    }
    const contradiction = cloudContradiction(args.cloud, assignments, "platform");
    if (contradiction) throw new StackFileError(contradiction);
  } catch (e) {
    if (!(e instanceof StackFileError)) throw e;
    fail(`${e.message}\n\n${usage}`, 2);
  }

  let result;
  try {
    result = await runProgram({
      stack: args.stack,
      cloud: args.cloud as CloudName | undefined,
      set: args.set,
      setSecret: args["set-secret"],
      preview: args.preview,
      account: args["first-deploy"] ? "empty" : "established",
    });
  } catch (e) {
    fail(`error: ${(e as Error).message}`);
  }
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (result.error) fail(`error: ${result.error.message}`);

  process.stdout.write(`${result.stack}: ${result.environment} on ${result.cloud}${args.preview ? " (preview)" : ""}${args["first-deploy"] ? " (first deploy on an empty account)" : ""}\n\n`);
  const outputs = Object.keys(result.outputs).length > 0 ? renderOutputs(result.outputs) : "  (computed when deployed)";
  process.stdout.write(`${renderTree(result)}\n\nOutputs:\n${outputs}\n`);
  let policies;
  try {
    policies = evaluatePolicies(result);
  } catch (e) {
    if (e instanceof PackConfigError) fail(`error: ${e.message}`);
    throw e;
  }
  process.stdout.write(`\n${renderViolations(policies)}\n`);
  if (args.json) {
    const contract = {
      stack: result.stack,
      cloud: result.cloud,
      environment: result.environment,
      resources: result.resources.map(({ type, name, parent, custom, protect, inputs, urn, dependencies, propertyDependencies }) => ({ type, name, parent, custom, protect, inputs, urn, dependencies, propertyDependencies })),
      outputs: result.outputs,
      violations: policies.violations,
    };
    writeFileSync(args.json, `${JSON.stringify(contract, null, 2)}\n`);
    process.stdout.write(`\nwrote ${args.json}\n`);
  }
  // A mandatory violation fails the synth as it fails `pulumi preview` with the pack.
  if (policies.mandatory > 0) fail(`error: ${policies.mandatory} mandatory policy violation${policies.mandatory === 1 ? "" : "s"} (see above)`);
}

synth().then(
  () => process.exit(0),
  (e: Error) => fail(`error: ${e.message}`),
);
