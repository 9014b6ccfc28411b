// Messages name AWS services only on AWS stacks: the neutral modules (config, schema, presets, risks,
// the model and the cloud registry) say what is allowed in words every cloud shares, and every rule
// that needs an AWS word lives in components/aws/limits.ts and the files it imports. This reads the
// text of every string and template literal of the neutral modules (comments and code are not
// messages) and looks for AWS service names.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { projectRoot } from "../harness/stackFiles";

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

/** AWS service and resource names a user of another cloud would not know (word-bounded, case as AWS writes them). */
const awsWords = [
  "ACM",
  "ALB",
  "ARN",
  "Application Load Balancer",
  "AWS Backup",
  "CloudFront",
  "CloudWatch",
  "EC2",
  "ECR",
  "ECS",
  "ELB",
  "Elastic Load Balancing",
  "Fargate",
  "hosted zone",
  "IAM",
  "KMS",
  "Lambda",
  "NAT gateway",
  "RDS",
  "Route 53",
  "Route53",
  "S3",
  "Secrets Manager",
  "SNS",
  "task definition",
  "VPC",
  "WAF",
];
const awsWord = new RegExp(`(?<![A-Za-z0-9])(${awsWords.map((w) => w.replace(/ /g, "\\s+")).join("|")})s?(?![A-Za-z0-9])`);

/** The text of every string literal and template part in a module, with its line. */
function literals(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(projectRoot, file), "utf8"), ts.ScriptTarget.ES2022, true);
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isExternalModuleReference(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("the neutral modules' messages", () => {
  it("cover the config, the schema, presets, risks and the cloud registry", () => {
    for (const file of ["stacks/config.ts", "stacks/configSchema.ts", "stacks/risks.ts", "stacks/presets.ts", "stacks/pathPatterns.ts", "stacks/cpuUnits.ts"]) {
      expect(neutralModules).toContain(file);
    }
    // The scan sees the messages (a known one of each module is found).
    expect(literals("stacks/cpuUnits.ts").some((l) => l.text.includes("cpu is in vCPU since model v2"))).toBe(true);
    expect(literals("stacks/risks.ts").some((l) => l.text.includes("no record of network traffic"))).toBe(true);
  });

  it.each(neutralModules)("%s names no AWS service", (file) => {
    const found = literals(file)
      .filter((l) => /\s/.test(l.text) && awsWord.test(l.text))
      .map((l) => `${file}:${l.line}: ${awsWord.exec(l.text)![1]} in ${JSON.stringify(l.text.slice(0, 120))}`);
    expect(found).toEqual([]);
  });

  it("the word list finds what the old schema said", () => {
    for (const text of ["expected a certificate id (an ACM certificate ARN on AWS)", "a Route 53 hosted zone id on AWS", "Fargate accepts CPU units 256", "without VPC flow logs there", "end up in state and task definitions"]) {
      expect({ text, found: awsWord.test(text) }).toEqual({ text, found: true });
    }
    for (const text of ["an AWS access key id", "a carrier-grade NAT address", "s3://<bucket>", "DATA_STORE_URL is reserved"]) {
      expect({ text, found: awsWord.test(text) }).toEqual({ text, found: false });
    }
  });
});
