// The container sizes Azure Container Apps runs on the Consumption profile of a workload-profiles
// environment, in the neutral units (vCPU, MiB), and how the container spec states them. Source:
// "Workload profiles in Azure Container Apps" and "Containers in Azure Container Apps", allocations:
// 0.25 to 4 vCPU in steps of 0.25, with exactly 2 GiB of memory per vCPU (0.25/0.5Gi ... 4/8Gi).
// No SDK import: runs while config is validated.
import type { PlatformSpec, SpecProblem } from "../model";

export const containerAppsCpu = { min: 0.25, max: 4, step: 0.25 } as const;
/** MiB of memory per vCPU: the only ratio the Consumption profile takes. */
export const containerAppsMiBPerVcpu = 2048;

/** The memory of a container of `vcpu`, as Container Apps writes it ("0.5Gi", "2Gi"). */
export function containerAppsMemory(mib: number): string {
  return `${mib / 1024}Gi`;
}

export function containerAppSizeProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [name, svc] of Object.entries(spec.services)) {
    const steps = svc.cpu / containerAppsCpu.step;
    if (svc.cpu < containerAppsCpu.min || svc.cpu > containerAppsCpu.max || Math.abs(steps - Math.round(steps)) > 1e-9) {
      problems.push({
        key: `services.${name}.cpu`,
        value: svc.cpu,
        message: `Azure Container Apps (Consumption profile) runs ${containerAppsCpu.min} to ${containerAppsCpu.max} vCPU in steps of ${containerAppsCpu.step} (0.25, 0.5, 0.75, 1, ... 4)`,
      });
      continue;
    }
    const memory = Math.round(svc.cpu * containerAppsMiBPerVcpu);
    if (svc.memory !== memory) {
      problems.push({
        key: `services.${name}.memory`,
        value: svc.memory,
        message: `Azure Container Apps (Consumption profile) gives a container exactly ${containerAppsMiBPerVcpu} MiB per vCPU: with ${svc.cpu} vCPU, set ${memory}`,
      });
    }
  }
  return problems;
}
