// Reachability on AWS: public addresses of compute and the database, security group rules open to
// the internet and what they open, and the zones each workload's subnets are in.
import type { IngressTarget, PublicAddressFact, PublicIngressFact, StackResourceView, ZonesFact } from "../../facts";
import { StackGraph } from "../../graph";
import type { ResourceReaders, StackReader } from "../types";
import { publicLoadBalancers, subnetZones } from "./relations";
import { aws } from "./tokens";

const address = (what: string, reachable: boolean, setting: string): PublicAddressFact[] => [{ what, reachableFromInternet: reachable, setting }];

export const noPublicAddress: ResourceReaders<PublicAddressFact> = {
  [aws.ecsService]: ({ props }) => address("service", props.networkConfiguration?.assignPublicIp === true, "networkConfiguration.assignPublicIp"),
  [aws.rdsInstance]: ({ props }) => address("database", props.publiclyAccessible === true, "publiclyAccessible"),
  [aws.ec2Instance]: ({ props }) => address("instance", props.associatePublicIpAddress === true, "associatePublicIpAddress"),
  [aws.subnet]: ({ props }) => address("subnet", props.mapPublicIpOnLaunch === true, "mapPublicIpOnLaunch: instances started there get a public address"),
  // An Elastic IP on an instance or network interface makes it addressable; NAT gateways hold theirs for egress.
  [aws.eip]: ({ props }) => address("instance or network interface", props.instance !== undefined || props.networkInterface !== undefined, "Elastic IP with instance or networkInterface"),
  // AWS Config rule lambda-function-public-access-prohibited: "A lambda function policy is considered
  // to allow public access if the principal element is empty or contains a wildcard."
  [aws.lambdaPermission]: ({ props }) => address("function", typeof props.principal !== "string" || props.principal === "" || props.principal.includes("*"), `principal ${JSON.stringify(props.principal ?? "")}`),
  [aws.lambdaFunctionUrl]: ({ props }) => address("function", props.authorizationType === "NONE", "function URL authorizationType NONE"),
};

/** IPv4/IPv6 ranges that are not the internet: private, shared (CGNAT), loopback, link-local, unique local. */
const internalV4: [number, number][] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
];

export function isInternetSource(cidr: string): boolean {
  if (cidr.includes(":")) return !/^(f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]|::1\/)/i.test(cidr);
  const [ip, bits = "32"] = cidr.split("/");
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return true;
  const value = ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
  const prefix = Number(bits);
  return !internalV4.some(([net, size]) => prefix >= size && value >>> (32 - size) === net >>> (32 - size));
}

type Ports = PublicIngressFact["ports"];
const ports = (protocol: unknown, from: unknown, to: unknown): Ports =>
  protocol === "-1" || protocol === "all" || typeof from !== "number" || typeof to !== "number" ? "all" : { from, to };

/** What a security group guards: the public entry, compute, the database, or something else. */
function securityGroupTargets(graph: StackGraph): Map<string, IngressTarget> {
  const targets = new Map<string, IngressTarget>();
  const mark = (sgs: StackResourceView[], target: IngressTarget) => {
    for (const sg of sgs) if (!targets.has(sg.urn) || target !== "entry") targets.set(sg.urn, target);
  };
  for (const lb of publicLoadBalancers(graph)) mark(graph.sources(lb, "securityGroups", aws.securityGroup), "entry");
  for (const svc of graph.ofType(aws.ecsService)) mark(graph.sources(svc, "networkConfiguration", aws.securityGroup), "compute");
  for (const fn of graph.ofType(aws.lambdaFunction)) mark(graph.sources(fn, "vpcConfig", aws.securityGroup), "compute");
  for (const vm of graph.ofType(aws.ec2Instance)) mark(graph.sources(vm, "vpcSecurityGroupIds", aws.securityGroup), "compute");
  for (const db of graph.ofType(aws.rdsInstance)) mark(graph.sources(db, "vpcSecurityGroupIds", aws.securityGroup), "database");
  return targets;
}

interface InlineRule {
  protocol?: string;
  fromPort?: number;
  toPort?: number;
  cidrBlocks?: string[];
  ipv6CidrBlocks?: string[];
}

export const noPublicIngress: StackReader<PublicIngressFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const targets = securityGroupTargets(graph);
  const targetOf = (sgs: StackResourceView[]): IngressTarget => {
    // Compute or the database wins over the entry: a group shared with them is theirs as well.
    const kinds = sgs.map((sg) => targets.get(sg.urn) ?? "other");
    return kinds.find((k) => k === "database") ?? kinds.find((k) => k === "compute") ?? kinds.find((k) => k === "entry") ?? "other";
  };
  const facts: PublicIngressFact[] = [];
  for (const rule of graph.ofType(aws.securityGroupIngressRule)) {
    const cidr: string | undefined = rule.props.cidrIpv4 ?? rule.props.cidrIpv6;
    if (cidr === undefined || !isInternetSource(cidr)) continue;
    facts.push({ urn: rule.urn, target: targetOf(graph.sources(rule, "securityGroupId", aws.securityGroup)), ports: ports(rule.props.ipProtocol, rule.props.fromPort, rule.props.toPort), source: cidr });
  }
  for (const rule of graph.ofType(aws.securityGroupRule)) {
    if (rule.props.type !== "ingress") continue;
    for (const cidr of [...(rule.props.cidrBlocks ?? []), ...(rule.props.ipv6CidrBlocks ?? [])] as string[]) {
      if (isInternetSource(cidr)) facts.push({ urn: rule.urn, target: targetOf(graph.sources(rule, "securityGroupId", aws.securityGroup)), ports: ports(rule.props.protocol, rule.props.fromPort, rule.props.toPort), source: cidr });
    }
  }
  for (const type of [aws.securityGroup, aws.defaultSecurityGroup]) {
    for (const sg of graph.ofType(type)) {
      for (const rule of (sg.props.ingress ?? []) as InlineRule[]) {
        for (const cidr of [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])]) {
          if (isInternetSource(cidr)) facts.push({ urn: sg.urn, target: targetOf([sg]), ports: ports(rule.protocol, rule.fromPort, rule.toPort), source: cidr });
        }
      }
    }
  }
  return facts;
};

export const multiZone: StackReader<ZonesFact> = (resources) => {
  const graph = StackGraph.of(resources);
  const facts: ZonesFact[] = [];
  for (const svc of graph.ofType(aws.ecsService)) facts.push({ urn: svc.urn, what: "service", zones: subnetZones(graph, svc, "networkConfiguration").size, setting: "networkConfiguration.subnets" });
  for (const lb of publicLoadBalancers(graph)) facts.push({ urn: lb.urn, what: "load balancer", zones: subnetZones(graph, lb, "subnets").size, setting: "subnets" });
  for (const db of graph.ofType(aws.rdsInstance)) {
    const zones = new Set(graph.sources(db, "dbSubnetGroupName", aws.rdsSubnetGroup).flatMap((group) => [...subnetZones(graph, group, "subnetIds")]));
    facts.push({ urn: db.urn, what: "database", zones: zones.size, setting: "dbSubnetGroupName: the subnet group's subnetIds" });
  }
  return facts;
};
