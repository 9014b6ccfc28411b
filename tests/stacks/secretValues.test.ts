// The credential detectors: each documented token format is recognised by kind, and ordinary config
// values (model names, URLs without a password, numbers, paths, public keys) are not.
import { secretLookingValue } from "../../stacks/secretValues";

// Fixtures are built, not pasted: the right shape, never a real credential.
const chars = (n: number, alphabet = "aB3dE5gH7jK9mN2pQ4sT6vW8yZ") => Array.from({ length: n }, (_, i) => alphabet[(i * 7) % alphabet.length]).join("");
const upper32 = (n: number) => chars(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
const b64url = (text: string) => Buffer.from(text).toString("base64url");

const looksSecret: [string, string][] = [
  ["AKIA" + upper32(16), "an AWS access key id"],
  ["ASIA" + upper32(16), "an AWS access key id"],
  [`key=ABIA${upper32(16)};`, "an AWS access key id"],
  ["ghp_" + chars(36), "a GitHub token"],
  ["gho_" + chars(36), "a GitHub token"],
  ["ghs_" + chars(36), "a GitHub token"],
  ["github_pat_" + chars(22) + "_" + chars(59), "a GitHub token"],
  ["glpat-" + chars(20), "a GitLab token"],
  ["gldt-" + chars(24), "a GitLab token"],
  ["xoxb-1234567890-1234567890123-" + chars(24), "a Slack token"],
  ["xoxp-1234567890-" + chars(30), "a Slack token"],
  ["xapp-1-A0123-" + chars(20), "a Slack token"],
  [`https://hooks.slack.com/services/T0123ABCD/B0123ABCD/${chars(24)}`, "a Slack webhook URL"],
  ["sk_live_" + chars(24), "a Stripe secret key"],
  ["rk_live_" + chars(24), "a Stripe secret key"],
  ["sk_test_" + chars(30), "a Stripe secret key"],
  ["sk-ant-api03-" + chars(90), "an Anthropic API key"],
  ["sk-ant-admin01-" + chars(90), "an Anthropic API key"],
  ["sk-proj-" + chars(120), "an OpenAI API key"],
  ["sk-svcacct-" + chars(60), "an OpenAI API key"],
  ["sk-" + chars(48), "an OpenAI API key"],
  ["AIza" + chars(35, "aB3_dE5-gH7jK9"), "a Google API key"],
  ["npm_" + chars(36), "an npm token"],
  ["pypi-AgEIcHlwaS5vcmc" + chars(60), "a PyPI token"],
  ["hf_" + chars(34, "abcdefghijKLMNOPQ"), "a Hugging Face token"],
  ["SG." + chars(22) + "." + chars(43), "a SendGrid API key"],
  [`${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"1234567890","exp":1700000000}')}.${chars(43)}`, "a JSON Web Token"],
  [`Bearer ${b64url('{"alg":"none"}')}.${b64url('{"sub":"service-account"}')}.`, "a JSON Web Token"],
  ["-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", "a private key"],
  ["-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "a private key"],
  ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "a private key"],
  ["-----BEGIN ENCRYPTED PRIVATE KEY-----", "a private key"],
  ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "a private key"],
  ["postgres://app:s3cr3t-pw@db.example.com:5432/app", "a URL with a password"],
  ["redis://:hunter2@cache.example.com:6379/0", "a URL with a password"],
  ["https://deploy:tok3n@git.example.com/repo.git", "a URL with a password"],
  ["amqps://user:pa%24%24@mq.example.com/vhost", "a URL with a password"],
  ["DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + chars(86) + "==;EndpointSuffix=core.windows.net", "a connection string with a key or password"],
  ["Server=db.example.com;Database=app;User Id=app;Password=s3cret;", "a connection string with a key or password"],
];

const ordinary = [
  "claude-sonnet-4-5",
  "anthropic",
  "gpt-4o-mini",
  "text-embedding-3-large",
  "https://api.example.com/v1",
  "https://api.example.com:8443/v1/chat",
  "https://user@example.com/path",
  "postgres://db.example.com:5432/app",
  "redis://cache.internal:6379/0",
  "10",
  "0.25",
  "-1",
  "/var/lib/app/data",
  "./config/app.yaml",
  "us-east-1",
  "arn:aws:s3:::my-bucket/prefix",
  "123e4567-e89b-12d3-a456-426614174000",
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "dGhpcyBpcyBub3QgYSBzZWNyZXQ=",
  "AKIA",
  "ghp_short",
  "sk-learn-classifier-v2-production-model",
  "xoxo hugs",
  "SG.example",
  "eyJhbGciOiJIUzI1NiJ9",
  "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----",
  "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
  "Password policy: at least 12 characters",
  "min_password_length=12",
  "text/html; charset=utf-8",
  "max-age=31536000",
  "https://hooks.example.com/services/deploy",
  "team@example.com",
  "Europe/Berlin",
  "true",
  "",
];

describe("secret-looking values", () => {
  it.each(looksSecret)("%s is recognised as %s", (value, kind) => {
    expect(secretLookingValue(value)).toBe(kind);
  });

  it.each(ordinary.map((v) => [v]))("%j is an ordinary value", (value) => {
    expect(secretLookingValue(value)).toBeUndefined();
  });
});
