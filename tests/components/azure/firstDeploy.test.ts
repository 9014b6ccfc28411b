// What the Azure account inspection reads before anything is planned, and what it makes of it: an
// empty subscription holds every service (no app, no origin, no route: Container Apps cannot provision
// an app whose image does not exist) but creates its identity and grants; a placeholder secret holds
// the services that read it; an image tag that is not in the registry, a writable tag where tags are
// immutable, or a resource group that is not the stack's is refused before anything is registered;
// secret source switches warn or, in production, are refused; a rollout that did not become ready
// fails the update with what to run.
import { RegistryClient } from "../../../components/azure/registryImages";
import { ConfigError } from "../../../stacks/configErrors";
import { mockImageDigest, mockNameSuffix } from "../../harness/azureMocks";
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";

let empty: SynthResult;
let established: SynthResult;
beforeAll(async () => {
  empty = await runProgram({ stack: "dev", cloud: "azure", account: "empty" });
  established = await runProgram({ stack: "dev", cloud: "azure" });
  for (const r of [empty, established]) expect(r.error).toBeUndefined();
}, 60_000);

const apiRepository = "platform/dev/api";

describe("a first deploy on an empty subscription", () => {
  it("holds the service, with the exact steps that release it", () => {
    expect(empty.outputs.heldServices).toEqual(["api"]);
    const warning = empty.warnings.find((w) => w.startsWith("platform:services.api is held"))!;
    expect(warning).toContain("the container registry does not exist yet; secret ANTHROPIC_API_KEY (ANTHROPIC-API-KEY in Key Vault of the stack) has no value yet");
    expect(warning).toContain("REGISTRY=$(az acr list --resource-group platform-dev --query [0].loginServer --output tsv)");
    expect(warning).toContain('docker push "$REGISTRY/platform/dev/api:latest"');
    expect(warning).toContain('az keyvault secret set --vault-name "$(az keyvault list --resource-group platform-dev --query [0].name --output tsv)" --name ANTHROPIC-API-KEY --file /dev/stdin');
    expect(warning).toContain("then run `pulumi up` again: it creates the app.");
  });

  it("creates the held service's identity and grants now, but no app, origin or route", () => {
    expect(named(empty, "app-api-identity").type).toBe("azure-native:managedidentity:UserAssignedIdentity");
    expect(ofType(empty, "azure-native:authorization:RoleAssignment").filter((g) => g.name.startsWith("app-api-")).length).toBe(4);
    for (const type of ["azure-native:app:ContainerApp", "azure-native:cdn:AFDOrigin", "azure-native:cdn:Route"]) expect(ofType(empty, type)).toEqual([]);
    expect(empty.outputs.serviceNames).toEqual({ api: "platform-dev-api" });
    expect(empty.outputs.scalingPolicies).toEqual({});
    // Alerts on the app itself wait for it; the log alerts on its route do not need it.
    expect(empty.resources.find((r) => r.name === "alarms-api-cpu-warning")).toBeUndefined();
    expect(named(empty, "alarms-api-5xx-rate").type).toBe("azure-native:monitor:ScheduledQueryRule");
  });

  it("releases the service once the image and the secret value exist", () => {
    expect(established.outputs.heldServices).toEqual([]);
    expect(named(established, "app-api-app").type).toBe("azure-native:app:ContainerApp");
    expect(established.warnings.filter((w) => w.includes("is held"))).toEqual([]);
  });
});

describe("the inspection", () => {
  it("holds the services that read an external secret still holding its placeholder", async () => {
    const r = await runProgram({ stack: "dev", cloud: "azure", account: { azure: { secrets: { ANTHROPIC_API_KEY: { state: "placeholder" } } } } });
    expect(r.outputs.heldServices).toEqual(["api"]);
    const warning = r.warnings.find((w) => w.startsWith("platform:services.api is held"))!;
    expect(warning).toContain(`secret ANTHROPIC_API_KEY (ANTHROPIC-API-KEY in Key Vault platform-dev-${mockNameSuffix}) has no value yet`);
    expect(warning).toContain(`az keyvault secret set --vault-name platform-dev-${mockNameSuffix} --name ANTHROPIC-API-KEY`);
    expect(warning).not.toContain("push its image");
  });

  it("holds a service whose repository has no image yet, with the registry's own commands", async () => {
    const r = await runProgram({ stack: "dev", cloud: "azure", account: { azure: { repositories: { [apiRepository]: {} } } } });
    expect(r.outputs.heldServices).toEqual(["api"]);
    expect(r.warnings.find((w) => w.includes("is held"))).toContain(`az acr login --name platformdev`);
  });

  it("refuses a tag that is not in the registry, with the tags that are", async () => {
    const r = await runProgram({ stack: "dev", cloud: "azure", account: { azure: { repositories: { [apiRepository]: { "1.2.0": { digest: mockImageDigest(apiRepository, "1.2.0") }, "1.10.0": { digest: mockImageDigest(apiRepository, "1.10.0") } } } } } });
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(r.error!.message).toContain('platform:services.api.imageTag: "latest" is not allowed: no image with this tag in repository platform/dev/api of container registry');
    expect(r.error!.message).toContain("which has tags 1.10.0, 1.2.0");
    expect(r.resources).toEqual([]);
  });

  it("runs the digest the tag points at, so a push to the same tag starts a new revision", async () => {
    const digest = mockImageDigest(apiRepository, "moved");
    const r = await runProgram({ stack: "dev", cloud: "azure", account: { azure: { repositories: { [apiRepository]: { latest: { digest } } } } } });
    expect((named(r, "app-api-app").inputs.template as any).containers[0].image).toMatch(new RegExp(`/platform/dev/api@${digest}$`));
  });

  it("refuses a tag that can still be overwritten where tags are immutable, with the command that locks it", async () => {
    const r = await runProgram({ stack: "production", cloud: "azure", account: { azure: { repositories: { "platform/production/api": { "1.0.0": { digest: mockImageDigest("platform/production/api", "1.0.0"), writeEnabled: true } } } } } });
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(r.error!.message).toContain("can still be overwritten; lock it first: az acr repository update --name platformproduction");
    expect(r.error!.message).toContain("--image platform/production/api:1.0.0 --write-enabled false");
  });

  it("refuses a resource group of the stack's name that the platform did not create", async () => {
    const r = await runProgram({ stack: "dev", cloud: "azure", account: { azure: { resourceGroupTags: { owner: "someone-else" } } } });
    expect(r.error).toBeInstanceOf(ConfigError);
    expect(r.error!.message).toContain("platform:cloud: \"azure\" is not allowed: resource group platform-dev exists without the platform-name-suffix tag");
  });

  it("warns when a secret switches from external to generated, and refuses it in production unless the risk is acknowledged", async () => {
    const set = ["platform:secrets.ANTHROPIC_API_KEY.source=generated"];
    const account = { azure: { secrets: { ANTHROPIC_API_KEY: { state: "operator" as const } } } };
    const dev = await runProgram({ stack: "dev", cloud: "azure", set, account });
    expect(dev.warnings.some((w) => w.startsWith("platform:secrets.ANTHROPIC_API_KEY.source switches from external to generated: this update overwrites the value an operator put"))).toBe(true);
    const prod = await runProgram({ stack: "production", cloud: "azure", set, account });
    expect(prod.error!.message).toContain("platform:secrets.ANTHROPIC_API_KEY.source: \"generated\" is not allowed: secret ANTHROPIC-API-KEY of Key Vault platform-production-");
    const accepted = await runProgram({ stack: "production", cloud: "azure", set: [...set, "platform:acceptRisks[0]=externalSecretOverwrite"], account });
    expect(accepted.error).toBeUndefined();
  });

  it("reads what an inspection cannot reach as an error, never as 'not deployed yet'", async () => {
    const r = await runProgram({ stack: "dev", cloud: "azure", account: { failures: { "azure-native:resources:getResourceGroup": "AuthorizationFailed: the client does not have authorization" } } });
    expect(r.error!.message).toContain("could not read resource group platform-dev from the Azure subscription (nothing was changed): ");
    expect(r.error!.message).toContain("AuthorizationFailed");
  });
});

describe("the registry's data plane", () => {
  it("exchanges the Entra token once, then reads a tag's digest and its lock with a pull token for that repository", async () => {
    const calls: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      calls.push(`${init?.method ?? "GET"} ${url.pathname} ${init?.body instanceof URLSearchParams ? init.body.get("scope") ?? init.body.get("grant_type") : ""}`.trim());
      if (url.pathname === "/oauth2/exchange") return Response.json({ refresh_token: "r" });
      if (url.pathname === "/oauth2/token") return Response.json({ access_token: "a" });
      if (url.pathname.endsWith("/manifests/1.0")) return new Response(null, { status: 200, headers: { "docker-content-digest": "sha256:abc" } });
      if (url.pathname.endsWith("/_tags/1.0")) return Response.json({ tag: { changeableAttributes: { writeEnabled: false } } });
      return new Response(null, { status: 404 });
    }) as typeof fetch;
    try {
      const client = new RegistryClient("reg.azurecr.io", "tenant", async () => "entra");
      expect(await client.tag("team/api", "1.0")).toEqual({ digest: "sha256:abc", writeEnabled: false });
      expect(await client.tag("team/web", "2.0")).toEqual({ missing: "repository" });
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(calls).toEqual([
      "POST /oauth2/exchange access_token",
      "POST /oauth2/token repository:team/api:pull,metadata_read",
      "HEAD /v2/team/api/manifests/1.0",
      "GET /acr/v1/team/api/_tags/1.0",
      "POST /oauth2/token repository:team/web:pull,metadata_read",
      "HEAD /v2/team/web/manifests/2.0",
      "GET /v2/team/web/tags/list",
    ]);
  });
});

describe("rollouts", () => {
  it("fail the update when the new revision did not become ready, naming the revision and the commands that show why", async () => {
    const r = await runProgram({ stack: "staging", cloud: "azure", account: { azure: { readyRevisions: { "platform-staging-api": "platform-staging-api--old0001" } } } });
    expect(r.error!.message).toContain("platform:services.api did not roll out: container app platform-staging-api still serves revision platform-staging-api--old0001, not platform-staging-api--");
    expect(r.error!.message).toContain("az containerapp revision show --resource-group platform-staging --name platform-staging-api --revision platform-staging-api--");
  });

  it("are not waited for in dev", async () => {
    const r = await runProgram({ stack: "dev", cloud: "azure", account: { azure: { readyRevisions: { "platform-dev-api": "platform-dev-api--old0001" } } } });
    expect(r.error).toBeUndefined();
  });
});
