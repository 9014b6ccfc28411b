// Network on AWS: a VPC with a public and a private subnet per zone, an internet gateway, NAT
// (one shared or one per zone), an S3 gateway endpoint, interface endpoints for the AWS APIs the
// tasks call where the spec asks, flow logs where the spec asks, and a default security group
// stripped of every rule so nothing can fall back to it.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import { subnetLayout } from "../addressing";
import type { BlockContext } from "../cloud";
import type { NetworkOutputs, SecretsStoreOutputs } from "../model";
import { callerArnParts, child, stateful, tags } from "./options";

/**
 * What a Fargate task in a private subnet calls besides S3 (ECR layers come from S3): the registry
 * API and Docker endpoints, CloudWatch Logs for awslogs, Secrets Manager for `secrets` at start.
 * Key -> endpoint service suffix (`com.amazonaws.<region>.<suffix>`).
 */
const interfaceEndpointServices = { "ecr-api": "ecr.api", "ecr-dkr": "ecr.dkr", logs: "logs", secretsmanager: "secretsmanager" } as const;

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

  // Egress per zone: a NAT gateway in each zone, so a zone failing cuts off only its own tasks. Shared:
  // one NAT gateway in the first zone for all (the logical names are the same either way).
  const natZones = spec.network.egress === "perZone" ? spec.network.zones : spec.network.zones.slice(0, 1);
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

  const privateRouteTables: aws.ec2.RouteTable[] = [];
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
    privateRouteTables.push(routes);
    return subnet;
  });

  // S3 traffic (the data bucket, and every image pull: ECR serves layers from S3) skips NAT
  // processing. A gateway endpoint has no charge (AWS PrivateLink guide, "Gateway endpoints").
  new aws.ec2.VpcEndpoint(
    `${n}-s3-endpoint`,
    { vpcId: vpc.id, serviceName: `com.amazonaws.${spec.region}.s3`, vpcEndpointType: "Gateway", routeTableIds: privateRouteTables.map((rt) => rt.id), tags: tags(ctx, `${base}-s3`) },
    child(ctx),
  );

  if (spec.network.interfaceEndpoints) {
    // Interface endpoints bill per zone and hour (AWS PrivateLink pricing); the README has the
    // break-even against NAT processing. Private DNS makes the SDKs and the agent use them unchanged.
    const endpointSg = new aws.ec2.SecurityGroup(
      `${n}-endpoints-sg`,
      { name: names.name("awsSecurityGroup", "endpoints"), description: "HTTPS from inside the VPC to the AWS API endpoints", vpcId: vpc.id, tags: tags(ctx) },
      child(ctx),
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${n}-endpoints-sg-in-443`,
      { securityGroupId: endpointSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: spec.network.cidr, description: "HTTPS from the VPC only", tags: tags(ctx) },
      child(ctx),
    );
    for (const [key, service] of Object.entries(interfaceEndpointServices)) {
      new aws.ec2.VpcEndpoint(
        `${n}-endpoint-${key}`,
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${spec.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((s) => s.id),
          securityGroupIds: [endpointSg.id],
          tags: tags(ctx, `${base}-${key}`),
        },
        child(ctx),
      );
    }
  }

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
    const { accountId, partition } = callerArnParts(ctx);
    const role = new aws.iam.Role(
      `${n}-flow-logs-role`,
      {
        name: names.name("awsIamRole", "flow-logs"),
        // Confused deputy: only flow logs of this account may assume the role. The flow log id is
        // unknown until it exists, hence the wildcard (Amazon VPC user guide, "IAM role for
        // publishing flow logs to CloudWatch Logs").
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "vpc-flow-logs.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: {
                StringEquals: { "aws:SourceAccount": accountId },
                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:ec2:${spec.region}:${accountId}:vpc-flow-log/*` },
              },
            },
          ],
        }),
        tags: tags(ctx),
      },
      child(ctx),
    );
    const policy = new aws.iam.RolePolicy(
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
      // The role exists before its policy does; a flow log created in between fails its first
      // delivery (the engine cannot see that the role needs the policy).
      child(ctx, { dependsOn: [policy] }),
    );
  }

  return {
    networkId: vpc.id,
    publicSubnetIds: publicSubnets.map((s) => s.id),
    privateSubnetIds: privateSubnets.map((s) => s.id),
  };
}
