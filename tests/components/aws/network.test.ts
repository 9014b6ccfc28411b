// The AWS network block: VPC, a public and a private subnet per zone, IGW, NAT (single or per
// zone), a closed default security group, and flow logs in production only.
import { named, ofType } from "../../harness/queries";
import { type RegisteredResource, runProgram, type SynthResult } from "../../harness/run";
import { runWithDependsOn } from "./dependsOn";

const input = <T = unknown>(res: RegisteredResource, key: string) => res.inputs[key] as T;

let dev: SynthResult;
let production: SynthResult;

beforeAll(async () => {
  dev = await runProgram({ stack: "dev" });
  production = await runProgram({ stack: "production" });
  expect(dev.error).toBeUndefined();
  expect(production.error).toBeUndefined();
});

describe.each([
  ["dev", () => dev, ["us-east-1a", "us-east-1b"]],
  ["production", () => production, ["us-east-1a", "us-east-1b", "us-east-1c"]],
] as const)("network in %s", (_stack, get, zones) => {
  it("has one VPC with the default CIDR and DNS support", () => {
    const vpcs = ofType(get(), "aws:ec2/vpc:Vpc");
    expect(vpcs).toHaveLength(1);
    expect(vpcs[0].inputs).toMatchObject({ cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
  });

  it("has a public and a private subnet in each real zone, none overlapping", () => {
    const subnets = ofType(get(), "aws:ec2/subnet:Subnet");
    expect(subnets).toHaveLength(zones.length * 2);
    for (const zone of zones) {
      for (const kind of ["public", "private"]) {
        const subnet = named(get(), `network-${kind}-${zone}`);
        expect(subnet.inputs.availabilityZone).toBe(zone);
        expect(subnet.inputs.cidrBlock).toMatch(/^10\.0\.\d+\.0\/20$/);
        expect(subnet.inputs.vpcId).toBe(get().outputs.networkId);
      }
    }
    const cidrs = subnets.map((s) => s.inputs.cidrBlock);
    expect(new Set(cidrs).size).toBe(cidrs.length);
    expect(get().outputs.publicSubnetIds).toHaveLength(zones.length);
    expect(get().outputs.privateSubnetIds).toHaveLength(zones.length);
  });

  it("never maps public IPs on private subnets", () => {
    for (const zone of zones) expect(named(get(), `network-private-${zone}`).inputs.mapPublicIpOnLaunch).toBe(false);
  });

  it("routes the public subnets to an internet gateway", () => {
    const igws = ofType(get(), "aws:ec2/internetGateway:InternetGateway");
    expect(igws).toHaveLength(1);
    expect(igws[0].inputs.vpcId).toBe(get().outputs.networkId);
    const publicRt = named(get(), "network-public-rt");
    const routes = input<{ cidrBlock: string; gatewayId?: string }[]>(publicRt, "routes");
    expect(routes).toEqual([expect.objectContaining({ cidrBlock: "0.0.0.0/0", gatewayId: expect.stringMatching(/^network-igw-/) })]);
    for (const zone of zones) {
      const rta = named(get(), `network-public-${zone}-rta`);
      expect(rta.inputs.routeTableId).toMatch(/^network-public-rt-/);
    }
  });

  it("closes the default security group (no ingress, no egress)", () => {
    const sgs = ofType(get(), "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(sgs).toHaveLength(1);
    expect(sgs[0].inputs.ingress).toEqual([]);
    expect(sgs[0].inputs.egress).toEqual([]);
    expect(sgs[0].inputs.vpcId).toBe(get().outputs.networkId);
  });

  it("parents every network resource to the Network block", () => {
    const children = get().resources.filter((r) => r.name.startsWith("network-"));
    expect(children.length).toBeGreaterThan(0);
    for (const c of children) expect(c.parent).toBe("network");
  });
});

describe("NAT", () => {
  it("dev has a single NAT in the first public subnet, and every private route table uses it", () => {
    const nats = ofType(dev, "aws:ec2/natGateway:NatGateway");
    expect(nats.map((n) => n.name)).toEqual(["network-nat-us-east-1a"]);
    expect(nats[0].inputs.connectivityType).toBe("public");
    expect(nats[0].inputs.allocationId).toMatch(/^network-nat-us-east-1a-eip-/);
    const publicA = (dev.outputs.publicSubnetIds as string[])[0];
    expect(nats[0].inputs.subnetId).toBe(publicA);
    expect(ofType(dev, "aws:ec2/eip:Eip").map((e) => e.inputs.domain)).toEqual(["vpc"]);
    for (const zone of ["us-east-1a", "us-east-1b"]) {
      const routes = input<{ cidrBlock: string; natGatewayId?: string }[]>(named(dev, `network-private-${zone}-rt`), "routes");
      expect(routes).toEqual([expect.objectContaining({ cidrBlock: "0.0.0.0/0", natGatewayId: expect.stringMatching(/^network-nat-us-east-1a-[0-9a-f]+$/) })]);
    }
  });

  it("production has one NAT per zone, each in its own zone's public subnet, and each private route table uses its zone's NAT", () => {
    const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    const nats = ofType(production, "aws:ec2/natGateway:NatGateway");
    expect(nats.map((n) => n.name).sort()).toEqual(zones.map((z) => `network-nat-${z}`));
    const publicIds = production.outputs.publicSubnetIds as string[];
    zones.forEach((zone, i) => {
      expect(named(production, `network-nat-${zone}`).inputs.subnetId).toBe(publicIds[i]);
      const routes = input<{ cidrBlock: string; natGatewayId?: string }[]>(named(production, `network-private-${zone}-rt`), "routes");
      expect(routes).toHaveLength(1);
      expect(routes[0].cidrBlock).toBe("0.0.0.0/0");
      expect(routes[0].natGatewayId).toMatch(new RegExp(`^network-nat-${zone}-[0-9a-f]+$`));
      expect(named(production, `network-private-${zone}-rta`).inputs.routeTableId).toMatch(new RegExp(`^network-private-${zone}-rt-`));
    });
  });
});

describe("egress", () => {
  const natNames = (r: SynthResult) => ofType(r, "aws:ec2/natGateway:NatGateway").map((n) => n.name).sort();

  it("per zone is a NAT gateway per zone, shared is one, and the deprecated natGateways means the same", async () => {
    const perZone = await runProgram({ stack: "dev", set: ["platform:network.egress=perZone"] });
    const oldPerZone = await runProgram({ stack: "dev", set: ["platform:network.natGateways=perZone"] });
    const shared = await runProgram({ stack: "production", set: ["platform:network.egress=shared"] });
    const oldSingle = await runProgram({ stack: "production", set: ["platform:network.natGateways=single"] });
    expect(natNames(perZone)).toEqual(["network-nat-us-east-1a", "network-nat-us-east-1b"]);
    expect(natNames(shared)).toEqual(["network-nat-us-east-1a"]);
    // Same resources, same logical names: the rename replaces nothing.
    const plan = (r: SynthResult) => r.resources.map((x) => [x.type, x.name, x.inputs]);
    expect(plan(oldPerZone)).toEqual(plan(perZone));
    expect(plan(oldSingle)).toEqual(plan(shared));
  });
});

describe("flow logs", () => {
  it("are absent in dev", () => {
    expect(ofType(dev, "aws:ec2/flowLog:FlowLog")).toEqual([]);
    expect(dev.resources.filter((r) => r.name.startsWith("network-flow"))).toEqual([]);
  });

  it("capture ALL traffic of the VPC in production into an encrypted log group kept 365 days", () => {
    const flowLogs = ofType(production, "aws:ec2/flowLog:FlowLog");
    expect(flowLogs).toHaveLength(1);
    const logGroup = named(production, "network-flow-logs");
    expect(logGroup.type).toBe("aws:cloudwatch/logGroup:LogGroup");
    expect(logGroup.inputs.retentionInDays).toBe(365);
    expect(logGroup.inputs.kmsKeyId).toBe(named(production, "secrets-JWT_SECRET").inputs.kmsKeyId);
    expect(logGroup.inputs.kmsKeyId).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    const role = named(production, "network-flow-logs-role");
    expect(flowLogs[0].inputs).toMatchObject({
      trafficType: "ALL",
      vpcId: production.outputs.networkId,
      logDestinationType: "cloud-watch-logs",
      iamRoleArn: expect.stringContaining(`:role/${role.inputs.name}`),
    });
    expect(flowLogs[0].inputs.logDestination).toContain(String(logGroup.inputs.name));
  });

  it("write through a role only the flow logs service can assume, scoped to that log group", () => {
    const trust = JSON.parse(String(named(production, "network-flow-logs-role").inputs.assumeRolePolicy));
    expect(trust.Statement).toEqual([expect.objectContaining({ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" })]);
    // Confused deputy: the conditions the VPC user guide documents for this trust policy, and no other.
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" },
    });
    const policy = JSON.parse(String(named(production, "network-flow-logs-policy").inputs.policy));
    const logGroupName = String(named(production, "network-flow-logs").inputs.name);
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe("Allow");
      for (const resource of [statement.Resource].flat()) expect(resource).toContain(logGroupName);
    }
    expect(policy.Statement.flatMap((s: { Action: string[] }) => s.Action)).toEqual(expect.arrayContaining(["logs:CreateLogStream", "logs:PutLogEvents"]));
  });

  it("are created only after the role's policy exists, or the first delivery fails", async () => {
    const { result, dependsOn } = await runWithDependsOn({ stack: "production" });
    expect(result.error).toBeUndefined();
    expect(dependsOn.get("network-flow-log")).toContain("network-flow-logs-policy");
  });

  it("can be turned on in dev through config", async () => {
    const r = await runProgram({ stack: "dev", set: ["platform:network.flowLogs=true"] });
    expect(r.error).toBeUndefined();
    expect(ofType(r, "aws:ec2/flowLog:FlowLog")).toHaveLength(1);
  });
});

describe("VPC endpoints", () => {
  type Endpoint = { serviceName: string; vpcEndpointType: string; routeTableIds?: string[]; subnetIds?: string[]; privateDnsEnabled?: boolean; securityGroupIds?: string[] };
  const endpoints = (r: SynthResult) => ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => ({ name: e.name, ...(e.inputs as unknown as Endpoint) }));

  it.each([["dev", () => dev, 2], ["production", () => production, 3]] as const)(
    "%s routes S3 from every private route table through a gateway endpoint, and no public one",
    (_s, get, zones) => {
      const s3 = endpoints(get()).filter((e) => e.serviceName === "com.amazonaws.us-east-1.s3");
      expect(s3).toHaveLength(1);
      expect(s3[0]).toMatchObject({ name: "network-s3-endpoint", vpcEndpointType: "Gateway" });
      expect(s3[0].routeTableIds).toHaveLength(zones);
      for (const id of s3[0].routeTableIds!) expect(id).toMatch(/^network-private-us-east-1[a-c]-rt-/);
    },
  );

  it("has no interface endpoints unless the spec asks (off in every committed preset)", () => {
    for (const r of [dev, production]) expect(endpoints(r).filter((e) => e.vpcEndpointType === "Interface")).toEqual([]);
  });

  it("when asked, adds ECR (api, dkr), Logs and Secrets Manager endpoints in the private subnets with private DNS, reachable on 443 from the VPC only", async () => {
    const r = await runProgram({ stack: "production", set: ["platform:network.interfaceEndpoints=true"] });
    expect(r.error).toBeUndefined();
    const interfaces = endpoints(r).filter((e) => e.vpcEndpointType === "Interface");
    expect(interfaces.map((e) => e.serviceName).sort()).toEqual(
      ["ecr.api", "ecr.dkr", "logs", "secretsmanager"].map((s) => `com.amazonaws.us-east-1.${s}`),
    );
    const sg = named(r, "network-endpoints-sg");
    const sgId = named(r, "network-endpoints-sg-in-443").inputs.securityGroupId;
    expect(sgId).toMatch(/^sg-/);
    for (const e of interfaces) {
      expect(e.privateDnsEnabled).toBe(true);
      expect(e.subnetIds).toEqual(r.outputs.privateSubnetIds);
      expect(e.securityGroupIds).toEqual([sgId]);
    }
    expect(sg.inputs.vpcId).toBe(r.outputs.networkId);
    const rules = r.resources.filter((x) => x.type.startsWith("aws:vpc/securityGroup") && x.inputs.securityGroupId === sgId);
    expect(rules.map((x) => [x.type, x.inputs])).toEqual([
      ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", expect.objectContaining({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" })],
    ]);
    expect(sg.inputs.ingress ?? []).toEqual([]);
    expect(sg.inputs.egress ?? []).toEqual([]);
  });
});
