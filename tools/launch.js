// Runs a TypeScript entry point without a build step: sucrase strips the types (type checking is
// `npm run typecheck`), and the stripped JavaScript is cached by content hash so that a repeated
// synth does not transform the same files again.
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");

const cacheDir = path.join(__dirname, "..", "node_modules", ".cache", "platform-ts");
let sucrase;

function compile(source, filename) {
  const key = createHash("sha256").update(filename).update("\0").update(source).digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    sucrase ??= require("sucrase");
    const { code } = sucrase.transform(source, { transforms: ["typescript", "imports"], filePath: filename, production: true });
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(cached, code);
    return code;
  }
}

Module._extensions[".ts"] = (module, filename) => {
  module._compile(compile(fs.readFileSync(filename, "utf8"), filename), filename);
};

const [entry, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(entry), ...args];
require(path.resolve(entry));
