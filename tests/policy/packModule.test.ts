// Constructing a PolicyPack starts the analyzer's gRPC server and keeps the process alive (a test that
// did would pass and then hang jest): only policy/index.ts constructs it, and nothing imports that file.
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../harness/stackFiles";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|js|cjs)$/.test(entry) ? [full] : [];
  });
}

const files = ["components", "policy", "stacks", "tests", "tools"].flatMap((d) => sources(path.join(projectRoot, d)));

describe("the module that starts the pack", () => {
  it("is the only one that constructs a PolicyPack", () => {
    const constructing = files.filter((f) => /new PolicyPack\(/.test(readFileSync(f, "utf8"))).map((f) => path.relative(projectRoot, f));
    expect(constructing).toEqual([path.join("policy", "index.ts")]);
  });

  it("is imported by no module", () => {
    const importing = files.filter((f) => {
      const text = readFileSync(f, "utf8");
      const specifiers = [...text.matchAll(/(?:from\s+|require\(|import\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
      return specifiers.some((s) => s.startsWith(".") && path.resolve(path.dirname(f), s).replace(/\.ts$/, "") === path.join(projectRoot, "policy", "index")) ||
        specifiers.some((s) => s.startsWith(".") && path.resolve(path.dirname(f), s) === path.join(projectRoot, "policy"));
    });
    expect(importing.map((f) => path.relative(projectRoot, f))).toEqual([]);
  });
});
