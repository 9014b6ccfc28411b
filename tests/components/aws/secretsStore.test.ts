// The AWS secrets store block: a rotating KMS key, one Secrets Manager secret per declared secret,
// generated values that never appear in plain text, and webhook URLs kept secret.
import { mockResourceState } from "../../harness/cloudMocks";
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";


const webhook = "https://hooks.slack.com/services/T0000/B0000/slack-token-abc123";
const pager = "https://events.pagerduty.example.com/integration/pager-token-xyz789/enqueue";

let dev: SynthResult;
let production: SynthResult;
let withSecrets: SynthResult;

beforeAll(async () => {
  dev = await runProgram({ stack: "dev" });
  production = await runProgram({ stack: "production" });
  withSecrets = await runProgram({ stack: "production", setSecret: [`platform:alarmWebhooks[0]=${webhook}`, `platform:pagerWebhooks[0]=${pager}`] });
  for (const r of [dev, production, withSecrets]) expect(r.error).toBeUndefined();
});

/** What the mock provider returns as the generated password, i.e. the value that must never leak. */
function mockPassword(r: SynthResult, logicalName: string): string {
  const res = named(r, logicalName);
  const { state } = mockResourceState({ type: res.type, name: res.name, inputs: res.inputs, custom: true } as Parameters<typeof mockResourceState>[0], "us-east-1");
  return String(state.result);
}

describe("KMS key", () => {
  it("rotates yearly and is the key every secret is encrypted with", () => {
    for (const r of [dev, production]) {
      const keys = ofType(r, "aws:kms/key:Key").filter((k) => k.parent === "secrets");
      expect(keys).toHaveLength(1);
      expect(keys[0].inputs.enableKeyRotation).toBe(true);
      expect(keys[0].inputs.rotationPeriodInDays).toBe(365);
      const secrets = ofType(r, "aws:secretsmanager/secret:Secret");
      expect(secrets.length).toBeGreaterThan(0);
      const keyArns = new Set(secrets.map((s) => s.inputs.kmsKeyId));
      expect(keyArns.size).toBe(1);
      expect([...keyArns][0]).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    }
  });

  it("lets CloudWatch Logs (for log groups of this account only) and CloudWatch alarms use it", () => {
    const policy = JSON.parse(String(named(production, "secrets-key").inputs.policy));
    const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    expect(bySid.AccountAdministers.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(bySid.CloudWatchLogsEncrypt.Principal).toEqual({ Service: "logs.us-east-1.amazonaws.com" });
    expect(bySid.CloudWatchLogsEncrypt.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe("arn:aws:logs:us-east-1:123456789012:log-group:*");
    expect(bySid.CloudWatchAlarmsPublish.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
  });

  it("lets CloudWatch alarms publish only from this account's alarms into the platform's alarm topics (confused deputy)", () => {
    const policy = JSON.parse(String(named(production, "secrets-key").inputs.policy));
    const statement = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchAlarmsPublish");
    const topics = ofType(production, "aws:sns/topic:Topic").map((t) => `arn:aws:sns:us-east-1:123456789012:${t.inputs.name}`);
    expect(topics).toHaveLength(2);
    expect(statement.Condition).toEqual({
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" },
      StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": expect.arrayContaining(topics) },
    });
    expect(statement.Condition.StringEquals["kms:EncryptionContext:aws:sns:topicArn"]).toHaveLength(2);
    // The topics the key policy names are the topics the alarms block creates, for any stack name.
    expect(production.outputs.alarmTopics).toEqual({ warning: topics.find((t) => t.endsWith("-warning")), critical: topics.find((t) => t.endsWith("-critical")) });
  });

  it("scopes CloudWatch Logs by the encryption context it sends, with no condition key the Logs page does not document", () => {
    const policy = JSON.parse(String(named(production, "secrets-key").inputs.policy));
    const statement = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchLogsEncrypt");
    expect(statement.Condition).toEqual({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:*" } });
    expect(statement.Action).toEqual(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]);
  });

  it("names the partition the account is in, in every ARN of the key policy", async () => {
    const gov = await runProgram({ stack: "dev", account: { partition: "aws-us-gov" } });
    expect(gov.error).toBeUndefined();
    const text = String(named(gov, "secrets-key").inputs.policy);
    expect(text).not.toMatch(/"arn:aws:/);
    expect(text).toContain("arn:aws-us-gov:cloudwatch:us-east-1:123456789012:alarm:*");
  });

  it("is protected and kept on delete in production only", () => {
    expect(named(production, "secrets-key")).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(dev, "secrets-key")).toMatchObject({ protect: false, retainOnDelete: false });
  });
});

describe("secrets", () => {
  it("has one Secrets Manager secret per declared secret, named per stack", () => {
    const secrets = ofType(production, "aws:secretsmanager/secret:Secret");
    expect(secrets.map((s) => s.name).sort()).toEqual(["secrets-ANTHROPIC_API_KEY", "secrets-JWT_SECRET"]);
    expect(named(production, "secrets-JWT_SECRET").inputs.name).toBe("platform/production/JWT_SECRET");
    expect(Object.keys(production.outputs.secretRefs as object).sort()).toEqual(["ANTHROPIC_API_KEY", "JWT_SECRET"]);
  });

  it("keeps a deleted secret recoverable for 30 days in production", () => {
    expect(named(production, "secrets-JWT_SECRET").inputs.recoveryWindowInDays).toBe(30);
    expect(named(dev, "secrets-JWT_SECRET").inputs.recoveryWindowInDays).toBe(0);
  });

  it("generates JWT_SECRET with a random password stored as a secret version whose value is secret", () => {
    const password = named(production, "secrets-JWT_SECRET-value");
    expect(password.type).toBe("random:index/randomPassword:RandomPassword");
    expect(password.inputs.length).toBe(64);
    const version = named(production, "secrets-JWT_SECRET-version");
    expect(version.type).toBe("aws:secretsmanager/secretVersion:SecretVersion");
    expect(version.secretPaths).toContain("secretString");
    expect(version.inputs.secretString).toBe("[secret]");
    expect(version.additionalSecretOutputs).toContain("secretString");
    expect(version.inputs.secretId).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:platform\/production\/JWT_SECRET-[0-9a-f]{6}$/);
  });

  it("marks the generated password secret wherever the provider returns it", () => {
    expect(named(production, "secrets-JWT_SECRET-value").additionalSecretOutputs).toEqual(expect.arrayContaining(["result", "bcryptHash"]));
  });

  it("tags each secret with its source and, for a generated one, the length that defines its value", () => {
    expect(named(production, "secrets-JWT_SECRET").inputs.tags).toMatchObject({ environment: "production", "platform:secret-source": "generated", "platform:secret-length": "64" });
    const external = named(production, "secrets-ANTHROPIC_API_KEY").inputs.tags as Record<string, string>;
    expect(external).toMatchObject({ "platform:secret-source": "external" });
    expect(external).not.toHaveProperty("platform:secret-length");
  });

  it("leaves external secrets (ANTHROPIC_API_KEY) without a value for an operator to put", () => {
    expect(production.resources.find((r) => r.name === "secrets-ANTHROPIC_API_KEY-version")).toBeUndefined();
    expect(production.resources.find((r) => r.name === "secrets-ANTHROPIC_API_KEY-value")).toBeUndefined();
  });

  it.each([["dev", () => dev], ["production", () => production], ["production with webhooks", () => withSecrets]] as const)(
    "%s: no input or output anywhere carries the generated password in plain text",
    (_s, get) => {
      const value = mockPassword(get(), "secrets-JWT_SECRET-value");
      expect(value).toMatch(/^mock-/);
      expect(value.length).toBe(64);
      expect(JSON.stringify(get().resources)).not.toContain(value);
      expect(JSON.stringify(get().outputs)).not.toContain(value);
    },
  );
});

describe("webhook URLs", () => {
  it("appear only as secrets in the SNS subscriptions", () => {
    const subscriptions = ofType(withSecrets, "aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs.protocol === "https");
    expect(subscriptions.map((s) => s.name).sort()).toEqual(["alarms-critical-pager-0", "alarms-critical-webhook-0", "alarms-warning-webhook-0"]);
    for (const s of subscriptions) {
      expect(s.secretPaths).toContain("endpoint");
      expect(s.inputs.endpoint).toBe("[secret]");
      expect(s.additionalSecretOutputs).toContain("endpoint");
    }
  });

  it("never appear in plain text in any input, logical name or output", () => {
    const text = JSON.stringify({ resources: withSecrets.resources, outputs: withSecrets.outputs, warnings: withSecrets.warnings });
    for (const secret of [webhook, pager, "slack-token-abc123", "pager-token-xyz789", "hooks.slack.com", "pagerduty"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("are refused when set without --secret", async () => {
    const r = await runProgram({ stack: "production", set: [`platform:alarmWebhooks[0]=${webhook}`] });
    expect(r.error?.message).toContain("platform:alarmWebhooks");
    expect(r.resources.filter((x) => x.custom)).toEqual([]);
  });
});

describe("secret lifecycle", () => {
  const apiKey = "platform/production/ANTHROPIC_API_KEY";
  const externalWithValue = { secrets: { [apiKey]: { versionId: "v-operator", tags: { "platform:secret-source": "external" } } } };
  const toGenerated = ["platform:secrets.ANTHROPIC_API_KEY.source=generated"];
  const wasGenerated = { "platform:secret-source": "generated", "platform:secret-length": "64" };

  it("refuses in production to generate a secret that holds an operator's value", async () => {
    const r = await runProgram({ stack: "production", account: externalWithValue, set: toGenerated });
    expect(r.error?.message).toContain(
      'platform:secrets.ANTHROPIC_API_KEY.source: "generated" is not allowed: platform/production/ANTHROPIC_API_KEY holds a value an operator put (source external); generating one would overwrite it; services api restart with it. Keep source external, or acknowledge the overwrite with externalSecretOverwrite in platform:acceptRisks',
    );
    expect(r.resources.filter((x) => x.custom)).toEqual([]);
  });

  it("tells the source of a secret created before the tags by its description", async () => {
    const legacy = { secrets: { [apiKey]: { versionId: "v-operator", tags: {}, description: "Value put by an operator (see README: rotating a secret)" } } };
    const r = await runProgram({ stack: "production", account: legacy, set: toGenerated });
    expect(r.error?.message).toContain("platform:secrets.ANTHROPIC_API_KEY.source");
  });

  it("overwrites with a warning where production acknowledges the risk, and in other environments", async () => {
    const accepted = await runProgram({ stack: "production", account: externalWithValue, set: [...toGenerated, "platform:acceptRisks[0]=externalSecretOverwrite"] });
    expect(accepted.error).toBeUndefined();
    expect(accepted.warnings).toContain(
      "platform:secrets.ANTHROPIC_API_KEY.source switches from external to generated: this update overwrites the value an operator put in platform/production/ANTHROPIC_API_KEY with a generated one; services api restart with it.",
    );
    expect(named(accepted, "secrets-ANTHROPIC_API_KEY-version").type).toBe("aws:secretsmanager/secretVersion:SecretVersion");
    const dev = await runProgram({ stack: "dev", account: { secrets: { "platform/dev/ANTHROPIC_API_KEY": { versionId: "v-operator", tags: { "platform:secret-source": "external" } } } }, set: toGenerated });
    expect(dev.error).toBeUndefined();
    expect(dev.warnings.some((w) => w.startsWith("platform:secrets.ANTHROPIC_API_KEY.source switches from external to generated"))).toBe(true);
  });

  it("generates an external secret that never got a value without a word: nothing is overwritten", async () => {
    const r = await runProgram({ stack: "production", account: { secrets: { [apiKey]: { versionId: null, tags: { "platform:secret-source": "external" } } } }, set: toGenerated });
    expect(r.error).toBeUndefined();
    expect(r.warnings.filter((w) => w.includes("ANTHROPIC_API_KEY"))).toEqual([]);
  });

  it("says when a new length rotates a generated value, and which services restart", async () => {
    // The account holds what the last update wrote: a 64-character value.
    const r = await runProgram({ stack: "dev", account: { secrets: { "platform/dev/JWT_SECRET": { tags: wasGenerated } } }, set: ["platform:secrets.JWT_SECRET.source=generated", "platform:secrets.JWT_SECRET.length=128"] });
    expect(r.error).toBeUndefined();
    expect(r.warnings).toContain(
      "platform:secrets.JWT_SECRET.length changes from 64 to 128: this update generates a new value for platform/dev/JWT_SECRET (a rotation); services api restart with it.",
    );
    const unchanged = await runProgram({ stack: "dev" });
    expect(unchanged.warnings.filter((w) => w.includes("JWT_SECRET"))).toEqual([]);
  });

  it("says a secret that turns external keeps its generated value until an operator puts one", async () => {
    const r = await runProgram({ stack: "dev", account: { secrets: { "platform/dev/JWT_SECRET": { tags: wasGenerated } } }, set: ["platform:secrets.JWT_SECRET.source=external"] });
    expect(r.error).toBeUndefined();
    expect(r.warnings.find((w) => w.startsWith("platform:secrets.JWT_SECRET.source switches from generated to external"))).toContain(
      "the generated value stays current in platform/dev/JWT_SECRET until you put one with `aws secretsmanager put-secret-value --secret-id platform/dev/JWT_SECRET",
    );
    // It still has a value, so the service is not held.
    expect(r.outputs.heldServices).toEqual([]);
  });
});
