// The launcher (tools/launch.js) under the conditions a team meets: several synths at once on a
// cold compile cache, a damaged cache entry, a read-only checkout, no `npm ci` yet.
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { projectRoot } from "../harness/stackFiles";

const launcher = path.join(projectRoot, "tools", "launch.js");
const synthArgs = [launcher, path.join(projectRoot, "tools", "synth.ts"), "--stack", "dev"];
const freshCache = () => mkdtempSync(path.join(tmpdir(), "launch-cache-"));

function synthWith(cacheDir: string, user: Pick<SpawnSyncOptions, "uid" | "gid"> = {}) {
  return spawnSync(process.execPath, synthArgs, { cwd: projectRoot, env: { ...process.env, PLATFORM_TS_CACHE_DIR: cacheDir }, ...user, encoding: "utf8" });
}

/** Every entry is whole: its code matches the checksum it ends with. */
function entriesOf(cacheDir: string): { name: string; valid: boolean }[] {
  return readdirSync(cacheDir).map((name) => {
    const text = readFileSync(path.join(cacheDir, name), "utf8");
    const at = text.lastIndexOf("\n//platform-ts sha256:");
    const valid = name.endsWith(".js") && at >= 0 && createHash("sha256").update(text.slice(0, at)).digest("hex") === text.slice(at + "\n//platform-ts sha256:".length);
    return { name, valid };
  });
}

/**
 * A cache folder this test's runs cannot write. root writes through file modes, so as root the
 * runs drop to nobody (65534) when nobody can read the checkout; otherwise the folder sits under
 * a regular file, which no one can create folders in.
 */
function unwritableCache(): { cacheDir: string; asUser: Pick<SpawnSyncOptions, "uid" | "gid"> } {
  const cacheDir = freshCache();
  if (process.getuid?.() !== 0) {
    chmodSync(cacheDir, 0o555);
    return { cacheDir, asUser: {} };
  }
  const nobody = { uid: 65534, gid: 65534 };
  const readable = [launcher, path.join(projectRoot, "node_modules", "@pulumi", "pulumi", "package.json")];
  const canRead = spawnSync(process.execPath, ["-e", `for (const f of ${JSON.stringify(readable)}) require("fs").accessSync(f)`], { ...nobody, cwd: tmpdir() }).status === 0;
  if (canRead) {
    chmodSync(cacheDir, 0o555);
    return { cacheDir, asUser: nobody };
  }
  writeFileSync(path.join(cacheDir, "a-file"), "");
  return { cacheDir: path.join(cacheDir, "a-file"), asUser: {} };
}

/** What the runs left in a folder (nothing can be left in a regular file). */
function leftIn(dir: string): string[] {
  return statSync(dir).isDirectory() ? readdirSync(dir) : [];
}

let reference: string;
beforeAll(() => {
  const run = synthWith(freshCache());
  expect(run.status).toBe(0);
  reference = run.stdout;
  expect(reference).toMatch(/^dev: dev on aws\n/);
});

describe("the compile cache", () => {
  it("serves several synths started at once on a cold cache: all succeed with the same plan, every entry whole", async () => {
    const cacheDir = freshCache();
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, synthArgs, { cwd: projectRoot, env: { ...process.env, PLATFORM_TS_CACHE_DIR: cacheDir } });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (d) => (stdout += d));
          child.stderr.on("data", (d) => (stderr += d));
          child.on("close", (status) => resolve({ status, stdout, stderr }));
        }),
      ),
    );
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(reference);
    }
    const entries = entriesOf(cacheDir);
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.filter((e) => !e.valid)).toEqual([]);
  });

  it("recompiles a truncated or garbled entry instead of failing every later run", () => {
    const cacheDir = freshCache();
    expect(synthWith(cacheDir).status).toBe(0);
    const names = readdirSync(cacheDir);
    expect(names.length).toBeGreaterThan(10);
    names.forEach((name, i) => {
      const file = path.join(cacheDir, name);
      const text = readFileSync(file, "utf8");
      writeFileSync(file, i % 2 === 0 ? text.slice(0, Math.floor(text.length / 2)) : "}{ not javascript");
    });
    const run = synthWith(cacheDir);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(reference);
    expect(entriesOf(cacheDir).filter((e) => !e.valid)).toEqual([]);
  });

  it("works from a cache folder it cannot write (read-only checkout), compiling in memory", () => {
    const { cacheDir, asUser } = unwritableCache();
    // A file no cache has seen, so that the launcher must compile and try to store it.
    const entryDir = mkdtempSync(path.join(tmpdir(), "entry-"));
    chmodSync(entryDir, 0o755);
    const entry = path.join(entryDir, "entry.ts");
    const token = `${process.pid}-${Date.now()}`;
    writeFileSync(entry, `import { clouds } from ${JSON.stringify(path.join(projectRoot, "components", "model"))};\nconst token: string = ${JSON.stringify(token)};\nconsole.log(token, clouds.join(","));\n`);
    const env = { ...process.env, PLATFORM_TS_CACHE_DIR: path.join(cacheDir, "platform-ts") };
    const cold = spawnSync(process.execPath, [launcher, entry], { cwd: projectRoot, env, ...asUser, encoding: "utf8" });
    expect(cold.stderr).toBe("");
    expect(cold.stdout).toBe(`${token} aws,azure,gcp\n`);
    const readOnly = synthWith(path.join(cacheDir, "platform-ts"), asUser);
    expect(readOnly.stderr).not.toMatch(/error|\n\s+at /i);
    expect(readOnly.status).toBe(0);
    expect(readOnly.stdout).toBe(reference);
    expect(leftIn(cacheDir)).toEqual([]);
    // A path through a file cannot be created even by root.
    const file = path.join(freshCache(), "a-file");
    writeFileSync(file, "");
    const notADir = synthWith(path.join(file, "cache"));
    expect(notADir.status).toBe(0);
    expect(notADir.stdout).toBe(reference);
  });
});

describe("a checkout without its packages", () => {
  /** A copy of the launcher and an entry point in a folder of its own. */
  function checkout(nodeModules: "none" | "empty" | "sucrase only"): string {
    const dir = mkdtempSync(path.join(tmpdir(), "checkout-"));
    mkdirSync(path.join(dir, "tools"));
    copyFileSync(launcher, path.join(dir, "tools", "launch.js"));
    writeFileSync(path.join(dir, "tools", "main.ts"), 'import * as pulumi from "@pulumi/pulumi";\nconst n: number = 1;\nconsole.log(typeof pulumi, n);\n');
    if (nodeModules !== "none") mkdirSync(path.join(dir, "node_modules"));
    if (nodeModules === "sucrase only") symlinkSync(path.join(projectRoot, "node_modules", "sucrase"), path.join(dir, "node_modules", "sucrase"));
    return dir;
  }
  const launch = (dir: string) => spawnSync(process.execPath, [path.join(dir, "tools", "launch.js"), path.join(dir, "tools", "main.ts")], { cwd: dir, encoding: "utf8" });

  it.each([
    ["none", "node_modules is missing: run `npm ci` in <dir>"],
    ["empty", "sucrase is missing from node_modules: run `npm ci` in <dir>"],
    ["sucrase only", "node_modules is incomplete (cannot find @pulumi/pulumi): run `npm ci` in <dir>"],
  ] as const)("node_modules %s: exit 1 with one line", (state, line) => {
    const dir = checkout(state);
    const run = launch(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${line.replace("<dir>", dir)}\n`);
    expect(run.stdout).toBe("");
  });
});
