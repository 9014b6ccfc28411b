// Benchmark: offline synth against the floor (a process that only loads @pulumi/pulumi and
// @pulumi/aws; for GCP, @pulumi/pulumi and the GCP modules the implementation uses), and synth with
// 1 versus 50 services. Commands run interleaved, round after
// round, so a busy machine slows all of them alike; the report is medians and their ratios.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "../tests/harness/stackFiles";

interface Command {
  label: string;
  args: string[];
}

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write(`--rounds: ${JSON.stringify(values.rounds)} is not allowed: expected a whole number of at least 1\n`);
  process.exit(2);
}

const synth = (...args: string[]): string[] => ["tools/launch.js", "tools/synth.ts", ...args];
const fiftyServices = Array.from({ length: 49 }, (_, i) => {
  const name = `svc${String(i + 1).padStart(2, "0")}`;
  return ["--set", `platform:services.${name}.port=${8100 + i}`, "--set", `platform:services.${name}.pathPatterns[0]=/${name}/*`];
}).flat();
const stacks = readdirSync(projectRoot)
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined);

/** The GCP modules the GCP implementation imports one by one (components/gcp/*.ts), never the package's index of every module. */
const gcpModules = ["artifactregistry", "backupdisasterrecovery", "cloudrunv2", "compute", "dns", "kms", "logging", "monitoring", "projects", "secretmanager", "serviceaccount", "servicenetworking", "sql", "storage"];
// The PR job's offline check: every committed stack on every implemented cloud in one process, with
// the policy, the compare against the base plans and the cost (the base plans are written once here).
const workDir = mkdtempSync(path.join(tmpdir(), "platform-bench-"));
const basePlans = spawnSync(process.execPath, synth("--all", "--json-dir", path.join(workDir, "base")), { cwd: projectRoot, encoding: "utf8" });
if (basePlans.status !== 0) {
  process.stderr.write(`writing the base plans failed (exit ${basePlans.status}):\n${basePlans.stderr}\n`);
  process.exit(1);
}
const allPlansLabel = "all stacks × all clouds, one process (policy, compare, cost)";
const allPlans: Command = { label: allPlansLabel, args: synth("--all", "--compare-dir", path.join(workDir, "base"), "--markdown", path.join(workDir, "summary.md")) };

const commands: Command[] = [
  { label: "floor (load @pulumi/pulumi + @pulumi/aws)", args: ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"] },
  ...stacks.map((stack) => ({ label: `synth ${stack}`, args: synth("--stack", stack) })),
  { label: "synth dev, 1 service", args: synth("--stack", "dev") },
  { label: "synth dev, 50 services", args: synth("--stack", "dev", ...fiftyServices) },
  { label: "floor GCP (load @pulumi/pulumi + the GCP modules used)", args: ["-e", `require('@pulumi/pulumi'); ${gcpModules.map((m) => `require('@pulumi/gcp/${m}')`).join("; ")}`] },
  ...stacks.map((stack) => ({ label: `synth ${stack} --cloud gcp`, args: synth("--stack", stack, "--cloud", "gcp") })),
  allPlans,
];

const timings = new Map<string, number[]>(commands.map((c) => [c.label, []]));
for (let round = 0; round < rounds; round++) {
  for (const command of commands) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, command.args, { cwd: projectRoot, encoding: "utf8" });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.status !== 0) {
      process.stderr.write(`${command.label} failed (exit ${run.status}):\n${run.stderr}\n`);
      process.exit(1);
    }
    timings.get(command.label)!.push(seconds);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(timings.get(commands[0].label)!);
const gcpFloorLabel = commands.find((c) => c.label.startsWith("floor GCP"))!.label;
const gcpFloor = median(timings.get(gcpFloorLabel)!);
const rows = commands.map((c) => {
  const m = median(timings.get(c.label)!);
  // Each cloud's synth against its own floor.
  const own = c.label.includes("gcp") || c.label === gcpFloorLabel ? gcpFloor : floor;
  return { command: c.label, "median s": m.toFixed(2), "× floor": (m / own).toFixed(2) };
});
console.table(rows);
const one = median(timings.get("synth dev, 1 service")!);
const fifty = median(timings.get("synth dev, 50 services")!);
console.log(`50 services / 1 service: ${(fifty / one).toFixed(2)}× (target < 3×); synth / floor target ≤ 1.5× on AWS, ≤ 1.3× on GCP (${rounds} interleaved rounds, node ${process.version})`);
const planCount = basePlans.stdout.match(/wrote (\d+) plans/)?.[1] ?? "?";
console.log(`${allPlansLabel}: ${planCount} plans in ${median(timings.get(allPlansLabel)!).toFixed(2)} s (target < 15 s)`);
rmSync(workDir, { recursive: true, force: true });
