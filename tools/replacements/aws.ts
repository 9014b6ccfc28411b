// Inputs that force a new resource, per AWS type the program registers, in Pulumi's input names.
// @pulumi/aws is bridged from terraform-provider-aws, and replacement is decided by the Terraform
// schema (ForceNew in SDKv2 resources, RequiresReplace plan modifiers in Framework resources),
// which no offline Pulumi schema carries (@pulumi/aws 7.48.0 has no `replaceOnChanges`).
//
// How each entry was derived: every input the committed stacks (and production with
// interfaceEndpoints) set was planned offline with `terraform plan -refresh=false` against
// terraform-provider-aws 5.100.0, once per input with the prior state differing in that input
// only; `requires_replace` paths are the forcing inputs below, every other input planned as an
// in-place update. Spot-checked against the v6 source (internal/service/secretsmanager/
// secret_version.go: secret_id, secret_string ForceNew; internal/service/ec2/vpc_subnet.go:
// vpc_id, cidr_block, availability_zone ForceNew). Terraform names are mapped to Pulumi's
// (alarm_name -> name, function_name -> name or function, topic_arn -> topic).
// Each entry names its Terraform resource; its doc page is
// registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/<name without aws_>.
import type { ReplacementTable } from "./table";

/** Terraform resource -> the Pulumi inputs of ours whose change replaces it. */
const forcing = (terraform: string, inputs: readonly string[], note?: string) => ({ inputs, source: `terraform-provider-aws ${terraform}`, ...(note ? { note } : {}) });

export const awsReplacements: ReplacementTable = {
  "aws:acm/certificate:Certificate": forcing("aws_acm_certificate", ["domainName", "keyAlgorithm", "validationMethod"]),
  "aws:acm/certificateValidation:CertificateValidation": forcing("aws_acm_certificate_validation", ["certificateArn", "validationRecordFqdns"]),
  "aws:appautoscaling/policy:Policy": forcing("aws_appautoscaling_policy", ["name", "resourceId", "scalableDimension", "serviceNamespace"]),
  "aws:appautoscaling/target:Target": forcing("aws_appautoscaling_target", ["resourceId", "scalableDimension", "serviceNamespace"]),
  "aws:backup/plan:Plan": forcing("aws_backup_plan", ["name"]),
  "aws:backup/restoreTestingPlan:RestoreTestingPlan": forcing("aws_backup_restore_testing_plan", ["name"]),
  "aws:backup/restoreTestingSelection:RestoreTestingSelection": forcing("aws_backup_restore_testing_selection", ["name", "protectedResourceType", "restoreTestingPlanName"]),
  // AWS Backup has no UpdateBackupSelection: every argument is ForceNew.
  "aws:backup/selection:Selection": forcing("aws_backup_selection", ["iamRoleArn", "name", "planId", "resources"]),
  "aws:backup/vault:Vault": forcing("aws_backup_vault", ["kmsKeyArn", "name"]),
  "aws:cloudwatch/dashboard:Dashboard": forcing("aws_cloudwatch_dashboard", ["dashboardName"]),
  "aws:cloudwatch/eventRule:EventRule": forcing("aws_cloudwatch_event_rule", ["name"]),
  "aws:cloudwatch/eventTarget:EventTarget": forcing("aws_cloudwatch_event_target", ["rule"]),
  "aws:cloudwatch/logGroup:LogGroup": forcing("aws_cloudwatch_log_group", ["name"]),
  "aws:cloudwatch/metricAlarm:MetricAlarm": forcing("aws_cloudwatch_metric_alarm", ["name"]),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": forcing("aws_default_security_group", ["vpcId"]),
  "aws:ec2/eip:Eip": forcing("aws_eip", ["domain"]),
  "aws:ec2/flowLog:FlowLog": forcing("aws_flow_log", ["iamRoleArn", "logDestination", "logDestinationType", "maxAggregationInterval", "trafficType", "vpcId"]),
  // Attaching to another VPC is a detach and an attach, in place.
  "aws:ec2/internetGateway:InternetGateway": forcing("aws_internet_gateway", []),
  "aws:ec2/natGateway:NatGateway": forcing("aws_nat_gateway", ["allocationId", "connectivityType", "subnetId"]),
  "aws:ec2/routeTable:RouteTable": forcing("aws_route_table", ["vpcId"]),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": forcing("aws_route_table_association", ["subnetId"]),
  "aws:ec2/securityGroup:SecurityGroup": forcing("aws_security_group", ["description", "name", "vpcId"]),
  "aws:ec2/subnet:Subnet": forcing("aws_subnet", ["availabilityZone", "cidrBlock", "vpcId"]),
  "aws:ec2/vpc:Vpc": forcing("aws_vpc", ["cidrBlock"]),
  "aws:ec2/vpcEndpoint:VpcEndpoint": forcing("aws_vpc_endpoint", ["serviceName", "vpcEndpointType", "vpcId"]),
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": forcing("aws_ecr_lifecycle_policy", ["policy", "repository"]),
  "aws:ecr/repository:Repository": forcing("aws_ecr_repository", ["encryptionConfigurations", "name"]),
  "aws:ecs/cluster:Cluster": forcing("aws_ecs_cluster", ["name"]),
  "aws:ecs/service:Service": forcing("aws_ecs_service", ["cluster", "launchType", "name"]),
  // A task definition revision is immutable: tags are the only in-place change.
  "aws:ecs/taskDefinition:TaskDefinition": forcing("aws_ecs_task_definition", [
    "containerDefinitions",
    "cpu",
    "executionRoleArn",
    "family",
    "memory",
    "networkMode",
    "requiresCompatibilities",
    "runtimePlatform",
    "taskRoleArn",
  ]),
  "aws:iam/role:Role": forcing("aws_iam_role", ["name"]),
  "aws:iam/rolePolicy:RolePolicy": forcing("aws_iam_role_policy", ["role"]),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": forcing("aws_iam_role_policy_attachment", ["policyArn", "role"]),
  "aws:kms/alias:Alias": forcing("aws_kms_alias", ["name"]),
  // Rotation, policy, description and deletion window change in place.
  "aws:kms/key:Key": forcing("aws_kms_key", []),
  "aws:lambda/function:Function": forcing("aws_lambda_function", ["name"]),
  "aws:lambda/permission:Permission": forcing("aws_lambda_permission", ["action", "function", "principal", "sourceArn"]),
  "aws:lb/listener:Listener": forcing("aws_lb_listener", ["loadBalancerArn"]),
  "aws:lb/listenerRule:ListenerRule": forcing("aws_lb_listener_rule", ["listenerArn"]),
  "aws:lb/loadBalancer:LoadBalancer": forcing("aws_lb", ["internal", "loadBalancerType", "name"]),
  "aws:lb/targetGroup:TargetGroup": forcing("aws_lb_target_group", ["name", "port", "protocol", "targetType", "vpcId"]),
  // The class, storage, Multi-AZ and even the identifier change in place (a rename keeps the data).
  "aws:rds/instance:Instance": forcing("aws_db_instance", ["dbName", "engine", "kmsKeyId", "storageEncrypted", "username"]),
  "aws:rds/parameterGroup:ParameterGroup": forcing("aws_db_parameter_group", ["description", "family", "name"]),
  "aws:rds/subnetGroup:SubnetGroup": forcing("aws_db_subnet_group", ["name"]),
  "aws:route53/healthCheck:HealthCheck": forcing("aws_route53_health_check", ["requestInterval", "type"]),
  "aws:route53/record:Record": forcing("aws_route53_record", ["name", "zoneId"]),
  "aws:s3/bucket:Bucket": forcing("aws_s3_bucket", ["bucket"]),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": forcing("aws_s3_bucket_lifecycle_configuration", ["bucket"]),
  "aws:s3/bucketObjectv2:BucketObjectv2": forcing("aws_s3_object", ["bucket", "key"]),
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": forcing("aws_s3_bucket_ownership_controls", ["bucket"]),
  "aws:s3/bucketPolicy:BucketPolicy": forcing("aws_s3_bucket_policy", ["bucket"]),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": forcing("aws_s3_bucket_public_access_block", ["bucket"]),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": forcing("aws_s3_bucket_server_side_encryption_configuration", ["bucket"]),
  "aws:s3/bucketVersioning:BucketVersioning": forcing("aws_s3_bucket_versioning", ["bucket"]),
  "aws:secretsmanager/secret:Secret": forcing("aws_secretsmanager_secret", ["name"]),
  "aws:secretsmanager/secretRotation:SecretRotation": forcing("aws_secretsmanager_secret_rotation", ["secretId"]),
  // A new value is a new version: the version resource is replaced.
  "aws:secretsmanager/secretVersion:SecretVersion": forcing("aws_secretsmanager_secret_version", ["secretId", "secretString"]),
  "aws:sns/topic:Topic": forcing("aws_sns_topic", ["name"]),
  "aws:sns/topicSubscription:TopicSubscription": forcing("aws_sns_topic_subscription", ["endpoint", "protocol", "topic"]),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": forcing("aws_vpc_security_group_egress_rule", ["securityGroupId"]),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": forcing("aws_vpc_security_group_ingress_rule", ["securityGroupId"]),
  "aws:wafv2/webAcl:WebAcl": forcing("aws_wafv2_web_acl", ["name", "scope"]),
  "aws:wafv2/webAclAssociation:WebAclAssociation": forcing("aws_wafv2_web_acl_association", ["resourceArn", "webAclArn"]),
};

/**
 * Provider v6 added a `region` argument to every regional resource: "Changing the value of `region`
 * will force resource replacement" (terraform-provider-aws guide "Enhanced Region Support"). IAM and
 * Route 53 are global and have none.
 */
export function awsRegionForcesReplacement(type: string): boolean {
  if (!type.startsWith("aws:")) return false;
  const module = type.split(":")[1]?.split("/")[0];
  return module !== "iam" && module !== "route53";
}
