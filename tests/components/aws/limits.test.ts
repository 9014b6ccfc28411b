// The AWS limits on a spec, checked directly: regions and partitions, tags, certificates, header
// values, zones, subnet sizes and task definition size.
import { Region } from "@pulumi/aws/types/enums";
import { awsLimits, maxHeaderValueLength } from "../../../components/aws/limits";
import { awsPartitionOf, awsRegionNames, awsRegionProblem } from "../../../components/aws/regions";
import { subnetSizeProblem } from "../../../components/aws/subnetLimits";
import { tagProblems } from "../../../components/aws/tagLimits";
import { maxTaskDefinitionBytes, taskDefinitionBytes } from "../../../components/aws/taskDefinitionSize";
import type { PlatformSpec, ServiceSpec } from "../../../components/model";
import { loadPlatformSpec } from "../../../stacks/config";
import { runProgram } from "../../harness/run";

const base: PlatformSpec = loadPlatformSpec({
  project: "platform",
  stack: "unit",
  values: { "platform:cloud": "aws", "platform:environment": "dev", "aws:region": "us-east-1" },
  secretKeys: new Set(),
}).spec;

type Patch = { [K in keyof PlatformSpec]?: PlatformSpec[K] extends unknown[] ? PlatformSpec[K] : PlatformSpec[K] extends object ? Partial<PlatformSpec[K]> : PlatformSpec[K] };
const spec = (patch: Patch = {}): PlatformSpec => {
  const out = structuredClone({ ...base, alarms: undefined }) as unknown as PlatformSpec;
  out.alarms = base.alarms;
  for (const [key, value] of Object.entries(patch)) {
    const current = (out as unknown as Record<string, unknown>)[key];
    // Blocks merge field by field; maps keyed by name (services, secrets, tags) are replaced whole.
    const merge = !["services", "secrets", "tags"].includes(key) && value && typeof value === "object" && !Array.isArray(value) && current && typeof current === "object";
    (out as unknown as Record<string, unknown>)[key] = merge ? { ...current, ...value } : value;
  }
  return out;
};
const service = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({ ...base.services.api, ...over });
const keys = (s: PlatformSpec) => awsLimits(s).map((p) => p.key);

describe("AWS regions", () => {
  it("lists exactly the regions the AWS provider knows", () => {
    expect([...awsRegionNames].sort()).toEqual([...Object.values(Region)].sort());
  });

  it.each([
    ["us-east-1", "aws"],
    ["eu-central-2", "aws"],
    ["ap-southeast-7", "aws"],
    ["mx-central-1", "aws"],
    ["cn-northwest-1", "aws-cn"],
    ["us-gov-east-1", "aws-us-gov"],
    ["eusc-de-east-1", "aws-eusc"],
    ["us-isob-east-1", "aws-iso-b"],
  ])("%s is in partition %s", (region, partition) => {
    expect(awsPartitionOf(region)).toBe(partition);
    expect(awsRegionProblem(region)).toBeUndefined();
  });

  it.each([
    ["us-east-3", 'not an AWS region; did you mean "us-east-1"?'],
    ["eu-west-4", 'not an AWS region; did you mean "eu-west-1"?'],
    ["ap-northeast-4", 'not an AWS region; did you mean "ap-northeast-1"?'],
    ["us-gov-west-2", 'not an AWS region; did you mean "us-gov-west-1"?'],
    ["useast-1", 'not an AWS region; did you mean "us-east-1"?'],
  ])("%s is not a region: %s", (region, message) => {
    expect(awsRegionProblem(region)).toBe(message);
  });

  it("lists every region by partition when nothing is close", () => {
    const message = awsRegionProblem("xx-nowhere-42")!;
    expect(message).toMatch(/^not an AWS region; the regions are af-south-1, /);
    expect(message).toContain("cn-north-1, cn-northwest-1 (aws-cn); us-gov-east-1, us-gov-west-1 (aws-us-gov); eusc-de-east-1 (aws-eusc)");
  });

  it.each([
    ["us-west-2", undefined],
    ["eu-central-1", undefined],
    ["us-east-1", "a backup copy must go to a region other than the stack's own (us-east-1)"],
    ["us-west-5", 'not an AWS region; did you mean "us-west-1"?'],
    ["cn-northwest-1", "region cn-northwest-1 is in partition aws-cn, the stack's region us-east-1 in aws; AWS Backup copies only within a partition"],
    ["us-iso-east-1", "region us-iso-east-1 is in partition aws-iso, the stack's region us-east-1 in aws; AWS Backup copies only within a partition"],
  ])("copy region %s from us-east-1: %s", (copyRegion, message) => {
    const problems = awsLimits(spec({ backup: { copyRegion } })).filter((p) => p.key === "backup.copyRegion");
    expect(problems.map((p) => p.message)).toEqual(message ? [message] : []);
  });

  it("accepts a copy within the China partition", () => {
    expect(keys(spec({ region: "cn-north-1", backup: { copyRegion: "cn-northwest-1" } }))).not.toContain("backup.copyRegion");
  });
});

describe("certificates", () => {
  const cert = (partition: string, region: string) => `arn:${partition}:acm:${region}:123456789012:certificate/12345678-1234-1234-1234-123456789012`;
  it.each([
    ["us-east-1", cert("aws", "us-east-1"), undefined],
    ["cn-north-1", cert("aws-cn", "cn-north-1"), undefined],
    ["us-gov-west-1", cert("aws-us-gov", "us-gov-west-1"), undefined],
    ["us-east-1", cert("aws-cn", "cn-north-1"), "the certificate is in partition aws-cn, but region us-east-1 is in partition aws"],
    ["cn-north-1", cert("aws", "cn-north-1"), "the certificate is in partition aws, but region cn-north-1 is in partition aws-cn"],
    ["us-gov-east-1", cert("aws", "us-east-1"), "the certificate is in partition aws, but region us-gov-east-1 is in partition aws-us-gov"],
    ["eu-west-1", cert("aws", "eu-west-2"), "an ALB needs a certificate in its own region eu-west-1, not eu-west-2"],
  ])("in %s, %s: %s", (region, certificate, message) => {
    const problems = awsLimits(spec({ region, loadBalancer: { certificate, https: true } })).filter((p) => p.key === "loadBalancer.certificate");
    expect(problems.map((p) => p.message.split(";")[0])).toEqual(message ? [message] : []);
  });
});

describe("tags", () => {
  const userTags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, "v"]));
  const withTags = (tags: Record<string, string>) => spec({ tags: { ...base.tags, ...tags } });

  it.each([
    [0, []],
    [44, []],
    [45, ["a resource would carry 51 tags"]],
    [60, ["a resource would carry 66 tags"]],
  ] as const)("%i tags of the stack's own on top of the platform's: %j", (n, expected) => {
    expect(tagProblems(withTags(userTags(n))).map((p) => p.message.split(":")[0])).toEqual(expected);
  });

  it("counts no aws: tag toward the 50, but refuses it", () => {
    const problems = tagProblems(withTags({ ...userTags(44), "aws:x": "1", "AWS:y": "2" }));
    expect(problems.map((p) => p.key)).toEqual(["tags.aws:x", "tags.AWS:y"]);
  });

  it("counts a tag named like the platform's per-resource tags once", () => {
    // 45 of the stack's own and the platform's 4 leave room for the alarms' service tag only.
    expect(tagProblems(withTags({ ...userTags(44), severity: "high" }))).toEqual([]);
    // Name replaces the network resources' own Name, but alarms still add severity and service.
    expect(tagProblems(withTags({ ...userTags(44), Name: "app" })).map((p) => p.message.split(":")[0])).toEqual(["a resource would carry 51 tags"]);
  });

  it.each([
    ["cost center", "Forschung und Entwicklung"],
    ["Größe", "Straße 7"],
    ["app:tier/role=+@_.-", "a-b_c.d:e/f=g+h@i"],
    ["k".repeat(128), "v".repeat(256)],
    ["日本", "東京"],
    ["empty", ""],
  ])("accepts %j = %j", (key, value) => {
    expect(tagProblems(withTags({ [key]: value }))).toEqual([]);
  });

  it.each([
    ["aws:created-by", "x", "tag keys starting with aws: (in any case) are reserved for AWS; choose another key"],
    ["Aws:Name", "x", "tag keys starting with aws: (in any case) are reserved for AWS; choose another key"],
    ["", "x", "AWS accepts tag keys of 1 to 128 characters; this one has 0"],
    ["k".repeat(129), "x", "AWS accepts tag keys of 1 to 128 characters; this one has 129"],
    ["owner!", "x", "AWS accepts tag keys of letters, digits, spaces and _ . : / = + - @ only"],
    ["team", "a|b", "AWS accepts tag values of letters, digits, spaces and _ . : / = + - @ only"],
    ["team", "<script>", "AWS accepts tag values of letters, digits, spaces and _ . : / = + - @ only"],
    ["team", "x".repeat(257), "AWS accepts tag values of at most 256 characters; this one has 257"],
  ])("refuses %j = %j: %s", (key, value, message) => {
    expect(tagProblems(withTags({ [key]: value })).map((p) => p.message)).toEqual([message]);
  });
});

describe("security header values", () => {
  it.each([
    [maxHeaderValueLength, []],
    [maxHeaderValueLength + 1, ["loadBalancer.securityHeaders.contentSecurityPolicy"]],
    [4000, ["loadBalancer.securityHeaders.contentSecurityPolicy"]],
  ] as const)("a Content-Security-Policy of %i characters: %j", (length, expected) => {
    const s = spec({ loadBalancer: { securityHeaders: { ...base.loadBalancer.securityHeaders, contentSecurityPolicy: "a".repeat(length) } } });
    expect(keys(s).filter((k) => k.startsWith("loadBalancer.securityHeaders"))).toEqual(expected);
  });
});

describe("zones", () => {
  it.each([
    [["us-east-1a"], ["network.zones"]],
    [["us-east-1a", "us-east-1b"], []],
    [["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"], []],
    [[], []],
  ])("%j: %j", (zones, expected) => {
    expect(keys(spec({ network: { zones } })).filter((k) => k === "network.zones")).toEqual(expected);
  });
});

describe("subnet sizes", () => {
  const zones = (n: number) => ["a", "b", "c", "d", "e", "f"].slice(0, n).map((l) => `us-east-1${l}`);
  const sized = (cidr: string, zoneCount: number, maxInstances: number[], interfaceEndpoints = false) =>
    spec({
      network: { cidr, zones: zones(zoneCount), interfaceEndpoints },
      services: Object.fromEntries(maxInstances.map((m, i) => [`svc${i}`, service({ maxInstances: m, minInstances: 1 })])),
    });

  it.each([
    // cidr, zones, maxInstances per service, interface endpoints, smallest network that works (undefined: fits)
    ["10.0.0.0/16", 3, [10], false, undefined],
    ["10.0.0.0/16", 2, [1000], false, undefined],
    ["10.0.0.0/23", 2, [2], false, undefined],
    ["10.0.0.0/23", 3, [40], false, undefined],
    ["10.0.0.0/23", 3, [41], false, "/22"],
    ["10.0.0.0/23", 3, [40], true, "/22"],
    ["10.0.0.0/23", 6, [80], false, undefined],
    ["10.0.0.0/23", 6, [81], false, undefined],
    ["10.0.0.0/23", 6, [84], false, "/22"],
    ["10.0.0.0/22", 2, [10, 10, 10], true, undefined],
    ["10.0.0.0/22", 2, [30, 30], false, "/21"],
    ["192.168.0.0/24", 2, [2], false, "/23"],
    ["192.168.0.0/24", 3, [100], false, "/21"],
    ["172.16.0.0/20", 3, [400, 400, 400], true, "/18"],
    ["10.0.0.0/16", 2, [1000, 1000, 1000, 1000, 1000], false, "none"],
  ] as const)("%s over %i zones, maxInstances %j, endpoints %s: %s", (cidr, zoneCount, maxInstances, endpoints, smallest) => {
    const problem = subnetSizeProblem(sized(cidr, zoneCount, [...maxInstances], endpoints));
    if (smallest === undefined) {
      expect(problem).toBeUndefined();
    } else if (smallest === "none") {
      expect(problem?.message).toContain("even a /16, the largest VPC, gives /20 subnets: lower maxInstances or spread over more zones");
    } else {
      expect(problem).toMatchObject({ key: "network.cidr", value: cidr });
      expect(problem?.message).toContain(`the smallest network that works is a ${smallest} (e.g. `);
      // The suggestion itself fits.
      const suggested = /\(e\.g\. ([\d./]+)\)/.exec(problem!.message)![1];
      expect(subnetSizeProblem(sized(suggested, zoneCount, [...maxInstances], endpoints))).toBeUndefined();
    }
  });

  it("names the load balancer's /27 minimum as the reason for a /24", () => {
    expect(subnetSizeProblem(sized("10.9.9.0/24", 2, [1]))?.message).toBe(
      "too small: its subnets would be /28 (16 addresses each), but the load balancer needs subnets of at least /27 with 8 free addresses in each zone; the smallest network that works is a /23 (e.g. 10.9.8.0/23)",
    );
  });

  it("leaves a malformed block to its own rule", () => {
    expect(subnetSizeProblem(sized("8.8.8.0/24", 2, [1]))).toBeUndefined();
    expect(subnetSizeProblem(sized("10.0.0.0/8", 2, [1]))).toBeUndefined();
  });
});

describe("task definition size", () => {
  it("never estimates below what the program registers", async () => {
    const result = await runProgram({
      stack: "production",
      set: ["platform:services.api.env.CATALOG=" + "c".repeat(5000), "platform:tags.team=payments", "platform:secrets.DB_URL.source=external", "platform:services.api.secrets[0]=JWT_SECRET", "platform:services.api.secrets[1]=ANTHROPIC_API_KEY", "platform:services.api.secrets[2]=DB_URL"],
    });
    expect(result.error).toBeUndefined();
    const task = result.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
    const { containerDefinitions, ...rest } = task.inputs as Record<string, unknown>;
    const registered = Buffer.byteLength(JSON.stringify({ ...rest, containerDefinitions: JSON.parse(containerDefinitions as string) }));
    const estimated = taskDefinitionBytes(
      loadPlatformSpec({
        project: "platform",
        stack: "production",
        values: {
          "platform:cloud": "aws",
          "platform:environment": "production",
          "aws:region": "us-east-1",
          "platform:loadBalancer": JSON.stringify({ certificate: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" }),
          "platform:tags": JSON.stringify({ team: "payments" }),
          "platform:secrets": JSON.stringify({ DB_URL: { source: "external" } }),
          "platform:services": JSON.stringify({ api: { imageTag: "1.0.0", env: { LLM_PROVIDER: "anthropic", LLM_MODEL: "claude-sonnet-4-5", BATCH_SIZE: "50", MAX_WORKERS: "8", CATALOG: "c".repeat(5000) }, secrets: ["JWT_SECRET", "ANTHROPIC_API_KEY", "DB_URL"] } }),
        },
        secretKeys: new Set(),
      }).spec,
      "api",
    );
    expect(estimated).toBeGreaterThanOrEqual(registered);
    // ...and not by much: the allowance for fields other blocks add, plus the longest bucket name.
    expect(estimated - registered).toBeLessThan(2048);
  });

  it.each([
    ["one 64,000-character value", { BIG: "x".repeat(64_000) }, [] as string[], true],
    ["a 60,000-character value", { BIG: "x".repeat(60_000) }, [], false],
    ["300 values of 200 characters", Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`V${i}`, "y".repeat(200)])), [], true],
    ["values with multi-byte characters counted in bytes", { TEXT: "ü".repeat(33_000) }, [], true],
    ["the same count of ASCII characters", { TEXT: "u".repeat(33_000) }, [], false],
    ["400 secret references", {}, Array.from({ length: 400 }, (_, i) => `SECRET_NUMBER_${i}_WITH_A_LONG_NAME`), true],
    ["100 secret references", {}, Array.from({ length: 100 }, (_, i) => `SECRET_${i}`), false],
  ])("%s: over the limit %s", (_what, env, secrets, over) => {
    const declared = Object.fromEntries(secrets.map((s) => [s, { source: "external" as const, length: 64 }]));
    const s = spec({ secrets: { ...base.secrets, ...declared }, services: { api: service({ env, secrets }) } });
    const problems = awsLimits(s).filter((p) => p.key === "services.api.env");
    expect(problems.length > 0).toBe(over);
    expect(taskDefinitionBytes(s, "api") > maxTaskDefinitionBytes).toBe(over);
    if (over) {
      expect(problems[0].message).toBe(
        `the task definition of service api would be about ${taskDefinitionBytes(s, "api").toLocaleString("en-US")} bytes (env names and values, secret references, image and log settings); ECS accepts at most 65,536 (64 KiB): move large values out of env, into a secret or the data store`,
      );
      expect(problems[0].value).toBeUndefined();
    }
  });
});

describe("Fargate sizes in vCPU", () => {
  const sizes = (cpu: number, memory: number) => awsLimits(spec({ services: { api: service({ cpu, memory }) } })).filter((p) => p.key.startsWith("services.api."));
  it.each([
    [0.25, 512],
    [0.25, 2048],
    [0.5, 1024],
    [0.5, 4096],
    [1, 2048],
    [1, 8192],
    [2, 4096],
    [2, 16384],
    [4, 8192],
    [4, 30720],
    [8, 16384],
    [8, 61440],
    [16, 32768],
    [16, 122880],
  ])("runs %s vCPU with %i MiB", (cpu, memory) => {
    expect(sizes(cpu, memory)).toEqual([]);
  });

  it.each([
    [0.1, 512, "services.api.cpu", "Fargate runs a task with 0.25, 0.5, 1, 2, 4, 8, 16 vCPU"],
    [0.75, 2048, "services.api.cpu", "Fargate runs a task with 0.25, 0.5, 1, 2, 4, 8, 16 vCPU"],
    [3, 8192, "services.api.cpu", "Fargate runs a task with 0.25, 0.5, 1, 2, 4, 8, 16 vCPU"],
    [0.25, 256, "services.api.memory", "Fargate with 0.25 vCPU accepts memory 512, 1024, 2048 MiB"],
    [1, 1024, "services.api.memory", "Fargate with 1 vCPU accepts memory 2048-8192 MiB in steps of 1024 (2048, 3072, 4096, ...)"],
    [8, 20000, "services.api.memory", "Fargate with 8 vCPU accepts memory 16384-61440 MiB in steps of 4096 (16384, 20480, 24576, ...)"],
  ])("refuses %s vCPU with %i MiB at %s", (cpu, memory, key, message) => {
    expect(sizes(cpu, memory)).toEqual([{ key, value: key.endsWith("cpu") ? cpu : memory, message }]);
  });
});

describe("ALB routes and timeouts", () => {
  const routed = (pathPatterns: string[]) => awsLimits(spec({ services: { api: service({ pathPatterns }) } })).filter((p) => p.key.startsWith("services.api.pathPatterns"));
  const timed = (lb: { backendTimeoutSeconds?: number; clientIdleTimeoutSeconds?: number }) => keys(spec({ loadBalancer: lb })).filter((k) => k.includes("Timeout"));

  it.each([
    [["/*"]],
    [["/api/*", "/api"]],
    [["/a/*", "/b/*", "/c/*", "/d/*", "/e/*"]],
    [[`/${"a".repeat(125)}/*`]],
    [["/a.b_c-d~e$f@g:h+i&j'k/*"]],
  ])("takes %j", (patterns) => {
    expect(routed(patterns)).toEqual([]);
  });

  it.each([
    [["/a/*", "/b/*", "/c/*", "/d/*", "/e/*", "/f/*"], "services.api.pathPatterns"],
    [[`/${"a".repeat(126)}/*`], "services.api.pathPatterns[0]"],
    [["/ok/*", "/caf%C3%A9/*"], "services.api.pathPatterns[1]"],
    [["/a,b"], "services.api.pathPatterns[0]"],
    [["/(x)/*"], "services.api.pathPatterns[0]"],
  ])("refuses %j at %s", (patterns, key) => {
    expect(routed(patterns).map((p) => p.key)).toEqual([key]);
  });

  it.each([
    [{ backendTimeoutSeconds: 1 }, []],
    [{ backendTimeoutSeconds: 4000 }, []],
    [{ backendTimeoutSeconds: 4001 }, ["loadBalancer.backendTimeoutSeconds"]],
    [{ clientIdleTimeoutSeconds: 60 }, []],
    [{ clientIdleTimeoutSeconds: 604800 }, []],
    [{ clientIdleTimeoutSeconds: 59 }, ["loadBalancer.clientIdleTimeoutSeconds"]],
    [{ clientIdleTimeoutSeconds: 604801 }, ["loadBalancer.clientIdleTimeoutSeconds"]],
  ])("%j: %j", (lb, expected) => {
    expect(timed(lb)).toEqual(expected);
  });
});

describe("env names the platform sets on AWS", () => {
  it("reserves DATA_BUCKET, the alias of DATA_STORE_URL, and nothing else of the stack's own", () => {
    const problems = awsLimits(spec({ services: { api: service({ env: { DATA_BUCKET: "mine", BUCKET: "x", DATA_STORE: "y" } }) } })).filter((p) => p.key.startsWith("services.api.env"));
    expect(problems).toEqual([
      {
        key: "services.api.env.DATA_BUCKET",
        value: "mine",
        message: "DATA_BUCKET is reserved on AWS: the platform sets it to the data store's S3 bucket name (the name model v1 used; DATA_STORE_URL holds s3://<bucket>); remove it from services.api.env",
      },
    ]);
  });
});

describe("the ALB client keepalive outside the commercial partition", () => {
  it.each([
    ["us-east-1", []],
    ["us-gov-west-1", ["warning"]],
  ] as const)("in %s: %j", (region, severities) => {
    const problems = awsLimits(spec({ region, loadBalancer: { clientIdleTimeoutSeconds: 600 } })).filter((p) => p.key === "loadBalancer.clientIdleTimeoutSeconds");
    expect(problems.map((p) => p.severity)).toEqual(severities);
  });

  it("is a warning on the stack, and the stack still runs", async () => {
    const r = await runProgram({ stack: "dev", set: ["aws:region=us-gov-west-1", "platform:network.availabilityZones[0]=us-gov-west-1a", "platform:network.availabilityZones[1]=us-gov-west-1b", "platform:loadBalancer.clientIdleTimeoutSeconds=600"] });
    expect(r.error).toBeUndefined();
    expect(r.warnings).toContain(
      "platform:loadBalancer.clientIdleTimeoutSeconds: AWS announced the ALB HTTP client keepalive setting for its commercial regions only (not GovCloud); region us-gov-west-1 is in partition aws-us-gov, where `pulumi up` may refuse it: leave the key unset there if it does",
    );
  });
});
