// Webhook endpoints must be reachable from the internet: no missing host, no loopback, link-local,
// private, CGNAT, unspecified or internal names, however the address is spelled.
import { webhookUrlProblem } from "../../stacks/webhookUrls";

const refused: [string, string][] = [
  ["https://localhost/hook", "an internal name (.localhost)"],
  ["https://alerts.localhost/hook", "an internal name (.localhost)"],
  ["https://127.0.0.1/hook", "a loopback address (127.0.0.0/8, RFC 1122)"],
  ["https://127.1.2.3:8443/hook", "a loopback address (127.0.0.0/8, RFC 1122)"],
  ["https://2130706433/hook", "a loopback address (127.0.0.0/8, RFC 1122)"],
  ["https://0x7f.1/hook", "a loopback address (127.0.0.0/8, RFC 1122)"],
  ["https://[::1]/hook", "the loopback address (::1/128, RFC 4291)"],
  ["https://[::ffff:127.0.0.1]/hook", "a loopback address (127.0.0.0/8, RFC 1122)"],
  ["https://169.254.169.254/latest/meta-data", "a link-local address (169.254.0.0/16, RFC 3927)"],
  ["https://[fe80::1ff:fe23:4567:890a]/hook", "a link-local address (fe80::/10, RFC 4291)"],
  ["https://10.20.30.40/hook", "a private address (10.0.0.0/8, RFC 1918)"],
  ["https://172.31.255.1/hook", "a private address (172.16.0.0/12, RFC 1918)"],
  ["https://192.168.1.10/hook", "a private address (192.168.0.0/16, RFC 1918)"],
  ["https://[fd12:3456:789a::1]/hook", "a unique local (private) address (fc00::/7, RFC 4193)"],
  ["https://[::ffff:10.0.0.1]/hook", "a private address (10.0.0.0/8, RFC 1918)"],
  ["https://100.64.0.1/hook", "a carrier-grade NAT address (100.64.0.0/10, RFC 6598)"],
  ["https://100.127.255.254/hook", "a carrier-grade NAT address (100.64.0.0/10, RFC 6598)"],
  ["https://0.0.0.0/hook", "the unspecified address or this network (0.0.0.0/8, RFC 1122)"],
  ["https://[::]/hook", "the unspecified address (::/128, RFC 4291)"],
  ["https://224.0.0.1/hook", "a multicast address (224.0.0.0/4, RFC 5771)"],
  ["https://hooks/alert", "a single-label name"],
  ["https:///alert", "a single-label name"],
  ["https://pager.internal/alert", "an internal name (.internal)"],
  ["https://ALERTS.CORP/alert", "an internal name (.corp)"],
  ["https://printer.local./alert", "an internal name (.local)"],
  ["https://router.home.arpa/alert", "an internal name (.home.arpa)"],
  ["https://:443/alert", "not a valid URL"],
  ["https://exa mple.com/alert", "not a valid URL"],
];

const accepted = [
  "https://events.pagerduty.com/integration/abc123/enqueue",
  "https://api.opsgenie.com/v1/json/amazonsns?apiKey=abc",
  "https://hooks.example.com:8443/services/alerts",
  "https://8.8.8.8/hook",
  "https://100.128.0.1/hook",
  "https://172.32.0.1/hook",
  "https://[2606:4700:4700::1111]/hook",
  "https://user:pass@alerts.example.com/hook",
  "https://secret.invalid/redacted",
  "https://internal.example.com/hook",
  "https://local.example.com/hook",
];

describe("webhook URLs", () => {
  it.each(refused)("%s is refused: %s", (url, reason) => {
    const problem = webhookUrlProblem(url);
    expect(problem).toContain(reason);
    // The URL carries a token: the problem never repeats it.
    expect(problem).not.toContain(url);
  });

  it.each(accepted.map((u) => [u]))("%s is accepted", (url) => {
    expect(webhookUrlProblem(url)).toBeUndefined();
  });
});
