// Messages name Azure services only on Azure stacks: the neutral modules (config, schema, presets,
// risks, the model and the cloud registry) say what is allowed in words every cloud shares, and every
// rule that needs an Azure word lives in components/azure/limits.ts and the files it imports. The AWS
// side of this rule is tests/stacks/neutralMessages.test.ts; this reads the same string and template
// literals and looks for Azure service names.
import { azureLimits } from "../../../components/azure/limits";
import { loadPlatformSpec } from "../../../stacks/config";
import { namedWords, neutralModules, wordPattern } from "../../stacks/neutralModules";

const azureWords = ["Azure", "Key Vault", "Front Door", "Container Apps", "Log Analytics", "Microsoft Entra", "Entra ID", "ARM", "NSG", "VNet", "Data Protection", "ACR", "Application Insights", "flexible server", "NAT Gateway", "resource group", "Blob"];
const azureWord = wordPattern(azureWords);

describe("Azure words", () => {
  it.each(neutralModules)("%s names no Azure service", (file) => {
    expect(namedWords(file, azureWord)).toEqual([]);
  });

  it("the Azure limits' refusals all name the Azure service they speak for", () => {
    const base = loadPlatformSpec({ project: "platform", stack: "unit", values: { "platform:cloud": "azure", "platform:environment": "dev", "azure-native:location": "japaneast" }, secretKeys: new Set() }).spec;
    const bad = {
      ...base,
      network: { ...base.network, egress: "perZone" as const },
      services: { api: { ...base.services.api, cpu: 3.1, minInstances: 0 } },
      loadBalancer: { ...base.loadBalancer, backendTimeoutSeconds: 5, clientIdleTimeoutSeconds: 60, rateLimit: { requests: 100, windowSeconds: 120 }, certificate: "x", domain: "a.example.com" },
      logs: { ...base.logs, appRetentionDays: 1000 },
      tags: { ...base.tags, "a/b": "x" },
    };
    const refusals = azureLimits(bad).filter((p) => p.severity === undefined);
    expect(refusals.length).toBeGreaterThanOrEqual(9);
    for (const p of refusals) expect({ key: p.key, names: azureWord.test(p.message) }).toEqual({ key: p.key, names: true });
  });
});
