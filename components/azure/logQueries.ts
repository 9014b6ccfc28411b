// The Kusto queries of the log alerts and the dashboard, over Front Door's access log in the audit
// workspace (AzureDiagnostics, category FrontDoorAccessLog: "Azure Front Door logs"), per route: each
// service is one route of the stack's endpoint. Log Analytics names a field by its type (`_s` text,
// `_d` number), and the access log's status and time fields have been seen under both, so each is read
// from whichever exists. No SDK import: the queries are shown and tested as they are sent.
import { restoreTestResultPrefix } from "./restoreTest";

/** Kusto string literal. */
export const kql = (text: string): string => `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/** The access log of one route, with the status as a number and the time taken in milliseconds. */
export function accessLog(route: string): string {
  return [
    "AzureDiagnostics",
    '| where Category == "FrontDoorAccessLog"',
    `| where routingRuleName_s == ${kql(route)} or routingRuleName_s endswith ${kql(`/${route}`)}`,
    '| extend status = toint(coalesce(tostring(column_ifexists("httpStatusCode_d", "")), tostring(column_ifexists("httpStatusCode_s", ""))))',
    '| extend durationMs = 1000.0 * todouble(coalesce(tostring(column_ifexists("timeTaken_d", "")), tostring(column_ifexists("timeTaken_s", ""))))',
  ].join("\n");
}

/** The route's 5xx responses (rows: the alert counts them per window). */
export const serverErrors = (route: string): string => `${accessLog(route)}\n| where status >= 500`;

/** The route's share of 5xx responses in percent, as one value per window (0 without requests). */
export const serverErrorRate = (route: string): string =>
  `${accessLog(route)}\n| summarize errors = countif(status >= 500), requests = count()\n| extend errorRate = iff(requests > 0, 100.0 * errors / requests, 0.0)`;

/** The route's p99 response time in milliseconds. */
export const latencyP99 = (route: string): string => `${accessLog(route)}\n| summarize p99 = percentile(durationMs, 99)`;

/** The route's average response time in milliseconds. */
export const latencyAverage = (route: string): string => `${accessLog(route)}\n| summarize average = avg(durationMs)`;

/** A failed monthly restore test: the job prints one result line per run to its console log. */
export const restoreTestFailures = (jobName: string): string =>
  ["ContainerAppConsoleLogs", `| where Log has ${kql(`${restoreTestResultPrefix} FAILED`)} and Log has ${kql(`job=${jobName}`)}`].join("\n");

/** Response-time distribution per route over time, for the dashboard. */
export const latencyByRoute = (): string =>
  [
    "AzureDiagnostics",
    '| where Category == "FrontDoorAccessLog"',
    '| extend durationMs = 1000.0 * todouble(coalesce(tostring(column_ifexists("timeTaken_d", "")), tostring(column_ifexists("timeTaken_s", ""))))',
    "| summarize p50 = percentile(durationMs, 50), p99 = percentile(durationMs, 99) by route = routingRuleName_s, bin(TimeGenerated, 5m)",
  ].join("\n");
