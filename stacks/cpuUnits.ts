// `services.<name>.cpu` is in vCPU since model v2. The model before it counted CPU units (1024 per
// vCPU), so a stack file written for it holds values such as 512: those get a message that says the
// unit changed and what the value means now, instead of a bare range error.

/** The most vCPU any cloud runs one service with; each cloud's limits say which counts it runs. */
export const maxVcpu = 16;
const unitsPerVcpu = 1024;
/** The CPU unit counts the old model accepted (each a whole task size). */
const oldCpuUnits = [256, 512, 1024, 2048, 4096, 8192, 16384];

export const vcpuExpected = `expected a vCPU count above 0 and at most ${maxVcpu}, such as 0.25, 0.5, 1 or 2`;

/** `pulumi config set --path` stores 0.5 as the string "0.5" (only integers are stored typed). */
export function decimalFromText(value: unknown): unknown {
  return typeof value === "string" && /^(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : value;
}

export function cpuProblem(cpu: number): string | undefined {
  if (!Number.isFinite(cpu) || cpu <= 0) return vcpuExpected;
  if (cpu <= maxVcpu) return undefined;
  const vcpu = cpu / unitsPerVcpu;
  if (oldCpuUnits.includes(cpu)) return `cpu is in vCPU since model v2; ${cpu} CPU units is ${vcpu} vCPU: set ${vcpu}`;
  return (
    `cpu is in vCPU since model v2, at most ${maxVcpu}; read as CPU units of the old model (1024 per vCPU), ${cpu} would be about ${Number(vcpu.toFixed(3))} vCPU: ` +
    "set a vCPU count such as 0.25, 0.5, 1 or 2"
  );
}
