// Network on GCP: a custom-mode VPC; one regional subnet for the services' Direct VPC egress, with
// Private Google Access (Google APIs without NAT); a Cloud Router and Cloud NAT for the internet
// (regional: no zone is a single point of failure, so the egress mode changes nothing here); a logged
// deny-all ingress rule; private services access for the database's private IP; subnet flow logs and
// NAT logs in production (flow logs do not see Cloud Run traffic, NAT logs do); and the security log
// bucket that keeps them with the audit logs.
import * as compute from "@pulumi/gcp/compute";
import * as servicenetworking from "@pulumi/gcp/servicenetworking";
import type { BlockContext } from "../cloud";
import type { NetworkOutputs, SecretsStoreOutputs } from "../model";
import { gcpLayout } from "./addressing";
import { dataAccessAudit, logBucket, securityLogFilter } from "./logs";
import { type GcpStack, child, labels } from "./options";

export function network(ctx: BlockContext, stack: GcpStack, _deps: { secrets: SecretsStoreOutputs }): NetworkOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const project = stack.project;
  const layout = gcpLayout(spec.network.cidr);
  const vpc = new compute.Network(
    `${n}-vpc`,
    { name: names.name("gcpResource"), project, autoCreateSubnetworks: false, routingMode: "REGIONAL", description: `${spec.project}/${spec.stack}` },
    child(ctx, stack),
  );
  const subnet = new compute.Subnetwork(
    `${n}-services`,
    {
      name: names.name("gcpResource", "services"),
      project,
      region: spec.region,
      network: vpc.id,
      ipCidrRange: layout.subnetCidr,
      privateIpGoogleAccess: true,
      logConfig: spec.network.flowLogs ? { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" } : undefined,
    },
    child(ctx, stack),
  );
  stack.subnetId = subnet.id;
  const router = new compute.Router(`${n}-router`, { name: names.name("gcpResource", "router"), project, region: spec.region, network: vpc.id }, child(ctx, stack));
  new compute.RouterNat(
    `${n}-nat`,
    {
      name: names.name("gcpResource", "nat"),
      project,
      region: spec.region,
      router: router.name,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetworks: [{ name: subnet.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
      enableDynamicPortAllocation: true,
      enableEndpointIndependentMapping: false,
      // Translations show where the services went; errors show ports running out.
      logConfig: { enable: true, filter: spec.network.flowLogs ? "ALL" : "ERRORS_ONLY" },
    },
    child(ctx, stack),
  );
  // Every VPC denies ingress implicitly; this explicit rule logs what it denies where the spec asks.
  new compute.Firewall(
    `${n}-deny-ingress`,
    {
      name: names.name("gcpResource", "deny-all-ingress"),
      project,
      network: vpc.id,
      direction: "INGRESS",
      priority: 65534,
      sourceRanges: ["0.0.0.0/0"],
      denies: [{ protocol: "all" }],
      logConfig: spec.network.flowLogs ? { metadata: "INCLUDE_ALL_METADATA" } : undefined,
      description: "Nothing reaches the network from outside; the services take requests from the load balancer only",
    },
    child(ctx, stack),
  );
  if (spec.database) {
    const range = new compute.GlobalAddress(
      `${n}-private-services`,
      {
        name: names.name("gcpResource", "private-services"),
        project,
        network: vpc.id,
        purpose: "VPC_PEERING",
        addressType: "INTERNAL",
        address: layout.privateServicesAddress,
        prefixLength: layout.privateServicesPrefix,
        labels: labels(ctx),
      },
      child(ctx, stack),
    );
    stack.privateServices = new servicenetworking.Connection(
      `${n}-private-services-connection`,
      { network: vpc.id, service: "servicenetworking.googleapis.com", reservedPeeringRanges: [range.name] },
      child(ctx, stack),
    );
  }
  logBucket(ctx, stack, "security", spec.logs.auditRetentionDays, securityLogFilter, spec.deletionProtection);
  dataAccessAudit(ctx, stack);
  return { networkId: vpc.id, publicSubnetIds: [], privateSubnetIds: [subnet.id] };
}
