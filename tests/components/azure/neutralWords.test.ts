// Messages name Azure services only on Azure stacks: the neutral modules (config, schema, presets,
// risks, the model and the cloud registry) say what is allowed in words every cloud shares, and every
// rule that needs an Azure word lives in components/azure/limits.ts and the files it imports. The AWS
// side of this rule is tests/stacks/neutralMessages.test.ts; this reads the same string and template
// literals and looks for Azure service names.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { azureLimits } from "../../../components/azure/limits";
import { loadPlatformSpec } from "../../../stacks/config";
import { projectRoot } from "../../harness/stackFiles";

const neutralModules = [
  ...readdirSync(path.join(projectRoot, "stacks"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `stacks/${f}`),
  "components/model.ts",
  "components/limits.ts",
  "components/cloud.ts",
  "components/platform.ts",
  "components/blocks.ts",
  "components/addressing.ts",
];

const azureWords = ["Azure", "Key Vault", "Front Door", "Container Apps", "Log Analytics", "Microsoft Entra", "Entra ID", "ARM", "NSG", "VNet", "Data Protection", "ACR", "Application Insights", "flexible server", "NAT Gateway", "resource group", "Blob"];
const azureWord = new RegExp(`(?<![A-Za-z0-9])(${azureWords.map((w) => w.replace(/ /g, "\\s+")).join("|")})s?(?![A-Za-z0-9])`);

function literals(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(projectRoot, file), "utf8"), ts.ScriptTarget.ES2022, true);
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("Azure words", () => {
  it.each(neutralModules)("%s names no Azure service", (file) => {
    const found = literals(file)
      .filter((l) => /\s/.test(l.text) && azureWord.test(l.text))
      .map((l) => `${file}:${l.line}: ${azureWord.exec(l.text)![1]} in ${JSON.stringify(l.text.slice(0, 120))}`);
    expect(found).toEqual([]);
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
