// ECS refuses a task definition over 64 KiB ("Amazon ECS service quotas": task definition size,
// 64 KiB, not adjustable) when `pulumi up` registers it, after the roles, repository and log group
// exist. The size is estimated offline from the spec, taking every value the cloud fills in (account
// id, random suffixes, bucket name) at its longest, so the estimate never falls short.
import { type NameRuleName, Namer, nameRules } from "../naming";
import type { PlatformSpec, ServiceSpec, SpecProblem } from "../model";
import { fargateCpuUnits } from "./fargateSizes";
import { databasePort } from "./databaseNames";
import { awsDnsSuffixes, awsPartitionOf } from "./regions";
import { dataBucketEnv, dataStoreUrl } from "./serviceEnv";

export const maxTaskDefinitionBytes = 64 * 1024;
/** Room for request fields other blocks may add to the container (a health check, a rollout marker). */
const allowanceBytes = 1024;
const accountId = "123456789012";
/** Secrets Manager appends "-" and 6 random characters to a secret's name in its ARN. */
const secretArnSuffix = "-AbCdEf";
/** S3 bucket names are at most 63 characters. */
const longestBucketName = "b".repeat(63);
/** The RDS-managed secret: `rds!db-`, a UUID, then the 6 characters Secrets Manager appends. */
const databaseSecretName = `rds!db-${"0".repeat(36)}`;
/** RDS endpoints: `<identifier>.<12 characters>.<region>.rds.<DNS suffix>`. */
const endpointIdLength = 12;

function name(names: Namer, rule: NameRuleName, ...parts: string[]): string {
  try {
    return names.name(rule, ...parts);
  } catch {
    // A name that cannot be built is reported by its own rule; estimate with the longest allowed.
    return "n".repeat(nameRules[rule].maxLength);
  }
}

/** The RegisterTaskDefinition request for one service, shaped as containerService.ts builds it. */
function requestEstimate(spec: PlatformSpec, svcName: string, svc: ServiceSpec): unknown {
  const names = new Namer(spec.project, spec.stack);
  const partition = awsPartitionOf(spec.region) ?? "aws-us-gov";
  const image = svc.image ?? `${accountId}.dkr.ecr.${spec.region}.${awsDnsSuffixes[partition]}/${name(names, "awsEcrRepository", svcName)}:${svc.imageTag}`;
  const secretArn = (secret: string) => `arn:${partition}:secretsmanager:${spec.region}:${accountId}:secret:${name(names, "awsSecret", secret)}${secretArnSuffix}`;
  const roleArn = (kind: string) => `arn:${partition}:iam::${accountId}:role/${name(names, "awsIamRole", svcName, kind)}`;
  const db = spec.database;
  const databaseEnv = db
    ? {
        DATABASE_HOST: `${name(names, "awsRdsInstance", "db")}.${"c".repeat(endpointIdLength)}.${spec.region}.rds.${awsDnsSuffixes[partition]}`,
        DATABASE_PORT: String(databasePort),
        DATABASE_NAME: db.databaseName,
      }
    : {};
  const databaseSecretArn = `arn:${partition}:secretsmanager:${spec.region}:${accountId}:secret:${databaseSecretName}${secretArnSuffix}`;
  const databaseSecrets = db
    ? [
        { name: "DATABASE_USER", valueFrom: `${databaseSecretArn}:username::` },
        { name: "DATABASE_PASSWORD", valueFrom: `${databaseSecretArn}:password::` },
      ]
    : [];
  const environment = { ...svc.env, ENVIRONMENT: spec.environment, LOG_LEVEL: spec.logs.level, DATA_STORE_URL: dataStoreUrl(longestBucketName), [dataBucketEnv]: longestBucketName, ...databaseEnv };
  return {
    family: name(names, "awsEcsName", svcName),
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: fargateCpuUnits(svc.cpu),
    memory: String(svc.memory),
    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
    executionRoleArn: roleArn("exec"),
    taskRoleArn: roleArn("task"),
    containerDefinitions: [
      {
        name: svcName,
        image,
        essential: true,
        portMappings: [{ containerPort: svc.port, protocol: "tcp" }],
        environment: Object.entries(environment).map(([key, value]) => ({ name: key, value })),
        secrets: [...svc.secrets.map((secret) => ({ name: secret, valueFrom: secretArn(secret) })), ...databaseSecrets],
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": name(names, "awsLogGroup", "ecs", svcName), "awslogs-region": spec.region, "awslogs-stream-prefix": svcName },
        },
        linuxParameters: { initProcessEnabled: true },
      },
    ],
    tags: Object.entries(spec.tags).map(([key, value]) => ({ key, value })),
  };
}

/** Bytes of the request ECS receives for `svcName`, at most. */
export function taskDefinitionBytes(spec: PlatformSpec, svcName: string): number {
  return Buffer.byteLength(JSON.stringify(requestEstimate(spec, svcName, spec.services[svcName])), "utf8") + allowanceBytes;
}

export function taskDefinitionSizeProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const svcName of Object.keys(spec.services)) {
    const bytes = taskDefinitionBytes(spec, svcName);
    if (bytes > maxTaskDefinitionBytes) {
      problems.push({
        key: `services.${svcName}.env`,
        message: `the task definition of service ${svcName} would be about ${bytes.toLocaleString("en-US")} bytes (env names and values, secret references, image and log settings); ECS accepts at most ${maxTaskDefinitionBytes.toLocaleString("en-US")} (64 KiB): move large values out of env, into a secret or the data store`,
      });
    }
  }
  return problems;
}
