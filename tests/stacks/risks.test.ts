// Production refuses a stack file that switches its safety off, unless the file names the risk in
// platform:acceptRisks; acknowledged risks are listed as warnings on every run.
import { runProgram } from "../harness/run";
import { loadPlatformSpec, type StackConfig } from "../../stacks/config";
import { ConfigError, type ConfigProblem } from "../../stacks/configErrors";
import { platformConfigSchema } from "../../stacks/configSchema";
import { checkRisks, risksTaken } from "../../stacks/risks";

const digest = "0123456789abcdef".repeat(4);
const ack = (risk: string) => `If this is meant, acknowledge it by name in the stack file: \`platform:acceptRisks: [${risk}]\` (next to any risks already listed)`;

interface Refused {
  what: string;
  set: string[];
  message: string;
}

const refused: Refused[] = [
  {
    what: "deletion protection off",
    set: ["platform:deletionProtection=false"],
    message: `platform:deletionProtection: false is not allowed: production refuses the risk deletionProtection: without it a \`pulumi destroy\` or a replacement deletes the data store, its backups, the secrets and the logs for good. ${ack("deletionProtection")}`,
  },
  {
    what: "flow logs off",
    set: ["platform:network.flowLogs=false"],
    message: `platform:network.flowLogs: false is not allowed: production refuses the risk flowLogs: without network flow logs there is no record of network traffic to investigate an incident with. ${ack("flowLogs")}`,
  },
  {
    what: "access logs off",
    set: ["platform:loadBalancer.accessLogs=false"],
    message: `platform:loadBalancer.accessLogs: false is not allowed: production refuses the risk accessLogs: without access logs there is no record of who called what. ${ack("accessLogs")}`,
  },
  {
    what: "HSTS switched off with max-age=0",
    set: ["platform:loadBalancer.securityHeaders.strictTransportSecurity=max-age=0"],
    message: `platform:loadBalancer.securityHeaders.strictTransportSecurity: "max-age=0" is not allowed: production refuses the risk hsts: max-age=0 is weaker than the production preset max-age=31536000: browsers drop HTTPS-only at once and fall back to plain HTTP. ${ack("hsts")}`,
  },
  {
    what: "HSTS of one day",
    set: ["platform:loadBalancer.securityHeaders.strictTransportSecurity=max-age=86400; includeSubDomains"],
    message: `platform:loadBalancer.securityHeaders.strictTransportSecurity: "max-age=86400; includeSubDomains" is not allowed: production refuses the risk hsts: max-age=86400 is weaker than the production preset max-age=31536000: browsers forget HTTPS-only sooner`,
  },
  {
    what: "HSTS one second short of a year",
    set: ["platform:loadBalancer.securityHeaders.strictTransportSecurity=max-age=31535999"],
    message: "production refuses the risk hsts: max-age=31535999 is weaker than the production preset max-age=31536000",
  },
  {
    what: "a database without a standby",
    set: ["platform:database.highAvailability=false"],
    message: `platform:database.highAvailability: false is not allowed: production refuses the risk databaseSingleZone: without a standby in another zone, one zone failing stops the database until it is restored (seed 003: database availability 99.95%). ${ack("databaseSingleZone")}`,
  },
  {
    what: "mutable image tags",
    set: ["platform:immutableImageTags=false"],
    message: `platform:immutableImageTags: false is not allowed: production refuses the risk mutableImageTags: a pushed release tag can then be overwritten with other content, so what runs is not what was reviewed. ${ack("mutableImageTags")}`,
  },
  {
    what: "an image by tag",
    set: ["platform:services.api.image=ghcr.io/acme/api:1.4.2"],
    message: `platform:services.api.image: "ghcr.io/acme/api:1.4.2" is not allowed: production refuses the risk mutableImageTags: an image reference without a digest names a tag, and a tag can be moved to other content; pin it as <reference>@sha256:<digest>. ${ack("mutableImageTags")}`,
  },
  {
    what: "an image by its latest tag, on a registry with a port",
    set: ["platform:services.api.image=registry.example.com:5000/team/api:latest"],
    message: 'platform:services.api.image: "registry.example.com:5000/team/api:latest" is not allowed: production refuses the risk mutableImageTags',
  },
  {
    what: "an image without any tag, in a second service",
    set: ["platform:services.web.port=3000", "platform:services.web.image=nginx"],
    message: 'platform:services.web.image: "nginx" is not allowed: production refuses the risk mutableImageTags',
  },
];

describe("production safety switched off", () => {
  it.each(refused.map((c) => [c.what, c] as const))("%s is refused unless acknowledged", async (_what, c) => {
    const result = await runProgram({ stack: "production", set: c.set });
    expect(result.error).toBeInstanceOf(ConfigError);
    expect(result.error?.message).toContain(c.message);
    expect((result.error as ConfigError).problems).toHaveLength(1);
    expect(result.resources).toEqual([]);
  });

  it("lists each refused risk in one error", async () => {
    const result = await runProgram({ stack: "production", set: ["platform:deletionProtection=false", "platform:network.flowLogs=false", "platform:loadBalancer.accessLogs=false"] });
    expect((result.error as ConfigError).problems.map((p) => p.key)).toEqual(["platform:deletionProtection", "platform:network.flowLogs", "platform:loadBalancer.accessLogs"]);
    expect(result.resources).toEqual([]);
  });

  it("an acknowledgement covers only the risk it names", async () => {
    const result = await runProgram({ stack: "production", set: ["platform:network.flowLogs=false", "platform:loadBalancer.accessLogs=false", "platform:acceptRisks[0]=flowLogs"] });
    expect((result.error as ConfigError).problems.map((p) => p.key)).toEqual(["platform:loadBalancer.accessLogs"]);
  });

  it("refuses a risk name that does not exist", async () => {
    const result = await runProgram({ stack: "production", set: ["platform:acceptRisks[0]=everything"] });
    expect(result.error?.message).toContain('platform:acceptRisks[0]: "everything" is not allowed: expected one of: deletionProtection, singleZone, flowLogs, accessLogs, hsts, mutableImageTags, externalSecretOverwrite');
  });
});

const acknowledged: [string, string[], string][] = [
  ["deletion protection off", ["platform:deletionProtection=false", "platform:acceptRisks[0]=deletionProtection"], "deletionProtection (deletionProtection is false)"],
  ["flow logs off", ["platform:network.flowLogs=false", "platform:acceptRisks[0]=flowLogs"], "flowLogs (network.flowLogs is false)"],
  ["access logs off", ["platform:loadBalancer.accessLogs=false", "platform:acceptRisks[0]=accessLogs"], "accessLogs (loadBalancer.accessLogs is false)"],
  ["HSTS max-age=0", ["platform:loadBalancer.securityHeaders.strictTransportSecurity=max-age=0", "platform:acceptRisks[0]=hsts"], "hsts (Strict-Transport-Security max-age is 0)"],
  ["mutable tags", ["platform:immutableImageTags=false", "platform:services.api.imageTag=latest", "platform:acceptRisks[0]=mutableImageTags"], "mutableImageTags (immutableImageTags is false)"],
  ["an image by tag", ["platform:services.api.image=ghcr.io/acme/api:2.0.0", "platform:acceptRisks[0]=mutableImageTags"], "mutableImageTags (services.api.image is not pinned by digest)"],
  [
    "two risks",
    ["platform:network.flowLogs=false", "platform:loadBalancer.accessLogs=false", "platform:acceptRisks[0]=accessLogs", "platform:acceptRisks[1]=flowLogs"],
    "flowLogs (network.flowLogs is false), accessLogs (loadBalancer.accessLogs is false)",
  ],
];

describe("acknowledged risks", () => {
  it.each(acknowledged)("%s: production runs and the synth lists the risk", async (_what, set, listed) => {
    const result = await runProgram({ stack: "production", set });
    expect(result.error).toBeUndefined();
    expect(result.resources.length).toBeGreaterThan(0);
    expect(result.warnings).toContain(`production runs with acknowledged risks: ${listed}.`);
  });

  it("really switches the safety off once acknowledged", async () => {
    const result = await runProgram({ stack: "production", set: ["platform:network.flowLogs=false", "platform:acceptRisks[0]=flowLogs"] });
    expect(result.resources.filter((r) => r.type === "aws:ec2/flowLog:FlowLog")).toEqual([]);
  });

  it("warns about an acknowledged risk that nothing takes", async () => {
    const result = await runProgram({ stack: "production", set: ["platform:acceptRisks[0]=hsts", "platform:acceptRisks[1]=flowLogs"] });
    expect(result.error).toBeUndefined();
    expect(result.warnings).toContain("platform:acceptRisks names hsts, flowLogs, but nothing in this stack takes those risks: remove them so that a later change taking them is refused again.");
    expect(result.warnings.some((w) => w.startsWith("production runs with acknowledged risks"))).toBe(false);
  });

  it("keeps externalSecretOverwrite, which is judged against the cloud, without a warning", async () => {
    const result = await runProgram({ stack: "production", set: ["platform:acceptRisks[0]=externalSecretOverwrite"] });
    expect(result.error).toBeUndefined();
    expect(result.warnings.filter((w) => w.includes("acceptRisks"))).toEqual([]);
  });

  it.each([
    ["dev", ["platform:network.flowLogs=false", "platform:acceptRisks[0]=flowLogs"], "platform:acceptRisks has no effect in dev: only production refuses these risks (flowLogs)."],
    ["staging", ["platform:acceptRisks[0]=deletionProtection", "platform:acceptRisks[1]=hsts"], "platform:acceptRisks has no effect in staging: only production refuses these risks (deletionProtection, hsts)."],
  ] as const)("has no effect in %s, and says so", async (stack, set, warning) => {
    const result = await runProgram({ stack, set: [...set] });
    expect(result.error).toBeUndefined();
    expect(result.warnings).toContain(warning);
  });

  it.each([
    ["a longer HSTS with subdomains and preload", ["platform:loadBalancer.securityHeaders.strictTransportSecurity=max-age=63072000; includeSubDomains; preload"]],
    ["the preset HSTS written out", ["platform:loadBalancer.securityHeaders.strictTransportSecurity=max-age=31536000"]],
    ["an image pinned by digest", [`platform:services.api.image=ghcr.io/acme/api:1.4.2@sha256:${digest}`]],
    ["an image by digest only", [`platform:services.api.image=ghcr.io/acme/api@sha256:${digest}`]],
    ["protection and logs on explicitly", ["platform:deletionProtection=true", "platform:network.flowLogs=true", "platform:loadBalancer.accessLogs=true", "platform:immutableImageTags=true"]],
  ])("takes no risk with %s", async (_what, set) => {
    const result = await runProgram({ stack: "production", set });
    expect(result.error).toBeUndefined();
    expect(result.warnings.filter((w) => w.includes("risk"))).toEqual([]);
  });
});

describe("a single zone", () => {
  // AWS refuses one zone outright (an ALB needs two), so the cloud-neutral rule is checked on the spec.
  const production = (values: Record<string, unknown>): StackConfig => ({
    project: "platform",
    stack: "unit",
    values: Object.fromEntries(
      Object.entries({
        "platform:cloud": "aws",
        "platform:environment": "production",
        "aws:region": "us-east-1",
        "platform:loadBalancer": { certificate: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" },
        "platform:services": { api: { imageTag: "1.0.0" } },
        ...values,
      }).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    secretKeys: new Set(),
  });

  it.each([
    ["network.zones", { zones: 1 }, 1],
    ["network.availabilityZones", { availabilityZones: ["us-east-1c"] }, ["us-east-1c"]],
  ] as const)("is a risk named at %s", (key, network, value) => {
    const config = production({ "platform:network": network });
    const c = platformConfigSchema.parse(JSON.parse(JSON.stringify({ cloud: "aws", environment: "production", network })));
    const { spec } = loadPlatformSpec(production({}));
    const oneZone = { ...spec, network: { ...spec.network, zones: spec.network.zones.slice(0, 1) } };
    const taken = risksTaken(oneZone, c).filter((t) => t.risk === "singleZone");
    expect(taken).toEqual([expect.objectContaining({ key, value, what: "the network has 1 zone" })]);

    const problems: ConfigProblem[] = [];
    const warnings: string[] = [];
    checkRisks(oneZone, c, "platform", problems, warnings);
    expect(problems).toEqual([
      { key: `platform:${key}`, value, message: `production refuses the risk singleZone: one zone failing takes the whole service down (SLA 99.9%). ${ack("singleZone")}` },
    ]);
    checkRisks({ ...oneZone, acceptedRisks: ["singleZone"] }, c, "platform", [], warnings);
    expect(warnings).toEqual(["production runs with acknowledged risks: singleZone (the network has 1 zone)."]);
    // On AWS the program refuses it anyway, as a limit no acknowledgement lifts.
    expect(() => loadPlatformSpec({ ...config, values: { ...config.values, "platform:acceptRisks": '["singleZone"]' } })).toThrow(/needs subnets in at least 2 zones/);
  });
});
