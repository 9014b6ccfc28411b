// Network on AWS: a VPC with a public and a private subnet per zone, an internet gateway, NAT
// (one shared or one per zone), flow logs where the spec asks, and a default security group
// stripped of every rule so nothing can fall back to it.
import * as aws from "@pulumi/aws";
import { subnetLayout } from "../addressing";
import type { BlockContext } from "../cloud";
import type { NetworkOutputs, SecretsStoreOutputs } from "../model";
import { child, stateful, tags } from "./options";

export function network(ctx: BlockContext, deps: { secrets: SecretsStoreOutputs }): NetworkOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const base = names.name("awsSecurityGroup");
  const vpc = new aws.ec2.Vpc(
    `${n}-vpc`,
    { cidrBlock: spec.network.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags(ctx, base) },
    child(ctx),
  );
  new aws.ec2.DefaultSecurityGroup(`${n}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: tags(ctx, `${base}-default-closed`) }, child(ctx));
  const igw = new aws.ec2.InternetGateway(`${n}-igw`, { vpcId: vpc.id, tags: tags(ctx, base) }, child(ctx));

  const layout = subnetLayout(spec.network.cidr, spec.network.zones.length);
  const publicRoutes = new aws.ec2.RouteTable(
    `${n}-public-rt`,
    { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: tags(ctx, `${base}-public`) },
    child(ctx),
  );

  // Keyed by zone name, never by position: adding a zone leaves the existing subnets alone.
  const publicSubnets = spec.network.zones.map((zone, i) => {
    const subnet = new aws.ec2.Subnet(
      `${n}-public-${zone}`,
      { vpcId: vpc.id, cidrBlock: layout.publicCidrs[i], availabilityZone: zone, mapPublicIpOnLaunch: false, tags: tags(ctx, `${base}-public-${zone}`) },
      child(ctx),
    );
    new aws.ec2.RouteTableAssociation(`${n}-public-${zone}-rta`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, child(ctx));
    return subnet;
  });

  const natZones = spec.network.natGateways === "perZone" ? spec.network.zones : spec.network.zones.slice(0, 1);
  const natGateways = new Map(
    natZones.map((zone) => {
      const i = spec.network.zones.indexOf(zone);
      const eip = new aws.ec2.Eip(`${n}-nat-${zone}-eip`, { domain: "vpc", tags: tags(ctx, `${base}-nat-${zone}`) }, child(ctx));
      const nat = new aws.ec2.NatGateway(
        `${n}-nat-${zone}`,
        { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: "public", tags: tags(ctx, `${base}-nat-${zone}`) },
        child(ctx, { dependsOn: [igw] }),
      );
      return [zone, nat] as const;
    }),
  );

  const privateSubnets = spec.network.zones.map((zone, i) => {
    const subnet = new aws.ec2.Subnet(
      `${n}-private-${zone}`,
      { vpcId: vpc.id, cidrBlock: layout.privateCidrs[i], availabilityZone: zone, mapPublicIpOnLaunch: false, tags: tags(ctx, `${base}-private-${zone}`) },
      child(ctx),
    );
    const nat = natGateways.get(zone) ?? natGateways.get(natZones[0])!;
    const routes = new aws.ec2.RouteTable(
      `${n}-private-${zone}-rt`,
      { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: tags(ctx, `${base}-private-${zone}`) },
      child(ctx),
    );
    new aws.ec2.RouteTableAssociation(`${n}-private-${zone}-rta`, { subnetId: subnet.id, routeTableId: routes.id }, child(ctx));
    return subnet;
  });

  if (spec.network.flowLogs) {
    const logGroup = new aws.cloudwatch.LogGroup(
      `${n}-flow-logs`,
      {
        name: names.name("awsLogGroup", "vpc-flow-logs"),
        retentionInDays: spec.logs.auditRetentionDays,
        kmsKeyId: deps.secrets.encryptionKeyId,
        tags: tags(ctx),
      },
      stateful(ctx),
    );
    const role = new aws.iam.Role(
      `${n}-flow-logs-role`,
      {
        name: names.name("awsIamRole", "flow-logs"),
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags: tags(ctx),
      },
      child(ctx),
    );
    new aws.iam.RolePolicy(
      `${n}-flow-logs-policy`,
      {
        role: role.id,
        policy: logGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [arn, `${arn}:*`] },
            ],
          }),
        ),
      },
      child(ctx),
    );
    new aws.ec2.FlowLog(
      `${n}-flow-log`,
      { vpcId: vpc.id, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: logGroup.arn, iamRoleArn: role.arn, maxAggregationInterval: 60, tags: tags(ctx) },
      child(ctx),
    );
  }

  return {
    networkId: vpc.id,
    publicSubnetIds: publicSubnets.map((s) => s.id),
    privateSubnetIds: privateSubnets.map((s) => s.id),
  };
}
