// Values that look like credentials. A plain env var or tag lands in the task definition, the
// resource's tags and the state in plain text, so such a value is refused by kind, never echoed.
// Each detector matches a documented token format (prefix and length), not "long random text":
// model names, URLs without a password, numbers and paths must pass.

interface Detector {
  kind: string;
  pattern: RegExp;
}

/** No letter or digit right before a prefix, so that a prefix inside a longer word does not count. */
const start = "(?<![A-Za-z0-9])";

const detectors: Detector[] = [
  // IAM User Guide, "IAM identifiers", unique ID prefixes: AKIA long-term access key, ASIA
  // temporary (STS) key, ABIA STS bearer token, ACCA context-specific credential; 4 + 16 base32 chars.
  { kind: "an AWS access key id", pattern: new RegExp(`${start}(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])`) },
  // GitHub Docs, "About authentication to GitHub", GitHub's token formats: ghp_ (classic personal),
  // gho_ (OAuth), ghu_/ghs_ (GitHub App user/server), ghr_ (refresh), each + 36 base62 chars;
  // github_pat_ (fine-grained personal access token) + 82 chars.
  { kind: "a GitHub token", pattern: new RegExp(`${start}(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,})`) },
  // GitLab Docs, "GitLab token overview", token prefixes: glpat- personal/project/group access token,
  // gldt- deploy token, glrt- runner token, glptt- pipeline trigger token, gloas- OAuth app secret.
  { kind: "a GitLab token", pattern: new RegExp(`${start}(?:glpat|gldt|glrt|glptt|gloas)-[A-Za-z0-9_.-]{20,}`) },
  // Slack API docs, "Token types": xoxb- bot, xoxp- user, xoxa-/xoxr-/xoxe- app and refresh tokens,
  // xapp- app-level tokens.
  { kind: "a Slack token", pattern: new RegExp(`${start}(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,}`) },
  // Slack API docs, "Sending messages using incoming webhooks": the URL itself is the credential.
  { kind: "a Slack webhook URL", pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{8,}/ },
  // Stripe Docs, "API keys": secret keys sk_live_/sk_test_, restricted keys rk_live_/rk_test_.
  { kind: "a Stripe secret key", pattern: new RegExp(`${start}[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`) },
  // Anthropic API docs ("x-api-key"; keys issued in the Console): sk-ant-api03-..., sk-ant-admin01-...
  { kind: "an Anthropic API key", pattern: new RegExp(`${start}sk-ant-[a-z]+[0-9]*-[A-Za-z0-9_-]{20,}`) },
  // OpenAI API reference, "Authentication": project keys sk-proj-..., service account keys
  // sk-svcacct-..., admin keys sk-admin-..., and legacy user keys sk- + 48 letters and digits.
  { kind: "an OpenAI API key", pattern: new RegExp(`${start}sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{32,})`) },
  // Google Cloud docs, "Manage API keys": keys are 39 chars starting with AIza.
  { kind: "a Google API key", pattern: new RegExp(`${start}AIza[0-9A-Za-z_-]{35}`) },
  // npm Docs, "About access tokens": granular and classic tokens start with npm_ + 36 chars.
  { kind: "an npm token", pattern: new RegExp(`${start}npm_[A-Za-z0-9]{36}`) },
  // PyPI help, "API tokens": macaroons prefixed pypi- (base64 of their header starts with AgE).
  { kind: "a PyPI token", pattern: new RegExp(`${start}pypi-AgE[A-Za-z0-9_-]{40,}`) },
  // Hugging Face docs, "User access tokens": hf_ + 34 letters.
  { kind: "a Hugging Face token", pattern: new RegExp(`${start}hf_[A-Za-z]{34}(?![A-Za-z0-9])`) },
  // Twilio SendGrid docs, "API keys": SG.<22 chars>.<43 chars>.
  { kind: "a SendGrid API key", pattern: new RegExp(`${start}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}`) },
  // RFC 7519 (JWT) in the compact serialization of RFC 7515: base64url("{\"...") starts with eyJ,
  // for the header and the claims alike; the signature may be empty (unsecured JWT).
  { kind: "a JSON Web Token", pattern: new RegExp(`${start}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*`) },
  // RFC 7468 textual encodings (PRIVATE KEY, ENCRYPTED PRIVATE KEY, and the RSA/EC/DSA/OPENSSH
  // variants) and RFC 4880 armor (PGP PRIVATE KEY BLOCK).
  { kind: "a private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  // RFC 3986 section 3.2.1: userinfo "user:password@" in a URL (postgres://app:pw@db/..., redis://:pw@host).
  // Bounded scheme and user parts keep the match linear on a long hostile value.
  { kind: "a URL with a password", pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s/?#@:]{0,256}:[^\s/?#@]+@/ },
  // Microsoft Docs, "Configure Azure Storage connection strings" (AccountKey=) and connection string
  // syntax of ADO.NET and ODBC (Password= / Pwd=).
  { kind: "a connection string with a key or password", pattern: /(?:^|;)\s*(?:AccountKey|SharedAccessKey|Password|Pwd)\s*=\s*[^;\s]+/i },
];

/** Env var names that hold credentials by convention; such a name must never carry a literal value. */
export const secretLookingName = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** What kind of credential `value` looks like ("a GitHub token"), or undefined for an ordinary value. */
export function secretLookingValue(value: string): string | undefined {
  return detectors.find((d) => d.pattern.test(value))?.kind;
}
