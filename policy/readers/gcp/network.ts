// Reachability on GCP: the ingress setting of Cloud Run, public IPs of Cloud SQL and VMs, what the
// internet may reach (external forwarding rules, VPC firewall rules, Cloud SQL authorized networks),
// and the zones a service runs in.
import type { IngressTarget, PublicAddressFact, PublicIngressFact, StackResourceView, ZonesFact } from "../../facts";
import { StackGraph } from "../../graph";
import { isInternetSource } from "../aws/network";
import { isReplica } from "./relations";
import type { ResourceReaders, StackReader } from "../types";
import { gcp } from "./tokens";

const address = (what: string, reachable: boolean, setting: string): PublicAddressFact[] => [{ what, reachableFromInternet: reachable, setting }];

export const noPublicAddress: ResourceReaders<PublicAddressFact> = {
  // Cloud Run, "Restrict network ingress": INGRESS_TRAFFIC_ALL, the default, accepts requests from the
  // internet at the run.app URL; INTERNAL_LOAD_BALANCER and INTERNAL_ONLY do not.
  [gcp.cloudRunService]: ({ props }) => address("service", (props.ingress ?? "INGRESS_TRAFFIC_ALL") === "INGRESS_TRAFFIC_ALL", `ingress ${props.ingress ?? "not set: INGRESS_TRAFFIC_ALL"}`),
  // Cloud SQL gets a public IPv4 address unless ipv4Enabled is false (the provider's default is true).
  [gcp.sqlInstance]: ({ props }) => {
    const ipv4 = props.settings?.ipConfiguration?.ipv4Enabled;
    return address(isReplica(props) ? "database replica" : "database", ipv4 !== false, `settings.ipConfiguration.ipv4Enabled ${ipv4 ?? "not set: true"}`);
  },
  // An access config gives a VM's interface an external IP (Compute Engine, "IP addresses").
  [gcp.instance]: ({ props }) => {
    const configs = ((props.networkInterfaces ?? []) as { accessConfigs?: unknown[] }[]).flatMap((i) => i.accessConfigs ?? []);
    return address("instance", configs.length > 0, "networkInterfaces.accessConfigs");
  },
};

type Ports = PublicIngressFact["ports"];

/** A forwarding rule's ports: portRange "443" or "8080-8090", ports ["80", "443"], or allPorts. */
function forwardingPorts(props: Record<string, any>): Ports[] {
  if (props.allPorts === true) return ["all"];
  const range = /^(\d+)(?:-(\d+))?$/.exec(String(props.portRange ?? ""));
  if (range) return [{ from: Number(range[1]), to: Number(range[2] ?? range[1]) }];
  const list = ((props.ports ?? []) as string[]).map(Number).filter(Number.isInteger);
  return list.length > 0 ? list.map((p) => ({ from: p, to: p })) : ["all"];
}

const proxyTypes: string[] = [gcp.targetHttpProxy, gcp.targetHttpsProxy];

/** Firewall ports: "22" or "8000-8100" per protocol; no ports, or protocol all, is every port. */
function firewallPorts(allow: { protocol?: string; ports?: string[] }): Ports[] {
  if (allow.protocol === "all" || !allow.ports || allow.ports.length === 0) return ["all"];
  return allow.ports.map((p) => {
    const [from, to] = p.split("-").map(Number);
    return { from, to: to ?? from };
  });
}

const databasePorts: [RegExp, number][] = [
  [/^POSTGRES/, 5432],
  [/^MYSQL/, 3306],
  [/^SQLSERVER/, 1433],
];

export const noPublicIngress: StackReader<PublicIngressFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const facts: PublicIngressFact[] = [];
  // An external forwarding rule is where the internet comes in: through a proxy it is the public entry,
  // straight to instances or a pass-through backend it is compute.
  const external = (r: StackResourceView) => r.props.loadBalancingScheme === undefined || r.props.loadBalancingScheme === "EXTERNAL" || r.props.loadBalancingScheme === "EXTERNAL_MANAGED";
  for (const rule of [...graph.ofType(gcp.globalForwardingRule), ...graph.ofType(gcp.forwardingRule)].filter(external)) {
    const targets = graph.sources(rule, "target");
    const entry = targets.some((t) => proxyTypes.includes(t.type)) || (targets.length === 0 && /\/target(Http|Https|Ssl|Tcp)Prox/.test(String(rule.props.target ?? "")));
    const target: IngressTarget = entry ? "entry" : "compute";
    const source = rule.props.ipVersion === "IPV6" ? "::/0" : "0.0.0.0/0";
    for (const ports of forwardingPorts(rule.props)) facts.push({ urn: rule.urn, target, ports, source });
  }
  for (const fw of graph.ofType(gcp.firewall)) {
    // VPC firewall rules: INGRESS is the default direction; a disabled rule admits nothing.
    if ((fw.props.direction ?? "INGRESS") !== "INGRESS" || fw.props.disabled === true) continue;
    const sources = ((fw.props.sourceRanges ?? []) as string[]).filter(isInternetSource);
    for (const allow of (fw.props.allows ?? []) as { protocol?: string; ports?: string[] }[]) {
      for (const ports of firewallPorts(allow)) for (const source of sources) facts.push({ urn: fw.urn, target: "compute", ports, source });
    }
  }
  for (const db of graph.ofType(gcp.sqlInstance)) {
    const ip = db.props.settings?.ipConfiguration;
    // Authorized networks open the public IP only (Cloud SQL, "Authorize with authorized networks").
    if (ip?.ipv4Enabled === false) continue;
    const port = databasePorts.find(([engine]) => engine.test(String(db.props.databaseVersion ?? "")))?.[1];
    for (const network of (ip?.authorizedNetworks ?? []) as { value?: string }[]) {
      if (network.value !== undefined && isInternetSource(network.value)) facts.push({ urn: db.urn, target: "database", ports: port === undefined ? "all" : { from: port, to: port }, source: network.value });
    }
  }
  return facts;
};

/** "A region consists of three or more zones" (Google Cloud, "Geography and regions"). */
const zonesOfARegion = 3;

export const multiZone: StackReader<ZonesFact> = (resources) =>
  // Cloud Run, "Understand zonal redundancy": a service's traffic is load balanced across the zones of
  // its region, except GPU services that turn zonal redundancy off. The global external load balancer is
  // not zonal, and Cloud SQL's private IP comes from a regional range: their zones are database-ha's
  // question (a REGIONAL instance), not a placement the stack could narrow (README: policy, GCP).
  StackGraph.of(resources)
    .ofType(gcp.cloudRunService)
    .map((svc) => {
      const single = svc.props.template?.gpuZonalRedundancyDisabled === true;
      return {
        urn: svc.urn,
        what: "service",
        zones: single ? 1 : zonesOfARegion,
        setting: single ? "template.gpuZonalRedundancyDisabled" : `location ${svc.props.location}: Cloud Run spreads a service over the zones of its region`,
      };
    });
