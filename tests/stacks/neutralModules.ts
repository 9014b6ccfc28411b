// The cloud-neutral modules whose messages every cloud's users read, and the text of their string
// literals: the tests that keep each cloud's service names out of them share both.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { projectRoot } from "../harness/stackFiles";

export const neutralModules = [
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

/** Any of `words` as a word of its own (spaces inside a name match any whitespace), plural or not. */
export function wordPattern(words: readonly string[]): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])(${words.map((w) => w.replace(/ /g, "\\s+")).join("|")})s?(?![A-Za-z0-9])`);
}

/** The text of every string literal and template part in a module, with its line (comments and code are not messages). */
export function literals(file: string): { line: number; text: string }[] {
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

/** Each message of `file` (a literal with a space) that names one of the words `pattern` finds. */
export function namedWords(file: string, pattern: RegExp): string[] {
  return literals(file)
    .filter((l) => /\s/.test(l.text) && pattern.test(l.text))
    .map((l) => `${file}:${l.line}: ${pattern.exec(l.text)![1]} in ${JSON.stringify(l.text.slice(0, 120))}`);
}
