// Preloaded (node --require) by tests/components/cloudRegistry.test.ts: when the process exits, it
// writes the file name of every module the process loaded to the file LOADED_MODULES_FILE names.
"use strict";
const fs = require("node:fs");

process.on("exit", () => {
  fs.writeFileSync(process.env.LOADED_MODULES_FILE, JSON.stringify(Object.keys(require.cache)));
});
