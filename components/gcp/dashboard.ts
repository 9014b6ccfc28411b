// The stack's dashboard on GCP (seed 003's overview): per service requests and 5xx at the load
// balancer, p99 latency, CPU and memory, instances; Cloud Armor's denials; the database's CPU,
// connections and storage. Charts filter on the stack's physical names, so they show only this stack.
import * as monitoring from "@pulumi/gcp/monitoring";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ContainerServiceOutputs, DataStoreOutputs, LoadBalancerOutputs } from "../model";
import { backendServiceName, cloudRunServiceName } from "./names";
import { type GcpStack, child } from "./options";

interface Chart {
  title: string;
  filter: string;
  aligner: string;
  reducer: string;
}

const tileWidth = 24;
const tileHeight = 16;

function chart({ title, filter, aligner, reducer }: Chart) {
  return {
    title,
    xyChart: {
      dataSets: [{ plotType: "LINE", timeSeriesQuery: { timeSeriesFilter: { filter, aggregation: { alignmentPeriod: "60s", perSeriesAligner: aligner, crossSeriesReducer: reducer } } } }],
    },
  };
}

/** The charts, in the order the dashboard shows them (two a row). */
export function dashboardCharts(ctx: BlockContext, databaseId?: string): Chart[] {
  const charts: Chart[] = [];
  for (const svcName of Object.keys(ctx.spec.services)) {
    const backend = backendServiceName(ctx.names, svcName);
    const service = cloudRunServiceName(ctx.names, svcName);
    const lb = `metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.label.backend_target_name="${backend}"`;
    const run = (metric: string) => `metric.type="run.googleapis.com/${metric}" AND resource.type="cloud_run_revision" AND resource.label.service_name="${service}"`;
    charts.push(
      { title: `${svcName}: requests`, filter: lb, aligner: "ALIGN_RATE", reducer: "REDUCE_SUM" },
      { title: `${svcName}: 5xx responses`, filter: `${lb} AND metric.label.response_code_class=500`, aligner: "ALIGN_RATE", reducer: "REDUCE_SUM" },
      { title: `${svcName}: p99 latency (ms)`, filter: run("request_latencies"), aligner: "ALIGN_PERCENTILE_99", reducer: "REDUCE_MAX" },
      { title: `${svcName}: instances`, filter: run("container/instance_count"), aligner: "ALIGN_MAX", reducer: "REDUCE_SUM" },
      { title: `${svcName}: CPU utilization`, filter: run("container/cpu/utilizations"), aligner: "ALIGN_MEAN", reducer: "REDUCE_MEAN" },
      { title: `${svcName}: memory utilization`, filter: run("container/memory/utilizations"), aligner: "ALIGN_MEAN", reducer: "REDUCE_MEAN" },
    );
  }
  charts.push({
    title: "Cloud Armor: denied requests",
    filter: `metric.type="networksecurity.googleapis.com/https/request_count" AND resource.type="network_security_policy" AND resource.label.policy_name="${ctx.names.name("gcpResource", "armor")}" AND metric.label.blocked=true`,
    aligner: "ALIGN_RATE",
    reducer: "REDUCE_SUM",
  });
  if (databaseId !== undefined) {
    const sql = (metric: string) => `metric.type="cloudsql.googleapis.com/database/${metric}" AND resource.type="cloudsql_database" AND resource.label.database_id="${databaseId}"`;
    charts.push(
      { title: "database: CPU utilization", filter: sql("cpu/utilization"), aligner: "ALIGN_MEAN", reducer: "REDUCE_MAX" },
      { title: "database: connections", filter: sql("postgresql/num_backends"), aligner: "ALIGN_MEAN", reducer: "REDUCE_SUM" },
      { title: "database: disk utilization", filter: sql("disk/utilization"), aligner: "ALIGN_MEAN", reducer: "REDUCE_MAX" },
    );
  }
  return charts;
}

export function dashboard(
  ctx: BlockContext,
  stack: GcpStack,
  deps: { loadBalancer: LoadBalancerOutputs; containerService: ContainerServiceOutputs; dataStore: DataStoreOutputs },
): { name: pulumi.Output<string>; url: pulumi.Output<string> } {
  const { spec } = ctx;
  const databaseId = deps.dataStore.databaseMetricsId ?? pulumi.output(undefined as string | undefined);
  const dashboardJson = pulumi.output(databaseId).apply((id) =>
    JSON.stringify({
      displayName: `${spec.project}/${spec.stack}`,
      mosaicLayout: {
        columns: 48,
        tiles: dashboardCharts(ctx, id).map((c, i) => ({ xPos: (i % 2) * tileWidth, yPos: Math.floor(i / 2) * tileHeight, width: tileWidth, height: tileHeight, widget: chart(c) })),
      },
      labels: {},
    }),
  );
  const board = new monitoring.Dashboard(`${ctx.name}-dashboard`, { project: stack.project, dashboardJson }, child(ctx, stack));
  // The id is projects/<number>/dashboards/<id>; the console opens it by the last part.
  const url = board.id.apply((id) => `https://console.cloud.google.com/monitoring/dashboards/builder/${id.split("/").pop()}?project=${stack.project}`);
  return { name: pulumi.output(`${spec.project}/${spec.stack}`), url };
}
