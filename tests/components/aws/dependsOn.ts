// The explicit `dependsOn` of every resource a stack's program registers, by logical name: the
// ordering the engine cannot infer from inputs (a role's policy before the service that uses it).
import * as pulumi from "@pulumi/pulumi";
import { runProgram, type RunOptions, type SynthResult } from "../../harness/run";

export async function runWithDependsOn(options: RunOptions): Promise<{ result: SynthResult; dependsOn: Map<string, string[]> }> {
  const dependsOn = new Map<string, string[]>();
  const result = await runProgram({
    ...options,
    program: async () => {
      pulumi.runtime.registerStackTransformation((t) => {
        const deps = t.opts.dependsOn;
        const list = (Array.isArray(deps) ? deps : deps ? [deps] : []) as unknown as { __name?: string }[];
        dependsOn.set(t.name, list.map((d) => String(d.__name)));
        return undefined;
      });
      return (await import("../../../stacks/program")).main();
    },
  });
  return { result, dependsOn };
}
