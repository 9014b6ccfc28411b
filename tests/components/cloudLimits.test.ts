// The extension point for per-cloud rules: every neutral key whose legal values depend on the cloud
// has, for every implemented cloud, a rule in that cloud's limits, in that cloud's words. A cloud may
// also map a value instead of refusing it (a problem of severity "warning"): the run goes on with a
// warning that names the key as the stack file wrote it.
import { type CloudCheckedKey, cloudCheckedKeys, cloudLimits } from "../../components/limits";
import type { PlatformSpec, SpecLimits } from "../../components/model";
import { implementedClouds, loadPlatformSpec } from "../../stacks/config";
import { ConfigError } from "../../stacks/configErrors";

const base = loadPlatformSpec({ project: "platform", stack: "unit", values: { "platform:cloud": "aws", "platform:environment": "dev", "aws:region": "us-east-1" }, secretKeys: new Set() }).spec;
const gcpBase = loadPlatformSpec({
  project: "platform",
  stack: "unit",
  values: { "platform:cloud": "gcp", "platform:environment": "dev", "gcp:region": "asia-northeast1", "gcp:project": "example-project" },
  secretKeys: new Set(),
}).spec;
// An Azure dev spec whose database asks for what Azure builds as it is (32 GiB, no growth ceiling, 7 days of
// point-in-time restore), so that any problem below is about the key under test.
const azureBase = loadPlatformSpec({
  project: "platform",
  stack: "unit",
  values: { "platform:cloud": "azure", "platform:environment": "dev", "azure-native:location": "japaneast", "platform:database": JSON.stringify({ storageGb: 32, maxStorageGb: 32, pointInTimeRecoveryDays: 7 }) },
  secretKeys: new Set(),
}).spec;
const bases: Record<string, PlatformSpec> = { aws: base, azure: azureBase, gcp: gcpBase };
const azureZone = "/subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com";
const keyVaultCertificate = "/subscriptions/3f2b9c1e-7d4a-4e8b-9a6c-1b2d3e4f5a6b/resourceGroups/certs/providers/Microsoft.KeyVault/vaults/my-certs/certificates/app-example-com";
const withApi = (over: Partial<PlatformSpec["services"]["api"]>): Partial<PlatformSpec> => ({ services: { api: { ...base.services.api, ...over } } });
const withLb = (over: Partial<PlatformSpec["loadBalancer"]>): Partial<PlatformSpec> => ({ loadBalancer: { ...base.loadBalancer, ...over } });

interface Verdict {
  /** A spec change the cloud refuses at this key, with words of its own that the message holds. */
  refused?: { change: Partial<PlatformSpec>; key: string; says: string };
  /** A spec change the cloud builds otherwise than the spec says: a warning at this key, in its own words. */
  mapped?: { change: Partial<PlatformSpec>; key: string; says: string };
  /** Spec changes the cloud builds as they are (nothing said beyond what it says of the base spec). */
  accepted: Partial<PlatformSpec>[];
}

/** What each implemented cloud's limits say about each cloud-checked key. */
const verdicts: Record<string, Record<CloudCheckedKey, Verdict>> = {
  aws: {
    "services.<name>.cpu": { refused: { change: withApi({ cpu: 3 }), key: "services.api.cpu", says: "Fargate" }, accepted: [withApi({ cpu: 0.25, memory: 512 }), withApi({ cpu: 16, memory: 32768 })] },
    "services.<name>.memory": { refused: { change: withApi({ cpu: 1, memory: 1024 }), key: "services.api.memory", says: "Fargate" }, accepted: [withApi({ cpu: 1, memory: 8192 })] },
    "services.<name>.pathPatterns": {
      refused: { change: withApi({ pathPatterns: ["/a/*", "/b/*", "/c/*", "/d/*", "/e/*", "/f/*"] }), key: "services.api.pathPatterns", says: "ALB" },
      accepted: [withApi({ pathPatterns: ["/*"] }), withApi({ pathPatterns: ["/health", "/api/*"] })],
    },
    "loadBalancer.certificate": { refused: { change: withLb({ certificate: "my-certificate", https: true }), key: "loadBalancer.certificate", says: "ACM" }, accepted: [withLb({ certificate: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012", https: true })] },
    "loadBalancer.dnsZone": { refused: { change: withLb({ domain: "app.example.com", dnsZone: "example-zone", https: true }), key: "loadBalancer.dnsZone", says: "Route 53" }, accepted: [withLb({ domain: "app.example.com", dnsZone: "Z0123456789ABCDEFGHIJ", https: true })] },
    "loadBalancer.backendTimeoutSeconds": { refused: { change: withLb({ backendTimeoutSeconds: 4001 }), key: "loadBalancer.backendTimeoutSeconds", says: "ALB idle timeout" }, accepted: [withLb({ backendTimeoutSeconds: 4000 })] },
    "loadBalancer.clientIdleTimeoutSeconds": { refused: { change: withLb({ clientIdleTimeoutSeconds: 59 }), key: "loadBalancer.clientIdleTimeoutSeconds", says: "ALB HTTP client keepalive" }, accepted: [withLb({ clientIdleTimeoutSeconds: 60 }), withLb({ clientIdleTimeoutSeconds: undefined })] },
    // AWS builds both: a NAT gateway per zone, or one for all.
    "network.egress": { accepted: [{ network: { ...base.network, egress: "perZone" } }, { network: { ...base.network, egress: "shared" } }] },
    tags: { refused: { change: { tags: { ...base.tags, "aws:team": "x" } }, key: "tags.aws:team", says: "AWS" }, accepted: [{ tags: { ...base.tags, team: "payments" } }] },
  },
  gcp: {
    "services.<name>.cpu": { refused: { change: withApi({ cpu: 3 }), key: "services.api.cpu", says: "Cloud Run" }, accepted: [withApi({ cpu: 2, memory: 8192 }), withApi({ cpu: 8, memory: 32768 })] },
    "services.<name>.memory": { refused: { change: withApi({ cpu: 1, memory: 8192 }), key: "services.api.memory", says: "Cloud Run" }, accepted: [withApi({ cpu: 1, memory: 512 }), withApi({ cpu: 4, memory: 16384 })] },
    "services.<name>.pathPatterns": {
      refused: { change: withApi({ pathPatterns: [`/${"a".repeat(1030)}/*`] }), key: "services.api.pathPatterns[0]", says: "URL map" },
      accepted: [withApi({ pathPatterns: ["/*"] }), withApi({ pathPatterns: ["/health", "/api/*", "/a/*", "/b/*", "/c/*", "/d/*", "/e/*"] })],
    },
    "loadBalancer.certificate": {
      refused: { change: withLb({ certificate: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012", https: true }), key: "loadBalancer.certificate", says: "Certificate Manager" },
      accepted: [withLb({ certificate: "projects/example-project/global/sslCertificates/platform", https: true }), withLb({ certificate: "projects/example-project/locations/global/certificates/platform", https: true })],
    },
    "loadBalancer.dnsZone": {
      refused: { change: withLb({ domain: "app.example.com", dnsZone: "Z0123456789ABCDEFGHIJ", https: true }), key: "loadBalancer.dnsZone", says: "Cloud DNS" },
      accepted: [withLb({ domain: "app.example.com", dnsZone: "example-com", https: true })],
    },
    "loadBalancer.backendTimeoutSeconds": { refused: { change: withLb({ backendTimeoutSeconds: 3601 }), key: "loadBalancer.backendTimeoutSeconds", says: "Cloud Run request timeout" }, accepted: [withLb({ backendTimeoutSeconds: 3600 })] },
    "loadBalancer.clientIdleTimeoutSeconds": {
      refused: { change: withLb({ clientIdleTimeoutSeconds: 1201 }), key: "loadBalancer.clientIdleTimeoutSeconds", says: "HTTPS proxy's HTTP keep-alive" },
      accepted: [withLb({ clientIdleTimeoutSeconds: 5 }), withLb({ clientIdleTimeoutSeconds: 1200 }), withLb({ clientIdleTimeoutSeconds: undefined })],
    },
    // One regional Cloud NAT serves every zone: perZone is built as shared, with a warning.
    "network.egress": { mapped: { change: { network: { ...gcpBase.network, egress: "perZone" } }, key: "network.egress", says: "Cloud NAT" }, accepted: [{ network: { ...gcpBase.network, egress: "shared" } }] },
    tags: {
      refused: { change: { tags: { ...base.tags, "Team.Name": "a", "team_name": "b" } }, key: "tags.team_name", says: "GCP labels" },
      mapped: { change: { tags: { ...base.tags, Team: "Payments" } }, key: "tags.Team", says: "becomes label team=payments" },
      accepted: [{ tags: { ...base.tags, team: "payments" } }],
    },
  },
  azure: {
    "services.<name>.cpu": { refused: { change: withApi({ cpu: 0.3 }), key: "services.api.cpu", says: "Azure Container Apps" }, accepted: [withApi({ cpu: 0.25, memory: 512 }), withApi({ cpu: 4, memory: 8192 })] },
    "services.<name>.memory": { refused: { change: withApi({ cpu: 1, memory: 1024 }), key: "services.api.memory", says: "Azure Container Apps" }, accepted: [withApi({ cpu: 1.5, memory: 3072 })] },
    "services.<name>.pathPatterns": {
      refused: { change: withApi({ pathPatterns: Array.from({ length: 26 }, (_, i) => `/p${i}/*`) }), key: "services.api.pathPatterns", says: "Azure Front Door" },
      accepted: [withApi({ pathPatterns: ["/*"] }), withApi({ pathPatterns: ["/health", "/api/*"] })],
    },
    "loadBalancer.certificate": {
      refused: { change: withLb({ certificate: "my-certificate", domain: "app.example.com", https: true }), key: "loadBalancer.certificate", says: "Key Vault" },
      accepted: [withLb({ certificate: keyVaultCertificate, domain: "app.example.com", https: true })],
    },
    "loadBalancer.dnsZone": {
      refused: { change: withLb({ domain: "app.example.com", dnsZone: "/subscriptions/x/dnszones/example.com", https: true }), key: "loadBalancer.dnsZone", says: "Azure DNS" },
      accepted: [withLb({ domain: "app.example.com", dnsZone: azureZone, https: true })],
    },
    "loadBalancer.backendTimeoutSeconds": { refused: { change: withLb({ backendTimeoutSeconds: 241 }), key: "loadBalancer.backendTimeoutSeconds", says: "Front Door origin response timeout" }, accepted: [withLb({ backendTimeoutSeconds: 240 })] },
    "loadBalancer.clientIdleTimeoutSeconds": { refused: { change: withLb({ clientIdleTimeoutSeconds: 60 }), key: "loadBalancer.clientIdleTimeoutSeconds", says: "Azure Front Door" }, accepted: [withLb({ clientIdleTimeoutSeconds: undefined })] },
    // One NAT gateway serves the one subnet the apps run in: no egress path per zone to build.
    "network.egress": { refused: { change: { network: { ...azureBase.network, egress: "perZone" } }, key: "network.egress", says: "Azure NAT Gateway" }, accepted: [{ network: { ...azureBase.network, egress: "shared" } }] },
    tags: { refused: { change: { tags: { ...base.tags, "cost/center": "x" } }, key: "tags.cost/center", says: "Azure" }, accepted: [{ tags: { ...base.tags, team: "payments" } }] },
  },
};

describe("cloud-checked keys", () => {
  it("every implemented cloud has a verdict on each of them", () => {
    expect(implementedClouds().sort()).toEqual(Object.keys(verdicts).sort());
    for (const cloud of implementedClouds()) expect(Object.keys(verdicts[cloud]).sort()).toEqual([...cloudCheckedKeys].sort());
  });

  describe.each(Object.keys(verdicts))("%s", (cloud) => {
    const limits = cloudLimits[cloud as keyof typeof cloudLimits]!;
    const keysOf = (change: Partial<PlatformSpec>) => limits({ ...bases[cloud], ...change } as PlatformSpec);
    const baseline = limits(bases[cloud]);

    it.each(cloudCheckedKeys.map((k) => [k] as const))("%s", (key) => {
      const verdict = verdicts[cloud][key];
      if (verdict.refused) {
        const problems = keysOf(verdict.refused.change).filter((p) => p.key === verdict.refused!.key);
        expect(problems).toHaveLength(1);
        expect(problems[0].severity).toBeUndefined();
        expect(problems[0].message).toContain(verdict.refused.says);
      }
      if (verdict.mapped) {
        const problems = keysOf(verdict.mapped.change).filter((p) => p.key === verdict.mapped!.key);
        expect(problems).toHaveLength(1);
        expect(problems[0].severity).toBe("warning");
        expect(problems[0].message).toContain(verdict.mapped.says);
      }
      for (const change of verdict.accepted) expect(keysOf(change)).toEqual(baseline);
    });
  });
});

describe("a value the cloud maps instead of refusing (severity warning)", () => {
  const values = { "platform:cloud": "aws", "platform:environment": "dev", "aws:region": "us-east-1", "platform:network": JSON.stringify({ natGateways: "perZone" }) };
  const awsLimits = cloudLimits.aws!;
  const mapped: SpecLimits = (spec) => [
    ...awsLimits(spec),
    { key: "network.egress", value: spec.network.egress, message: "this cloud has one regional NAT for all zones; it has no zonal single point of failure", severity: "warning" },
  ];

  it("is a warning naming the key the stack file wrote, and the run goes on", () => {
    const original = cloudLimits.aws;
    cloudLimits.aws = mapped;
    try {
      const { spec, warnings } = loadPlatformSpec({ project: "platform", stack: "unit", values, secretKeys: new Set() });
      expect(spec.network.egress).toBe("perZone");
      expect(warnings).toContain('platform:network.natGateways: this cloud has one regional NAT for all zones; it has no zonal single point of failure');
    } finally {
      cloudLimits.aws = original;
    }
  });

  it("next to a refusal, only the refusal stops the run", () => {
    const original = cloudLimits.aws;
    cloudLimits.aws = mapped;
    try {
      let thrown: unknown;
      try {
        loadPlatformSpec({ project: "platform", stack: "unit", values: { ...values, "platform:logs": JSON.stringify({ appRetentionDays: 10 }) }, secretKeys: new Set() });
      } catch (e) {
        thrown = e;
      }
      expect((thrown as ConfigError).problems.map((p) => p.key)).toEqual(["platform:logs.appRetentionDays"]);
    } finally {
      cloudLimits.aws = original;
    }
  });
});
