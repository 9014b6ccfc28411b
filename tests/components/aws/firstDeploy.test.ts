// The way from an empty AWS account to running services, and every later release: the program
// looks at the account first, holds a service whose image or secret value is missing (no tasks, no
// autoscaling), starts it once they exist, redeploys when an image digest or a secret version
// changes, and where the environment waits for rollouts fails the update on a rolled-back one.
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { type AccountFixture, mockDigest } from "../../harness/cloudMocks";
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";

/** Direct dependencies (logical names) the engine is told about, per logical name, for the last run. */
const dependencies = new Map<string, string[]>();
const registerResource = MockMonitor.prototype.registerResource;
jest.spyOn(MockMonitor.prototype, "registerResource").mockImplementation(function (this: MockMonitor, req, callback) {
  dependencies.set(req.getName(), (req.getDependenciesList() as string[]).map((urn) => urn.split("::").pop()!));
  return registerResource.call(this, req, callback);
});

const customResources = (r: SynthResult) => r.resources.filter((x) => x.custom);
const heldWarning = (r: SynthResult, svc: string) => r.warnings.find((w) => w.startsWith(`platform:services.${svc} is held at 0 tasks`));
const triggers = (r: SynthResult, svc = "api") => named(r, `app-${svc}-service`).inputs.triggers as Record<string, string> | undefined;

/** The dev account once the operator pushed `latest` and put ANTHROPIC_API_KEY, before the next `pulumi up`. */
const devReleased = (digest: string, apiKeyVersion: string, desiredCount = 0): AccountFixture => ({
  base: "empty",
  repositories: { "platform/dev/api": { latest: digest } },
  secrets: { "platform/dev/ANTHROPIC_API_KEY": { versionId: apiKeyVersion }, "platform/dev/JWT_SECRET": {} },
  services: { "platform-dev-api": { desiredCount } },
});

describe("the first `pulumi up` on an empty account", () => {
  let dev: SynthResult;
  let production: SynthResult;
  let devPreview: SynthResult;

  beforeAll(async () => {
    dev = await runProgram({ stack: "dev", account: "empty" });
    production = await runProgram({ stack: "production", account: "empty" });
    devPreview = await runProgram({ stack: "dev", account: "empty", preview: true });
    for (const r of [dev, production, devPreview]) expect(r.error).toBeUndefined();
  });

  it("creates the foundation and each service, held at 0 tasks, never touched by autoscaling", () => {
    for (const r of [dev, production]) {
      const service = named(r, "app-api-service");
      expect(service.inputs.desiredCount).toBe(0);
      expect(service.ignoreChanges).toContain("desiredCount");
      // Nothing runs, so nothing to redeploy when a value appears; the update that starts it deploys anyway.
      expect(service.inputs.triggers).toBeUndefined();
      expect(ofType(r, "aws:appautoscaling/target:Target")).toEqual([]);
      expect(ofType(r, "aws:appautoscaling/policy:Policy")).toEqual([]);
      expect(r.outputs.heldServices).toEqual(["api"]);
      expect(r.outputs.scalingPolicies).toEqual({});
      // Everything a release needs still exists: repository, secrets, load balancer, task definition.
      for (const name of ["app-api-repo", "secrets-ANTHROPIC_API_KEY", "secrets-JWT_SECRET-version", "lb-alb", "app-api-task"]) expect(named(r, name).custom).toBe(true);
    }
  });

  it("says per held service exactly what to run, with the repository output and the secret's name", () => {
    const warning = heldWarning(dev, "api");
    expect(warning).toBeDefined();
    const repository = (dev.outputs.imageRepositories as Record<string, string>).api;
    const registry = repository.split("/")[0];
    expect(repository).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/dev/api");
    expect(warning).toContain(`aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${registry}`);
    expect(warning).toContain(`docker push ${repository}:latest`);
    expect(warning).toContain("aws secretsmanager put-secret-value --region us-east-1 --secret-id platform/dev/ANTHROPIC_API_KEY");
    expect(warning).toContain("then run `pulumi up` again");
    // Generated secrets get their value from the update itself: nothing to put by hand.
    expect(warning).not.toContain("JWT_SECRET");
    expect(heldWarning(production, "api")).toContain(`docker push ${(production.outputs.imageRepositories as Record<string, string>).api}:1.0.0`);
    expect(heldWarning(production, "api")).toContain("it starts the service and waits until it runs");
  });

  it("plans the same in a preview, warnings included", () => {
    expect(devPreview.resources.map((r) => r.name).sort()).toEqual(dev.resources.map((r) => r.name).sort());
    expect(devPreview.warnings).toEqual(dev.warnings);
    expect(named(devPreview, "app-api-service").inputs.desiredCount).toBe(0);
  });

  it("holds only the services that lack something: an image named in full and no secrets runs at once", async () => {
    const r = await runProgram({
      stack: "dev",
      account: "empty",
      set: ["platform:services.web.port=3000", "platform:services.web.image=public.ecr.aws/nginx/nginx:1.27", "platform:services.web.pathPatterns[0]=/web/*"],
    });
    expect(r.error).toBeUndefined();
    expect(r.outputs.heldServices).toEqual(["api"]);
    expect(named(r, "app-web-service").inputs.desiredCount).toBe(1);
    expect(named(r, "scaling-web-target").inputs.minCapacity).toBe(1);
    expect(r.resources.find((x) => x.name === "scaling-api-target")).toBeUndefined();
    expect(heldWarning(r, "web")).toBeUndefined();
  });

  it("does not read the registry of a service whose image is named in full", async () => {
    const r = await runProgram({
      stack: "dev",
      account: { failures: { "aws:ecr/getImage:getImage": "reading ECR Images: AccessDeniedException: not authorized" } },
      set: ["platform:services.api.image=public.ecr.aws/acme/api:2.1.0"],
    });
    expect(r.error).toBeUndefined();
    expect(r.outputs.heldServices).toEqual([]);
    expect(triggers(r)).not.toHaveProperty("image");
  });

  it("holds a service for a missing secret value alone, once its image is there", async () => {
    const r = await runProgram({ stack: "dev", account: { base: "empty", repositories: { "platform/dev/api": { latest: "sha256:1" } } } });
    expect(r.error).toBeUndefined();
    expect(r.outputs.heldServices).toEqual(["api"]);
    const warning = heldWarning(r, "api")!;
    expect(warning).toContain("secret ANTHROPIC_API_KEY (platform/dev/ANTHROPIC_API_KEY) has no value yet");
    expect(warning).not.toContain("docker push");
  });

  it("holds a service whose repository exists but is empty, and says the push is what is missing", async () => {
    const r = await runProgram({ stack: "dev", account: { repositories: { "platform/dev/api": {} } } });
    expect(r.error).toBeUndefined();
    expect(heldWarning(r, "api")).toContain("ECR repository platform/dev/api has no images yet");
    expect(heldWarning(r, "api")).not.toContain("put-secret-value");
  });
});

describe("the next `pulumi up`, after the push and the secret value", () => {
  let started: SynthResult;
  let running: SynthResult;

  beforeAll(async () => {
    started = await runProgram({ stack: "dev", account: devReleased("sha256:aaaa", "v-1") });
    running = await runProgram({ stack: "dev", account: devReleased("sha256:aaaa", "v-1", 1) });
    for (const r of [started, running]) expect(r.error).toBeUndefined();
  });

  it("starts the held service through the service's own update, then registers autoscaling", () => {
    const service = named(started, "app-api-service");
    expect(service.inputs.desiredCount).toBe(1);
    // Not ignored this once: the update that is waited for runs real tasks.
    expect(service.ignoreChanges).not.toContain("desiredCount");
    expect(named(started, "scaling-api-target").inputs).toMatchObject({ minCapacity: 1, maxCapacity: 2 });
    expect(started.outputs.heldServices).toEqual([]);
    expect(heldWarning(started, "api")).toBeUndefined();
  });

  it("leaves the running count to autoscaling once the service runs", () => {
    expect(named(running, "app-api-service").ignoreChanges).toContain("desiredCount");
    expect(named(running, "scaling-api-target").inputs.minCapacity).toBe(1);
  });
});

describe("a new deployment when the release changes", () => {
  it("follows the image digest: a push to the same tag changes the service's triggers, nothing else", async () => {
    const before = await runProgram({ stack: "dev", account: devReleased("sha256:aaaa", "v-1", 1) });
    const after = await runProgram({ stack: "dev", account: devReleased("sha256:bbbb", "v-1", 1) });
    expect(triggers(before)?.image).toBe("sha256:aaaa");
    expect(triggers(after)?.image).toBe("sha256:bbbb");
    expect(named(after, "app-api-service").inputs.forceNewDeployment).toBe(true);
    // The task definition keeps repo:tag, so the lifecycle policy can never expire what it names.
    expect(named(after, "app-api-task").inputs.containerDefinitions).toEqual(named(before, "app-api-task").inputs.containerDefinitions);
    expect(JSON.parse(String(named(after, "app-api-task").inputs.containerDefinitions))[0].image).toMatch(/\/platform\/dev\/api:latest$/);
  });

  it("follows the current version of each external secret the service reads", async () => {
    const before = await runProgram({ stack: "dev", account: devReleased("sha256:aaaa", "v-1", 1) });
    const after = await runProgram({ stack: "dev", account: devReleased("sha256:aaaa", "v-2", 1) });
    expect(triggers(before)?.["secret-ANTHROPIC_API_KEY"]).toBe("v-1");
    expect(triggers(after)?.["secret-ANTHROPIC_API_KEY"]).toBe("v-2");
    expect(triggers(after)?.image).toBe(triggers(before)?.image);
  });

  it("follows a generated secret's version, and waits for that version to exist", async () => {
    const before = await runProgram({ stack: "dev" });
    const version = named(before, "secrets-JWT_SECRET-version");
    expect(triggers(before)?.["secret-JWT_SECRET"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(dependencies.get("app-api-service")).toContain(version.name);
    const rotated = await runProgram({ stack: "dev", set: ["platform:secrets.JWT_SECRET.source=generated", "platform:secrets.JWT_SECRET.length=96"] });
    expect(rotated.error).toBeUndefined();
    expect(triggers(rotated)?.["secret-JWT_SECRET"]).not.toBe(triggers(before)?.["secret-JWT_SECRET"]);
  });

  it("uses the established account's digest for every service of its own registry", async () => {
    const r = await runProgram({ stack: "production" });
    expect(triggers(r)?.image).toBe(mockDigest("platform/production/api", "1.0.0"));
  });
});

describe("waiting for the rollout", () => {
  const rolledBack: AccountFixture = { runningTaskDefinitions: { "platform-staging-api": "arn:aws:ecs:us-east-1:123456789012:task-definition/platform-staging-api:6" } };

  it.each([
    ["dev", false],
    ["staging", true],
    ["production", true],
  ] as const)("%s: waits for steady state: %s", async (stack, waits) => {
    const r = await runProgram({ stack });
    expect(r.error).toBeUndefined();
    expect(named(r, "app-api-service").inputs.waitForSteadyState).toBe(waits);
  });

  it("follows platform:waitForRollout where a stack sets it", async () => {
    const r = await runProgram({ stack: "dev", set: ["platform:waitForRollout=true"] });
    expect(named(r, "app-api-service").inputs.waitForSteadyState).toBe(true);
  });

  it("exports the release ECS confirmed it runs", async () => {
    const r = await runProgram({ stack: "staging" });
    expect(r.error).toBeUndefined();
    expect((r.outputs.releases as Record<string, string>).api).toBe(named(r, "app-api-service").inputs.taskDefinition);
  });

  it("fails the update when ECS rolled the new release back, saying which service, what runs and where to look", async () => {
    const r = await runProgram({ stack: "staging", account: rolledBack });
    expect(r.error?.message).toBe(
      "platform:services.api did not roll out: ECS service platform-staging-api runs task definition platform-staging-api:6, not platform-staging-api:1 that this update deployed. " +
        "The deployment was rolled back: the circuit breaker does that when the new tasks do not become healthy. " +
        "See why: aws ecs describe-services --region us-east-1 --cluster platform-staging --services platform-staging-api --query 'services[0].events[:10]' " +
        "and the stopped tasks' stoppedReason: aws ecs describe-tasks --region us-east-1 --cluster platform-staging --tasks $(aws ecs list-tasks --region us-east-1 --cluster platform-staging --service-name platform-staging-api --desired-status STOPPED --query 'taskArns[:3]' --output text). " +
        "Then push a fixed image (a new digest starts a new deployment) or retry the same release with `pulumi up --refresh`.",
    );
    expect(r.error?.stack ?? "").not.toMatch(/\n\s+at /);
  });

  it("neither reads the service in a preview nor where the environment does not wait", async () => {
    const preview = await runProgram({ stack: "staging", account: rolledBack, preview: true });
    expect(preview.error).toBeUndefined();
    const dev = await runProgram({ stack: "dev", account: { runningTaskDefinitions: { "platform-dev-api": "arn:aws:ecs:us-east-1:123456789012:task-definition/platform-dev-api:6" } } });
    expect(dev.error).toBeUndefined();
  });

  it("does not verify a held service, which runs no tasks", async () => {
    const r = await runProgram({ stack: "staging", account: { base: "empty", runningTaskDefinitions: { "platform-staging-api": "arn:aws:ecs:us-east-1:123456789012:task-definition/platform-staging-api:0" } } });
    expect(r.error).toBeUndefined();
    expect(r.outputs.heldServices).toEqual(["api"]);
  });
});

describe("config the account contradicts, refused before anything is created", () => {
  it("names a tag that is not in a repository that has images, and lists tags that are", async () => {
    const r = await runProgram({
      stack: "production",
      account: { repositories: { "platform/production/api": { "1.9.0": "sha256:a", "1.10.0": "sha256:b", "1.2.0": "sha256:c" } } },
    });
    expect(r.error?.message).toContain(
      'platform:services.api.imageTag: "1.0.0" is not allowed: no image with this tag in ECR repository platform/production/api, which has tags 1.10.0, 1.9.0, 1.2.0.',
    );
    expect(customResources(r)).toEqual([]);
  });

  it("treats a repository of untagged images as having no such tag", async () => {
    const r = await runProgram({ stack: "dev", account: { repositories: { "platform/dev/api": { "": "sha256:a" } } } });
    expect(r.error?.message).toContain("platform:services.api.imageTag: \"latest\" is not allowed: no image with this tag in ECR repository platform/dev/api, which has only untagged images");
  });

  it("refuses a domain outside its hosted zone, and an unknown or private zone", async () => {
    const outside = await runProgram({ stack: "staging", set: ["platform:loadBalancer.domain=app.example.org"] });
    expect(outside.error?.message).toContain('platform:loadBalancer.domain: "app.example.org" is not allowed: is outside Route 53 zone Z0123456789ABCDEFGHIJ (example.com)');
    expect(customResources(outside)).toEqual([]);
    // Only a suffix on a label boundary is inside the zone.
    const lookalike = await runProgram({ stack: "staging", set: ["platform:loadBalancer.domain=app.notexample.com"] });
    expect(lookalike.error?.message).toContain("platform:loadBalancer.domain");
    const unknown = await runProgram({ stack: "production", set: ["platform:loadBalancer.dnsZone=Z09999999999999999999"] });
    expect(unknown.error?.message).toContain('platform:loadBalancer.dnsZone: "Z09999999999999999999" is not allowed: no Route 53 hosted zone with this id in the account');
    expect(customResources(unknown)).toEqual([]);
    const internal = await runProgram({ stack: "production", account: { zones: { Z0INTERNAL000000000000: { name: "example.com.", privateZone: true } } }, set: ["platform:loadBalancer.dnsZone=Z0INTERNAL000000000000"] });
    expect(internal.error?.message).toContain("platform:loadBalancer.dnsZone: \"Z0INTERNAL000000000000\" is not allowed: example.com is a private hosted zone");
  });

  it("accepts the zone's apex and its subdomains", async () => {
    for (const domain of ["example.com", "a.b.example.com"]) {
      const r = await runProgram({ stack: "staging", set: [`platform:loadBalancer.domain=${domain}`] });
      expect({ domain, error: r.error?.message }).toEqual({ domain, error: undefined });
    }
  });

  it("rethrows a read it was not allowed to make instead of taking it for a first deploy", async () => {
    const r = await runProgram({ stack: "dev", account: { failures: { "aws:secretsmanager/getSecretVersions:getSecretVersions": "AccessDeniedException: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: secretsmanager:ListSecretVersionIds" } } });
    expect(r.error?.message).toContain("could not read the versions of secret platform/dev/JWT_SECRET from the AWS account (nothing was changed)");
    expect(r.error?.message).toContain("AccessDeniedException");
    expect(customResources(r)).toEqual([]);
  });
});
