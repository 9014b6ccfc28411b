// The AWS container service block: ECR, ECS cluster, Fargate task definitions and services in the
// private subnets, per-service IAM roles, security groups and log groups.
import { named, ofType } from "../../harness/queries";
import { type RegisteredResource, runProgram, type SynthResult } from "../../harness/run";


interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  portMappings: { containerPort: number; protocol: string }[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  logConfiguration: { logDriver: string; options: Record<string, string> };
}
const containers = (r: SynthResult, svc: string): ContainerDefinition[] => JSON.parse(String(named(r, `app-${svc}-task`).inputs.containerDefinitions));
const envOf = (r: SynthResult, svc: string) => Object.fromEntries(containers(r, svc)[0].environment.map((e) => [e.name, e.value]));
const policyOf = (res: RegisteredResource) => JSON.parse(String(res.inputs.policy)) as { Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[] }[] };

/** A second service with its own secret (the default secrets are declared explicitly, so that the case holds whether declared secrets add to the defaults or replace them). */
const twoServices = [
  "platform:secrets.JWT_SECRET.source=generated",
  "platform:secrets.ANTHROPIC_API_KEY.source=external",
  "platform:secrets.DB_PASSWORD.source=external",
  "platform:services.web.port=3000",
  "platform:services.web.cpu=2",
  "platform:services.web.memory=4096",
  "platform:services.web.secrets[0]=DB_PASSWORD",
  "platform:services.web.env.FEATURE_FLAGS=beta",
];

let dev: SynthResult;
let production: SynthResult;
let two: SynthResult;

beforeAll(async () => {
  dev = await runProgram({ stack: "dev" });
  production = await runProgram({ stack: "production" });
  two = await runProgram({ stack: "dev", set: twoServices });
  for (const r of [dev, production, two]) expect(r.error).toBeUndefined();
});

describe("image registry", () => {
  it("expires untagged images a week after push and never a tagged one", () => {
    for (const r of [dev, production]) {
      const policy = JSON.parse(String(named(r, "app-api-repo-lifecycle").inputs.policy));
      expect(policy).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: "Expire untagged images 7 days after push; tagged images are never expired",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
            action: { type: "expire" },
          },
        ],
      });
      for (const rule of policy.rules) expect(rule.selection.tagStatus).toBe("untagged");
    }
  });

  it("scans on push, with immutable tags in production and mutable ones in dev", () => {
    expect(named(production, "app-api-repo").inputs).toMatchObject({ imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE" });
    expect(named(dev, "app-api-repo").inputs).toMatchObject({ imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "MUTABLE" });
  });

  it("is encrypted with the platform key and runs the configured tag from its own repository", () => {
    const repo = named(production, "app-api-repo");
    expect(repo.inputs.encryptionConfigurations).toEqual([{ encryptionType: "KMS", kmsKey: expect.stringMatching(/^arn:aws:kms:/) }]);
    const url = (production.outputs.imageRepositories as Record<string, string>).api;
    expect(containers(production, "api")[0].image).toBe(`${url}:1.0.0`);
  });
});

describe("cluster", () => {
  it("has Container Insights enabled", () => {
    for (const r of [dev, production]) {
      const clusters = ofType(r, "aws:ecs/cluster:Cluster");
      expect(clusters).toHaveLength(1);
      expect(clusters[0].inputs.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
    }
  });
});

describe("task definition", () => {
  it("is a Fargate awsvpc task with CPU (vCPU in the spec, CPU units here) and memory as strings", () => {
    // The neutral default: 1 vCPU with 2048 MiB.
    expect(named(dev, "app-api-task").inputs).toMatchObject({ requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "1024", memory: "2048" });
    expect(named(two, "app-web-task").inputs).toMatchObject({ requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "2048", memory: "4096" });
  });

  it.each([
    [0.25, "256", 512],
    [0.5, "512", 1024],
    [4, "4096", 8192],
    [16, "16384", 32768],
  ])("runs cpu %s vCPU as %s CPU units", async (vcpu, units, memory) => {
    const r = await runProgram({ stack: "dev", set: [`platform:services.api.cpu=${vcpu}`, `platform:services.api.memory=${memory}`] });
    expect(r.error).toBeUndefined();
    expect(named(r, "app-api-task").inputs).toMatchObject({ cpu: units, memory: String(memory) });
  });

  it("uses the service's own execution and task roles", () => {
    const task = named(two, "app-web-task");
    expect(task.inputs.executionRoleArn).toBe(`arn:aws:iam::123456789012:role/${named(two, "app-web-execution-role").inputs.name}`);
    expect(task.inputs.taskRoleArn).toBe(`arn:aws:iam::123456789012:role/${named(two, "app-web-task-role").inputs.name}`);
  });

  it("injects secrets by ARN reference only, never by value", () => {
    const secretArn = (name: string) => (dev.outputs.secretRefs as Record<string, string>)[name];
    const databaseSecret = (dev.outputs.database as { credentialsRef: string }).credentialsRef;
    const [container] = containers(dev, "api");
    expect(container.secrets).toEqual([
      { name: "JWT_SECRET", valueFrom: secretArn("JWT_SECRET") },
      { name: "ANTHROPIC_API_KEY", valueFrom: secretArn("ANTHROPIC_API_KEY") },
      { name: "DATABASE_USER", valueFrom: `${databaseSecret}:username::` },
      { name: "DATABASE_PASSWORD", valueFrom: `${databaseSecret}:password::` },
    ]);
    for (const s of container.secrets) expect(s.valueFrom).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret/);
    const envNames = container.environment.map((e) => e.name);
    expect(envNames).not.toContain("JWT_SECRET");
    expect(envNames).not.toContain("ANTHROPIC_API_KEY");
    expect(named(dev, "app-api-task").secretPaths).toEqual([]);
  });

  it("sets ENVIRONMENT, LOG_LEVEL, DATA_STORE_URL, DATA_BUCKET (its AWS alias) and the database's address next to the stack file's env", () => {
    expect(dev.outputs.dataStoreUrl).toBe(`s3://${dev.outputs.dataStoreName}`);
    const database = (r: SynthResult) => r.outputs.database as { host: string; port: number; name: string };
    const databaseEnv = (r: SynthResult) => ({ DATABASE_HOST: database(r).host, DATABASE_PORT: "5432", DATABASE_NAME: "app" });
    expect(envOf(dev, "api")).toEqual({
      ENVIRONMENT: "dev",
      LOG_LEVEL: "debug",
      DATA_STORE_URL: `s3://${dev.outputs.dataStoreName}`,
      DATA_BUCKET: dev.outputs.dataStoreName,
      ...databaseEnv(dev),
      LLM_PROVIDER: "anthropic",
      LLM_MODEL: "claude-sonnet-4-5",
      BATCH_SIZE: "10",
      MAX_WORKERS: "2",
    });
    expect(database(dev).host).toMatch(/^platform-dev-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    expect(envOf(production, "api")).toMatchObject({ ENVIRONMENT: "production", LOG_LEVEL: "warn", BATCH_SIZE: "50", MAX_WORKERS: "8", DATA_BUCKET: production.outputs.dataStoreName, ...databaseEnv(production) });
    expect(envOf(two, "web")).toEqual({ ENVIRONMENT: "dev", LOG_LEVEL: "debug", DATA_STORE_URL: `s3://${two.outputs.dataStoreName}`, DATA_BUCKET: two.outputs.dataStoreName, ...databaseEnv(two), FEATURE_FLAGS: "beta" });
  });

  it("maps the service port and ships logs to the service's log group in the stack's region", () => {
    const [container] = containers(two, "web");
    expect(container.name).toBe("web");
    expect(container.essential).toBe(true);
    expect(container.portMappings).toEqual([{ containerPort: 3000, protocol: "tcp" }]);
    expect(container.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: { "awslogs-group": named(two, "app-web-logs").inputs.name, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web" },
    });
  });
});

describe("service", () => {
  it.each([["dev", () => dev, 1], ["production", () => production, 2]] as const)("%s: runs on Fargate in the private subnets without public IPs, behind its target group", (_s, get, min) => {
    const service = named(get(), "app-api-service");
    expect(service.inputs).toMatchObject({
      launchType: "FARGATE",
      desiredCount: min,
      networkConfiguration: { assignPublicIp: false, subnets: get().outputs.privateSubnetIds, securityGroups: [expect.stringMatching(/^sg-/)] },
      loadBalancers: [{ targetGroupArn: expect.stringContaining(`:targetgroup/${named(get(), "lb-tg-api").inputs.name}/`), containerName: "api", containerPort: 8001 }],
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    expect(service.inputs.cluster).toMatch(/:cluster\//);
    expect(service.inputs.taskDefinition).toContain(`task-definition/${named(get(), "app-api-task").inputs.family}:`);
  });

  it("starts a new deployment on every update of its inputs, triggers included", () => {
    for (const svc of ["api", "web"]) expect(named(two, `app-${svc}-service`).inputs.forceNewDeployment).toBe(true);
    expect(Object.keys(named(two, "app-api-service").inputs.triggers as object).sort()).toEqual(["image", "secret-ANTHROPIC_API_KEY", "secret-JWT_SECRET"]);
    expect(Object.keys(named(two, "app-web-service").inputs.triggers as object).sort()).toEqual(["image", "secret-DB_PASSWORD"]);
  });

  it("waits for every policy of both roles before the task definition and the service, and for its database rules before the service", () => {
    for (const svc of ["api", "web"]) {
      const policies = [`app-${svc}-execution-managed`, `app-${svc}-execution-secrets`, `app-${svc}-task-data`];
      expect(named(two, `app-${svc}-task`).dependsOn.sort()).toEqual(policies.sort());
      expect(named(two, `app-${svc}-service`).dependsOn.sort()).toEqual([...policies, `app-${svc}-db-in`, `app-${svc}-sg-out-db`].sort());
    }
  });

  it("waits for the managed policy alone where a service reads no secret and there is no database", async () => {
    const r = await runProgram({ stack: "dev", set: ["platform:services.web.port=3000", "platform:database.enabled=false"] });
    expect(named(r, "app-web-service").dependsOn.sort()).toEqual(["app-web-execution-managed", "app-web-task-data"]);
  });

  it("leaves the running count to autoscaling", () => {
    for (const s of ofType(two, "aws:ecs/service:Service")) expect(s.ignoreChanges).toContain("desiredCount");
  });

  it("accepts traffic only from the load balancer's security group, on its own port", () => {
    const albSg = (named(two, "lb-alb").inputs.securityGroups as string[])[0];
    for (const [svc, port] of [["api", 8001], ["web", 3000]] as const) {
      const serviceSg = (named(two, `app-${svc}-service`).inputs.networkConfiguration as { securityGroups: string[] }).securityGroups[0];
      const ingress = ofType(two, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === serviceSg);
      expect(ingress).toHaveLength(1);
      expect(ingress[0].inputs).toMatchObject({ ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: albSg });
      expect(ingress[0].inputs.cidrIpv4).toBeUndefined();
      expect(named(two, `app-${svc}-sg`).inputs.vpcId).toBe(two.outputs.networkId);
    }
  });
});

describe("IAM", () => {
  it("lets each execution role read only its own service's secrets and the database credentials", () => {
    const refs = two.outputs.secretRefs as Record<string, string>;
    const databaseSecret = (two.outputs.database as { credentialsRef: string }).credentialsRef;
    const readable = (svc: string) => {
      const statements = policyOf(named(two, `app-${svc}-execution-secrets`)).Statement.filter((s) => [s.Action].flat().includes("secretsmanager:GetSecretValue"));
      expect(statements.every((s) => s.Effect === "Allow")).toBe(true);
      return statements.flatMap((s) => [s.Resource].flat()).sort();
    };
    expect(readable("api")).toEqual([refs.JWT_SECRET, refs.ANTHROPIC_API_KEY, databaseSecret].sort());
    expect(readable("web")).toEqual([refs.DB_PASSWORD, databaseSecret].sort());
    for (const svc of ["api", "web"]) {
      const policy = policyOf(named(two, `app-${svc}-execution-secrets`));
      for (const s of policy.Statement) {
        expect([s.Action].flat().some((a) => a.includes("*"))).toBe(false);
        expect([s.Resource].flat()).not.toContain("*");
      }
      expect(named(two, `app-${svc}-execution-secrets`).inputs.role).toBe(named(two, `app-${svc}-execution-role`).inputs.name);
    }
  });

  it("gives no secret policy to a service without secrets where there is no database", async () => {
    const r = await runProgram({ stack: "dev", set: ["platform:services.web.port=3000", "platform:database.enabled=false"] });
    expect(r.error).toBeUndefined();
    expect(r.resources.find((x) => x.name === "app-web-execution-secrets")).toBeUndefined();
    expect(containers(r, "web")[0].secrets).toEqual([]);
  });

  it("lets a service without secrets of its own read the database credentials only, and decrypt them with the platform key", async () => {
    const r = await runProgram({ stack: "dev", set: ["platform:services.web.port=3000"] });
    expect(r.error).toBeUndefined();
    const databaseSecret = (r.outputs.database as { credentialsRef: string }).credentialsRef;
    expect(policyOf(named(r, "app-web-execution-secrets")).Statement).toEqual([
      { Sid: "ReadDatabaseCredentials", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: databaseSecret },
      { Sid: "DecryptOwnSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: named(r, "secrets-JWT_SECRET").inputs.kmsKeyId },
    ]);
    expect(containers(r, "web")[0].secrets.map((x) => x.name)).toEqual(["DATABASE_USER", "DATABASE_PASSWORD"]);
  });

  it("lets only ECS tasks assume the services' roles", () => {
    const serviceRoles = ofType(two, "aws:iam/role:Role").filter((r) => /^app-(api|web)-/.test(r.name));
    expect(serviceRoles).toHaveLength(4);
    for (const role of serviceRoles) {
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
      expect(trust.Statement).toEqual([expect.objectContaining({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" })]);
    }
  });

  it("lets ECS assume a task role only for tasks of this account and region (confused deputy)", () => {
    for (const svc of ["api", "web"]) {
      const trust = JSON.parse(String(named(two, `app-${svc}-task-role`).inputs.assumeRolePolicy));
      expect(trust.Statement[0].Condition).toEqual({
        ArnLike: { "aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*" },
        StringEquals: { "aws:SourceAccount": "123456789012" },
      });
    }
  });

  it("keeps the execution role's trust policy as the ECS guide documents it, without conditions", () => {
    for (const svc of ["api", "web"]) {
      const trust = JSON.parse(String(named(two, `app-${svc}-execution-role`).inputs.assumeRolePolicy));
      expect(trust.Statement[0]).not.toHaveProperty("Condition");
    }
  });

  it("builds ARNs in the account's partition", async () => {
    const gov = await runProgram({ stack: "dev", account: { partition: "aws-us-gov" } });
    expect(gov.error).toBeUndefined();
    expect(named(gov, "app-api-execution-managed").inputs.policyArn).toBe("arn:aws-us-gov:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
    expect(JSON.parse(String(named(gov, "app-api-task-role").inputs.assumeRolePolicy)).Statement[0].Condition.ArnLike["aws:SourceArn"]).toBe("arn:aws-us-gov:ecs:us-east-1:123456789012:*");
    expect(named(dev, "app-api-execution-managed").inputs.policyArn).toBe("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
  });

  it("lets the task role use the data bucket and nothing else", () => {
    const bucketArn = `arn:aws:s3:::${two.outputs.dataStoreName}`;
    const resources = policyOf(named(two, "app-web-task-data")).Statement.flatMap((s) => [s.Resource].flat());
    for (const r of resources) expect(r.startsWith(bucketArn) || r.startsWith("arn:aws:kms:")).toBe(true);
  });
});

describe("logs", () => {
  it("go to a KMS-encrypted log group per service, kept 7 days in dev and 30 in production", () => {
    for (const [r, days] of [[dev, 7], [production, 30]] as const) {
      const logGroup = named(r, "app-api-logs");
      expect(logGroup.type).toBe("aws:cloudwatch/logGroup:LogGroup");
      expect(logGroup.inputs.retentionInDays).toBe(days);
      expect(logGroup.inputs.kmsKeyId).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    }
  });

  it("are protected from deletion in production only", () => {
    expect(named(production, "app-api-logs")).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(dev, "app-api-logs")).toMatchObject({ protect: false, retainOnDelete: false });
  });
});

describe("security group names", () => {
  // Security group names are unique within a VPC (EC2 CreateSecurityGroup: InvalidGroup.Duplicate);
  // mocks accept duplicates, AWS does not.
  it("are unique within the VPC for every service", () => {
    const names = ofType(two, "aws:ec2/securityGroup:SecurityGroup").map((sg) => sg.inputs.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("stay unique when a service is named like the load balancer's group", async () => {
    const r = await runProgram({ stack: "dev", set: ["platform:services.lb.port=8080"] });
    expect(r.error).toBeUndefined();
    const names = ofType(r, "aws:ec2/securityGroup:SecurityGroup").map((sg) => sg.inputs.name);
    expect(names).toEqual(expect.arrayContaining(["platform-dev-lb", "platform-dev-app-lb", "platform-dev-app-api"]));
    expect(new Set(names).size).toBe(names.length);
  });
});
