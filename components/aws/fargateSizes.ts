// The task sizes Fargate runs, in the neutral unit (vCPU), and the CPU units a task definition states.
// No SDK import: runs while config is validated.
import type { PlatformSpec, SpecProblem } from "../model";

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Fargate task sizes (ECS developer guide, "Task CPU and memory"): vCPU -> allowed MiB. */
const fargateMemoryByVcpu = new Map<number, number[]>([
  [0.25, [512, 1024, 2048]],
  [0.5, range(1024, 4096, 1024)],
  [1, range(2048, 8192, 1024)],
  [2, range(4096, 16384, 1024)],
  [4, range(8192, 30720, 1024)],
  [8, range(16384, 61440, 4096)],
  [16, range(32768, 122880, 8192)],
]);

/** A task definition states CPU in units of 1/1024 vCPU (the same page: "1024 CPU units = 1 vCPU"). */
export const fargateCpuUnits = (vcpu: number): string => String(Math.round(vcpu * 1024));

export function fargateSizeProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [name, svc] of Object.entries(spec.services)) {
    const allowed = fargateMemoryByVcpu.get(svc.cpu);
    if (!allowed) {
      problems.push({ key: `services.${name}.cpu`, value: svc.cpu, message: `Fargate runs a task with ${[...fargateMemoryByVcpu.keys()].join(", ")} vCPU` });
    } else if (!allowed.includes(svc.memory)) {
      problems.push({
        key: `services.${name}.memory`,
        value: svc.memory,
        message:
          allowed.length <= 4
            ? `Fargate with ${svc.cpu} vCPU accepts memory ${allowed.join(", ")} MiB`
            : `Fargate with ${svc.cpu} vCPU accepts memory ${allowed[0]}-${allowed[allowed.length - 1]} MiB in steps of ${allowed[1] - allowed[0]} (${allowed.slice(0, 3).join(", ")}, ...)`,
      });
    }
  }
  return problems;
}
