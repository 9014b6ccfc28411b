// Required tags on AWS: every resource type the platform creates (or the readers know) whose
// arguments take `tags`. tests/policy/awsReaders.test.ts compares this list with the @pulumi/aws
// declarations of every type the committed stacks register, so a new taggable type is not missed.
import type { TagsFact } from "../../facts";
import type { ResourceReaders } from "../types";

export const taggableTypes = [
  "aws:acm/certificate:Certificate",
  "aws:appautoscaling/target:Target",
  "aws:backup/plan:Plan",
  "aws:backup/restoreTestingPlan:RestoreTestingPlan",
  "aws:backup/vault:Vault",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:ec2/eip:Eip",
  "aws:ec2/flowLog:FlowLog",
  "aws:ec2/instance:Instance",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ecr/repository:Repository",
  "aws:ecs/cluster:Cluster",
  "aws:ecs/service:Service",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:iam/policy:Policy",
  "aws:iam/role:Role",
  "aws:kms/key:Key",
  "aws:lambda/function:Function",
  "aws:lb/listener:Listener",
  "aws:lb/listenerRule:ListenerRule",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:lb/targetGroup:TargetGroup",
  "aws:rds/instance:Instance",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:route53/healthCheck:HealthCheck",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketObjectv2:BucketObjectv2",
  "aws:secretsmanager/secret:Secret",
  "aws:sns/topic:Topic",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:wafv2/webAcl:WebAcl",
] as const;

// The provider's default_tags would add tags the inputs do not show; the platform sets them per resource.
const readTags = ({ props }: { props: Record<string, any> }): TagsFact[] => [{ tags: props.tags, setting: "tags" }];

export const requiredTags: ResourceReaders<TagsFact> = Object.fromEntries(taggableTypes.map((type) => [type, readTags]));
