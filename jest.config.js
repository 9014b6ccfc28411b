/** Tests are transpiled by swc (no type checking here: `tsc --noEmit` runs once as its own step). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  testTimeout: 60000,
  // Jest keeps one core for itself by default; on a 2-core machine that means one worker.
  maxWorkers: 2,
};
