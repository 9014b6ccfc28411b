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
    const gov = await runProgram({ stack: "dev", partition: "aws-us-gov" });
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
