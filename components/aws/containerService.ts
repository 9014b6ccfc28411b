// Container service on AWS: per service an ECR repository, a Fargate task definition and an ECS
// service in the private subnets, reachable only from the load balancer. The execution role can
// read only that service's own secrets; the task role can use only the data store.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ContainerServiceOutputs, DataStoreOutputs, LoadBalancerOutputs, NetworkOutputs, SecretsStoreOutputs } from "../model";
import { child, stateful, tags } from "./options";

const assumeByEcsTasks = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export function containerService(
  ctx: BlockContext,
  deps: { network: NetworkOutputs; secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; dataStore: DataStoreOutputs },
): ContainerServiceOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const cluster = new aws.ecs.Cluster(
    `${n}-cluster`,
    { name: names.name("awsEcsName"), settings: [{ name: "containerInsights", value: "enabled" }], tags: tags(ctx) },
    child(ctx),
  );

  const serviceNames: Record<string, pulumi.Output<string>> = {};
  const imageRepositories: Record<string, pulumi.Output<string>> = {};
  for (const [svcName, svc] of Object.entries(spec.services)) {
    const s = `${n}-${svcName}`;
    const repository = new aws.ecr.Repository(
      `${s}-repo`,
      {
        name: names.name("awsEcrRepository", svcName),
        imageTagMutability: spec.immutableImageTags ? "IMMUTABLE" : "MUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: deps.secrets.encryptionKeyId }],
        forceDelete: !spec.deletionProtection,
        tags: tags(ctx),
      },
      stateful(ctx),
    );
    new aws.ecr.LifecyclePolicy(
      `${s}-repo-lifecycle`,
      {
        repository: repository.name,
        policy: JSON.stringify({
          rules: [{ rulePriority: 1, description: "Keep the last 50 images", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 50 }, action: { type: "expire" } }],
        }),
      },
      child(ctx),
    );
    imageRepositories[svcName] = repository.repositoryUrl;
    const image = svc.image ? pulumi.output(svc.image) : pulumi.interpolate`${repository.repositoryUrl}:${svc.imageTag}`;

    const logGroup = new aws.cloudwatch.LogGroup(
      `${s}-logs`,
      { name: names.name("awsLogGroup", "ecs", svcName), retentionInDays: spec.logs.appRetentionDays, kmsKeyId: deps.secrets.encryptionKeyId, tags: tags(ctx) },
      stateful(ctx),
    );

    const secretArns = svc.secrets.map((secretName) => deps.secrets.secretRefs[secretName]);
    const executionRole = new aws.iam.Role(`${s}-execution-role`, { name: names.name("awsIamRole", svcName, "exec"), assumeRolePolicy: assumeByEcsTasks, tags: tags(ctx) }, child(ctx));
    new aws.iam.RolePolicyAttachment(
      `${s}-execution-managed`,
      { role: executionRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
      child(ctx),
    );
    if (secretArns.length > 0) {
      new aws.iam.RolePolicy(
        `${s}-execution-secrets`,
        {
          role: executionRole.id,
          policy: pulumi.all([pulumi.all(secretArns), deps.secrets.encryptionKeyId]).apply(([arns, keyArn]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                { Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arns },
                { Sid: "DecryptOwnSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
              ],
            }),
          ),
        },
        child(ctx),
      );
    }
    const taskRole = new aws.iam.Role(`${s}-task-role`, { name: names.name("awsIamRole", svcName, "task"), assumeRolePolicy: assumeByEcsTasks, tags: tags(ctx) }, child(ctx));
    new aws.iam.RolePolicy(
      `${s}-task-data`,
      {
        role: taskRole.id,
        policy: pulumi.all([deps.dataStore.dataStoreId, deps.secrets.encryptionKeyId]).apply(([bucketArn, keyArn]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Sid: "ListData", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
              { Sid: "UseData", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/*` },
              { Sid: "DataKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: keyArn },
            ],
          }),
        ),
      },
      child(ctx),
    );

    const environment = {
      ...svc.env,
      ENVIRONMENT: spec.environment,
      LOG_LEVEL: spec.logs.level,
    };
    const containerDefinitions = pulumi
      .all([image, logGroup.name, pulumi.all(secretArns), deps.dataStore.dataStoreName])
      .apply(([imageRef, logGroupName, arns, bucketName]) =>
        JSON.stringify([
          {
            name: svcName,
            image: imageRef,
            essential: true,
            portMappings: [{ containerPort: svc.port, protocol: "tcp" }],
            environment: Object.entries({ ...environment, DATA_BUCKET: bucketName })
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([name, value]) => ({ name, value })),
            // By reference only: ECS reads the value at task start; it never enters state.
            secrets: svc.secrets.map((secretName, i) => ({ name: secretName, valueFrom: arns[i] })),
            logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logGroupName, "awslogs-region": spec.region, "awslogs-stream-prefix": svcName } },
            linuxParameters: { initProcessEnabled: true },
          },
        ]),
      );
    const taskDefinition = new aws.ecs.TaskDefinition(
      `${s}-task`,
      {
        family: names.name("awsEcsName", svcName),
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(svc.cpu),
        memory: String(svc.memory),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        containerDefinitions,
        tags: tags(ctx),
      },
      child(ctx),
    );

    const serviceSg = new aws.ec2.SecurityGroup(
      `${s}-sg`,
      { name: names.name("awsSecurityGroup", n, svcName), description: `Tasks of service ${svcName}`, vpcId: deps.network.networkId, tags: tags(ctx) },
      child(ctx),
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${s}-sg-in`,
      { securityGroupId: serviceSg.id, ipProtocol: "tcp", fromPort: svc.port, toPort: svc.port, referencedSecurityGroupId: deps.loadBalancer.ingressSourceId, description: "From the load balancer only" },
      child(ctx),
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${s}-sg-out`,
      { securityGroupId: serviceSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS to AWS APIs, the registry and LLM providers" },
      child(ctx),
    );

    const service = new aws.ecs.Service(
      `${s}-service`,
      {
        name: names.name("awsEcsName", svcName),
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        desiredCount: svc.minTasks,
        networkConfiguration: { subnets: deps.network.privateSubnetIds, securityGroups: [serviceSg.id], assignPublicIp: false },
        loadBalancers: [{ targetGroupArn: deps.loadBalancer.backendIds[svcName], containerName: svcName, containerPort: svc.port }],
        healthCheckGracePeriodSeconds: 60,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        tags: tags(ctx),
      },
      // Autoscaling owns the running count once the service exists.
      child(ctx, { ignoreChanges: ["desiredCount"] }),
    );
    serviceNames[svcName] = service.name;
  }
  return { clusterName: cluster.name, serviceNames, imageRepositories };
}
