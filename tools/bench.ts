// Benchmark, as ratios measured in one run. Each cloud's synth is set against that cloud's floor: a
// process that loads Node, @pulumi/pulumi and exactly the cloud SDK modules a synth of that cloud
// loads (recorded from a synth before timing, so the floor follows the code). Also: 1 versus 50
// services, the type check, and the PR job's offline check (every committed stack on every cloud in
// one process, with the policy, the compare and the cost). Commands run interleaved, round after
// round, so a busy machine slows all of them alike; the report is medians and their ratios.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { clouds, type CloudName } from "../components/model";
import { implementedClouds } from "../stacks/config";
import { projectRoot } from "../tests/harness/stackFiles";

interface Command {
  label: string;
  args: string[];
  /** Ratios are given against this command's median. */
  against?: string;
}

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write(`--rounds: ${JSON.stringify(values.rounds)} is not allowed: expected a whole number of at least 1\n`);
  process.exit(2);
}

const workDir = mkdtempSync(path.join(tmpdir(), "platform-bench-"));
const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: projectRoot, encoding: "utf8" });
const synth = (...args: string[]): string[] => ["tools/launch.js", "tools/synth.ts", ...args];
const stacks = readdirSync(projectRoot)
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined);

/** The cloud SDK module files a production synth on `cloud` loads (everything under node_modules/@pulumi but the core SDK). */
function sdkModulesUsed(cloud: CloudName): string[] {
  const hook = path.join(workDir, "record-modules.js");
  const list = path.join(workDir, `${cloud}.modules.json`);
  writeFileSync(hook, `process.on("exit", () => require("fs").writeFileSync(process.env.MODULE_LIST, JSON.stringify(Object.keys(require.cache))));\n`);
  const recorded = spawnSync(process.execPath, ["-r", hook, ...synth("--stack", "production", "--cloud", cloud)], { cwd: projectRoot, encoding: "utf8", env: { ...process.env, MODULE_LIST: list } });
  if (recorded.status !== 0) throw new Error(`synth production --cloud ${cloud} failed:\n${recorded.stderr}`);
  const sdk = path.join(projectRoot, "node_modules", "@pulumi") + path.sep;
  return (JSON.parse(readFileSync(list, "utf8")) as string[]).filter((m) => m.startsWith(sdk) && !m.startsWith(`${sdk}pulumi${path.sep}`) && m.endsWith(".js"));
}

const cloudsHere = clouds.filter((c) => implementedClouds().includes(c));
const commands: Command[] = [];
for (const cloud of cloudsHere) {
  const floorFile = path.join(workDir, `${cloud}.floor.js`);
  writeFileSync(floorFile, `require(${JSON.stringify(require.resolve("@pulumi/pulumi"))});\n${sdkModulesUsed(cloud).map((m) => `require(${JSON.stringify(m)});`).join("\n")}\n`);
  const floor = `${cloud}: floor (Node + @pulumi/pulumi + the ${cloud} SDK modules used)`;
  commands.push({ label: floor, args: [floorFile], against: floor });
  for (const stack of stacks) commands.push({ label: `${cloud}: synth ${stack}`, args: synth("--stack", stack, "--cloud", cloud), against: floor });
}
const fiftyServices = Array.from({ length: 49 }, (_, i) => {
  const name = `svc${String(i + 1).padStart(2, "0")}`;
  return ["--set", `platform:services.${name}.port=${8100 + i}`, "--set", `platform:services.${name}.pathPatterns[0]=/${name}/*`];
}).flat();
const oneService = "aws: synth dev, 1 service";
commands.push({ label: oneService, args: synth("--stack", "dev"), against: oneService });
commands.push({ label: "aws: synth dev, 50 services", args: synth("--stack", "dev", ...fiftyServices), against: oneService });

// The PR job's offline part: the base plans are written once here, then compared against.
const basePlans = run(synth("--all", "--json-dir", path.join(workDir, "base")));
if (basePlans.status !== 0) {
  process.stderr.write(`writing the base plans failed (exit ${basePlans.status}):\n${basePlans.stderr}\n`);
  process.exit(1);
}
const allPlans = "all stacks × all clouds, one process (policy, compare, cost)";
commands.push({ label: allPlans, args: synth("--all", "--compare-dir", path.join(workDir, "base"), "--markdown", path.join(workDir, "summary.md")) });
const typeCheck = "type check (tsc --noEmit)";
commands.push({ label: typeCheck, args: [path.join(projectRoot, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", projectRoot] });

const timings = new Map<string, number[]>(commands.map((c) => [c.label, []]));
for (let round = 0; round < rounds; round++) {
  for (const command of commands) {
    const start = process.hrtime.bigint();
    const result = run(command.args);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    // A plan check exits 1 on a mandatory policy violation; the committed stacks have none.
    if (result.status !== 0) {
      process.stderr.write(`${command.label} failed (exit ${result.status}):\n${result.stderr}\n`);
      process.exit(1);
    }
    timings.get(command.label)!.push(seconds);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianOf = (label: string) => median(timings.get(label)!);
console.table(
  commands.map((c) => ({ command: c.label, "median s": medianOf(c.label).toFixed(2), ratio: c.against ? `${(medianOf(c.label) / medianOf(c.against)).toFixed(2)}×` : "" })),
);
for (const cloud of cloudsHere) {
  const floor = medianOf(commands.find((c) => c.label.startsWith(`${cloud}: floor`))!.label);
  const worst = Math.max(...stacks.map((stack) => medianOf(`${cloud}: synth ${stack}`)));
  console.log(`${cloud}: slowest synth / floor ${(worst / floor).toFixed(2)}× (target ≤ 1.3×)`);
}
console.log(`50 services / 1 service: ${(medianOf("aws: synth dev, 50 services") / medianOf(oneService)).toFixed(2)}× (target < 2.5×)`);
const planCount = basePlans.stdout.match(/wrote (\d+) plans/)?.[1] ?? "?";
console.log(`${allPlans}: ${planCount} plans in ${medianOf(allPlans).toFixed(2)} s (target < 15 s)`);
console.log(`${typeCheck}: ${medianOf(typeCheck).toFixed(2)} s (target < 10 s)`);
console.log(`(${rounds} interleaved rounds, node ${process.version})`);
rmSync(workDir, { recursive: true, force: true });
