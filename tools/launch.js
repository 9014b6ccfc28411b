// Runs a TypeScript entry point without a build step: sucrase strips the types (type checking is
// `npm run typecheck`), and the stripped JavaScript is cached by content hash so that a repeated
// synth does not transform the same files again.
//
// The cache is shared by every process that runs at the same time, and it can be damaged or read-
// only: an entry is written to a temporary file in the cache folder and renamed into place (a
// reader sees the whole entry or none), it ends with the SHA-256 of its code (a truncated or
// damaged entry is compiled again and replaced), and when the folder cannot be written the files
// are compiled in memory. Setup problems end in one line, not a stack trace.
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");

const projectDir = path.join(__dirname, "..");

function fail(line) {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

if (!fs.existsSync(path.join(projectDir, "node_modules"))) fail(`node_modules is missing: run \`npm ci\` in ${projectDir}`);

// PLATFORM_TS_CACHE_DIR moves the cache (tests start from an empty one).
const cacheDir = process.env.PLATFORM_TS_CACHE_DIR || path.join(projectDir, "node_modules", ".cache", "platform-ts");
const entryTrailer = "\n//platform-ts sha256:";
let cacheWritable = true;
let sucrase;

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** The cached code, or undefined when there is no entry or it does not match its checksum. */
function readEntry(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  // The checksum trails the code, so that line numbers in stack traces stay those of the source.
  const at = text.lastIndexOf(entryTrailer);
  if (at < 0) return undefined;
  const code = text.slice(0, at);
  return sha256(code) === text.slice(at + entryTrailer.length) ? code : undefined;
}

function writeEntry(file, code) {
  if (!cacheWritable) return;
  const temporary = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(temporary, `${code}${entryTrailer}${sha256(code)}`);
    // Atomic on POSIX: a concurrent reader gets the old entry, the new one, or none.
    fs.renameSync(temporary, file);
  } catch {
    // Read-only checkout, full disk or no such folder: compile in memory from now on.
    cacheWritable = false;
    try {
      fs.unlinkSync(temporary);
    } catch {
      // never created
    }
  }
}

function transform(source, filename) {
  if (!sucrase) {
    try {
      sucrase = require("sucrase");
    } catch (e) {
      if (e && e.code === "MODULE_NOT_FOUND") fail(`sucrase is missing from node_modules: run \`npm ci\` in ${projectDir}`);
      throw e;
    }
  }
  return sucrase.transform(source, { transforms: ["typescript", "imports"], filePath: filename, production: true }).code;
}

function compile(source, filename) {
  const file = path.join(cacheDir, `${sha256(`${filename}\0${source}`)}.js`);
  const cached = readEntry(file);
  if (cached !== undefined) return cached;
  const code = transform(source, filename);
  writeEntry(file, code);
  return code;
}

Module._extensions[".ts"] = (module, filename) => {
  module._compile(compile(fs.readFileSync(filename, "utf8"), filename), filename);
};

const [entry, ...args] = process.argv.slice(2);
if (!entry) fail("usage: node tools/launch.js <entry.ts> [args...]");
const entryFile = path.resolve(entry);
if (!fs.existsSync(entryFile)) fail(`${entry}: no such file`);
process.argv = [process.argv[0], entryFile, ...args];
try {
  require(entryFile);
} catch (e) {
  // A package that `npm ci` would have installed; a missing relative import is a bug and keeps its trace.
  const missing = e && e.code === "MODULE_NOT_FOUND" ? /Cannot find module '([^']+)'/.exec(e.message)?.[1] : undefined;
  if (missing && !missing.startsWith(".") && !path.isAbsolute(missing)) fail(`node_modules is incomplete (cannot find ${missing}): run \`npm ci\` in ${projectDir}`);
  throw e;
}
