// The restore drill (tools/restore-drill.sh) as a person runs it: a real bash process, with a stub
// `aws` first on PATH that records every call and answers canned JSON the way the AWS CLI does. The
// script's own logic (which instance, which recovery point, what it refuses) runs for real, with jq.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { projectRoot } from "../harness/stackFiles";

const script = path.join(projectRoot, "tools", "restore-drill.sh");
const region = "us-east-1";
const account = "123456789012";
const liveId = "platform-dev-db";
const liveArn = `arn:aws:rds:${region}:${account}:db:${liveId}`;
const keyArn = `arn:aws:kms:${region}:${account}:key/11111111-2222-4333-8444-555555555555`;
const snapshotArn = (job: string) => `arn:aws:rds:${region}:${account}:snapshot:awsbackup:job-${job}`;

/** Answers the stub gives: a JSON value, `{ exit, stderr }`, or `{ sequence: [...] }` used one after the other. */
type Answer = unknown;

const stub = `#!/usr/bin/env node
"use strict";
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.AWS_STUB_LOG, JSON.stringify(args) + "\\n");
const answers = JSON.parse(fs.readFileSync(process.env.AWS_STUB_ANSWERS, "utf8"));
// The most specific key whose words all appear in the call.
const keys = Object.keys(answers).filter((k) => k.split(" ").every((w) => args.includes(w))).sort((a, b) => b.split(" ").length - a.split(" ").length);
if (keys.length === 0) {
  process.stderr.write("stub aws: no canned answer for: " + args.join(" ") + "\\n");
  process.exit(254);
}
let answer = answers[keys[0]];
if (answer && Array.isArray(answer.sequence)) {
  const counterFile = process.env.AWS_STUB_LOG + "." + keys[0].replace(/[^a-z-]/gi, "_");
  const n = fs.existsSync(counterFile) ? Number(fs.readFileSync(counterFile, "utf8")) : 0;
  fs.writeFileSync(counterFile, String(n + 1));
  answer = answer.sequence[Math.min(n, answer.sequence.length - 1)];
}
if (answer && typeof answer === "object" && "exit" in answer) {
  if (answer.stderr) process.stderr.write(answer.stderr);
  process.exit(answer.exit);
}
if (answer !== "") process.stdout.write(JSON.stringify(answer) + "\\n");
`;

const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

const liveInstance = {
  DBInstanceIdentifier: liveId,
  DBInstanceArn: liveArn,
  DBInstanceClass: "db.t4g.small",
  Engine: "postgres",
  DBName: "app",
  MasterUsername: "app_admin",
  Endpoint: { Address: `${liveId}.c0ffee000000.${region}.rds.amazonaws.com`, Port: 5432 },
  DBSubnetGroup: { DBSubnetGroupName: "platform-dev-db" },
  DBParameterGroups: [{ DBParameterGroupName: "platform-dev-db-postgres16" }],
  VpcSecurityGroups: [{ VpcSecurityGroupId: "sg-0db0000000000000a" }],
  KmsKeyId: keyArn,
  MasterUserSecret: { SecretArn: `arn:aws:secretsmanager:${region}:${account}:secret:rds!db-live-AbCdEf`, KmsKeyId: keyArn },
  LatestRestorableTime: "2026-06-01T10:55:00+00:00",
  TagList: tags({ project: "platform", stack: "dev", environment: "dev", Name: liveId }),
};
/** Another stack's database, and a copy restored from the live one's snapshot (same tags, another identifier). */
const stagingInstance = { ...liveInstance, DBInstanceIdentifier: "platform-staging-db", DBInstanceArn: liveArn.replace(liveId, "platform-staging-db"), TagList: tags({ project: "platform", stack: "staging", Name: "platform-staging-db" }) };
const restoreTestCopy = { ...liveInstance, DBInstanceIdentifier: "awsbackup-restore-test-0a1b2c", DBInstanceArn: liveArn.replace(liveId, "awsbackup-restore-test-0a1b2c") };
const drillCopy = (id: string, of = liveId) => ({ ...liveInstance, DBInstanceIdentifier: id, TagList: tags({ "platform:restore-drill": of, project: "platform", stack: "dev" }) });

const recoveryPoints = {
  RecoveryPoints: [
    { RecoveryPointArn: `arn:aws:backup:${region}:${account}:recovery-point:continuous:db-abc-1234`, BackupVaultName: "platform-dev-vault", Status: "COMPLETED", CreationDate: "2026-06-01T10:00:00.000000+00:00" },
    { RecoveryPointArn: snapshotArn("old"), BackupVaultName: "platform-dev-vault", Status: "COMPLETED", CreationDate: "2026-05-30T05:10:00.000000+00:00" },
    { RecoveryPointArn: snapshotArn("latest"), BackupVaultName: "platform-dev-vault", Status: "COMPLETED", CreationDate: "2026-05-31T05:10:00.000000+00:00" },
    { RecoveryPointArn: snapshotArn("failed"), BackupVaultName: "platform-dev-vault", Status: "FAILED", CreationDate: "2026-06-01T05:10:00.000000+00:00" },
    { RecoveryPointArn: snapshotArn("other-vault"), BackupVaultName: "someone-elses-vault", Status: "COMPLETED", CreationDate: "2026-05-31T09:00:00.000000+00:00" },
  ],
};

function answers(overrides: Record<string, Answer> = {}): Record<string, Answer> {
  return {
    "rds describe-db-instances": { DBInstances: [stagingInstance, liveInstance, restoreTestCopy] },
    "rds describe-db-instances --db-instance-identifier": {
      DBInstances: [{ ...drillCopy("scratch"), Endpoint: { Address: `scratch.c0ffee111111.${region}.rds.amazonaws.com`, Port: 5432 }, MasterUserSecret: { SecretArn: `arn:aws:secretsmanager:${region}:${account}:secret:rds!db-scratch-GhIjKl` } }],
    },
    "backup list-recovery-points-by-resource": recoveryPoints,
    "resourcegroupstaggingapi get-resources": { ResourceTagMappingList: [{ ResourceARN: `arn:aws:backup:${region}:${account}:backup-vault:platform-dev-vault`, Tags: tags({ project: "platform", stack: "dev" }) }] },
    "rds restore-db-instance-from-db-snapshot": { DBInstance: { DBInstanceStatus: "creating" } },
    "rds restore-db-instance-to-point-in-time": { DBInstance: { DBInstanceStatus: "creating" } },
    "rds wait db-instance-available": "",
    "rds modify-db-instance": { DBInstance: { DBInstanceStatus: "modifying" } },
    "rds delete-db-instance": { DBInstance: { DBInstanceStatus: "deleting" } },
    ...overrides,
  };
}

interface Drill {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[][];
}

function drill(args: string[], canned: Record<string, Answer> = answers(), env: Record<string, string> = {}): Drill {
  const dir = mkdtempSync(path.join(tmpdir(), "restore-drill-"));
  writeFileSync(path.join(dir, "aws"), stub);
  chmodSync(path.join(dir, "aws"), 0o755);
  const log = path.join(dir, "calls.jsonl");
  const answerFile = path.join(dir, "answers.json");
  writeFileSync(log, "");
  writeFileSync(answerFile, JSON.stringify(canned));
  const run = spawnSync("bash", [script, ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { PATH: `${dir}:${path.dirname(process.execPath)}:${process.env.PATH}`, HOME: dir, AWS_STUB_LOG: log, AWS_STUB_ANSWERS: answerFile, ...env },
  });
  const calls = readFileSync(log, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as string[]);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, calls };
}

const op = (call: string[]) => `${call[0]} ${call[1]}${call[1] === "wait" ? ` ${call[2]}` : ""}`;
const arg = (call: string[], flag: string) => call[call.indexOf(flag) + 1];
/** Calls that create, change or delete something (reads and waits excluded). */
const mutating = (calls: string[][]) => calls.filter((c) => !/^(describe|list|get|wait)/.test(c[1]));

/** Whatever the scenario: the live instance is never the target of a call that changes or deletes. */
function expectLiveUntouched(calls: string[][]): void {
  for (const call of mutating(calls)) {
    for (const flag of ["--db-instance-identifier", "--target-db-instance-identifier"]) {
      if (call.includes(flag)) expect({ call: op(call), target: arg(call, flag) }).not.toEqual({ call: op(call), target: liveId });
    }
    expect(["restore-db-instance-from-db-snapshot", "restore-db-instance-to-point-in-time", "modify-db-instance", "delete-db-instance"]).toContain(call[1]);
  }
}

beforeAll(() => {
  const jq = spawnSync("jq", ["--version"], { encoding: "utf8" });
  if (jq.status !== 0) throw new Error("the restore drill needs jq; install it (apt-get install jq) to run these tests");
});

describe("restoring the latest snapshot (the default)", () => {
  let run: Drill;
  beforeAll(() => {
    run = drill(["--stack", "dev", "--region", region]);
  });

  it("finishes, and makes exactly the calls of the plan, in order", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.calls.map(op)).toEqual([
      "rds describe-db-instances",
      "resourcegroupstaggingapi get-resources",
      "backup list-recovery-points-by-resource",
      "rds restore-db-instance-from-db-snapshot",
      "rds wait db-instance-available",
      "rds modify-db-instance",
      "rds wait db-instance-available",
      "rds describe-db-instances",
    ]);
    for (const call of run.calls) expect(arg(call, "--region")).toBe(region);
  });

  it("finds the live instance by its stack's tags and its Name, not another stack's nor a restored copy, and the stack's vault by its tags", () => {
    expect(arg(run.calls[2], "--resource-arn")).toBe(liveArn);
    expect(run.calls[1]).toEqual(expect.arrayContaining(["--resource-type-filters", "backup:backup-vault", "--tag-filters", "Key=project,Values=platform", "Key=stack,Values=dev"]));
  });

  it("restores the latest completed snapshot of the stack's vault, not a continuous point, a failed job or another vault's newer point", () => {
    const restore = run.calls[3];
    expect(arg(restore, "--db-snapshot-identifier")).toBe(snapshotArn("latest"));
  });

  it("into a new scratch instance beside the live one: its class, subnet group, security group and TLS parameter group, single-AZ, private, tagged as a drill copy", () => {
    const restore = run.calls[3];
    const scratch = arg(restore, "--db-instance-identifier");
    expect(scratch).toMatch(/^platform-dev-db-drill-\d{14}$/);
    expect(scratch.length).toBeLessThanOrEqual(63);
    expect(restore).toEqual(
      expect.arrayContaining(["--db-instance-class", "db.t4g.small", "--db-subnet-group-name", "platform-dev-db", "--vpc-security-group-ids", "sg-0db0000000000000a", "--db-parameter-group-name", "platform-dev-db-postgres16", "--no-multi-az", "--no-publicly-accessible", "--no-deletion-protection"]),
    );
    const tagArgs = restore.slice(restore.indexOf("--tags") + 1, restore.indexOf("--region"));
    expect(tagArgs).toEqual(["Key=platform:restore-drill,Value=platform-dev-db", "Key=project,Value=platform", "Key=stack,Value=dev"]);
    // The waits, the new password and the final read are all about the scratch copy.
    for (const call of run.calls.slice(4)) expect(arg(call, "--db-instance-identifier")).toBe(scratch);
  });

  it("gives the copy a password of its own, held by RDS with the platform key", () => {
    expect(run.calls[5]).toEqual(expect.arrayContaining(["--manage-master-user-password", "--master-user-secret-kms-key-id", keyArn, "--apply-immediately"]));
  });

  it("prints the endpoint, and the pg_isready and psql checks with the copy's secret, then how to delete it", () => {
    const scratch = arg(run.calls[3], "--db-instance-identifier");
    expect(run.stdout).toContain(`Restored ${liveId} (recovery point ${snapshotArn("latest")} of vault platform-dev-vault`);
    expect(run.stdout).toContain(`endpoint:  scratch.c0ffee111111.${region}.rds.amazonaws.com:5432`);
    expect(run.stdout).toContain(`--secret-id 'arn:aws:secretsmanager:${region}:${account}:secret:rds!db-scratch-GhIjKl'`);
    expect(run.stdout).toContain(`pg_isready -h scratch.c0ffee111111.${region}.rds.amazonaws.com -p 5432 -d app`);
    expect(run.stdout).toContain("sslmode=verify-full sslrootcert=global-bundle.pem");
    expect(run.stdout).toContain(`SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`);
    expect(run.stdout).toContain(`tools/restore-drill.sh --stack dev --region ${region} --delete ${scratch}`);
  });

  it("never changes the live instance", () => {
    expectLiveUntouched(run.calls);
  });
});

describe("options", () => {
  it("--from pitr restores the live instance to its latest restorable time", () => {
    const run = drill(["--stack", "dev", "--region", region, "--from", "pitr"]);
    expect(run.status).toBe(0);
    expect(run.calls.map(op)).not.toContain("backup list-recovery-points-by-resource");
    const restore = run.calls.find((c) => c[1] === "restore-db-instance-to-point-in-time")!;
    expect(arg(restore, "--source-db-instance-identifier")).toBe(liveId);
    expect(arg(restore, "--target-db-instance-identifier")).toMatch(/^platform-dev-db-drill-\d{14}$/);
    expect(restore).toContain("--use-latest-restorable-time");
    expect(run.stdout).toContain("latest restorable time (2026-06-01T10:55:00+00:00)");
    expectLiveUntouched(run.calls);
  });

  it("--vault names the vault instead of finding it; --table names the table the check counts", () => {
    const run = drill(["--stack", "dev", "--region", region, "--vault", "someone-elses-vault", "--table", "public.orders"]);
    expect(run.status).toBe(0);
    expect(run.calls.map(op)).not.toContain("resourcegroupstaggingapi get-resources");
    expect(arg(run.calls.find((c) => c[1] === "restore-db-instance-from-db-snapshot")!, "--db-snapshot-identifier")).toBe(snapshotArn("other-vault"));
    expect(run.stdout).toContain('-c "SELECT count(*) FROM public.orders"');
  });

  it("--instance-class and --security-group-id choose the scratch instance's size and group", () => {
    const run = drill(["--stack", "dev", "--region", region, "--instance-class", "db.t4g.micro", "--security-group-id", "sg-0bastion00000000a"]);
    expect(run.status).toBe(0);
    const restore = run.calls.find((c) => c[1] === "restore-db-instance-from-db-snapshot")!;
    expect([arg(restore, "--db-instance-class"), arg(restore, "--vpc-security-group-ids")]).toEqual(["db.t4g.micro", "sg-0bastion00000000a"]);
    expect(run.stdout).toContain("Check it from a host that security group sg-0bastion00000000a admits");
  });

  it("takes the region from AWS_REGION", () => {
    const run = drill(["--stack", "dev", "--dry-run"], answers(), { AWS_REGION: "us-east-1" });
    expect(run.status).toBe(0);
    expect(arg(run.calls[0], "--region")).toBe("us-east-1");
  });

  it("--dry-run reads, prints what would run, and changes nothing", () => {
    const run = drill(["--stack", "dev", "--region", region, "--dry-run"]);
    expect(run.status).toBe(0);
    expect(run.calls.map(op)).toEqual(["rds describe-db-instances", "resourcegroupstaggingapi get-resources", "backup list-recovery-points-by-resource"]);
    expect(mutating(run.calls)).toEqual([]);
    expect(run.stdout).toMatch(/would run: aws rds restore-db-instance-from-db-snapshot --db-instance-identifier platform-dev-db-drill-\d{14} --db-snapshot-identifier arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-latest/);
    expect(run.stdout).toContain("would run: aws rds modify-db-instance");
    expect(run.stdout).toContain("Dry run: nothing was restored.");
  });
});

describe("refusals", () => {
  it("refuses a stack that has no database in the region (a wrong stack), before any backup is read", () => {
    const run = drill(["--stack", "prod", "--region", region]);
    expect(run.status).toBe(3);
    expect(run.stderr).toBe("restore-drill: no database of stack prod (project platform) in us-east-1: is the stack deployed there, with platform:database enabled?\n");
    expect(run.calls.map(op)).toEqual(["rds describe-db-instances"]);
  });

  it("refuses --instance naming another stack's database", () => {
    const run = drill(["--stack", "dev", "--region", region, "--instance", "platform-staging-db"]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("refusing: instance platform-staging-db belongs to platform/staging (its project/stack tags), not platform/dev");
    expect(mutating(run.calls)).toEqual([]);
  });

  it("refuses to guess between two instances that both look like the stack's database", () => {
    const twin = { ...liveInstance, DBInstanceIdentifier: "platform-dev-db-2", TagList: tags({ project: "platform", stack: "dev", Name: "platform-dev-db-2" }) };
    const run = drill(["--stack", "dev", "--region", region], answers({ "rds describe-db-instances": { DBInstances: [liveInstance, twin] } }));
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("more than one instance looks like the database of platform/dev: platform-dev-db, platform-dev-db-2; pass --instance");
  });

  it("refuses when there is no completed snapshot to restore, and says what to do", () => {
    const none = { RecoveryPoints: recoveryPoints.RecoveryPoints.filter((p) => !p.RecoveryPointArn.includes("latest") && !p.RecoveryPointArn.includes("old") && !p.RecoveryPointArn.includes("other-vault")) };
    const run = drill(["--stack", "dev", "--region", region], answers({ "backup list-recovery-points-by-resource": none }));
    expect(run.status).toBe(4);
    expect(run.stderr).toContain("no completed snapshot of platform-dev-db in vault platform-dev-vault");
    expect(run.stderr).toContain("or use --from pitr");
    expect(mutating(run.calls)).toEqual([]);
  });

  it("refuses when the stack has no vault in the region, or more than one, unless --vault names it", () => {
    const none = drill(["--stack", "dev", "--region", region], answers({ "resourcegroupstaggingapi get-resources": { ResourceTagMappingList: [] } }));
    expect(none.status).toBe(3);
    expect(none.stderr).toContain("no backup vault of stack dev (project platform) in us-east-1; name one with --vault");
    const vaultArn = (name: string) => ({ ResourceARN: `arn:aws:backup:${region}:${account}:backup-vault:${name}` });
    const two = drill(["--stack", "dev", "--region", region], answers({ "resourcegroupstaggingapi get-resources": { ResourceTagMappingList: [vaultArn("a"), vaultArn("b")] } }));
    expect(two.status).toBe(3);
    expect(two.stderr).toContain("more than one backup vault of platform/dev in us-east-1: a b; name one with --vault");
    for (const run of [none, two]) expect(mutating(run.calls)).toEqual([]);
  });

  it("stops with the AWS CLI's error when a call fails, and restores nothing", () => {
    const run = drill(["--stack", "dev", "--region", region], answers({ "backup list-recovery-points-by-resource": { exit: 255, stderr: "An error occurred (AccessDeniedException) when calling the ListRecoveryPointsByResource operation\n" } }));
    expect(run.status).toBe(255);
    expect(run.stderr).toContain("AccessDeniedException");
    expect(mutating(run.calls)).toEqual([]);
  });

  it.each([
    [["--region", region], "--stack is required"],
    [["--stack", "dev", "--region", region, "--from", "yesterday"], "--from must be snapshot or pitr, not yesterday"],
    [["--stack", "dev", "--region", region, "--table", "orders; DROP TABLE orders"], "--table takes a table name"],
    [["--stack", "dev", "--region", region, "--bogus"], "unknown argument: --bogus"],
  ])("refuses bad arguments %j before calling AWS", (args, message) => {
    const run = drill(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.calls).toEqual([]);
  });
});

describe("--delete", () => {
  const withCopies = answers({ "rds describe-db-instances": { DBInstances: [liveInstance, drillCopy("platform-dev-db-drill-20260601101500"), drillCopy("platform-staging-db-drill-20260601101500", "platform-staging-db"), restoreTestCopy] } });

  it("deletes a drill copy of this stack's database, without a final snapshot", () => {
    const run = drill(["--stack", "dev", "--region", region, "--delete", "platform-dev-db-drill-20260601101500"], withCopies);
    expect(run.status).toBe(0);
    expect(mutating(run.calls)).toEqual([
      ["rds", "delete-db-instance", "--db-instance-identifier", "platform-dev-db-drill-20260601101500", "--skip-final-snapshot", "--delete-automated-backups", "--region", region, "--output", "json"],
    ]);
    expectLiveUntouched(run.calls);
  });

  it.each([
    ["the live database", liveId, "refusing to delete platform-dev-db: it is the live database of platform/dev"],
    ["a copy AWS Backup restored (no drill tag)", "awsbackup-restore-test-0a1b2c", "it is not a restore-drill copy of platform-dev-db (its tag platform:restore-drill is missing)"],
    ["another stack's drill copy", "platform-staging-db-drill-20260601101500", "it is not a restore-drill copy of platform-dev-db (its tag platform:restore-drill is platform-staging-db)"],
    ["an instance that does not exist", "nothing-here", "no DB instance nothing-here in us-east-1"],
  ])("refuses %s", (_what, id, message) => {
    const run = drill(["--stack", "dev", "--region", region, "--delete", id], withCopies);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(message);
    expect(mutating(run.calls)).toEqual([]);
  });

  it("--dry-run only prints the delete", () => {
    const run = drill(["--stack", "dev", "--region", region, "--delete", "platform-dev-db-drill-20260601101500", "--dry-run"], withCopies);
    expect(run.status).toBe(0);
    expect(mutating(run.calls)).toEqual([]);
    expect(run.stdout).toContain("would run: aws rds delete-db-instance --db-instance-identifier platform-dev-db-drill-20260601101500 --skip-final-snapshot --delete-automated-backups");
  });
});
