// A monthly restore test the cloud cannot build is said, never skipped quietly (seeds 001, 004).
import { runProgram } from "../harness/run";

describe("backup.monthlyRestoreTest where the cloud builds no test of what the stack holds", () => {
  it("GCP: staging warns that Backup and DR has no restore-testing plan and points to the drill", async () => {
    const run = await runProgram({ stack: "staging", cloud: "gcp" });
    expect(run.error).toBeUndefined();
    expect(run.warnings).toContain("platform:backup.monthlyRestoreTest: GCP builds no automated monthly restore test (Backup and DR has no restore-testing plan): run the restore drill of the README each month and record it");
  });

  it("Azure: a stack without a database warns that the storage account's backups are not tested", async () => {
    const without = await runProgram({ stack: "staging", cloud: "azure", set: ["platform:database.enabled=false"] });
    expect(without.error).toBeUndefined();
    expect(without.warnings.some((w) => w.startsWith("platform:backup.monthlyRestoreTest: on Azure the monthly restore test restores the database, and this stack has none"))).toBe(true);
    const withDatabase = await runProgram({ stack: "staging", cloud: "azure" });
    expect(withDatabase.warnings.some((w) => w.startsWith("platform:backup.monthlyRestoreTest"))).toBe(false);
  });

  it("dev, which runs no restore test, says nothing", async () => {
    const run = await runProgram({ stack: "dev", cloud: "gcp" });
    expect(run.warnings.some((w) => w.startsWith("platform:backup.monthlyRestoreTest"))).toBe(false);
  });
});
