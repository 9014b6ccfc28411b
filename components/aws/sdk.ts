// The parts of @pulumi/aws the AWS blocks use, module by module. The package root loads the index of
// every one of its ~250 modules (about 300 files): importing only these cuts that from every synth and
// every test file, and an AWS block names its SDK the same way (`aws.ec2.Vpc`).
export * as acm from "@pulumi/aws/acm";
export * as appautoscaling from "@pulumi/aws/appautoscaling";
export * as backup from "@pulumi/aws/backup";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as ec2 from "@pulumi/aws/ec2";
export * as ecr from "@pulumi/aws/ecr";
export * as ecs from "@pulumi/aws/ecs";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as lambda from "@pulumi/aws/lambda";
export * as lb from "@pulumi/aws/lb";
export * as rds from "@pulumi/aws/rds";
export * as route53 from "@pulumi/aws/route53";
export * as s3 from "@pulumi/aws/s3";
export * as secretsmanager from "@pulumi/aws/secretsmanager";
export * as sns from "@pulumi/aws/sns";
export * as vpc from "@pulumi/aws/vpc";
export * as wafv2 from "@pulumi/aws/wafv2";
export { getCallerIdentity, getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartition, getPartitionOutput } from "@pulumi/aws/getPartition";
export type * as types from "@pulumi/aws/types";
