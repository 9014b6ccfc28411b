// Load balancer on AWS: an ALB in the public subnets behind a WAFv2 rate limit, an HTTPS listener
// with an explicit TLS policy and the security headers, HTTP redirected to HTTPS, one target group
// and one listener rule per service, access logs, and deletion protection where the spec asks.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { LoadBalancerOutputs, NetworkOutputs, SecretsStoreOutputs } from "../model";
import { shortHash } from "../naming";
import { rulePriorities } from "./listenerRules";
import { callerArnParts, child, keptWith, tags } from "./options";
import { privateBucket } from "./privateBucket";
import { webAclNames } from "./resourceNames";

/** The ALB default is a 2016 policy that allows TLS 1.0; this one allows TLS 1.2 and 1.3 only. */
export const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Regions opened before August 2022 deliver ALB access logs as a regional ELB account (Elastic Load
 * Balancing user guide, "Enable access logs"); newer regions use the log-delivery service principal.
 */
const elbLogAccounts: Record<string, string> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "ca-central-1": "985666609251",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-central-1": "054676820928",
  "eu-north-1": "897822967062",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-south-1": "718504428378",
  "sa-east-1": "507241528517",
};

export function loadBalancer(ctx: BlockContext, deps: { network: NetworkOutputs; secrets: SecretsStoreOutputs }): LoadBalancerOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const lbSpec = spec.loadBalancer;
  const keep = spec.deletionProtection;

  const securityGroup = new aws.ec2.SecurityGroup(
    `${n}-sg`,
    { name: names.name("awsSecurityGroup", "lb"), description: "Public HTTP(S) entry to the platform load balancer", vpcId: deps.network.networkId, tags: tags(ctx) },
    child(ctx),
  );
  const listenerPorts = lbSpec.https ? [80, 443] : [80];
  for (const port of listenerPorts) {
    new aws.vpc.SecurityGroupIngressRule(
      `${n}-sg-in-${port}`,
      { securityGroupId: securityGroup.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0", description: `HTTP${port === 443 ? "S" : ""} from the internet`, tags: tags(ctx) },
      child(ctx),
    );
  }
  // The ALB only ever talks to targets inside the VPC.
  new aws.vpc.SecurityGroupEgressRule(
    `${n}-sg-out-vpc`,
    { securityGroupId: securityGroup.id, ipProtocol: "tcp", fromPort: 1, toPort: 65535, cidrIpv4: spec.network.cidr, description: "To service tasks in the VPC", tags: tags(ctx) },
    child(ctx),
  );

  let accessLogs: aws.types.input.lb.LoadBalancerAccessLogs | undefined;
  let logBucketPolicy: aws.s3.BucketPolicy | undefined;
  if (lbSpec.accessLogs) {
    const { accountId, partition } = callerArnParts(ctx);
    const elbAccount = elbLogAccounts[spec.region];
    const writer = elbAccount ? { AWS: pulumi.interpolate`arn:${partition}:iam::${elbAccount}:root` } : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
    // ALB access logs support SSE-S3 only, not KMS keys.
    const logs = privateBucket(ctx, "logs", {
      allow: (arn) => [{ Sid: "AlbWritesAccessLogs", Effect: "Allow", Principal: writer, Action: "s3:PutObject", Resource: pulumi.interpolate`${arn}/alb/AWSLogs/${accountId}/*` }],
    });
    const logBucket = logs.bucket;
    logBucketPolicy = logs.policy;
    new aws.s3.BucketLifecycleConfiguration(
      `${n}-logs-lifecycle`,
      { bucket: logBucket.id, rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: spec.logs.auditRetentionDays } }] },
      // A retained log bucket keeps expiring its logs.
      keptWith(ctx),
    );
    accessLogs = { bucket: logBucket.id, prefix: "alb", enabled: true };
  }

  const alb = new aws.lb.LoadBalancer(
    `${n}-alb`,
    {
      name: names.name("awsLoadBalancer"),
      loadBalancerType: "application",
      internal: false,
      securityGroups: [securityGroup.id],
      subnets: deps.network.publicSubnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: keep,
      // The backend wait: the ALB closes a connection idle this long, so a slower response is a 504.
      idleTimeout: lbSpec.backendTimeoutSeconds,
      // Absent: the ALB default (3600 s); left out so that stacks that never set it see no change.
      clientKeepAlive: lbSpec.clientIdleTimeoutSeconds,
      accessLogs,
      tags: tags(ctx),
    },
    child(ctx, { dependsOn: logBucketPolicy ? [logBucketPolicy] : [] }),
  );

  // WAFv2: at most `requests` per window per client IP (seed 000: 100 per 60 s).
  const wafNames = webAclNames(names);
  const aclName = wafNames.acl;
  const webAcl = new aws.wafv2.WebAcl(
    `${n}-waf`,
    {
      name: aclName,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rules: [
        {
          name: "rate-limit-per-ip",
          priority: 1,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: { rateBasedStatement: { limit: lbSpec.rateLimit.requests, evaluationWindowSec: lbSpec.rateLimit.windowSeconds, aggregateKeyType: "IP" } },
          visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: wafNames.rateRule, sampledRequestsEnabled: true },
        },
      ],
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: aclName, sampledRequestsEnabled: true },
      tags: tags(ctx),
    },
    child(ctx),
  );
  new aws.wafv2.WebAclAssociation(`${n}-waf-association`, { resourceArn: alb.arn, webAclArn: webAcl.arn }, child(ctx));

  // Target groups: `ip` targets for Fargate. The name carries a hash of the fields that force a
  // replacement, so a changed port creates the new group before the old one is deleted.
  const backendIds: Record<string, pulumi.Output<string>> = {};
  const backendMetricsIds: Record<string, pulumi.Output<string>> = {};
  const targetGroups: Record<string, aws.lb.TargetGroup> = {};
  for (const [svcName, svc] of Object.entries(spec.services)) {
    const tg = new aws.lb.TargetGroup(
      `${n}-tg-${svcName}`,
      {
        name: names.name("awsTargetGroup", svcName, shortHash(`${svc.port}/HTTP/ip`, 4)),
        port: svc.port,
        protocol: "HTTP",
        targetType: "ip",
        vpcId: deps.network.networkId,
        deregistrationDelay: 30,
        healthCheck: { enabled: true, path: svc.healthCheckPath, protocol: "HTTP", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
        tags: tags(ctx),
      },
      child(ctx),
    );
    targetGroups[svcName] = tg;
    backendMetricsIds[svcName] = tg.arnSuffix;
  }

  const headers = lbSpec.securityHeaders;
  const headerAttributes = {
    routingHttpResponseXContentTypeOptionsHeaderValue: headers.contentTypeOptions,
    routingHttpResponseXFrameOptionsHeaderValue: headers.frameOptions,
    routingHttpResponseContentSecurityPolicyHeaderValue: headers.contentSecurityPolicy,
    routingHttpResponseServerEnabled: false,
  };
  const notFound = { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" } };
  let routingListener: aws.lb.Listener;
  let certificateArn: pulumi.Input<string> | undefined = lbSpec.certificate;
  if (lbSpec.https) {
    if (!certificateArn && lbSpec.domain && lbSpec.dnsZone) certificateArn = issueCertificate(ctx, lbSpec.domain, lbSpec.dnsZone);
    routingListener = new aws.lb.Listener(
      `${n}-https`,
      {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: tlsPolicy,
        certificateArn,
        defaultActions: [notFound],
        ...headerAttributes,
        routingHttpResponseStrictTransportSecurityHeaderValue: headers.strictTransportSecurity,
        tags: tags(ctx),
      },
      child(ctx),
    );
    new aws.lb.Listener(
      `${n}-http-redirect`,
      {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        tags: tags(ctx),
      },
      child(ctx),
    );
  } else {
    // Dev without a certificate: plain HTTP (config validation warns). HSTS is meaningless over HTTP.
    routingListener = new aws.lb.Listener(
      `${n}-http`,
      { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [notFound], ...headerAttributes, tags: tags(ctx) },
      child(ctx),
    );
  }

  const priorities = rulePriorities(spec.services);
  for (const [svcName, svc] of Object.entries(spec.services)) {
    const rule = new aws.lb.ListenerRule(
      `${n}-rule-${svcName}`,
      {
        listenerArn: routingListener.arn,
        priority: priorities[svcName],
        conditions: [{ pathPattern: { values: svc.pathPatterns } }],
        actions: [{ type: "forward", targetGroupArn: targetGroups[svcName].arn }],
        tags: tags(ctx),
      },
      child(ctx),
    );
    // ECS refuses a target group that no listener uses yet: the ARN handed to the service
    // resolves only once the rule exists, so the service waits for it.
    backendIds[svcName] = pulumi.all([targetGroups[svcName].arn, rule.arn]).apply(([arn]) => arn);
  }

  const hostname = lbSpec.domain ? pulumi.output(lbSpec.domain) : alb.dnsName;
  if (lbSpec.domain && lbSpec.dnsZone) {
    new aws.route53.Record(
      `${n}-alias`,
      { zoneId: lbSpec.dnsZone, name: lbSpec.domain, type: "A", aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
      child(ctx),
    );
  }
  return {
    url: pulumi.interpolate`${lbSpec.https ? "https" : "http"}://${hostname}`,
    hostname,
    loadBalancerId: alb.arn,
    ingressSourceId: securityGroup.id,
    backendIds,
    metricsId: alb.arnSuffix,
    backendMetricsIds,
    certificateId: certificateArn === undefined ? undefined : pulumi.output(certificateArn),
  };
}

/** An ACM certificate for the domain, validated through DNS records in the given Route 53 zone. */
function issueCertificate(ctx: BlockContext, domain: string, zoneId: string): pulumi.Output<string> {
  const n = ctx.name;
  const certificate = new aws.acm.Certificate(
    `${n}-certificate`,
    { domainName: domain, validationMethod: "DNS", keyAlgorithm: "EC_prime256v1", tags: tags(ctx) },
    child(ctx, { deleteBeforeReplace: false }),
  );
  // One record for the single domain name: the first validation option.
  const option = certificate.domainValidationOptions[0];
  const record = new aws.route53.Record(
    `${n}-certificate-validation-record`,
    { zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
    child(ctx),
  );
  const validation = new aws.acm.CertificateValidation(
    `${n}-certificate-validation`,
    { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
    child(ctx),
  );
  return validation.certificateArn;
}
