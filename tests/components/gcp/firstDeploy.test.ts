// The first deploy on an empty GCP project: no image in Artifact Registry and no value in the external
// secret yet. Cloud Run cannot create a service whose revision cannot start, so the service is held
// (not created) and the warning says exactly what to run; everything else is planned, and the next
// update, once the image and the value exist, creates it.
import { named, ofType } from "../../harness/queries";
import { runGcp } from "./run";

describe("first deploy on an empty GCP project", () => {
  it("holds the service: no Cloud Run service yet, its NEG and backend already there, and the steps that release it", async () => {
    const r = await runGcp("dev", { account: "empty" });
    expect(r.error).toBeUndefined();
    expect(ofType(r, "gcp:cloudrunv2/service:Service")).toEqual([]);
    expect(named(r, "lb-api-neg").inputs.cloudRun).toEqual({ service: "platform-dev-api" });
    expect(r.outputs.heldServices).toEqual(["api"]);
    expect(r.outputs.scalingPolicies).toEqual({ api: [] });
    const warning = r.warnings.find((w) => w.startsWith("platform:services.api is held"))!;
    expect(warning).toContain("image asia-northeast1-docker.pkg.dev/example-platform-dev/platform-dev/api:latest is not in Artifact Registry yet");
    expect(warning).toContain("secret ANTHROPIC_API_KEY (platform-dev-ANTHROPIC_API_KEY) has no value yet");
    expect(warning).toContain("gcloud auth configure-docker asia-northeast1-docker.pkg.dev && docker tag <your-image> asia-northeast1-docker.pkg.dev/example-platform-dev/platform-dev/api:latest");
    expect(warning).toContain("read -rs VALUE && printf %s \"$VALUE\" | gcloud secrets versions add platform-dev-ANTHROPIC_API_KEY --project example-platform-dev --data-file=-");
    // The repository, the secrets and the service account exist after this update, so the steps can run.
    expect(named(r, "app-repository").inputs.repositoryId).toBe("platform-dev");
    expect(named(r, "secrets-ANTHROPIC_API_KEY").inputs.secretId).toBe("platform-dev-ANTHROPIC_API_KEY");
    expect(named(r, "app-api-account").inputs.accountId).toBe("platform-dev-api");
  });

  it("checks a held service's health path only once it runs: until then the load balancer answers it with an error, and its check would page", async () => {
    const held = await runGcp("staging", { account: "empty" });
    expect(held.outputs.heldServices).toEqual(["api"]);
    expect(ofType(held, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")).toEqual([]);
    expect(held.resources.filter((x) => x.name.endsWith("-availability") || x.name.includes("certificate-expiry"))).toEqual([]);
    const running = await runGcp("staging");
    const check = named(running, "alarms-api-uptime");
    // The check's host waits for the service's release: it is recorded as that service's check.
    expect(check.propertyDependencies.monitoredResource).toContain(named(running, "app-api-service").urn);
    expect(named(running, "alarms-api-availability").propertyDependencies.conditions).toEqual([check.urn]);
  });

  it("creates the service once the image and the value exist, pinned to the version found and redeployed by the image's digest", async () => {
    const r = await runGcp("dev", { account: { base: "empty", repositories: { "platform-dev/api": { latest: `sha256:${"a".repeat(64)}` } }, secrets: { "platform-dev-ANTHROPIC_API_KEY": { versionId: "3" } } } });
    expect(r.error).toBeUndefined();
    const service = named(r, "app-api-service");
    const template = service.inputs.template as { annotations: Record<string, string>; containers: { envs: { name: string; valueSource?: { secretKeyRef: { version: string } } }[] }[] };
    expect(template.annotations).toEqual({ "platform.dev/image-digest": `sha256:${"a".repeat(64)}` });
    expect(template.containers[0].envs.find((e) => e.name === "ANTHROPIC_API_KEY")!.valueSource!.secretKeyRef.version).toBe("3");
    expect(r.outputs.heldServices).toEqual([]);
  });

  it("never reads a secret's value, and refuses to guess when a read fails for another reason than not found", async () => {
    const denied = await runGcp("dev", { account: { failures: { "gcp:secretmanager/getSecretVersion:getSecretVersion": "googleapi: Error 403: Permission 'secretmanager.versions.access' denied, forbidden" } } });
    expect(denied.error?.message).toContain("could not read the versions of secret platform-dev-ANTHROPIC_API_KEY from GCP project (nothing was changed)");
    expect(denied.resources.filter((x) => x.custom)).toEqual([]);
  });

  it("refuses a Cloud DNS zone the project does not have, or one that does not hold the domain", async () => {
    const missing = await runGcp("staging", { set: ["platform:loadBalancer.dnsZone=other-zone"] });
    expect(missing.error?.message).toContain("platform:loadBalancer.dnsZone: \"other-zone\" is not allowed: no Cloud DNS managed zone with this name in project example-platform-staging");
    const outside = await runGcp("staging", { account: { zones: { "other-zone": { name: "example.org." } } }, set: ["platform:loadBalancer.dnsZone=other-zone"] });
    expect(outside.error?.message).toContain("platform:loadBalancer.domain: \"staging.platform.example.com\" is not allowed: is outside Cloud DNS zone other-zone (example.org)");
  });
});
