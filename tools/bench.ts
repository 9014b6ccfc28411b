// Benchmark: offline synth against the floor (a process that only loads @pulumi/pulumi and
// @pulumi/aws; on Azure @pulumi/pulumi and the azure-native submodules the implementation imports),
// and synth with 1 versus 50 services. Commands run interleaved, round after
// round, so a busy machine slows all of them alike; the report is medians and their ratios.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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

/** The azure-native submodules the Azure implementation imports (components/azure); never the package root. */
const azureSubmodules = readdirSync(path.join(projectRoot, "components", "azure"))
  .flatMap((f) => [...readFileSync(path.join(projectRoot, "components", "azure", f), "utf8").matchAll(/^import \* as \w+ from "@pulumi\/azure-native\/([a-z]+)";$/gm)].map((m) => m[1]));
const azureFloor = `require('@pulumi/pulumi'); ${[...new Set(azureSubmodules)].map((m) => `require('@pulumi/azure-native/${m}')`).join("; ")}`;

const commands: Command[] = [
  { label: "floor (load @pulumi/pulumi + @pulumi/aws)", args: ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"] },
  ...stacks.map((stack) => ({ label: `synth ${stack}`, args: synth("--stack", stack) })),
  { label: "synth dev, 1 service", args: synth("--stack", "dev") },
  { label: "synth dev, 50 services", args: synth("--stack", "dev", ...fiftyServices) },
  { label: "azure floor (load @pulumi/pulumi + the azure-native submodules used)", args: ["-e", azureFloor] },
  ...stacks.map((stack) => ({ label: `azure synth ${stack}`, args: synth("--stack", stack, "--cloud", "azure") })),
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
const azureFloorSeconds = median(timings.get(commands.find((c) => c.label.startsWith("azure floor"))!.label)!);
const rows = commands.map((c) => {
  const m = median(timings.get(c.label)!);
  // Each cloud's synths against its own floor.
  return { command: c.label, "median s": m.toFixed(2), "× floor": (m / (c.label.startsWith("azure") ? azureFloorSeconds : floor)).toFixed(2) };
});
console.table(rows);
const one = median(timings.get("synth dev, 1 service")!);
const fifty = median(timings.get("synth dev, 50 services")!);
console.log(`50 services / 1 service: ${(fifty / one).toFixed(2)}× (target < 3×); synth / floor target ≤ 1.5× (${rounds} interleaved rounds, node ${process.version})`);
const azureWorst = Math.max(...stacks.map((stack) => median(timings.get(`azure synth ${stack}`)!)));
console.log(`azure: slowest synth / azure floor ${(azureWorst / azureFloorSeconds).toFixed(2)}× (target ≤ 1.3×; the floor loads ${new Set(azureSubmodules).size} azure-native submodules)`);
