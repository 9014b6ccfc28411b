// What a careless or hostile stack file still got through before these rules: secret markings that
// would be dropped, credentials in plain values, and values AWS refuses only part-way through
// `pulumi up`. Each case runs the real program under mocks and must stop it with one message that
// names the key and the rule, before any resource is registered.
import { type BadValue, expectRefused } from "./badValues";
import { runProgram } from "../harness/run";


const chars = (n: number, alphabet = "aB3dE5gH7jK9mN2pQ4sT6vW8yZ") => Array.from({ length: n }, (_, i) => alphabet[(i * 7) % alphabet.length]).join("");
const certificate = (partition: string, region: string) => `arn:${partition}:acm:${region}:123456789012:certificate/12345678-1234-1234-1234-123456789012`;
const digest = "a".repeat(64);

const githubToken = `ghp_${chars(36)}`;
const awsKey = `AKIA${chars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`;
const stripeKey = `sk_live_${chars(24)}`;
const jwt = `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${Buffer.from('{"sub":"svc"}').toString("base64url")}.${chars(43)}`;
const dbUrl = "postgres://app:Tr0ub4dor@db.example.com:5432/app";
const privateKey = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk\n-----END EC PRIVATE KEY-----";
const gitlabToken = `glpat-${chars(20)}`;
const slackHook = `https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/${chars(24)}`;

const secretMarking =
  "holds a value set with --secret, but only platform:alarmWebhooks and platform:pagerWebhooks stay secret; anything else would land in plain text in service definitions, tags and state. " +
  "Keep secret values out of platform config: declare platform:secrets.<NAME> with source: external, put the value into the secrets store, and list <NAME> in platform:services.<name>.secrets; then set this key again without --secret";
const envValue = (kind: string, env: string) =>
  `platform:services.api.env.${env}: the value looks like ${kind} (it is not shown here); plain env vars end up in state and in service definitions. Declare it in platform:secrets.${env} with source: external, put the value into the secrets store, and list ${env} in platform:services.api.secrets`;
const unreachable = "; the notification service calls webhooks from the internet and cannot reach it";
const emailExpected = "is not allowed: expected an email address such as oncall@example.com:";

const badValues: BadValue[] = [
  // Secret marking that the program would silently drop
  { what: "a secret env var value", stack: "dev", setSecret: ["platform:services.api.env.DB_HOST=db-7.example.com"], message: `platform:services: ${secretMarking}`, mustNotContain: ["db-7.example.com"] },
  { what: "a secret tag", stack: "production", setSecret: ["platform:tags.cost-center=cc-4711"], message: `platform:tags: ${secretMarking}`, mustNotContain: ["cc-4711"] },
  { what: "a secret in the secrets declaration", stack: "dev", setSecret: ["platform:secrets.DB_URL.source=external"], message: `platform:secrets: ${secretMarking}` },
  { what: "a secret domain", stack: "staging", setSecret: ["platform:loadBalancer.domain=hidden.example.com"], message: `platform:loadBalancer: ${secretMarking}`, mustNotContain: ["hidden.example.com"] },
  {
    what: "a secret env var next to a bad port: the port's value is not shown either",
    stack: "dev",
    setSecret: ["platform:services.api.env.DB_HOST=db-7.example.com", "platform:services.api.port=99999"],
    message: `platform:services: ${secretMarking}`,
    alsoContains: ["platform:services.api.port: the secret value is not allowed: expected a port from 1 to 65535"],
    mustNotContain: ["db-7.example.com", "99999"],
    problems: 2,
  },

  // Credentials in plain env vars and tags (names that look harmless)
  { what: "a GitHub token in an env var", stack: "dev", set: [`platform:services.api.env.REPO_ACCESS=${githubToken}`], message: envValue("a GitHub token", "REPO_ACCESS"), mustNotContain: [githubToken] },
  { what: "an AWS access key id in an env var", stack: "dev", set: [`platform:services.api.env.AWS_ID=${awsKey}`], message: envValue("an AWS access key id", "AWS_ID"), mustNotContain: [awsKey] },
  { what: "a Stripe key in an env var", stack: "production", set: [`platform:services.api.env.PAYMENTS=${stripeKey}`], message: envValue("a Stripe secret key", "PAYMENTS"), mustNotContain: [stripeKey] },
  { what: "a JWT in an env var", stack: "dev", set: [`platform:services.api.env.SERVICE_AUTH=${jwt}`], message: envValue("a JSON Web Token", "SERVICE_AUTH"), mustNotContain: [jwt] },
  { what: "a database URL with a password", stack: "dev", set: [`platform:services.api.env.DATABASE_URL=${dbUrl}`], message: envValue("a URL with a password", "DATABASE_URL"), mustNotContain: ["Tr0ub4dor"] },
  { what: "a private key block", stack: "dev", set: [`platform:services.api.env.SIGNING=${privateKey}`], message: envValue("a private key", "SIGNING"), mustNotContain: ["MHcCAQEEIBkg4LVWM9nuwNSk"] },
  { what: "a Slack webhook URL", stack: "dev", set: [`platform:services.api.env.NOTIFY=${slackHook}`], message: envValue("a Slack webhook URL", "NOTIFY"), mustNotContain: [slackHook] },
  {
    what: "a GitLab token in a tag (and not echoed by the tag character rule either)",
    stack: "production",
    set: [`platform:tags.ci=${gitlabToken}`],
    message: "platform:tags.ci: the value looks like a GitLab token (it is not shown here); tags are readable by anyone who may list the resources: remove it",
    mustNotContain: [gitlabToken],
  },
  {
    what: "a private key in a tag",
    stack: "dev",
    set: [`platform:tags.key=${privateKey}`],
    message: "platform:tags.key: the value looks like a private key (it is not shown here); tags are readable by anyone who may list the resources: remove it",
    mustNotContain: ["MHcCAQEEIBkg4LVWM9nuwNSk"],
  },

  // Regions
  { what: "a region that does not exist, close to one that does", stack: "dev", set: ["aws:region=us-east-7"], message: 'aws:region: "us-east-7" is not allowed: not an AWS region; did you mean "us-east-1"?' },
  { what: "a region typo", stack: "production", set: ["aws:region=eu-wset-1"], message: 'aws:region: "eu-wset-1" is not allowed: not an AWS region; did you mean "eu-west-1"?' },
  {
    what: "a region that is nowhere close",
    stack: "dev",
    set: ["aws:region=zz-north-9"],
    message: 'aws:region: "zz-north-9" is not allowed: not an AWS region; the regions are af-south-1,',
    alsoContains: ["us-west-2 (aws);", "cn-north-1, cn-northwest-1 (aws-cn);", "us-gov-east-1, us-gov-west-1 (aws-us-gov)"],
  },
  { what: "a copy region that does not exist", stack: "production", set: ["platform:backup.copyRegion=us-west-9"], message: 'platform:backup.copyRegion: "us-west-9" is not allowed: not an AWS region; did you mean "us-west-1"?' },
  {
    what: "a copy region in the China partition",
    stack: "production",
    set: ["platform:backup.copyRegion=cn-north-1"],
    message: 'platform:backup.copyRegion: "cn-north-1" is not allowed: region cn-north-1 is in partition aws-cn, the stack\'s region us-east-1 in aws; AWS Backup copies only within a partition',
  },
  {
    what: "a copy region in GovCloud",
    stack: "staging",
    set: ["platform:backup.copyRegion=us-gov-west-1"],
    message: 'platform:backup.copyRegion: "us-gov-west-1" is not allowed: region us-gov-west-1 is in partition aws-us-gov, the stack\'s region us-east-1 in aws; AWS Backup copies only within a partition',
  },
  {
    what: "a GovCloud stack copying to a commercial region",
    stack: "production",
    set: ["aws:region=us-gov-west-1", "platform:network.availabilityZones[0]=us-gov-west-1a", "platform:network.availabilityZones[1]=us-gov-west-1b", "platform:backup.copyRegion=us-west-2"],
    message: 'platform:backup.copyRegion: "us-west-2" is not allowed: region us-west-2 is in partition aws, the stack\'s region us-gov-west-1 in aws-us-gov; AWS Backup copies only within a partition',
  },

  // Tags
  { what: "a tag key in the aws: namespace", stack: "dev", set: ['platform:tags["aws:owner"]=team-a'], message: 'platform:tags.aws:owner: "aws:owner" is not allowed: tag keys starting with aws: (in any case) are reserved for AWS; choose another key' },
  { what: "a tag key in the AWS: namespace, upper case", stack: "production", set: ['platform:tags["AWS:CostCenter"]=cc-1'], message: 'platform:tags.AWS:CostCenter: "AWS:CostCenter" is not allowed: tag keys starting with aws: (in any case) are reserved for AWS' },
  { what: "a tag key in the Aws: namespace, mixed case", stack: "dev", set: ['platform:tags["Aws:x"]=team-a'], message: 'platform:tags.Aws:x: "Aws:x" is not allowed: tag keys starting with aws: (in any case) are reserved for AWS' },
  { what: "a tag key with a character AWS refuses", stack: "dev", set: ["platform:tags.cost#center=cc-1"], message: 'platform:tags.cost#center: "cost#center" is not allowed: AWS accepts tag keys of letters, digits, spaces and _ . : / = + - @ only' },
  { what: "a tag key of 129 characters", stack: "dev", set: [`platform:tags.${"k".repeat(129)}=v`], message: `"${"k".repeat(129)}" is not allowed: AWS accepts tag keys of 1 to 128 characters; this one has 129` },
  { what: "a tag value with a dollar sign", stack: "dev", set: ["platform:tags.owner=team$a"], message: 'platform:tags.owner: "team$a" is not allowed: AWS accepts tag values of letters, digits, spaces and _ . : / = + - @ only' },
  { what: "a tag value with a comma", stack: "production", set: ["platform:tags.owners=alice,bob"], message: 'platform:tags.owners: "alice,bob" is not allowed: AWS accepts tag values of letters, digits, spaces and _ . : / = + - @ only' },
  { what: "a tag value with a line break", stack: "dev", set: ["platform:tags.note=line one\nline two"], message: 'platform:tags.note: "line one\\nline two" is not allowed: AWS accepts tag values of letters' },
  { what: "a tag value of 257 characters", stack: "dev", set: [`platform:tags.note=${"v".repeat(257)}`], message: "is not allowed: AWS accepts tag values of at most 256 characters; this one has 257" },
  {
    what: "51 tags on an alarm once the platform's own are added",
    stack: "dev",
    set: Array.from({ length: 45 }, (_, i) => `platform:tags.team-${i}=x`),
    message:
      "platform:tags: a resource would carry 51 tags: 49 from platform:tags and the platform's own (project, stack, environment, managed-by), plus 2 the platform adds per resource (Name, or severity and service on alarms); AWS allows at most 50 per resource: remove 1",
  },
  {
    what: "tags named like the alarms' own count as those",
    stack: "production",
    set: [...Array.from({ length: 45 }, (_, i) => `platform:tags.t${i}=x`), "platform:tags.Name=app"],
    message: "platform:tags: a resource would carry 52 tags: 50 from platform:tags and the platform's own (project, stack, environment, managed-by), plus 2 the platform adds per resource",
  },

  // Alarm e-mails
  { what: "an e-mail with two @", stack: "production", set: ["platform:alarms.emails[0]=ops@@example.com"], message: `platform:alarms.emails[0]: "ops@@example.com" ${emailExpected} there is more than one @` },
  { what: "an e-mail with two dots in a row", stack: "production", set: ["platform:alarms.emails[0]=ops..team@example.com"], message: `platform:alarms.emails[0]: "ops..team@example.com" ${emailExpected} the part before the @ may not start or end with a dot` },
  { what: "an e-mail without a top-level domain", stack: "staging", set: ["platform:alarms.emails[0]=ops@example"], message: `platform:alarms.emails[0]: "ops@example" ${emailExpected} the domain "example" has no dot` },
  { what: "an e-mail with an underscore in the domain", stack: "production", set: ["platform:alarms.emails[1]=ops@my_company.com"], message: `platform:alarms.emails[1]: "ops@my_company.com" ${emailExpected} the domain "my_company.com" is not a host name` },
  { what: "an e-mail with a numeric top-level domain", stack: "dev", set: ["platform:alarms.emails[0]=ops@example.123"], message: `platform:alarms.emails[0]: "ops@example.123" ${emailExpected} the domain "example.123" does not end in a top-level domain of letters` },
  {
    what: "the same e-mail twice",
    stack: "production",
    set: ["platform:alarms.emails[1]=platform-oncall@example.com"],
    message: 'platform:alarms.emails[1]: "platform-oncall@example.com" is not allowed: already listed as alarms.emails[0]; list each address once',
  },
  {
    what: "the same e-mail in another case",
    stack: "production",
    set: ["platform:alarms.emails[1]=ops@example.com", "platform:alarms.emails[2]=Platform-Oncall@Example.COM"],
    message: 'platform:alarms.emails[2]: "Platform-Oncall@Example.COM" is not allowed: already listed as alarms.emails[0] (addresses that differ only in case reach the same mailbox); list each address once',
  },

  // Webhook URLs (secret: never echoed)
  { what: "a webhook on localhost", stack: "dev", setSecret: ["platform:alarmWebhooks[0]=https://localhost:9000/tok-111"], message: `platform:alarmWebhooks[0]: the host is an internal name (.localhost) that resolves only inside a private network${unreachable}`, mustNotContain: ["tok-111"] },
  { what: "a webhook on a loopback address", stack: "dev", setSecret: ["platform:alarmWebhooks[0]=https://127.0.0.1/tok-222"], message: `platform:alarmWebhooks[0]: the host is a loopback address (127.0.0.0/8, RFC 1122)${unreachable}`, mustNotContain: ["tok-222", "127.0.0.1"] },
  {
    what: "a pager webhook on the metadata address",
    stack: "production",
    setSecret: ["platform:pagerWebhooks[0]=https://169.254.169.254/latest/meta-data/iam"],
    message: `platform:pagerWebhooks[0]: the host is a link-local address (169.254.0.0/16, RFC 3927)${unreachable}`,
    mustNotContain: ["169.254.169.254", "meta-data"],
  },
  { what: "a second webhook on a private address", stack: "production", setSecret: ["platform:alarmWebhooks[0]=https://hooks.example.com/ok", "platform:alarmWebhooks[1]=https://10.1.2.3/tok-333"], message: `platform:alarmWebhooks[1]: the host is a private address (10.0.0.0/8, RFC 1918)${unreachable}`, mustNotContain: ["tok-333"] },
  { what: "a webhook on an IPv6 unique local address", stack: "dev", setSecret: ["platform:alarmWebhooks[0]=https://[fd00::5]/tok-444"], message: `platform:alarmWebhooks[0]: the host is a unique local (private) address (fc00::/7, RFC 4193)${unreachable}`, mustNotContain: ["tok-444"] },
  { what: "a webhook on a CGNAT address", stack: "dev", setSecret: ["platform:alarmWebhooks[0]=https://100.100.1.1/tok-555"], message: `platform:alarmWebhooks[0]: the host is a carrier-grade NAT address (100.64.0.0/10, RFC 6598)${unreachable}`, mustNotContain: ["tok-555"] },
  { what: "a webhook on a single-label host", stack: "dev", setSecret: ["platform:alarmWebhooks[0]=https://alertmanager/tok-666"], message: `platform:alarmWebhooks[0]: the host is a single-label name, which resolves only inside a private network${unreachable}`, mustNotContain: ["tok-666", "alertmanager"] },
  { what: "a webhook without a host", stack: "dev", setSecret: ["platform:alarmWebhooks[0]=https://:8443/tok-777"], message: "platform:alarmWebhooks[0]: not a valid URL; expected https://<public host>/<path>", mustNotContain: ["tok-777"] },
  {
    what: "a plain-text webhook on a private address: both problems, the URL in neither",
    stack: "dev",
    set: ["platform:alarmWebhooks[0]=https://192.168.0.10/tok-888"],
    message: `platform:alarmWebhooks[0]: the host is a private address (192.168.0.0/16, RFC 1918)${unreachable}`,
    alsoContains: ["platform:alarmWebhooks: webhook URLs carry credentials"],
    mustNotContain: ["tok-888", "192.168.0.10"],
    problems: 2,
  },

  // Certificates of another partition
  {
    what: "a certificate of the China partition for a us-east-1 load balancer",
    stack: "production",
    set: [`platform:loadBalancer.certificate=${certificate("aws-cn", "cn-north-1")}`],
    message: `platform:loadBalancer.certificate: "${certificate("aws-cn", "cn-north-1")}" is not allowed: the certificate is in partition aws-cn, but region us-east-1 is in partition aws; an ALB can only use a certificate of its own partition and region`,
  },
  {
    what: "a certificate with the stack's region but another partition",
    stack: "dev",
    set: [`platform:loadBalancer.certificate=${certificate("aws-us-gov", "us-east-1")}`],
    message: `platform:loadBalancer.certificate: "${certificate("aws-us-gov", "us-east-1")}" is not allowed: the certificate is in partition aws-us-gov, but region us-east-1 is in partition aws`,
  },

  // Header values
  {
    what: "a CSP with CR LF (response splitting)",
    stack: "production",
    set: ["platform:loadBalancer.securityHeaders.contentSecurityPolicy=default-src 'self'\r\nSet-Cookie: session=x"],
    message: `platform:loadBalancer.securityHeaders.contentSecurityPolicy: "default-src 'self'\\r\\nSet-Cookie: session=x" is not allowed: a header value may not contain a line break (CR or LF): it would end the header and start another one`,
  },
  { what: "a CSP with a bare LF", stack: "dev", set: ["platform:loadBalancer.securityHeaders.contentSecurityPolicy=default-src 'self';\nimg-src *"], message: "is not allowed: a header value may not contain a line break (CR or LF)" },
  { what: "a CSP with a tab", stack: "dev", set: ["platform:loadBalancer.securityHeaders.contentSecurityPolicy=default-src\t'self'"], message: "is not allowed: a header value may not contain control characters (tab included)" },
  { what: "a CSP with a NUL", stack: "dev", set: ["platform:loadBalancer.securityHeaders.contentSecurityPolicy=default-src 'self'\u0000"], message: "is not allowed: a header value may not contain control characters" },
  { what: "a CSP with non-ASCII text", stack: "dev", set: ["platform:loadBalancer.securityHeaders.contentSecurityPolicy=default-src 'self' https://bücher.example"], message: "is not allowed: a header value may hold visible ASCII characters and spaces only" },
  {
    what: "a CSP longer than the ALB takes",
    stack: "production",
    set: [`platform:loadBalancer.securityHeaders.contentSecurityPolicy=default-src 'self' ${"https://cdn.example.com ".repeat(42)}`],
    message: "is not allowed: the ALB takes a Content-Security-Policy value of at most 1024 characters; this one has 1027",
  },

  // Task definitions over 64 KiB
  {
    what: "one env value of 70,000 characters",
    stack: "dev",
    set: [`platform:services.api.env.CATALOG=${"x".repeat(70_000)}`],
    message: "platform:services.api.env: the task definition of service api would be about",
    alsoContains: ["bytes (env names and values, secret references, image and log settings); ECS accepts at most 65,536 (64 KiB): move large values out of env, into a secret or the data store"],
  },
  {
    what: "many env values that add up",
    stack: "production",
    set: Array.from({ length: 40 }, (_, i) => `platform:services.api.env.FEATURE_${i}=${"y".repeat(1700)}`),
    message: "platform:services.api.env: the task definition of service api would be about",
  },

  // Zones and subnet sizes
  { what: "one zone", stack: "dev", set: ["platform:network.zones=1"], message: "platform:network.zones: 1 is not allowed: an Application Load Balancer needs subnets in at least 2 zones (AWS refuses it with fewer); use 2 or more" },
  { what: "one zone in production: refused outright, not as a risk to acknowledge", stack: "production", set: ["platform:network.zones=1", "platform:acceptRisks[0]=singleZone"], message: "platform:network.zones: 1 is not allowed: an Application Load Balancer needs subnets in at least 2 zones" },
  {
    what: "a list of one zone",
    stack: "dev",
    set: ["platform:network.availabilityZones[0]=us-east-1b"],
    message: 'platform:network.availabilityZones: ["us-east-1b"] is not allowed: an Application Load Balancer needs subnets in at least 2 zones',
  },
  {
    what: "a /24 network: /28 subnets are too small for the load balancer",
    stack: "dev",
    set: ["platform:network.cidr=10.0.0.0/24"],
    message:
      'platform:network.cidr: "10.0.0.0/24" is not allowed: too small: its subnets would be /28 (16 addresses each), but the load balancer needs subnets of at least /27 with 8 free addresses in each zone; the smallest network that works is a /23 (e.g. 10.0.0.0/23)',
  },
  {
    what: "a /24 with host bits below /23: the suggestion is a real network",
    stack: "production",
    set: ["platform:network.cidr=192.168.5.0/24"],
    message: "the smallest network that works is a /23 (e.g. 192.168.4.0/23)",
  },
  {
    what: "a /23 too small for a production service at 41 tasks",
    stack: "production",
    set: ["platform:network.cidr=172.16.2.0/23", "platform:services.api.maxInstances=41"],
    message:
      'platform:network.cidr: "172.16.2.0/23" is not allowed: too small: its subnets would be /27 (32 addresses each), but each private subnet must hold 33 addresses: 28 tasks (service api at 41 tasks, 200% during a deployment, over 3 zones) and the 5 AWS reserves; the smallest network that works is a /22 (e.g. 172.16.0.0/22)',
  },
  {
    what: "a /23 with interface endpoints at 40 tasks",
    stack: "production",
    set: ["platform:network.cidr=10.1.0.0/23", "platform:services.api.maxInstances=40", "platform:network.interfaceEndpoints=true"],
    message: "each private subnet must hold 36 addresses: 27 tasks (service api at 40 tasks, 200% during a deployment, over 3 zones), 4 interface endpoints and the 5 AWS reserves; the smallest network that works is a /22 (e.g. 10.1.0.0/22)",
  },
  {
    what: "more tasks than even a /16 holds",
    stack: "dev",
    set: ["a", "b", "c", "d", "e"].flatMap((s, i) => [`platform:services.svc-${s}.port=80${i}0`, `platform:services.svc-${s}.maxInstances=1000`]),
    message: "each private subnet must hold 5007 addresses: 5002 tasks (6 services at their maxInstances, 200% during a deployment, over 2 zones) and the 5 AWS reserves; even a /16, the largest VPC, gives /20 subnets: lower maxInstances or spread over more zones",
  },
];

describe("a careless or hostile stack file", () => {
  it.each(badValues.map((c) => [c.what, c] as const))("%s: one message naming key and rule; nothing created", async (_what, c) => {
    await expectRefused(c);
  });
});

// The rules must not refuse what AWS accepts.
const goodValues: [string, string[], string[]?][] = [
  ["dev", ["platform:services.api.env.LLM_MODEL=claude-sonnet-4-5", "platform:services.api.env.API_BASE=https://api.example.com/v1", "platform:services.api.env.CACHE_DIR=/var/cache/app", "platform:services.api.env.RATIO=0.75"]],
  ["dev", ["platform:services.api.env.DB_HOST=postgres://db.example.com:5432/app", "platform:services.api.env.AUDIENCE=https://user@auth.example.com/"]],
  ["production", ["platform:tags.cost center=Forschung und Entwicklung", "platform:tags.team=Zürich/Ω-42", "platform:tags.owner=ops@example.com"]],
  ["dev", [`platform:tags.${"k".repeat(128)}=${"v".repeat(256)}`, "platform:tags.empty="]],
  ["dev", Array.from({ length: 44 }, (_, i) => `platform:tags.team-${i}=x`)],
  ["production", ["aws:region=eu-central-2", "platform:network.availabilityZones[0]=eu-central-2a", "platform:network.availabilityZones[1]=eu-central-2b", "platform:backup.copyRegion=eu-central-1", `platform:loadBalancer.certificate=${certificate("aws", "eu-central-2")}`]],
  ["production", ["aws:region=us-gov-west-1", "platform:network.availabilityZones[0]=us-gov-west-1a", "platform:network.availabilityZones[1]=us-gov-west-1b", `platform:loadBalancer.certificate=${certificate("aws-us-gov", "us-gov-west-1")}`]],
  ["production", ["aws:region=cn-north-1", "platform:network.availabilityZones[0]=cn-north-1a", "platform:network.availabilityZones[1]=cn-north-1b"]],
  ["production", ["platform:alarms.emails[1]=first.last+pager@sub.example.co.uk", "platform:alarms.emails[2]=o'brien@example.ie"]],
  ["production", [], ["platform:alarmWebhooks[0]=https://events.pagerduty.com/integration/abc/enqueue", "platform:pagerWebhooks[0]=https://api.opsgenie.com/v1/json/amazonsns?apiKey=k"]],
  ["dev", ["platform:loadBalancer.securityHeaders.contentSecurityPolicy=default-src 'self'; img-src 'self' data: https://cdn.example.com; frame-ancestors 'none'"]],
  ["dev", [`platform:loadBalancer.securityHeaders.contentSecurityPolicy=${"a".repeat(1024)}`]],
  ["dev", [`platform:services.api.env.CATALOG=${"x".repeat(50_000)}`]],
  ["dev", ["platform:network.cidr=10.0.0.0/23"]],
  ["production", ["platform:network.cidr=10.0.0.0/23", "platform:services.api.maxInstances=40"]],
  ["production", ["platform:network.cidr=10.0.0.0/22", "platform:services.api.maxInstances=41", "platform:network.interfaceEndpoints=true"]],
  ["dev", ["platform:network.availabilityZones[0]=us-east-1a", "platform:network.availabilityZones[1]=us-east-1f"]],
  ["production", [`platform:services.api.image=ghcr.io/acme/api:1.4.2@sha256:${digest}`]],
];

describe("values AWS accepts", () => {
  it.each(goodValues.map(([stack, set, setSecret]) => [stack, JSON.stringify([...set, ...(setSecret ?? [])]).slice(0, 160), set, setSecret] as const))("%s accepts %s", async (stack, _title, set, setSecret) => {
    const result = await runProgram({ stack, set, setSecret });
    expect(result.error).toBeUndefined();
    expect(result.resources.length).toBeGreaterThan(0);
  });
});
