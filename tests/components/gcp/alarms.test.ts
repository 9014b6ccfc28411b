// GCP notification channels and the checks that depend on routing: webhook URLs stay secret, the pager
// gets critical alarms only, and an uptime check must reach the service it checks.
import { named, ofType } from "../../harness/queries";
import { runGcp } from "./run";

describe("GCP notification channels", () => {
  it("e-mail to both severities; webhooks with their URL as a secret; the pager critical only", async () => {
    const r = await runGcp("staging", { setSecret: ["platform:alarmWebhooks[0]=https://hooks.example.com/T000/B000/XXXX", "platform:pagerWebhooks[0]=https://events.example.com/integration/abc"] });
    expect(r.error).toBeUndefined();
    const webhook = named(r, "alarms-webhook-0");
    expect(webhook.inputs.type).toBe("webhook_tokenauth");
    expect(webhook.inputs.labels).toBe("[secret]");
    expect(webhook.additionalSecretOutputs).toContain("labels");
    expect(JSON.stringify(r.resources)).not.toContain("hooks.example.com");
    const targets = r.outputs.alarmTargets as { warning: string; critical: string };
    expect(targets.warning.split(",")).toHaveLength(2);
    expect(targets.critical.split(",")).toHaveLength(3);
    expect(named(r, "alarms-email-0").inputs).toMatchObject({ type: "email", labels: { email_address: "platform-oncall@example.com" } });
    const critical = named(r, "alarms-api-5xx-rate").inputs.notificationChannels as string[];
    const warning = named(r, "alarms-api-cpu-warning").inputs.notificationChannels as string[];
    expect(critical).toHaveLength(3);
    expect(warning).toHaveLength(2);
  });

  it("watches the certificate's days to expiry through the uptime check, over HTTPS only", async () => {
    const r = await runGcp("production");
    const conditions = named(r, "alarms-certificate-expiry-critical").inputs.conditions as { conditionThreshold: { thresholdValue: number; filter: string } }[];
    expect(conditions[0].conditionThreshold.thresholdValue).toBe(14);
    expect(conditions[0].conditionThreshold.filter).toContain("uptime_check/time_until_ssl_cert_expires");
    expect(ofType(await runGcp("dev", { set: ["platform:observability.uptimeChecks=true"] }), "gcp:monitoring/alertPolicy:AlertPolicy").filter((p) => p.name.includes("certificate"))).toEqual([]);
  });

  it("refuses an uptime check of a health path the URL map sends to another service", async () => {
    const r = await runGcp("staging", { set: ["platform:services.auth.port=8001"] });
    expect(r.error?.message).toContain(
      'platform:services.auth.healthCheckPath: "/health" is not allowed: the uptime check requests it through the load balancer, whose URL map sends it nowhere (404); use a path under this service\'s patterns (/auth/*)',
    );
  });
});
