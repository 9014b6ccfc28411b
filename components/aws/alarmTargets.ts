// Who an alarm topic reaches: the same people for every topic of a severity, wherever the topic is
// (the stack's region, or us-east-1 for the uptime alarms of a stack elsewhere).
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { Severity } from "../model";
import { child } from "./options";

/**
 * Emails and chat webhooks on every topic, the pager on critical ones only. `prefix` starts every
 * subscription's logical name; `region` places them with a topic outside the stack's region.
 */
export function subscribeAlarmTargets(ctx: BlockContext, prefix: string, topicArn: pulumi.Output<string>, severity: Severity, region?: string): void {
  const a = ctx.spec.alarms;
  const where = region === undefined ? {} : { region };
  a.emails.forEach((email) => {
    new aws.sns.TopicSubscription(`${prefix}-email-${email}`, { ...where, topic: topicArn, protocol: "email", endpoint: email }, child(ctx));
  });
  // Keyed by position: the URLs are secret, so they cannot appear in logical names.
  for (let i = 0; i < a.webhookCount; i++) {
    webhookSubscription(ctx, `${prefix}-webhook-${i}`, topicArn, a.webhooks.apply((urls) => urls[i]), false, where);
  }
  if (severity !== "critical") return;
  for (let i = 0; i < a.pagerWebhookCount; i++) {
    // Pager services (PagerDuty, Opsgenie) confirm SNS subscriptions themselves.
    webhookSubscription(ctx, `${prefix}-pager-${i}`, topicArn, a.pagerWebhooks.apply((urls) => urls[i]), true, where);
  }
}

/**
 * An https subscription: the endpoint must answer SNS's subscription confirmation (pager services
 * do; a Slack incoming webhook does not and needs AWS Chatbot or a forwarder, see the README).
 */
function webhookSubscription(ctx: BlockContext, name: string, topicArn: pulumi.Output<string>, url: pulumi.Output<string>, autoConfirms: boolean, where: { region?: string }): void {
  new aws.sns.TopicSubscription(
    name,
    { ...where, topic: topicArn, protocol: "https", endpoint: pulumi.secret(url), endpointAutoConfirms: autoConfirms },
    child(ctx, { additionalSecretOutputs: ["endpoint"] }),
  );
}
