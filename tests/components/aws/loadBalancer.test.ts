// The AWS load balancer block: ALB in the public subnets, HTTPS with an explicit TLS policy and the
// seed security headers, HTTP -> HTTPS, target groups and path rules per service, WAF rate limit,
// access logs, and names that fit AWS's 32-character limit.
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { mockAccountId } from "../../harness/cloudMocks";
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";


/** Direct dependencies (as logical names) the engine is told about, per logical name, for the last run. */
let dependencies = new Map<string, string[]>();
const registerResource = MockMonitor.prototype.registerResource;
jest.spyOn(MockMonitor.prototype, "registerResource").mockImplementation(function (this: MockMonitor, req, callback) {
  dependencies.set(req.getName(), (req.getDependenciesList() as string[]).map((urn) => urn.split("::").pop()!));
  return registerResource.call(this, req, callback);
});

const webService = ["platform:services.web.port=3000", "platform:services.web.healthCheckPath=/healthz", "platform:services.web.pathPatterns[0]=/web/*", "platform:services.web.pathPatterns[1]=/static/*"];

let dev: SynthResult;
let devDependencies: Map<string, string[]>;
let devTwo: SynthResult;
let staging: SynthResult;
let production: SynthResult;
let productionDependencies: Map<string, string[]>;
let longName: SynthResult;

async function run(options: Parameters<typeof runProgram>[0]): Promise<SynthResult> {
  dependencies = new Map();
  const r = await runProgram(options);
  expect(r.error).toBeUndefined();
  return r;
}

beforeAll(async () => {
  dev = await run({ stack: "dev" });
  devDependencies = dependencies;
  devTwo = await run({ stack: "dev", set: webService });
  staging = await run({ stack: "staging" });
  production = await run({ stack: "production" });
  productionDependencies = dependencies;
  longName = await run({ stack: "production", stackName: "platform-engineering-sandbox-for-the-checkout-team-eu", set: [...webService, "platform:services.web.imageTag=2.0.1"] });
});

describe("the ALB", () => {
  it.each([["dev", () => dev], ["production", () => production]] as const)("in %s is an internet-facing application LB in the public subnets that drops invalid headers", (_s, get) => {
    const albs = ofType(get(), "aws:lb/loadBalancer:LoadBalancer");
    expect(albs).toHaveLength(1);
    expect(albs[0].inputs).toMatchObject({ loadBalancerType: "application", internal: false, dropInvalidHeaderFields: true });
    expect(albs[0].inputs.subnets).toEqual(get().outputs.publicSubnetIds);
    expect(albs[0].inputs.subnets).not.toEqual(expect.arrayContaining((get().outputs.privateSubnetIds as string[]).slice(0, 1)));
    expect(albs[0].inputs.securityGroups).toEqual([expect.stringMatching(/^sg-/)]);
  });

  it("keeps the committed stacks' 60 s idle timeout (the backend wait) and the ALB's own client keepalive", () => {
    for (const r of [dev, staging, production]) {
      expect(named(r, "lb-alb").inputs.idleTimeout).toBe(60);
      expect(named(r, "lb-alb").inputs).not.toHaveProperty("clientKeepAlive");
    }
  });

  it("sets the idle timeout from backendTimeoutSeconds and the client keepalive from clientIdleTimeoutSeconds", async () => {
    const r = await run({ stack: "dev", set: ["platform:loadBalancer.backendTimeoutSeconds=300", "platform:loadBalancer.clientIdleTimeoutSeconds=900"] });
    expect(named(r, "lb-alb").inputs).toMatchObject({ idleTimeout: 300, clientKeepAlive: 900 });
  });

  it("has deletion protection in production only", () => {
    expect(named(production, "lb-alb").inputs.enableDeletionProtection).toBe(true);
    expect(named(dev, "lb-alb").inputs.enableDeletionProtection).toBe(false);
  });

  it("opens 80 and 443 to the internet with HTTPS, only 80 without, and talks only to the VPC", () => {
    const ports = (r: SynthResult) => ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((x) => x.name.startsWith("lb-")).map((x) => x.inputs.fromPort).sort();
    expect(ports(production)).toEqual([443, 80]);
    expect(ports(dev)).toEqual([80]);
    const egress = ofType(production, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((x) => x.name.startsWith("lb-"));
    expect(egress.map((e) => e.inputs.cidrIpv4)).toEqual(["10.0.0.0/16"]);
  });
});

describe("listeners", () => {
  it.each([["staging", () => staging], ["production", () => production]] as const)("%s: HTTPS with TLS 1.2+ and the four seed security headers", (_s, get) => {
    const https = named(get(), "lb-https");
    expect(https.inputs).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      routingHttpResponseXContentTypeOptionsHeaderValue: "nosniff",
      routingHttpResponseXFrameOptionsHeaderValue: "DENY",
      routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=31536000",
      routingHttpResponseContentSecurityPolicyHeaderValue: "default-src 'self'",
    });
    expect(https.inputs.certificateArn).toMatch(/^arn:aws:acm:us-east-1:\d{12}:certificate\//);
    expect(https.inputs.loadBalancerArn).toMatch(/:loadbalancer\/app\//);
  });

  it.each([["staging", () => staging], ["production", () => production]] as const)("%s: HTTP redirects permanently to HTTPS", (_s, get) => {
    const listeners = ofType(get(), "aws:lb/listener:Listener");
    expect(listeners.map((l) => l.name).sort()).toEqual(["lb-http-redirect", "lb-https"]);
    expect(named(get(), "lb-http-redirect").inputs).toMatchObject({
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
  });

  it("production issues a DNS-validated certificate for its domain in its zone", () => {
    expect(named(production, "lb-certificate").inputs).toMatchObject({ domainName: "platform.example.com", validationMethod: "DNS" });
    expect(named(production, "lb-certificate-validation-record").inputs.zoneId).toBe("Z0123456789ABCDEFGHIJ");
    expect(named(production, "lb-alias").inputs).toMatchObject({ name: "platform.example.com", type: "A", zoneId: "Z0123456789ABCDEFGHIJ" });
    expect(production.outputs.url).toBe("https://platform.example.com");
  });

  it("dev without a domain has one plain HTTP listener (headers but no HSTS) and warns", () => {
    const listeners = ofType(dev, "aws:lb/listener:Listener");
    expect(listeners.map((l) => l.name)).toEqual(["lb-http"]);
    expect(listeners[0].inputs).toMatchObject({
      port: 80,
      protocol: "HTTP",
      routingHttpResponseXContentTypeOptionsHeaderValue: "nosniff",
      routingHttpResponseXFrameOptionsHeaderValue: "DENY",
      routingHttpResponseContentSecurityPolicyHeaderValue: "default-src 'self'",
    });
    expect(listeners[0].inputs.sslPolicy).toBeUndefined();
    expect(listeners[0].inputs.routingHttpResponseStrictTransportSecurityHeaderValue).toBeUndefined();
    expect(ofType(dev, "aws:acm/certificate:Certificate")).toEqual([]);
    expect(dev.warnings).toEqual(expect.arrayContaining([expect.stringContaining("platform:loadBalancer.domain is not set")]));
    expect(dev.outputs.url).toMatch(/^http:\/\/.+\.elb\.amazonaws\.com$/);
  });
});

describe("target groups and rules", () => {
  it("registers Fargate tasks by IP with each service's port and health check path", () => {
    expect(named(devTwo, "lb-tg-api").inputs).toMatchObject({ targetType: "ip", port: 8001, protocol: "HTTP", healthCheck: expect.objectContaining({ enabled: true, path: "/api/v1/health" }) });
    expect(named(devTwo, "lb-tg-web").inputs).toMatchObject({ targetType: "ip", port: 3000, protocol: "HTTP", healthCheck: expect.objectContaining({ enabled: true, path: "/healthz" }) });
    for (const tg of ofType(devTwo, "aws:lb/targetGroup:TargetGroup")) expect(tg.inputs.vpcId).toBe(devTwo.outputs.networkId);
  });

  it("has one rule per service on the routing listener, forwarding its path patterns to its own target group", () => {
    const rules = ofType(devTwo, "aws:lb/listenerRule:ListenerRule");
    expect(rules.map((r) => r.name).sort()).toEqual(["lb-rule-api", "lb-rule-web"]);
    const tgName = (svc: string) => String(named(devTwo, `lb-tg-${svc}`).inputs.name);
    for (const [svc, patterns] of [["api", ["/api/*"]], ["web", ["/web/*", "/static/*"]]] as const) {
      const rule = named(devTwo, `lb-rule-${svc}`);
      expect(rule.inputs.conditions).toEqual([{ pathPattern: { values: patterns } }]);
      expect(rule.inputs.actions).toEqual([{ type: "forward", targetGroupArn: expect.stringContaining(`:targetgroup/${tgName(svc)}/`) }]);
      expect(rule.inputs.listenerArn).toMatch(/listener\/lb-http-/);
    }
    const productionRule = named(production, "lb-rule-api");
    expect(productionRule.inputs.listenerArn).toMatch(/listener\/lb-https-/);
  });

  it("keeps rule priorities valid, distinct and unchanged when a service is added", () => {
    const priority = (r: SynthResult, svc: string) => named(r, `lb-rule-${svc}`).inputs.priority as number;
    expect(priority(devTwo, "api")).toBe(priority(dev, "api"));
    expect(priority(devTwo, "api")).not.toBe(priority(devTwo, "web"));
    for (const r of ofType(devTwo, "aws:lb/listenerRule:ListenerRule")) {
      expect(Number.isInteger(r.inputs.priority)).toBe(true);
      expect(r.inputs.priority).toBeGreaterThanOrEqual(1);
      expect(r.inputs.priority).toBeLessThanOrEqual(50000);
    }
  });

  it("lets a catch-all route sort after the specific ones", async () => {
    const r = await run({ stack: "dev", set: ["platform:services.frontend.port=3000"] });
    const priority = (svc: string) => named(r, `lb-rule-${svc}`).inputs.priority as number;
    expect(named(r, "lb-rule-frontend").inputs.conditions).toEqual([{ pathPattern: { values: ["/*"] } }]);
    expect(priority("frontend")).toBeGreaterThan(priority("api"));
  });

  it("creates each ECS service only after the listener rule that attaches its target group (ECS refuses an unattached target group)", () => {
    for (const deps of [devDependencies, productionDependencies]) {
      expect(deps.get("app-api-service")).toEqual(expect.arrayContaining(["lb-tg-api", "lb-rule-api"]));
    }
  });
});

describe("WAF", () => {
  it("rate-limits each client IP to 100 requests per 60 s and is attached to the ALB", () => {
    for (const r of [dev, production]) {
      const acl = named(r, "lb-waf");
      expect(acl.inputs.scope).toBe("REGIONAL");
      expect(acl.inputs.defaultAction).toEqual({ allow: {} });
      const rules = acl.inputs.rules as { action: unknown; statement: { rateBasedStatement?: unknown } }[];
      expect(rules).toHaveLength(1);
      expect(rules[0].statement.rateBasedStatement).toEqual({ limit: 100, evaluationWindowSec: 60, aggregateKeyType: "IP" });
      expect(rules[0].action).toMatchObject({ block: {} });
      const association = named(r, "lb-waf-association");
      expect(association.inputs.resourceArn).toMatch(new RegExp(`:loadbalancer/app/${named(r, "lb-alb").inputs.name}/`));
      expect(association.inputs.webAclArn).toContain(String(acl.inputs.name));
    }
  });
});

describe("access logs", () => {
  it("are written to a private, SSE-S3 bucket whose policy lets the regional ELB account write under the prefix", () => {
    const alb = named(production, "lb-alb");
    const bucket = named(production, "lb-logs");
    expect(alb.inputs.accessLogs).toEqual({ bucket: bucket.inputs.bucket, prefix: "alb", enabled: true });
    expect(named(production, "lb-logs-encryption").inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    expect(named(production, "lb-logs-public-access").inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    const policy = JSON.parse(String(named(production, "lb-logs-policy").inputs.policy));
    const write = policy.Statement.find((s: { Sid: string }) => s.Sid === "AlbWritesAccessLogs");
    // us-east-1's ELB account (Elastic Load Balancing user guide, "Enable access logs").
    expect(write).toMatchObject({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutObject" });
    expect(write.Resource).toBe(`arn:aws:s3:::${bucket.inputs.bucket}/alb/AWSLogs/${mockAccountId}/*`);
    expect(named(production, "lb-logs-lifecycle").inputs.rules).toEqual([expect.objectContaining({ status: "Enabled", expiration: { days: 365 } })]);
  });

  it("wait for the bucket policy before the ALB is created (AWS checks write access when logging is enabled)", () => {
    expect(productionDependencies.get("lb-alb")).toEqual(expect.arrayContaining(["lb-logs-policy"]));
  });
});

describe("names", () => {
  it("fit AWS's 32-character limit for ALB and target groups, even for a long stack name", () => {
    for (const r of [dev, devTwo, production, longName]) {
      for (const res of [...ofType(r, "aws:lb/loadBalancer:LoadBalancer"), ...ofType(r, "aws:lb/targetGroup:TargetGroup")]) {
        const name = String(res.inputs.name);
        expect(name.length).toBeLessThanOrEqual(32);
        expect(name).toMatch(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/);
        expect(name).not.toMatch(/^internal-/);
      }
    }
    const tgNames = ofType(longName, "aws:lb/targetGroup:TargetGroup").map((t) => t.inputs.name);
    expect(new Set(tgNames).size).toBe(tgNames.length);
  });

  it("keep WAF names and metric names within WAFv2's rules for a long stack name", () => {
    const acl = named(longName, "lb-waf");
    const metricNames = [
      (acl.inputs.visibilityConfig as { metricName: string }).metricName,
      ...(acl.inputs.rules as { visibilityConfig: { metricName: string } }[]).map((r) => r.visibilityConfig.metricName),
    ];
    expect(String(acl.inputs.name)).toMatch(/^[\w-]{1,128}$/);
    for (const m of metricNames) expect(m).toMatch(/^[\w#:.\-/]{1,255}$/);
  });
});
