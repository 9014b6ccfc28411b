// The AWS alarms block: encrypted SNS topics per severity with their subscribers, and per service
// the CloudWatch alarms of REQUIREMENTS.md (5xx rate and count, p99 and average latency, CPU, memory).
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";


const webhooks = ["https://hooks.slack.com/services/T0/B0/one", "https://hooks.slack.com/services/T0/B0/two"];
const pager = "https://events.pager.example.com/v2/enqueue/abc";

let dev: SynthResult;
let production: SynthResult;

beforeAll(async () => {
  dev = await runProgram({ stack: "dev" });
  production = await runProgram({
    stack: "production",
    set: ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0"],
    setSecret: [`platform:alarmWebhooks[0]=${webhooks[0]}`, `platform:alarmWebhooks[1]=${webhooks[1]}`, `platform:pagerWebhooks[0]=${pager}`],
  });
  for (const r of [dev, production]) expect(r.error).toBeUndefined();
});

const topicArn = (r: SynthResult, severity: "warning" | "critical") => (r.outputs.alarmTopics as Record<string, string>)[severity];

describe("topics", () => {
  it("are one per severity, encrypted with the platform key", () => {
    for (const r of [dev, production]) {
      const topics = ofType(r, "aws:sns/topic:Topic");
      expect(topics.map((t) => t.name).sort()).toEqual(["alarms-critical", "alarms-warning"]);
      const keyArn = named(r, "secrets-JWT_SECRET").inputs.kmsKeyId;
      for (const t of topics) expect(t.inputs.kmsMasterKeyId).toBe(keyArn);
      expect(topicArn(r, "warning")).not.toBe(topicArn(r, "critical"));
    }
  });

  it("send email and chat webhooks to both severities, and the pager to critical only", () => {
    const subs = ofType(production, "aws:sns/topicSubscription:TopicSubscription");
    const on = (severity: "warning" | "critical") => subs.filter((s) => s.inputs.topic === topicArn(production, severity));
    expect(on("warning").map((s) => s.name).sort()).toEqual(["alarms-warning-email-platform-oncall@example.com", "alarms-warning-webhook-0", "alarms-warning-webhook-1"]);
    expect(on("critical").map((s) => s.name).sort()).toEqual([
      "alarms-critical-email-platform-oncall@example.com",
      "alarms-critical-pager-0",
      "alarms-critical-webhook-0",
      "alarms-critical-webhook-1",
    ]);
    expect(subs).toHaveLength(on("warning").length + on("critical").length);
    expect(named(production, "alarms-warning-email-platform-oncall@example.com").inputs).toMatchObject({ protocol: "email", endpoint: "platform-oncall@example.com" });
    for (const s of subs.filter((x) => x.inputs.protocol !== "email")) {
      expect(s.inputs.protocol).toBe("https");
      expect(s.secretPaths).toEqual(["endpoint"]);
    }
  });

  it("have no subscribers in dev by default", () => {
    expect(ofType(dev, "aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
  });
});

type MetricQuery = { id: string; expression?: string; returnData?: boolean; metric?: { namespace: string; metricName: string; stat: string; period: number; dimensions: Record<string, string> } };

describe.each(["api", "web"])("alarms of service %s", (svc) => {
  const alarm = (key: string) => named(production, `alarms-${svc}-${key}`).inputs;
  const lbDimensions = () => {
    const albName = String(named(production, "lb-alb").inputs.name);
    const tgName = String(named(production, `lb-tg-${svc}`).inputs.name);
    return { LoadBalancer: expect.stringMatching(new RegExp(`^app/${albName}/[0-9a-f]+$`)), TargetGroup: expect.stringMatching(new RegExp(`^targetgroup/${tgName}/[0-9a-f]+$`)) };
  };

  it("5xx ratio: metric math of the target group's 5xx over its requests, critical above 1%", () => {
    const a = alarm("5xx-rate");
    expect(a).toMatchObject({ comparisonOperator: "GreaterThanThreshold", threshold: 1 });
    expect(a.metricName).toBeUndefined();
    const queries = a.metricQueries as MetricQuery[];
    const byId = Object.fromEntries(queries.map((q) => [q.id, q]));
    const metrics = queries.filter((q) => q.metric);
    expect(metrics.map((q) => q.metric!.metricName).sort()).toEqual(["HTTPCode_Target_5XX_Count", "RequestCount"]);
    for (const q of metrics) {
      expect(q.metric).toMatchObject({ namespace: "AWS/ApplicationELB", stat: "Sum", period: 60, dimensions: lbDimensions() });
      expect(q.returnData ?? false).toBe(false);
    }
    const returned = queries.filter((q) => q.returnData);
    expect(returned).toHaveLength(1);
    const errorsId = metrics.find((q) => q.metric!.metricName === "HTTPCode_Target_5XX_Count")!.id;
    const requestsId = metrics.find((q) => q.metric!.metricName === "RequestCount")!.id;
    expect(returned[0].expression).toContain(`100 * ${errorsId} / ${requestsId}`);
    expect(byId[returned[0].id].metric).toBeUndefined();
  });

  it("5xx count: more than 10 per 60 s over 5 consecutive periods", () => {
    const a = alarm("5xx-count");
    expect(a).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_Target_5XX_Count",
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 5,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 10,
      dimensions: lbDimensions(),
    });
    // Consecutive: every one of the 5 periods must breach.
    expect(a.datapointsToAlarm ?? 5).toBe(5);
  });

  it("p99 latency: warning above 0.5 s, critical above 1.0 s (TargetResponseTime is in seconds)", () => {
    for (const [severity, threshold] of [["warning", 0.5], ["critical", 1]] as const) {
      const a = alarm(`latency-p99-${severity}`);
      expect(a).toMatchObject({ namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", extendedStatistic: "p99", comparisonOperator: "GreaterThanThreshold", threshold, dimensions: lbDimensions() });
      expect(a.statistic).toBeUndefined();
    }
  });

  it("average latency: warning above 5 s", () => {
    expect(alarm("latency-average")).toMatchObject({ metricName: "TargetResponseTime", statistic: "Average", comparisonOperator: "GreaterThanThreshold", threshold: 5 });
  });

  it("CPU 80/90 and memory 85/95 on the ECS service", () => {
    const dims = { ClusterName: named(production, "app-cluster").inputs.name, ServiceName: named(production, `app-${svc}-service`).inputs.name };
    for (const [key, metricName, threshold] of [
      ["cpu-warning", "CPUUtilization", 80],
      ["cpu-critical", "CPUUtilization", 90],
      ["memory-warning", "MemoryUtilization", 85],
      ["memory-critical", "MemoryUtilization", 95],
    ] as const) {
      expect(alarm(key)).toMatchObject({ namespace: "AWS/ECS", metricName, statistic: "Average", comparisonOperator: "GreaterThanThreshold", threshold, dimensions: dims });
    }
  });

  it("notifies the topic of each alarm's own severity", () => {
    const severities: Record<string, "warning" | "critical"> = {
      "5xx-rate": "critical",
      "5xx-count": "critical",
      "latency-p99-warning": "warning",
      "latency-p99-critical": "critical",
      "latency-average": "warning",
      "cpu-warning": "warning",
      "cpu-critical": "critical",
      "memory-warning": "warning",
      "memory-critical": "critical",
      "healthy-hosts": "critical",
    };
    for (const [key, severity] of Object.entries(severities)) {
      const a = alarm(key);
      expect(a.alarmActions).toEqual([topicArn(production, severity)]);
      expect((a.tags as Record<string, string>).severity).toBe(severity);
    }
    for (const a of ofType(production, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((x) => x.name.startsWith(`alarms-${svc}-`))) {
      const severity = (a.inputs.tags as Record<string, string>).severity as "warning" | "critical";
      expect(a.inputs.alarmActions).toEqual([topicArn(production, severity)]);
      expect(String(a.inputs.alarmDescription)).toMatch(new RegExp(`^\\[${severity}\\] ${svc}: `));
    }
  });
});

describe.each(["api", "web"])("healthy tasks of service %s (issue 5: a full outage raised no critical alarm)", (svc) => {
  it("pages when fewer than the service's minimum are healthy for 5 minutes, and when there is no data at all", () => {
    const albName = String(named(production, "lb-alb").inputs.name);
    const tgName = String(named(production, `lb-tg-${svc}`).inputs.name);
    expect(named(production, `alarms-${svc}-healthy-hosts`).inputs).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      dimensions: { TargetGroup: expect.stringMatching(new RegExp(`^targetgroup/${tgName}/[0-9a-f]+$`)), LoadBalancer: expect.stringMatching(new RegExp(`^app/${albName}/[0-9a-f]+$`)) },
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: "LessThanThreshold",
      threshold: 2,
      treatMissingData: "breaching",
      alarmActions: [topicArn(production, "critical")],
      tags: expect.objectContaining({ severity: "critical", service: svc }),
    });
  });
});

describe("healthy-host alarm per service", () => {
  it("follows each service's own minimum (dev: 1)", () => {
    expect(named(dev, "alarms-api-healthy-hosts").inputs.threshold).toBe(1);
  });

  it("is left out for a service held at 0 tasks (its repository is still empty on a first deploy)", async () => {
    const held = await runProgram({
      stack: "production",
      set: ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0"],
      account: { repositories: { "platform/production/web": {} } },
    });
    expect(held.error).toBeUndefined();
    expect(held.outputs.heldServices).toEqual(["web"]);
    expect(held.resources.some((r) => r.name === "alarms-web-healthy-hosts")).toBe(false);
    expect(named(held, "alarms-api-healthy-hosts").inputs.metricName).toBe("HealthyHostCount");
    expect(named(held, "alarms-web-5xx-rate").inputs.threshold).toBe(1);
  });
});

describe("load-balancer-wide 5xx (the ALB's own 502/503 exist per load balancer only)", () => {
  const lbDims = () => ({ LoadBalancer: expect.stringMatching(new RegExp(`^app/${named(production, "lb-alb").inputs.name}/[0-9a-f]+$`)) });
  const metrics = (key: string) => (named(production, `alarms-ALB-${key}`).inputs.metricQueries as MetricQuery[]).filter((q) => q.metric);

  it("error rate counts ELB- and target-generated 5xx over the requests, critical above 1%", () => {
    const a = named(production, "alarms-ALB-5xx-rate").inputs;
    expect(a).toMatchObject({ comparisonOperator: "GreaterThanThreshold", threshold: 1, alarmActions: [topicArn(production, "critical")], name: "platform-production-ALB-5xx-rate" });
    expect(metrics("5xx-rate").map((q) => q.metric!.metricName).sort()).toEqual(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"]);
    for (const q of metrics("5xx-rate")) expect(q.metric).toMatchObject({ namespace: "AWS/ApplicationELB", stat: "Sum", period: 60, dimensions: lbDims() });
    for (const q of metrics("5xx-rate")) expect(Object.keys(q.metric!.dimensions)).toEqual(["LoadBalancer"]);
    const returned = (a.metricQueries as MetricQuery[]).filter((q) => q.returnData);
    expect(returned).toHaveLength(1);
    expect(returned[0].expression).toContain("100 * errors");
    const errorsExpression = (a.metricQueries as MetricQuery[]).find((q) => q.id === "errors")!.expression;
    expect(errorsExpression).toBe("FILL(elb, 0) + FILL(target, 0)");
  });

  it("error count: ELB and target 5xx, more than 10 per minute for 5 consecutive minutes", () => {
    const a = named(production, "alarms-ALB-5xx-count").inputs;
    expect(a).toMatchObject({ comparisonOperator: "GreaterThanThreshold", threshold: 10, evaluationPeriods: 5, alarmActions: [topicArn(production, "critical")] });
    expect(a.datapointsToAlarm ?? 5).toBe(5);
    expect(metrics("5xx-count").map((q) => q.metric!.metricName).sort()).toEqual(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"]);
    expect((a.metricQueries as MetricQuery[]).filter((q) => q.returnData).map((q) => q.expression)).toEqual(["FILL(elb, 0) + FILL(target, 0)"]);
  });

  it("keeps the per-service target alarms as they were", () => {
    expect(named(production, "alarms-api-5xx-count").inputs.metricName).toBe("HTTPCode_Target_5XX_Count");
  });
});

describe("monthly restore test alarm", () => {
  it("is critical on a failed restore job, a failed validation or a validation that could not run", async () => {
    const staging = await runProgram({ stack: "staging" });
    const a = named(staging, "alarms-Backup-restore-test").inputs;
    expect(a).toMatchObject({ comparisonOperator: "GreaterThanOrEqualToThreshold", threshold: 1, treatMissingData: "notBreaching", alarmActions: [topicArn(staging, "critical")] });
    const queries = a.metricQueries as MetricQuery[];
    expect(queries.find((q) => q.id === "failed")!.metric).toMatchObject({ namespace: "Platform/RestoreTests", metricName: "RestoreTestFailed", dimensions: { RestoreTestingPlan: named(staging, "backup-restore-test").inputs.name } });
    expect(queries.find((q) => q.id === "errors")!.metric).toMatchObject({ namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: named(staging, "backup-restore-validation").inputs.name } });
    expect(queries.filter((q) => q.returnData).map((q) => q.expression)).toEqual(["FILL(failed, 0) + FILL(errors, 0)"]);
    // The metric the alarm watches is the one the validation is told to record.
    const env = (named(staging, "backup-restore-validation").inputs.environment as { variables: Record<string, string> }).variables;
    expect(env).toMatchObject({ METRIC_NAMESPACE: "Platform/RestoreTests", METRIC_NAME: "RestoreTestFailed", METRIC_DIMENSION: "RestoreTestingPlan" });
  });

  it("is absent where there is no restore test (dev)", () => {
    expect(dev.resources.some((r) => r.name === "alarms-Backup-restore-test")).toBe(false);
  });
});

describe("names", () => {
  it("are unique, valid CloudWatch alarm names", () => {
    const alarms = ofType(production, "aws:cloudwatch/metricAlarm:MetricAlarm");
    const names = alarms.map((a) => String(a.inputs.name));
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_.-]{1,255}$/);
  });
});

describe("low-traffic alarm (seed 003: fewer than 10 requests per minute)", () => {
  it("watches production, where no requests at all also breaches", () => {
    expect(named(production, "alarms-api-low-traffic").inputs).toMatchObject({
      metricName: "RequestCount",
      statistic: "Sum",
      period: 60,
      comparisonOperator: "LessThanThreshold",
      threshold: 10,
      treatMissingData: "breaching",
    });
  });

  it("is absent where idle is normal (dev), and comes back when a threshold is set", async () => {
    expect(dev.resources.some((r) => r.name === "alarms-api-low-traffic")).toBe(false);
    const watched = await runProgram({ stack: "dev", set: ["platform:alarms.thresholds.requestsPerMinuteMin=5"] });
    expect(named(watched, "alarms-api-low-traffic").inputs.threshold).toBe(5);
  });
});

it("pager subscriptions declare that they confirm themselves; chat webhooks do not", () => {
  expect(named(production, "alarms-critical-pager-0").inputs.endpointAutoConfirms).toBe(true);
  expect(named(production, "alarms-warning-webhook-0").inputs.endpointAutoConfirms).toBe(false);
});

describe("database alarms (issue 6: CPU, free storage, connections; no replica lag without replicas)", () => {
  const alarm = (r: SynthResult, key: string) => named(r, `alarms-DB-${key}`).inputs;
  const gib = 2 ** 30;

  it("watch the instance's CPU, 80% warning over 30 minutes and 90% critical within 5", () => {
    const dims = { DBInstanceIdentifier: "platform-production-db" };
    expect(alarm(production, "cpu-warning")).toMatchObject({
      namespace: "AWS/RDS",
      metricName: "CPUUtilization",
      dimensions: dims,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 6,
      datapointsToAlarm: 6,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 80,
      alarmActions: [topicArn(production, "warning")],
    });
    expect(alarm(production, "cpu-critical")).toMatchObject({ metricName: "CPUUtilization", dimensions: dims, period: 60, threshold: 90, alarmActions: [topicArn(production, "critical")] });
  });

  it("count connections against the limit of the instance class: 80% and 90% of it", () => {
    // production: db.m7g.large (8 GiB) -> 766 connections estimated; dev: db.t4g.small (2 GiB) -> 191.
    expect(alarm(production, "connections-warning")).toMatchObject({ namespace: "AWS/RDS", metricName: "DatabaseConnections", statistic: "Maximum", threshold: 612, comparisonOperator: "GreaterThanThreshold" });
    expect(alarm(production, "connections-critical")).toMatchObject({ metricName: "DatabaseConnections", threshold: 689, alarmActions: [topicArn(production, "critical")] });
    expect(alarm(dev, "connections-warning").threshold).toBe(152);
    expect(String(alarm(production, "connections-warning").alarmDescription)).toContain("db.m7g.large");
  });

  it("warn when free storage falls below 20% of the allocation, and page below 10%", () => {
    expect(alarm(production, "free-storage-warning")).toMatchObject({
      namespace: "AWS/RDS",
      metricName: "FreeStorageSpace",
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      threshold: 10 * gib,
      alarmActions: [topicArn(production, "warning")],
    });
    expect(alarm(production, "free-storage-critical")).toMatchObject({ threshold: 5 * gib, alarmActions: [topicArn(production, "critical")] });
    expect(alarm(dev, "free-storage-critical").threshold).toBe(2 * gib);
  });

  it("page when the credentials rotated and a service could not be redeployed", () => {
    expect(alarm(production, "rotation-redeploy")).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: named(production, "app-DB-rotation").inputs.name },
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
      alarmActions: [topicArn(production, "critical")],
    });
  });

  it("are exactly these, with no replica lag alarm (no read replica; a Multi-AZ standby publishes none)", () => {
    const db = ofType(production, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("alarms-DB-"));
    expect(db.map((a) => a.name.replace("alarms-DB-", "")).sort()).toEqual(
      ["connections-critical", "connections-warning", "cpu-critical", "cpu-warning", "free-storage-critical", "free-storage-warning", "rotation-redeploy"].sort(),
    );
    expect(db.filter((a) => a.inputs.metricName === "ReplicaLag")).toEqual([]);
    for (const a of db) expect(a.inputs.okActions).toEqual(a.inputs.alarmActions);
  });

  it("take their thresholds from alarms.thresholds, and are absent without a database", async () => {
    const tuned = await runProgram({ stack: "dev", set: ["platform:alarms.thresholds.databaseCpuWarningPercent=60", "platform:alarms.thresholds.databaseFreeStorageWarningPercent=30"] });
    expect(tuned.error).toBeUndefined();
    expect(alarm(tuned, "cpu-warning").threshold).toBe(60);
    expect(alarm(tuned, "free-storage-warning").threshold).toBe(6 * gib);
    const none = await runProgram({ stack: "dev", set: ["platform:database.enabled=false"] });
    expect(none.resources.filter((a) => a.name.startsWith("alarms-DB-"))).toEqual([]);
  });
});
