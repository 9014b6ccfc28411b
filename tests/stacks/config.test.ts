// A wrong value in a stack file must stop the program before anything is planned, with one message
// naming the key, the value and what is allowed. Every case runs the real program under mocks.
import { type BadValue, expectRefused } from "./badValues";
import { runProgram, type SynthResult } from "../harness/run";
import { loadPlatformSpec, type StackConfig } from "../../stacks/config";
import { ConfigError } from "../../stacks/configErrors";


const slackToken = "T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX";
const goodCertificate = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/12345678-1234-1234-1234-123456789012`;

const badValues: BadValue[] = [
  // Unknown keys, with a suggestion
  {
    what: "unknown top-level key",
    stack: "dev",
    set: ["platform:servics.api.port=9000"],
    message: 'platform:servics: unknown key; did you mean "services"? allowed keys: cloud, environment, deletionProtection, immutableImageTags, tags, network, services,',
  },
  {
    what: "unknown key inside a service",
    stack: "dev",
    set: ["platform:services.api.prot=9000"],
    message: 'platform:services.api.prot: unknown key; did you mean "port"? allowed keys: image, imageTag, port, cpu, memory,',
  },
  {
    what: "unknown key inside a secret",
    stack: "dev",
    set: ["platform:secrets.DB_URL.sourc=external"],
    message: 'platform:secrets.DB_URL.sourc: unknown key; did you mean "source"? allowed keys: source, length',
    // ...and the secret has no source.
    alsoContains: ["platform:secrets.DB_URL.source: required: expected one of: generated, external"],
    problems: 2,
  },
  // Cloud, environment, region
  { what: "unknown cloud", stack: "dev", set: ["platform:cloud=aws2"], message: 'platform:cloud: "aws2" is not allowed: expected one of: aws, azure, gcp' },
  {
    what: "an Azure region that does not exist",
    stack: "dev",
    set: ["platform:cloud=azure", "azure-native:location=japaneats"],
    message: 'azure-native:location: "japaneats" is not allowed: not an Azure region; did you mean "japaneast"?',
  },
  {
    what: "gcp without its project",
    stack: "dev",
    set: ["platform:cloud=gcp", "gcp:project="],
    message: 'gcp:project: "" is not allowed: expected a Google Cloud project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (the id, not the project\'s display name or number)',
  },
  {
    what: "gcp with a project number for its project id",
    stack: "dev",
    set: ["platform:cloud=gcp", "gcp:project=123456789012"],
    message: 'gcp:project: "123456789012" is not allowed: expected a Google Cloud project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (the id, not the project\'s display name or number)',
  },
  {
    what: "gcp region that does not exist",
    stack: "dev",
    set: ["platform:cloud=gcp", "gcp:region=asia-northeast9"],
    message: 'gcp:region: "asia-northeast9" is not allowed: not a Google Cloud region; regions there: asia-east1, asia-east2, asia-northeast1, asia-northeast2, asia-northeast3, asia-south1, asia-south2, asia-southeast1, asia-southeast2 (gcloud compute regions list)',
  },
  {
    what: "gcp with a Route 53 zone id for its Cloud DNS zone",
    stack: "production",
    set: ["platform:cloud=gcp", "platform:loadBalancer.dnsZone=Z0123456789ABCDEFGHIJ"],
    message: 'platform:loadBalancer.dnsZone: "Z0123456789ABCDEFGHIJ" is not allowed: expected the name of a Cloud DNS managed zone (1-63 lowercase letters, digits and hyphens, starting with a letter), as `gcloud dns managed-zones list` shows it',
  },
  {
    what: "unknown environment",
    stack: "dev",
    set: ["platform:environment=prod"],
    message: 'platform:environment: "prod" is not allowed: expected one of: dev, staging, production',
  },
  { what: "region that does not exist", stack: "dev", set: ["aws:region=moon-1"], message: 'aws:region: "moon-1" is not allowed: expected a region name of platform:cloud aws, such as us-east-1' },
  {
    what: "region whose zones are not known offline, without availabilityZones",
    stack: "dev",
    set: ["aws:region=ap-east-1"],
    message: "platform:network.availabilityZones: required for region ap-east-1: the zone names there are not known offline; list 2 of them",
  },
  {
    what: "more zones than the region has",
    stack: "dev",
    set: ["aws:region=us-west-1", "platform:network.zones=3"],
    message: "platform:network.zones: 3 is not allowed: region us-west-1 has 2 zones (us-west-1a, us-west-1c)",
  },
  {
    what: "a zone of another region",
    stack: "dev",
    set: ["platform:network.availabilityZones[0]=eu-west-1a", "platform:network.availabilityZones[1]=us-east-1b"],
    message: 'platform:network.availabilityZones[0]: "eu-west-1a" is not allowed: not a zone of region us-east-1 (us-east-1a, us-east-1b,',
  },
  {
    what: "the same zone twice",
    stack: "dev",
    set: ["platform:network.availabilityZones[0]=us-east-1a", "platform:network.availabilityZones[1]=us-east-1a"],
    message: 'platform:network.availabilityZones[1]: "us-east-1a" is not allowed: listed twice; each zone gets its own subnets',
  },
  { what: "egress mode", stack: "dev", set: ["platform:network.egress=single"], message: 'platform:network.egress: "single" is not allowed: expected one of: perZone, shared' },
  { what: "NAT mode under its deprecated name", stack: "dev", set: ["platform:network.natGateways=double"], message: 'platform:network.natGateways: "double" is not allowed: expected one of: single, perZone' },
  { what: "deletion protection not a boolean", stack: "dev", set: ["platform:deletionProtection=yes"], message: 'platform:deletionProtection: "yes" is not allowed: expected true or false' },
  // Network address space
  {
    what: "public CIDR",
    stack: "dev",
    set: ["platform:network.cidr=8.8.0.0/16"],
    message: 'platform:network.cidr: "8.8.0.0/16" is not allowed: expected a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
  },
  {
    what: "CIDR with host bits set",
    stack: "dev",
    set: ["platform:network.cidr=10.0.0.1/16"],
    message: 'platform:network.cidr: "10.0.0.1/16" is not allowed: host bits are set; did you mean 10.0.0.0/16?',
  },
  {
    what: "CIDR larger than a VPC may be",
    stack: "dev",
    set: ["platform:network.cidr=10.0.0.0/8"],
    message: 'platform:network.cidr: "10.0.0.0/8" is not allowed: expected a prefix length from /16 (the largest network the platform lays out) to /24',
  },
  { what: "CIDR that is not one", stack: "dev", set: ["platform:network.cidr=10.0.0.0"], message: 'platform:network.cidr: "10.0.0.0" is not allowed: expected an IPv4 CIDR block such as 10.0.0.0/16' },
  // Services
  { what: "port out of range", stack: "dev", set: ["platform:services.api.port=70000"], message: "platform:services.api.port: 70000 is not allowed: expected a port from 1 to 65535" },
  { what: "port that is not a number", stack: "dev", set: ["platform:services.api.port=http"], message: 'platform:services.api.port: "http" is not allowed: expected a port from 1 to 65535' },
  {
    what: "a new service without a port",
    stack: "dev",
    set: ["platform:services.worker.cpu=0.25", "platform:services.worker.memory=512"],
    message: "platform:services.worker.port: required: expected a port from 1 to 65535",
  },
  {
    what: "service name in capitals",
    stack: "dev",
    set: ["platform:services.API.port=9000"],
    message: 'platform:services.API: "API" is not allowed: expected a service name of 2-30 lowercase letters, digits and hyphens, starting with a letter',
  },
  {
    what: "a vCPU count Fargate does not run",
    stack: "dev",
    set: ["platform:services.api.cpu=3"],
    message: "platform:services.api.cpu: 3 is not allowed: Fargate runs a task with 0.25, 0.5, 1, 2, 4, 8, 16 vCPU",
  },
  {
    what: "a decimal vCPU count Fargate does not run (set as text, as the CLI stores it)",
    stack: "dev",
    set: ["platform:services.api.cpu=0.75"],
    message: "platform:services.api.cpu: 0.75 is not allowed: Fargate runs a task with 0.25, 0.5, 1, 2, 4, 8, 16 vCPU",
  },
  {
    what: "cpu in the old CPU units",
    stack: "dev",
    set: ["platform:services.api.cpu=512"],
    message: "platform:services.api.cpu: 512 is not allowed: cpu is in vCPU since model v2; 512 CPU units is 0.5 vCPU: set 0.5",
  },
  {
    what: "cpu above any cloud's largest, not an old CPU unit count either",
    stack: "dev",
    set: ["platform:services.api.cpu=300"],
    message:
      "platform:services.api.cpu: 300 is not allowed: cpu is in vCPU since model v2, at most 16; read as CPU units of the old model (1024 per vCPU), 300 would be about 0.293 vCPU: set a vCPU count such as 0.25, 0.5, 1 or 2",
  },
  { what: "cpu zero", stack: "dev", set: ["platform:services.api.cpu=0"], message: "platform:services.api.cpu: 0 is not allowed: expected a vCPU count above 0 and at most 16, such as 0.25, 0.5, 1 or 2" },
  { what: "cpu that is not a number", stack: "dev", set: ["platform:services.api.cpu=half"], message: 'platform:services.api.cpu: "half" is not allowed: expected a vCPU count above 0 and at most 16, such as 0.25, 0.5, 1 or 2' },
  {
    what: "Fargate memory not allowed with the CPU",
    stack: "dev",
    set: ["platform:services.api.cpu=0.25", "platform:services.api.memory=4096"],
    message: "platform:services.api.memory: 4096 is not allowed: Fargate with 0.25 vCPU accepts memory 512, 1024, 2048 MiB",
  },
  {
    what: "Fargate memory off the steps of the CPU",
    stack: "dev",
    set: ["platform:services.api.memory=2500"],
    message: "platform:services.api.memory: 2500 is not allowed: Fargate with 1 vCPU accepts memory 2048-8192 MiB in steps of 1024 (2048, 3072, 4096, ...)",
  },
  {
    what: "minInstances above maxInstances",
    stack: "dev",
    set: ["platform:services.api.minInstances=3"],
    message: "platform:services.api.minInstances: 3 is not allowed: must not exceed maxInstances (2)",
  },
  {
    what: "minTasks (deprecated) above maxTasks (deprecated): named as written",
    stack: "dev",
    set: ["platform:services.api.minTasks=3", "platform:services.api.maxTasks=2"],
    message: "platform:services.api.minTasks: 3 is not allowed: must not exceed maxTasks (2)",
  },
  {
    what: "a single instance in production",
    stack: "production",
    set: ["platform:services.api.minInstances=1"],
    message: "platform:services.api.minInstances: 1 is not allowed: production runs at least 2 instances so that one zone can fail (SLA 99.9%)",
  },
  {
    what: "minTasks and minInstances both set, to different values",
    stack: "dev",
    set: ["platform:services.api.minTasks=1", "platform:services.api.minInstances=2"],
    message: "platform:services.api.minTasks: 1 is not allowed: the deprecated name of services.api.minInstances, which is also set, to 2; keep only services.api.minInstances",
  },
  {
    what: "natGateways and egress both set, to different values",
    stack: "dev",
    set: ["platform:network.natGateways=single", "platform:network.egress=perZone"],
    message: 'platform:network.natGateways: "single" is not allowed: the deprecated name of network.egress (single means shared), which is also set, to "perZone"; keep only network.egress',
  },
  {
    what: "idleTimeoutSeconds and backendTimeoutSeconds both set, to different values",
    stack: "dev",
    set: ["platform:loadBalancer.idleTimeoutSeconds=30", "platform:loadBalancer.backendTimeoutSeconds=60"],
    message: "platform:loadBalancer.idleTimeoutSeconds: 30 is not allowed: the deprecated name of loadBalancer.backendTimeoutSeconds, which is also set, to 60; keep only loadBalancer.backendTimeoutSeconds",
  },
  {
    what: "a backend timeout the ALB cannot set",
    stack: "dev",
    set: ["platform:loadBalancer.backendTimeoutSeconds=4001"],
    message: "platform:loadBalancer.backendTimeoutSeconds: 4001 is not allowed: on AWS this is the ALB idle timeout, which takes 1 to 4000 seconds",
  },
  {
    what: "the same, under the deprecated name: the key as written",
    stack: "dev",
    set: ["platform:loadBalancer.idleTimeoutSeconds=5000"],
    message: "platform:loadBalancer.idleTimeoutSeconds: 5000 is not allowed: on AWS this is the ALB idle timeout, which takes 1 to 4000 seconds",
  },
  {
    what: "a client idle timeout below the ALB keepalive minimum",
    stack: "dev",
    set: ["platform:loadBalancer.clientIdleTimeoutSeconds=30"],
    message: "platform:loadBalancer.clientIdleTimeoutSeconds: 30 is not allowed: on AWS this is the ALB HTTP client keepalive duration, which takes 60 to 604800 seconds (7 days)",
  },
  {
    what: "a timeout beyond any cloud's",
    stack: "dev",
    set: ["platform:loadBalancer.clientIdleTimeoutSeconds=700000"],
    message: "platform:loadBalancer.clientIdleTimeoutSeconds: 700000 is not allowed: expected seconds from 1 to 604800",
  },
  {
    what: "path pattern without a leading slash",
    stack: "dev",
    set: ["platform:services.api.pathPatterns[0]=api/*"],
    message: 'platform:services.api.pathPatterns[0]: "api/*" is not allowed: expected an exact path (/health) or a prefix ending in /* (/api/*); a path starts with /: write /api/*',
  },
  {
    what: "an ALB-only prefix without its slash",
    stack: "dev",
    set: ["platform:services.api.pathPatterns[0]=/api*"],
    message:
      'platform:services.api.pathPatterns[0]: "/api*" is not allowed: a * may only end a prefix, right after a / (a prefix such as /api* is not a form every cloud\'s router can express): write /api/* (and /api as well to route the path itself)',
  },
  {
    what: "a wildcard in the middle of a path",
    stack: "dev",
    set: ["platform:services.api.pathPatterns[0]=/a/*/b"],
    message:
      'platform:services.api.pathPatterns[0]: "/a/*/b" is not allowed: a * may only stand at the end, right after a / (wildcards inside a path or a name are not a form every cloud\'s router can express): route the prefix /a/* instead',
  },
  {
    what: "a suffix wildcard",
    stack: "dev",
    set: ["platform:services.api.pathPatterns[0]=*.jpg"],
    message:
      'platform:services.api.pathPatterns[0]: "*.jpg" is not allowed: a pattern that starts with a wildcard (such as *.jpg) is not a form every cloud\'s router can express; route a path prefix instead, such as /images/*',
  },
  {
    what: "a one-character wildcard",
    stack: "dev",
    set: ["platform:services.api.pathPatterns[0]=/v?/users"],
    message:
      'platform:services.api.pathPatterns[0]: "/v?/users" is not allowed: ? (any one character) is not a form every cloud\'s router can express; expected an exact path (/health) or a prefix ending in /* (/api/*)',
  },
  {
    what: "a path pattern longer than an ALB condition takes",
    stack: "dev",
    set: [`platform:services.api.pathPatterns[0]=/${"a".repeat(130)}/*`],
    message: `platform:services.api.pathPatterns[0]: "/${"a".repeat(130)}/*" is not allowed: an ALB path condition takes at most 128 characters; this pattern has 133`,
  },
  {
    what: "a path character the ALB does not take",
    stack: "dev",
    set: ["platform:services.api.pathPatterns[0]=/a%20b/*"],
    message: 'platform:services.api.pathPatterns[0]: "/a%20b/*" is not allowed: an ALB path condition takes letters, digits and _ - . $ / ~ " \' @ : + & only (no percent-escapes)',
  },
  {
    what: "more path patterns than an ALB rule matches",
    stack: "dev",
    set: ["a", "b", "c", "d", "e", "f"].map((p, i) => `platform:services.api.pathPatterns[${i}]=/${p}/*`),
    message:
      'platform:services.api.pathPatterns: ["/a/*","/b/*","/c/*","/d/*","/e/*","/f/*"] is not allowed: an ALB listener rule matches at most 5 path patterns (condition values per rule); this service has 6',
  },
  {
    what: "a path routed to two services",
    stack: "dev",
    set: ["platform:services.web.port=3000", "platform:services.web.pathPatterns[0]=/api/*"],
    message: 'platform:services.web.pathPatterns[0]: "/api/*" is not allowed: already routed to service api',
  },
  {
    what: "health check path without a leading slash",
    stack: "dev",
    set: ["platform:services.api.healthCheckPath=health"],
    message: 'platform:services.api.healthCheckPath: "health" is not allowed: expected a URL path starting with /',
  },
  {
    what: "a secret as a plain env var (its value is not repeated)",
    stack: "dev",
    set: ["platform:services.api.env.DB_PASSWORD=hunter2"],
    message:
      "platform:services.api.env.DB_PASSWORD: looks like a secret; plain env vars end up in state and in service definitions. Declare it in platform:secrets and list it in platform:services.api.secrets (now: JWT_SECRET, ANTHROPIC_API_KEY)",
    mustNotContain: ["hunter2"],
  },
  {
    what: "env var ENVIRONMENT, which the platform sets",
    stack: "dev",
    set: ["platform:services.api.env.ENVIRONMENT=prod"],
    message: 'platform:services.api.env.ENVIRONMENT: "prod" is not allowed: ENVIRONMENT is reserved: the platform sets it from platform:environment; remove it from services.api.env',
  },
  {
    what: "env var DATA_STORE_URL, which the platform sets on every cloud",
    stack: "dev",
    set: ["platform:services.api.env.DATA_STORE_URL=s3://mine"],
    message: 'platform:services.api.env.DATA_STORE_URL: "s3://mine" is not allowed: DATA_STORE_URL is reserved: the platform sets it from the platform\'s data store; remove it from services.api.env',
  },
  {
    what: "env var DATA_BUCKET, which the platform sets on AWS",
    stack: "dev",
    set: ["platform:services.api.env.DATA_BUCKET=mine"],
    message:
      'platform:services.api.env.DATA_BUCKET: "mine" is not allowed: DATA_BUCKET is reserved on AWS: the platform sets it to the data store\'s S3 bucket name (the name model v1 used; DATA_STORE_URL holds s3://<bucket>); remove it from services.api.env',
  },
  {
    what: "env var LOG_LEVEL, which the platform sets",
    stack: "dev",
    set: ["platform:services.api.env.LOG_LEVEL=trace"],
    message: 'platform:services.api.env.LOG_LEVEL: "trace" is not allowed: LOG_LEVEL is reserved: the platform sets it from platform:logs.level',
  },
  {
    what: "env var name starting with a digit",
    stack: "dev",
    set: ["platform:services.api.env.1WORKERS=2"],
    message: 'platform:services.api.env.1WORKERS: "1WORKERS" is not allowed: expected an env var name: letters, digits and _, not starting with a digit',
  },
  {
    what: "production image tag latest",
    stack: "production",
    set: ["platform:services.api.imageTag=latest"],
    message: 'platform:services.api.imageTag: "latest" is not allowed: image tags are immutable here (platform:immutableImageTags, on in production); set a release tag (e.g. 1.4.2) or a full image reference in services.api.image',
  },
  // Secrets
  {
    what: "a secret reference that is not declared",
    stack: "dev",
    set: ["platform:services.api.secrets[0]=DB_URL"],
    message: 'platform:services.api.secrets[0]: "DB_URL" is not allowed: not declared in platform:secrets (declared: JWT_SECRET, ANTHROPIC_API_KEY)',
  },
  {
    what: "secret name not in env-var style",
    stack: "dev",
    set: ["platform:secrets.db-url.source=external"],
    message: 'platform:secrets.db-url: "db-url" is not allowed: expected an env-var style secret name: uppercase letters, digits and _, starting with a letter (e.g. JWT_SECRET)',
  },
  {
    what: "secret source",
    stack: "dev",
    set: ["platform:secrets.DB_URL.source=vault"],
    message: 'platform:secrets.DB_URL.source: "vault" is not allowed: expected one of: generated, external',
  },
  // Logs and backup
  {
    what: "log retention CloudWatch does not offer",
    stack: "dev",
    set: ["platform:logs.appRetentionDays=10"],
    message: "platform:logs.appRetentionDays: 10 is not allowed: CloudWatch Logs accepts 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
  },
  { what: "log level", stack: "dev", set: ["platform:logs.level=verbose"], message: 'platform:logs.level: "verbose" is not allowed: expected one of: debug, info, warn, error' },
  {
    what: "daily backups kept longer than AWS Backup allows for them here",
    stack: "dev",
    set: ["platform:backup.dailyRetentionDays=40"],
    message: "platform:backup.dailyRetentionDays: 40 is not allowed: expected days from 1 to 35",
  },
  {
    what: "backup copies to the stack's own region",
    stack: "production",
    set: ["platform:backup.copyRegion=us-east-1"],
    message: 'platform:backup.copyRegion: "us-east-1" is not allowed: a backup copy must go to a region other than the stack\'s own (us-east-1)',
  },
  {
    what: "production in a region without a default copy region",
    stack: "production",
    set: ["aws:region=ap-northeast-2"],
    message: "platform:backup.copyRegion: required in production for region ap-northeast-2: name the region that holds the backup copies",
  },
  // Load balancer
  {
    what: "production without a domain or certificate",
    stack: "dev",
    set: ["platform:environment=production", "platform:services.api.imageTag=1.0.0"],
    message:
      "platform:loadBalancer.domain: required in production: set loadBalancer.domain (with loadBalancer.dnsZone) or loadBalancer.certificate so the load balancer serves HTTPS",
  },
  {
    what: "staging without a domain or certificate",
    stack: "dev",
    set: ["platform:environment=staging"],
    message: "platform:loadBalancer.domain: required in staging: set loadBalancer.domain (with loadBalancer.dnsZone) or loadBalancer.certificate",
  },
  {
    what: "a domain without the DNS zone that validates its certificate",
    stack: "dev",
    set: ["platform:loadBalancer.domain=app.example.com"],
    message: "platform:loadBalancer.dnsZone: required with loadBalancer.domain app.example.com unless loadBalancer.certificate is set",
  },
  {
    what: "domain in capitals",
    stack: "dev",
    set: ["platform:loadBalancer.domain=App.Example.com", "platform:loadBalancer.dnsZone=Z0123456789ABCDEFGHIJ"],
    message: 'platform:loadBalancer.domain: "App.Example.com" is not allowed: expected a lowercase DNS name such as app.example.com',
  },
  {
    what: "DNS zone that is not a hosted zone id",
    stack: "dev",
    set: ["platform:loadBalancer.domain=app.example.com", "platform:loadBalancer.dnsZone=example.com"],
    message: 'platform:loadBalancer.dnsZone: "example.com" is not allowed: expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
  },
  {
    what: "certificate that is not an ACM ARN",
    stack: "dev",
    set: ["platform:loadBalancer.certificate=arn:aws:acm:us-east-1:123:cert"],
    message: 'platform:loadBalancer.certificate: "arn:aws:acm:us-east-1:123:cert" is not allowed: expected an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
  },
  {
    what: "certificate in another region (the ARN is shown whole)",
    stack: "production",
    set: [`platform:loadBalancer.certificate=${goodCertificate("eu-west-1")}`],
    message: `platform:loadBalancer.certificate: "${goodCertificate("eu-west-1")}" is not allowed: an ALB needs a certificate in its own region us-east-1, not eu-west-1`,
  },
  {
    what: "rate limit window WAF does not offer",
    stack: "dev",
    set: ["platform:loadBalancer.rateLimit.windowSeconds=30"],
    message: "platform:loadBalancer.rateLimit.windowSeconds: 30 is not allowed: expected one of: 60, 120, 300, 600",
  },
  {
    what: "rate limit below WAF's minimum",
    stack: "dev",
    set: ["platform:loadBalancer.rateLimit.requests=5"],
    message: "platform:loadBalancer.rateLimit.requests: 5 is not allowed: expected requests from 10 to 2000000000",
  },
  // Alarms
  {
    what: "alarm webhook in plain text",
    stack: "dev",
    set: [`platform:alarmWebhooks[0]=https://hooks.slack.com/services/${slackToken}`],
    message: "platform:alarmWebhooks: webhook URLs carry credentials; set them with `pulumi config set --secret --path 'platform:alarmWebhooks[0]' https://...`",
    mustNotContain: [slackToken],
  },
  {
    what: "pager webhook in plain text",
    stack: "production",
    set: [`platform:pagerWebhooks[0]=https://events.pager.example.com/${slackToken}`],
    message: "platform:pagerWebhooks: webhook URLs carry credentials; set them with `pulumi config set --secret --path 'platform:pagerWebhooks[0]' https://...`",
    mustNotContain: [slackToken],
  },
  {
    what: "secret webhook that is not https (its value is not repeated)",
    stack: "dev",
    setSecret: [`platform:alarmWebhooks[0]=http://hooks.slack.com/services/${slackToken}`],
    message: "platform:alarmWebhooks[0]: the secret value is not allowed: expected an https:// URL",
    mustNotContain: [slackToken],
  },
  {
    what: "CPU warning threshold at the critical one",
    stack: "dev",
    set: ["platform:alarms.thresholds.cpuWarningPercent=90"],
    message: "platform:alarms.thresholds.cpuWarningPercent: 90 is not allowed: must be below alarms.thresholds.cpuCriticalPercent (90)",
  },
  {
    what: "p99 warning threshold above the critical one",
    stack: "production",
    set: ["platform:alarms.thresholds.latencyP99WarningMs=2000"],
    message: "platform:alarms.thresholds.latencyP99WarningMs: 2000 is not allowed: must be below alarms.thresholds.latencyP99CriticalMs (1000)",
  },
  {
    what: "alarm email that is not one",
    stack: "production",
    set: ["platform:alarms.emails[0]=oncall.example.com"],
    message: 'platform:alarms.emails[0]: "oncall.example.com" is not allowed: expected an email address',
  },
];

function configError(result: SynthResult): ConfigError {
  expect(result.error).toBeInstanceOf(ConfigError);
  return result.error as ConfigError;
}

describe("a wrong value in a stack file", () => {
  it.each(badValues.map((c) => [c.what, c] as const))("%s: one message naming key, value and rule; nothing created", async (_what, c) => {
    await expectRefused(c);
  });

  it("lists shape problems and rule problems of one config in one error", async () => {
    const result = await runProgram({
      stack: "dev",
      set: [
        "platform:services.api.port=70000",
        "platform:servics.api.port=1",
        "platform:logs.level=verbose",
        "platform:alarms.emails[0]=nobody",
        "platform:services.api.minInstances=3",
        "platform:network.cidr=10.0.0.1/16",
      ],
    });
    const error = configError(result);
    expect(error.message).toContain("Invalid stack config (6 problems); nothing was created:");
    expect(error.message).toContain("  - platform:services.api.minInstances: 3 is not allowed: must not exceed maxInstances (2)");
    expect(error.message).toContain('  - platform:network.cidr: "10.0.0.1/16" is not allowed: host bits are set; did you mean 10.0.0.0/16?');
    expect(error.message).toContain("  - platform:services.api.port: 70000 is not allowed: expected a port from 1 to 65535");
    expect(error.message).toContain('  - platform:servics: unknown key; did you mean "services"?');
    expect(error.message).toContain('  - platform:logs.level: "verbose" is not allowed: expected one of: debug, info, warn, error');
    expect(error.message).toContain('  - platform:alarms.emails[0]: "nobody" is not allowed: expected an email address');
    expect(result.resources).toEqual([]);
  });

  it("lists every rule and cloud-limit problem of one config in one error", async () => {
    const result = await runProgram({
      stack: "production",
      set: [
        "platform:services.api.minInstances=1",
        "platform:network.cidr=8.8.8.0/24",
        "platform:logs.appRetentionDays=10",
        "platform:services.api.cpu=3",
        "platform:services.api.env.ENVIRONMENT=x",
        "platform:backup.copyRegion=us-east-1",
      ],
    });
    const error = configError(result);
    expect(error.problems.map((p) => p.key).sort()).toEqual(
      [
        "platform:backup.copyRegion",
        "platform:logs.appRetentionDays",
        "platform:network.cidr",
        "platform:services.api.cpu",
        "platform:services.api.env.ENVIRONMENT",
        "platform:services.api.minInstances",
      ].sort(),
    );
    expect(error.message).toContain("Invalid stack config (6 problems); nothing was created:");
    for (const p of error.problems) expect(error.message).toContain(`\n  - ${p.key}: `);
    expect(result.resources).toEqual([]);
  });
});

describe("webhooks", () => {
  it("accepts a webhook set as a secret and keeps its URL out of every input", async () => {
    const url = `https://hooks.slack.com/services/${slackToken}`;
    const result = await runProgram({ stack: "dev", setSecret: [`platform:alarmWebhooks[0]=${url}`] });
    expect(result.error).toBeUndefined();
    const hooks = result.resources.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription" && r.inputs.protocol === "https");
    // One subscription per severity topic, its endpoint secret.
    expect(hooks.map((h) => h.name).sort()).toEqual(["alarms-critical-webhook-0", "alarms-warning-webhook-0"]);
    for (const hook of hooks) expect(hook.secretPaths).toContain("endpoint");
    expect(JSON.stringify(result.resources)).not.toContain(slackToken);
    expect(JSON.stringify(result.outputs)).not.toContain(slackToken);
  });
});

describe("declared secrets", () => {
  it("reach the service by reference only, next to the seed secrets", async () => {
    const result = await runProgram({
      stack: "dev",
      set: [
        "platform:secrets.DB_URL.source=external",
        "platform:services.api.secrets[0]=JWT_SECRET",
        "platform:services.api.secrets[1]=ANTHROPIC_API_KEY",
        "platform:services.api.secrets[2]=DB_URL",
      ],
    });
    expect(result.error).toBeUndefined();
    const secrets = result.resources.filter((r) => r.type === "aws:secretsmanager/secret:Secret").map((r) => r.inputs.name);
    expect(secrets.sort()).toEqual(["platform/dev/ANTHROPIC_API_KEY", "platform/dev/DB_URL", "platform/dev/JWT_SECRET"]);
    const task = result.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
    const [container] = JSON.parse(task.inputs.containerDefinitions as string) as { environment: { name: string }[]; secrets: { name: string; valueFrom: string }[] }[];
    // The database credentials follow as the platform's own references (README: the database).
    expect(container.secrets.map((s) => s.name)).toEqual(["JWT_SECRET", "ANTHROPIC_API_KEY", "DB_URL", "DATABASE_USER", "DATABASE_PASSWORD"]);
    expect(container.secrets.every((s) => s.valueFrom.startsWith("arn:aws:secretsmanager:"))).toBe(true);
    expect(container.environment.map((e) => e.name)).not.toContain("DB_URL");
  });
});

describe("the committed stack files", () => {
  it.each([
    ["dev", ["platform:loadBalancer.domain is not set: the dev load balancer serves plain HTTP on port 80. Set a domain (and dnsZone) or a certificate for HTTPS."]],
    ["staging", []],
    ["production", ["No pager in production: set platform:pagerWebhooks (secret) so critical alarms page the on-call engineer."]],
  ])("%s runs without a config error, with only the expected warnings", async (stack, warnings) => {
    const result = await runProgram({ stack });
    expect(result.error).toBeUndefined();
    expect(result.warnings).toEqual(warnings);
    expect(result.resources.filter((r) => r.type === "aws:ecs/service:Service")).toHaveLength(1);
  });

  it("dev without a domain is a warning, and the load balancer listens on HTTP only", async () => {
    const result = await runProgram({ stack: "dev" });
    expect(result.error).toBeUndefined();
    expect(result.warnings.some((w) => w.includes("platform:loadBalancer.domain is not set"))).toBe(true);
    const listeners = result.resources.filter((r) => r.type === "aws:lb/listener:Listener");
    expect(listeners.map((l) => [l.inputs.port, l.inputs.protocol])).toEqual([[80, "HTTP"]]);
  });

  // The validation must not refuse what the cloud accepts: the edges of each range are allowed.
  it.each([
    ["dev", ["platform:services.api.port=1"]],
    ["dev", ["platform:services.api.port=65535"]],
    ["dev", ["platform:services.api.cpu=0.25", "platform:services.api.memory=512"]],
    ["dev", ["platform:services.api.cpu=16", "platform:services.api.memory=122880"]],
    ["dev", ["platform:services.api.cpu=0.5", "platform:services.api.memory=4096"]],
    ["dev", ["platform:loadBalancer.backendTimeoutSeconds=1", "platform:loadBalancer.clientIdleTimeoutSeconds=60"]],
    ["dev", ["platform:loadBalancer.backendTimeoutSeconds=4000", "platform:loadBalancer.clientIdleTimeoutSeconds=604800"]],
    ["dev", ["platform:services.api.pathPatterns[0]=/api/v1/health", "platform:services.api.pathPatterns[1]=/api/*", "platform:services.api.pathPatterns[2]=/a.b_c-d~e$f@g:h+i&j'k/*"]],
    ["dev", ["platform:logs.appRetentionDays=3653", "platform:logs.auditRetentionDays=1"]],
    ["dev", ["platform:loadBalancer.rateLimit.requests=10", "platform:loadBalancer.rateLimit.windowSeconds=600"]],
    ["dev", ["platform:network.cidr=192.168.0.0/22", "platform:network.zones=2"]],
    ["dev", ["platform:network.zones=6"]],
    ["dev", [`platform:loadBalancer.certificate=${goodCertificate("us-east-1")}`]],
    ["production", ["platform:services.api.minInstances=2", "platform:services.api.maxInstances=2"]],
    ["production", ["platform:backup.copyRegion=eu-west-1"]],
  ])("%s accepts %j", async (stack, set) => {
    const result = await runProgram({ stack, set });
    expect(result.error).toBeUndefined();
    expect(result.resources.length).toBeGreaterThan(0);
  });
});

describe("loadPlatformSpec", () => {
  const stackConfig = (values: Record<string, unknown>, secretKeys: string[] = []): StackConfig => ({
    project: "platform",
    stack: "unit",
    values: Object.fromEntries(
      Object.entries({ "platform:cloud": "aws", "platform:environment": "dev", "aws:region": "us-east-1", ...values }).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    secretKeys: new Set(secretKeys),
  });

  it("merges a service override onto the seed service: only the port changes", () => {
    const { spec } = loadPlatformSpec(stackConfig({ "platform:services": { api: { port: 9000 } } }));
    expect(spec.services.api).toMatchObject({
      port: 9000,
      healthCheckPath: "/api/v1/health",
      pathPatterns: ["/api/*"],
      secrets: ["JWT_SECRET", "ANTHROPIC_API_KEY"],
      cpu: 1,
      memory: 2048,
      minInstances: 1,
      maxInstances: 2,
      cpuTarget: 70,
    });
  });

  it("gives the seed services their ports and health paths", () => {
    const { spec } = loadPlatformSpec(
      stackConfig({ "platform:services": { frontend: {}, auth: {}, tenant: {}, settings: {}, api: { pathPatterns: ["/api/v1/*"] } } }),
    );
    expect(Object.fromEntries(Object.entries(spec.services).map(([name, s]) => [name, [s.port, s.healthCheckPath]]))).toEqual({
      frontend: [3000, "/health"],
      auth: [8001, "/health"],
      tenant: [8002, "/health"],
      settings: [8003, "/health"],
      api: [8001, "/api/v1/health"],
    });
  });

  it("takes the environment preset and lets each value be overridden", () => {
    const production = loadPlatformSpec(
      stackConfig({ "platform:environment": "production", "platform:loadBalancer": { certificate: goodCertificate("us-east-1") }, "platform:services": { api: { imageTag: "1.0.0" } } }),
    ).spec;
    expect(production.network.zones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(production.network.egress).toBe("perZone");
    expect(production.deletionProtection).toBe(true);
    expect(production.logs).toEqual({ level: "warn", appRetentionDays: 30, auditRetentionDays: 365 });
    expect(production.backup).toMatchObject({ dailyRetentionDays: 7, weeklyRetentionWeeks: 4, monthlyRetentionMonths: 12, copyRegion: "us-west-2" });
    expect([production.services.api.minInstances, production.services.api.maxInstances]).toEqual([2, 10]);

    const overridden = loadPlatformSpec(
      stackConfig({
        "platform:environment": "production",
        "platform:loadBalancer": { certificate: goodCertificate("us-east-1") },
        "platform:services": { api: { imageTag: "1.0.0", minInstances: 3, maxInstances: 20 } },
        "platform:network": { egress: "shared", zones: 2 },
        "platform:logs": { level: "info" },
        "platform:deletionProtection": false,
        "platform:acceptRisks": ["deletionProtection"],
      }),
    ).spec;
    expect(overridden.network.zones).toHaveLength(2);
    expect(overridden.network.egress).toBe("shared");
    expect(overridden.logs.level).toBe("info");
    expect(overridden.deletionProtection).toBe(false);
    expect([overridden.services.api.minInstances, overridden.services.api.maxInstances]).toEqual([3, 20]);
  });

  it("adds declared secrets to the seed ones instead of dropping JWT_SECRET and ANTHROPIC_API_KEY", () => {
    const { spec } = loadPlatformSpec(
      stackConfig({ "platform:secrets": { DB_URL: { source: "external" } }, "platform:services": { api: { secrets: ["JWT_SECRET", "ANTHROPIC_API_KEY", "DB_URL"] } } }),
    );
    expect(spec.secrets).toEqual({
      JWT_SECRET: { source: "generated", length: 64 },
      ANTHROPIC_API_KEY: { source: "external", length: 64 },
      DB_URL: { source: "external", length: 64 },
    });
    expect(spec.services.api.secrets).toEqual(["JWT_SECRET", "ANTHROPIC_API_KEY", "DB_URL"]);
  });

  it("keeps a plain image tag a string (1.10 is not the number 1.1)", () => {
    const { spec } = loadPlatformSpec(stackConfig({ "platform:services": { api: { imageTag: "1.10" } } }));
    expect(spec.services.api.imageTag).toBe("1.10");
  });

  it("throws one ConfigError carrying each problem's key and value, shape and rule problems alike", () => {
    let thrown: unknown;
    try {
      loadPlatformSpec(stackConfig({ "platform:services": { api: { port: 70000, minInstances: 5 }, worker: { port: "x" } } }));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    // The refused worker port is reported once, not again as "required" when the rules run without it.
    expect((thrown as ConfigError).problems).toEqual([
      { key: "platform:services.api.port", value: 70000, message: "expected a port from 1 to 65535" },
      { key: "platform:services.worker.port", value: "x", message: "expected a port from 1 to 65535" },
      { key: "platform:services.api.minInstances", value: 5, message: "must not exceed maxInstances (2)" },
    ]);
  });

  it("never repeats a secret value in a problem", () => {
    expect(() =>
      loadPlatformSpec(stackConfig({ "platform:alarmWebhooks": [`ftp://hooks.example.com/${slackToken}`] }, ["platform:alarmWebhooks"])),
    ).toThrow(/^(?![\s\S]*XXXXXXXX)[\s\S]*platform:alarmWebhooks\[0\]: the secret value is not allowed: expected an https:\/\/ URL/);
  });
});
