// The autoscaling of a container app, as Container Apps states it on the app itself (there is no
// separate autoscaling resource: Azure Monitor autoscale settings do not target container apps): the
// replica range and a KEDA CPU rule at the target, a memory rule where the spec sets one ("Set scaling
// rules in Azure Container Apps", custom rules: type cpu or memory, metadata type Utilization). Any
// rule replaces the default HTTP rule. No SDK import.
import type { ServiceSpec } from "../model";

export interface ScaleRule {
  name: string;
  custom: { type: "cpu" | "memory"; metadata: { type: "Utilization"; value: string } };
}

export interface Scale {
  minReplicas: number;
  maxReplicas: number;
  rules: ScaleRule[];
}

export function scaleRules(svc: ServiceSpec): Scale {
  const rule = (type: "cpu" | "memory", target: number): ScaleRule => ({ name: `${type}-${target}`, custom: { type, metadata: { type: "Utilization", value: String(target) } } });
  return {
    minReplicas: svc.minInstances,
    maxReplicas: svc.maxInstances,
    rules: [rule("cpu", svc.cpuTarget), ...(svc.memoryTarget !== undefined ? [rule("memory", svc.memoryTarget)] : [])],
  };
}
