// A typo in a provider's namespace is refused by the program with a suggestion; the key lists are
// the installed SDKs' own, so an SDK upgrade that adds or drops a key fails here until they match.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { providerConfigKeys } from "../../stacks/providerConfigKeys";
import { runProgram } from "../harness/run";
import { projectRoot } from "../harness/stackFiles";

/** The keys a provider SDK reads: `export declare const <key>` in config/vars.d.ts (none if it has no config module). */
function sdkConfigKeys(provider: string): string[] {
  const file = path.join(projectRoot, "node_modules", "@pulumi", provider, "config", "vars.d.ts");
  if (!existsSync(file)) return [];
  return [...readFileSync(file, "utf8").matchAll(/^export declare const (\w+)\b/gm)].map((m) => m[1]).sort();
}

describe("provider config keys", () => {
  it.each(Object.keys(providerConfigKeys))("the %s list is exactly what the installed SDK reads", (provider) => {
    expect(existsSync(path.join(projectRoot, "node_modules", "@pulumi", provider, "package.json"))).toBe(true);
    expect([...providerConfigKeys[provider as keyof typeof providerConfigKeys]].sort()).toEqual(sdkConfigKeys(provider));
  });

  it("covers every cloud SDK the project depends on", () => {
    const deps = Object.keys(JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")).dependencies as Record<string, string>);
    const providers = deps.filter((d) => d.startsWith("@pulumi/") && d !== "@pulumi/pulumi").map((d) => d.slice("@pulumi/".length));
    expect(Object.keys(providerConfigKeys).sort()).toEqual(providers.sort());
  });

  it.each([
    ["aws:regoin=us-east-1", 'aws:regoin: unknown key of the aws provider, which refuses it at `pulumi preview`; did you mean "aws:region"?'],
    ["aws:Profile=ops", 'aws:Profile: unknown key of the aws provider, which refuses it at `pulumi preview`; did you mean "aws:profile"?'],
    ["gcp:projct=my-project", 'gcp:projct: unknown key of the gcp provider, which refuses it at `pulumi preview`; did you mean "gcp:project"?'],
    ["azure-native:locaton=westeurope", 'azure-native:locaton: unknown key of the azure-native provider, which refuses it at `pulumi preview`; did you mean "azure-native:location"?'],
    ["random:seed=1", "random:seed: unknown key of the random provider, which refuses it at `pulumi preview`; the random provider reads no config"],
    ["platfrom:cloud=gcp", 'platfrom:cloud: unknown namespace "platfrom", so nothing reads this key; did you mean "platform:cloud"?'],
    ["gpc:region=europe-west1", 'gpc:region: unknown namespace "gpc", so nothing reads this key; did you mean "gcp:region"?'],
    ["azure-natvie:location=westeurope", 'unknown namespace "azure-natvie", so nothing reads this key; did you mean "azure-native:location"?'],
  ])("the program refuses %s before registering anything", async (assignment, message) => {
    const result = await runProgram({ stack: "dev", set: [assignment] });
    expect(result.error?.message).toContain(message);
    expect(result.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });

  it("keeps the keys the committed stacks set on every cloud, and namespaces of other tools", async () => {
    const result = await runProgram({ stack: "dev", set: ["aws:defaultTags.tags.team=platform", "gcp:project=my-project", "myteam:owner=ops", "pulumi:disable-default-providers[0]=gcp"] });
    expect(result.error).toBeUndefined();
  });
});
