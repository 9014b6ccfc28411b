// Container service on AWS: per service an ECR repository, a Fargate task definition and an ECS
// service in the private subnets, reachable only from the load balancer. The execution role can
// read only that service's own secrets (and the database credentials); the task role can use only the
// data store. Where the platform has a database, each service gets its address as env vars, its
// credentials as secret references, and a rule on its security group for the database port. A service whose
// image or secret value is missing is held at zero tasks; a new image digest or secret version
// starts a new deployment, and where the spec waits for rollouts a failed one fails the update.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ContainerServiceOutputs, DataStoreOutputs, LoadBalancerOutputs, NetworkOutputs, ReleaseStatus, SecretsStoreOutputs } from "../model";
import { databaseRotationRedeploy } from "./databaseRotation";
import { callerArnParts, child, stateful, tags } from "./options";
import { fargateCpuUnits } from "./fargateSizes";
import { clusterName, ecsServiceName, repositoryName } from "./resourceNames";
import { verifiedRelease } from "./rollout";
import { dataBucketEnv } from "./serviceEnv";

/**
 * The execution role's trust policy carries no condition: the ECS developer guide's "Amazon ECS task
 * execution IAM role" page documents its trust policy without aws:SourceAccount / aws:SourceArn, and a
 * condition on a key the service does not send would keep every task from starting.
 */
const executionTrust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/**
 * The task role's trust policy, scoped against the confused deputy as the ECS developer guide's
 * "Amazon ECS task IAM role" page recommends: aws:SourceAccount, and aws:SourceArn with a wildcard for
 * every ECS resource of the account in the region (naming one cluster is "not currently supported").
 */
function taskTrust(region: string, accountId: pulumi.Output<string>, partition: pulumi.Output<string>): pulumi.Output<string> {
  return pulumi.all([accountId, partition]).apply(([account, part]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { ArnLike: { "aws:SourceArn": `arn:${part}:ecs:${region}:${account}:*` }, StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    }),
  );
}

/**
 * Untagged images only, a week after their push: tagged images are never expired, so the release a
 * task definition names (repo:tag) stays pullable for as long as it is tagged. The child manifests of
 * a multi-architecture image are untagged but safe: "If an image is referenced by a manifest list, it
 * cannot be expired ... without the manifest list being deleted ... first" (ECR user guide, Lifecycle
 * policy evaluation rules). The week leaves time to re-tag a replaced image for a manual rollback.
 */
export const imageLifecyclePolicy = {
  rules: [
    {
      rulePriority: 1,
      description: "Expire untagged images 7 days after push; tagged images are never expired",
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
      action: { type: "expire" },
    },
  ],
};

export function containerService(
  ctx: BlockContext,
  deps: { network: NetworkOutputs; secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; dataStore: DataStoreOutputs },
): ContainerServiceOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const { accountId, partition } = callerArnParts(ctx);
  const cluster = new aws.ecs.Cluster(
    `${n}-cluster`,
    { name: clusterName(names), settings: [{ name: "containerInsights", value: "enabled" }], tags: tags(ctx) },
    child(ctx),
  );

  const db = deps.dataStore.database;
  const serviceNames: Record<string, pulumi.Output<string>> = {};
  const imageRepositories: Record<string, pulumi.Output<string>> = {};
  const releases: Record<string, pulumi.Output<ReleaseStatus>> = {};
  const heldServices: string[] = [];
  for (const [svcName, svc] of Object.entries(spec.services)) {
    const s = `${n}-${svcName}`;
    const release = ctx.release.services[svcName];
    const held = release.holdReasons.length > 0;
    if (held) heldServices.push(svcName);
    const repository = new aws.ecr.Repository(
      `${s}-repo`,
      {
        name: repositoryName(names, svcName),
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
        policy: JSON.stringify(imageLifecyclePolicy),
      },
      child(ctx),
    );
    imageRepositories[svcName] = repository.repositoryUrl;
    // By tag, not digest: a tagged image is never expired, so what a task definition names stays pullable.
    const image = svc.image ? pulumi.output(svc.image) : pulumi.interpolate`${repository.repositoryUrl}:${svc.imageTag}`;

    const logGroup = new aws.cloudwatch.LogGroup(
      `${s}-logs`,
      { name: names.name("awsLogGroup", "ecs", svcName), retentionInDays: spec.logs.appRetentionDays, kmsKeyId: deps.secrets.encryptionKeyId, tags: tags(ctx) },
      stateful(ctx),
    );

    const secretArns = svc.secrets.map((secretName) => deps.secrets.secretRefs[secretName]);
    const executionRole = new aws.iam.Role(`${s}-execution-role`, { name: names.name("awsIamRole", svcName, "exec"), assumeRolePolicy: executionTrust, tags: tags(ctx) }, child(ctx));
    // The task definition and the service wait for every policy of both roles: the first tasks fail
    // without them, and on destroy the service must go first or it hangs in DRAINING (the provider's
    // aws_ecs_service docs).
    const rolePolicies: pulumi.Resource[] = [];
    rolePolicies.push(
      new aws.iam.RolePolicyAttachment(
        `${s}-execution-managed`,
        { role: executionRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy` },
        child(ctx),
      ),
    );
    if (secretArns.length > 0 || db) {
      // The RDS-managed secret is encrypted with the platform key too: one key to decrypt with.
      const secretsPolicy = new aws.iam.RolePolicy(
        `${s}-execution-secrets`,
        {
          role: executionRole.id,
          policy: pulumi.all([pulumi.all(secretArns), deps.secrets.encryptionKeyId, db ? db.credentialsRef : ""]).apply(([arns, keyArn, databaseSecret]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                ...(arns.length > 0 ? [{ Sid: "ReadOwnSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arns }] : []),
                ...(databaseSecret ? [{ Sid: "ReadDatabaseCredentials", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: databaseSecret }] : []),
                { Sid: "DecryptOwnSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
              ],
            }),
          ),
        },
        child(ctx),
      );
      rolePolicies.push(secretsPolicy);
    }
    const taskRole = new aws.iam.Role(
      `${s}-task-role`,
      { name: names.name("awsIamRole", svcName, "task"), assumeRolePolicy: taskTrust(spec.region, accountId, partition), tags: tags(ctx) },
      child(ctx),
    );
    const dataPolicy = new aws.iam.RolePolicy(
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
    rolePolicies.push(dataPolicy);

    const environment = {
      ...svc.env,
      ENVIRONMENT: spec.environment,
      LOG_LEVEL: spec.logs.level,
    };
    const containerDefinitions = pulumi
      .all([image, logGroup.name, pulumi.all(secretArns), deps.dataStore.dataStoreUrl, deps.dataStore.dataStoreName, db ? db.host : "", db ? db.credentialsRef : ""])
      .apply(([imageRef, logGroupName, arns, dataUrl, bucketName, databaseHost, databaseSecret]) =>
        JSON.stringify([
          {
            name: svcName,
            image: imageRef,
            essential: true,
            portMappings: [{ containerPort: svc.port, protocol: "tcp" }],
            environment: Object.entries({
              ...environment,
              DATA_STORE_URL: dataUrl,
              [dataBucketEnv]: bucketName,
              ...(db ? { DATABASE_HOST: databaseHost, DATABASE_PORT: String(db.port), DATABASE_NAME: db.databaseName } : {}),
            })
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([name, value]) => ({ name, value })),
            // By reference only: ECS reads the value at task start; it never enters state. The database
            // credentials are two JSON keys of the RDS-managed secret (`<arn>:<json-key>::`, ECS
            // developer guide, "Pass Secrets Manager secrets through Amazon ECS environment variables").
            secrets: [
              ...svc.secrets.map((secretName, i) => ({ name: secretName, valueFrom: arns[i] })),
              ...(db
                ? [
                    { name: "DATABASE_USER", valueFrom: `${databaseSecret}:username::` },
                    { name: "DATABASE_PASSWORD", valueFrom: `${databaseSecret}:password::` },
                  ]
                : []),
            ],
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
        cpu: fargateCpuUnits(svc.cpu),
        memory: String(svc.memory),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        containerDefinitions,
        tags: tags(ctx),
      },
      child(ctx, { dependsOn: rolePolicies }),
    );

    const serviceSg = new aws.ec2.SecurityGroup(
      `${s}-sg`,
      { name: names.name("awsSecurityGroup", n, svcName), description: `Tasks of service ${svcName}`, vpcId: deps.network.networkId, tags: tags(ctx) },
      child(ctx),
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${s}-sg-in`,
      { securityGroupId: serviceSg.id, ipProtocol: "tcp", fromPort: svc.port, toPort: svc.port, referencedSecurityGroupId: deps.loadBalancer.ingressSourceId, description: "From the load balancer only", tags: tags(ctx) },
      child(ctx),
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${s}-sg-out`,
      { securityGroupId: serviceSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS to AWS APIs, the registry and LLM providers", tags: tags(ctx) },
      child(ctx),
    );
    // The database admits this service by its security group, and the service may reach it there only.
    const databaseRules: pulumi.Resource[] = db
      ? [
          new aws.vpc.SecurityGroupIngressRule(
            `${s}-db-in`,
            { securityGroupId: db.accessId, ipProtocol: "tcp", fromPort: db.port, toPort: db.port, referencedSecurityGroupId: serviceSg.id, description: `From service ${svcName}`, tags: tags(ctx) },
            child(ctx),
          ),
          new aws.vpc.SecurityGroupEgressRule(
            `${s}-sg-out-db`,
            { securityGroupId: serviceSg.id, ipProtocol: "tcp", fromPort: db.port, toPort: db.port, referencedSecurityGroupId: db.accessId, description: "To the platform database", tags: tags(ctx) },
            child(ctx),
          ),
        ]
      : [];

    // What the service runs, beyond the task definition: a push to the same tag or a new secret value
    // changes no other input, so these start a new deployment. A generated secret's version also
    // orders the service after its value exists. A held service has none: it runs nothing to
    // redeploy, and dropping them is no change to the provider (it ignores triggers that become empty).
    const triggers: Record<string, pulumi.Input<string>> = {};
    if (!held && release.imageDigest !== undefined) triggers.image = release.imageDigest;
    for (const secretName of held ? [] : svc.secrets) {
      const version = deps.secrets.secretVersions[secretName];
      if (version !== undefined) triggers[`secret-${secretName}`] = version;
    }

    const service = new aws.ecs.Service(
      `${s}-service`,
      {
        name: ecsServiceName(names, svcName),
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        // A held service gets no tasks (they could only fail); autoscaling raises a ready one to its minimum.
        desiredCount: held ? 0 : svc.minInstances,
        networkConfiguration: { subnets: deps.network.privateSubnetIds, securityGroups: [serviceSg.id], assignPublicIp: false },
        loadBalancers: [{ targetGroupArn: deps.loadBalancer.backendIds[svcName], containerName: svcName, containerPort: svc.port }],
        healthCheckGracePeriodSeconds: 60,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        forceNewDeployment: true,
        triggers: Object.keys(triggers).length > 0 ? triggers : undefined,
        waitForSteadyState: spec.waitForRollout,
        tags: tags(ctx),
      },
      // Autoscaling owns the running count once the service exists. A service held until now starts
      // through this update instead, so that the rollout waited for (and verified) runs real tasks.
      // The first tasks connect to the database: its rules exist before them.
      child(ctx, { ignoreChanges: release.starting ? [] : ["desiredCount"], dependsOn: [...rolePolicies, ...databaseRules] }),
    );
    serviceNames[svcName] = service.name;
    releases[svcName] = verifiedRelease(ctx, svcName, service, taskDefinition, held);
  }
  if (db) {
    databaseRotationRedeploy(ctx, { credentialsRef: db.credentialsRef, clusterName: cluster.name, serviceNames: Object.values(serviceNames), keyArn: deps.secrets.encryptionKeyId });
  }
  return { runtimeName: cluster.name, serviceNames, imageRepositories, heldServices, releases };
}
