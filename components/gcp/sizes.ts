// The instance sizes Cloud Run runs, in the neutral units (vCPU, MiB), and how a service states them.
// No SDK import: runs while config is validated. Source: Cloud Run "Configure CPU limits for services"
// and "Configure memory limits for services" (cloud.google.com/run/docs/configuring/services/cpu, .../memory-limits).
import type { PlatformSpec, SpecProblem } from "../model";

/** Whole vCPU counts Cloud Run runs; below 1, any multiple of 0.01 from 0.08. */
export const cloudRunWholeCpus = [1, 2, 4, 6, 8] as const;
const minFractionalCpu = 0.08;

/** Memory bounds per vCPU (MiB): below 0.5 vCPU at most 512 MiB, below 1 at most 1 GiB; 4, 6 and 8 vCPU need 2, 4 and 4 GiB. */
export function cloudRunMemoryRange(cpu: number): { min: number; max: number } {
  if (cpu < 0.5) return { min: 128, max: 512 };
  if (cpu < 1) return { min: 128, max: 1024 };
  switch (cpu) {
    case 1:
      return { min: 128, max: 4096 };
    case 2:
      return { min: 128, max: 8192 };
    case 4:
      return { min: 2048, max: 16384 };
    case 6:
      return { min: 4096, max: 24576 };
    default:
      return { min: 4096, max: 32768 };
  }
}

const isHundredth = (cpu: number) => Math.abs(cpu * 100 - Math.round(cpu * 100)) < 1e-9;

export function cloudRunCpuLegal(cpu: number): boolean {
  return (cpu >= minFractionalCpu && cpu < 1 && isHundredth(cpu)) || (cloudRunWholeCpus as readonly number[]).includes(cpu);
}

/** The CPU limit as Cloud Run states it: whole vCPU as a number, fractions in millicores. */
export const cloudRunCpu = (cpu: number): string => (cpu >= 1 ? String(cpu) : `${Math.round(cpu * 1000)}m`);
export const cloudRunMemory = (memory: number): string => `${memory}Mi`;

/**
 * Requests one instance serves at once. Below 1 vCPU Cloud Run takes only 1 ("concurrency must be 1
 * when CPU is less than 1"); otherwise its own default for new services, 80 per vCPU, at most 1000
 * (Cloud Run, "Maximum concurrent requests per instance").
 */
export const cloudRunConcurrency = (cpu: number): number => (cpu < 1 ? 1 : Math.min(1000, 80 * cpu));

export function cloudRunSizeProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [name, svc] of Object.entries(spec.services)) {
    if (!cloudRunCpuLegal(svc.cpu)) {
      problems.push({
        key: `services.${name}.cpu`,
        value: svc.cpu,
        message: `Cloud Run runs ${minFractionalCpu} to 0.99 vCPU in steps of 0.01, or ${cloudRunWholeCpus.join(", ")} vCPU`,
      });
      continue;
    }
    const { min, max } = cloudRunMemoryRange(svc.cpu);
    if (svc.memory < min || svc.memory > max) {
      problems.push({ key: `services.${name}.memory`, value: svc.memory, message: `Cloud Run with ${svc.cpu} vCPU takes ${min}-${max} MiB of memory` });
    }
    if (svc.cpu < 1) {
      problems.push({
        key: `services.${name}.cpu`,
        value: svc.cpu,
        severity: "warning",
        message: "below 1 vCPU Cloud Run serves one request at a time per instance (and throttles CPU between requests): expect more instances, or set 1",
      });
    }
  }
  return problems;
}
