// Realistic outputs for the resources and invokes the program uses, so that nothing downstream
// sees `undefined` where the cloud would return an ARN, an id or a DNS name. Reads of the account
// (images, secret values, zones, services) answer from an account: an established one by default,
// an empty one for a first deploy, or a fixture for one specific case.
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { gcpCall, gcpResourceState } from "./gcpMocks";
import { type AzureAccountContext, type AzureAccountFixture, AzureMockAccount, azureResourceState, mockRandomString } from "./azureMocks";

export const mockAccountId = "123456789012";

const hex = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);

/** `aws:lb/targetGroup:TargetGroup` -> ["lb", "TargetGroup"]. */
function parseType(type: string): { pkg: string; module: string; kind: string } {
  const [pkg, modulePath = "", kind = ""] = type.split(":");
  return { pkg, module: modulePath.split("/")[0], kind };
}

/** What Pulumi auto-naming would produce: the logical name, a dash and 7 random characters. */
export function autoName(logicalName: string): string {
  return `${logicalName}-${hex(logicalName, 7)}`;
}

export function mockResourceState(args: pulumi.runtime.MockResourceArgs, stackRegion: string, stackProject = ""): { id: string; state: Record<string, unknown> } {
  const { type, name, inputs } = args;
  if (type.startsWith("gcp:")) return gcpResourceState(args, stackProject, stackRegion);
  // Provider v7 places a resource in another region with its own `region` input.
  const region: string = inputs.region ?? stackRegion;
  const { pkg, module, kind } = parseType(type);
  if (pkg === "azure-native") return azureResourceState(args, stackRegion);
  const physical: string = inputs.name ?? inputs.bucket ?? inputs.family ?? autoName(name);
  const state: Record<string, unknown> = { ...inputs };
  let id = `${name}-${hex(type + name, 8)}`;
  if (pkg === "aws") {
    const arn = (resource: string) => `arn:aws:${module}:${region}:${mockAccountId}:${resource}`;
    switch (type) {
      case "aws:kms/key:Key": {
        id = `${hex(name, 8)}-${hex(name + 1, 4)}-4${hex(name + 2, 3)}-8${hex(name + 3, 3)}-${hex(name + 4, 12)}`;
        Object.assign(state, { keyId: id, arn: arn(`key/${id}`) });
        break;
      }
      case "aws:s3/bucket:Bucket":
        id = physical;
        Object.assign(state, { bucket: physical, arn: `arn:aws:s3:::${physical}`, bucketRegionalDomainName: `${physical}.s3.${region}.amazonaws.com` });
        break;
      case "aws:lb/loadBalancer:LoadBalancer": {
        const suffix = `app/${physical}/${hex(name, 16)}`;
        Object.assign(state, { name: physical, arn: arn(`loadbalancer/${suffix}`), arnSuffix: suffix, dnsName: `${physical}-${hex(name, 9)}.${region}.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K" });
        id = state.arn as string;
        break;
      }
      case "aws:lb/targetGroup:TargetGroup": {
        const suffix = `targetgroup/${physical}/${hex(name, 16)}`;
        Object.assign(state, { name: physical, arn: arn(suffix), arnSuffix: suffix });
        id = state.arn as string;
        break;
      }
      case "aws:ecr/repository:Repository":
        Object.assign(state, { name: physical, arn: arn(`repository/${physical}`), repositoryUrl: `${mockAccountId}.dkr.ecr.${region}.amazonaws.com/${physical}` });
        id = physical;
        break;
      case "aws:ecs/cluster:Cluster":
        Object.assign(state, { name: physical, arn: arn(`cluster/${physical}`) });
        id = state.arn as string;
        break;
      case "aws:ecs/service:Service":
        Object.assign(state, { name: physical });
        id = arn(`service/${physical}`);
        break;
      case "aws:secretsmanager/secretVersion:SecretVersion":
        // A new value is a new version, as in Secrets Manager (the value only feeds a hash here).
        Object.assign(state, { versionId: uuid(name + JSON.stringify(inputs.secretString ?? "")) });
        id = `${inputs.secretId}|${state.versionId}`;
        break;
      case "aws:ecs/taskDefinition:TaskDefinition":
        Object.assign(state, { arn: arn(`task-definition/${physical}:1`), revision: 1 });
        id = physical;
        break;
      case "aws:acm/certificate:Certificate":
        Object.assign(state, {
          arn: arn(`certificate/${hex(name, 8)}-${hex(name, 4)}-${hex(name, 4)}-${hex(name, 4)}-${hex(name, 12)}`),
          domainValidationOptions: [
            { domainName: inputs.domainName, resourceRecordName: `_${hex(name, 32)}.${inputs.domainName}.`, resourceRecordType: "CNAME", resourceRecordValue: `_${hex(name, 32)}.acm-validations.aws.` },
          ],
        });
        id = state.arn as string;
        break;
      case "aws:acm/certificateValidation:CertificateValidation":
        id = inputs.certificateArn;
        break;
      case "aws:route53/record:Record":
        Object.assign(state, { fqdn: String(inputs.name).replace(/\.$/, "") });
        break;
      case "aws:ec2/vpc:Vpc":
        id = `vpc-${hex(name, 17)}`;
        break;
      case "aws:ec2/subnet:Subnet":
        id = `subnet-${hex(name, 17)}`;
        break;
      case "aws:ec2/securityGroup:SecurityGroup":
      case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
        id = `sg-${hex(name, 17)}`;
        break;
      case "aws:sns/topic:Topic":
        Object.assign(state, { name: physical, arn: arn(physical) });
        id = arn(physical);
        break;
      case "aws:backup/vault:Vault":
        Object.assign(state, { name: physical, arn: arn(`backup-vault:${physical}`) });
        id = physical;
        break;
      case "aws:cloudwatch/logGroup:LogGroup":
        Object.assign(state, { name: physical, arn: `arn:aws:logs:${region}:${mockAccountId}:log-group:${physical}` });
        id = physical;
        break;
      case "aws:secretsmanager/secret:Secret":
        // Secrets Manager appends a dash and 6 random characters to the ARN.
        Object.assign(state, { arn: arn(`secret:${physical}-${hex(name, 6)}`) });
        id = state.arn as string;
        break;
      case "aws:iam/role:Role":
        Object.assign(state, { name: physical, arn: `arn:aws:iam::${mockAccountId}:role/${physical}` });
        id = physical;
        break;
      case "aws:route53/healthCheck:HealthCheck":
        // A health check is global: its id is a UUID and its ARN names no region or account.
        id = uuid(`health-check:${name}`);
        Object.assign(state, { arn: `arn:aws:route53:::healthcheck/${id}` });
        break;
      case "aws:cloudwatch/dashboard:Dashboard":
        Object.assign(state, { dashboardArn: `arn:aws:cloudwatch::${mockAccountId}:dashboard/${inputs.dashboardName}` });
        id = String(inputs.dashboardName);
        break;
      case "aws:rds/instance:Instance": {
        // What RDS reports: endpoint `<identifier>.<12 characters>.<region>.rds.amazonaws.com`, and
        // the secret it creates for a managed master password (`rds!db-<uuid>`).
        const identifier = String(inputs.identifier);
        const port = Number(inputs.port ?? 5432);
        const address = `${identifier}.c${hex(name, 11)}.${region}.rds.amazonaws.com`;
        const secretArn = `arn:aws:secretsmanager:${region}:${mockAccountId}:secret:rds!db-${uuid(`rds:${name}`)}-${hex(`${name}:secret`, 6)}`;
        Object.assign(state, {
          arn: `arn:aws:rds:${region}:${mockAccountId}:db:${identifier}`,
          address,
          endpoint: `${address}:${port}`,
          port,
          resourceId: `db-${hex(name, 26).toUpperCase()}`,
          masterUserSecrets: inputs.manageMasterUserPassword ? [{ secretArn, kmsKeyId: inputs.masterUserSecretKmsKeyId, secretStatus: "active" }] : [],
        });
        id = identifier;
        break;
      }
      case "aws:appautoscaling/target:Target":
        id = String(inputs.resourceId);
        break;
      default:
        break;
    }
    if (state.arn === undefined) state.arn = arn(`${kind.toLowerCase()}/${physical}`);
    if (state.name === undefined && inputs.name === undefined && "name" in inputs === false) state.name = physical;
  } else if (type === "random:index/randomId:RandomId") {
    Object.assign(state, { hex: hex(name, Number(inputs.byteLength ?? 4) * 2), b64Url: hex(name, 8) });
  } else if (type === "random:index/randomString:RandomString") {
    Object.assign(state, { result: mockRandomString(name, Number(inputs.length ?? 8)) });
  } else if (type === "random:index/randomPassword:RandomPassword") {
    Object.assign(state, { result: `mock-${hex(name, Number(inputs.length ?? 16))}`.slice(0, Number(inputs.length ?? 16)), bcryptHash: "$2a$mock" });
  }
  return { id, state };
}

/** A version id the way Secrets Manager writes them. */
function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The image digest an established account holds for a repository and tag. */
export const mockDigest = (repository: string, tag: string): string => `sha256:${hex(`${repository}:${tag}`, 64)}`;

/** A secret as the account holds it; `versionId: null` is a secret without a value. */
export interface MockSecret {
  versionId?: string | null;
  tags?: Record<string, string>;
  description?: string;
}

/** The zone the committed staging and production stacks name. */
export const committedZone = { id: "Z0123456789ABCDEFGHIJ", name: "example.com" } as const;

export interface AccountFixture {
  /** What the account holds wherever the fields below say nothing: `established` (the default) or `empty`. */
  base?: "established" | "empty";
  /** ECR repository name -> tag -> digest; `{}` is a repository without images. */
  repositories?: Record<string, Record<string, string>>;
  /** Secrets Manager secret name -> its state; null: the secret does not exist. */
  secrets?: Record<string, MockSecret | null>;
  /** Route 53 hosted zones on top of the committed one (zone id -> name). */
  zones?: Record<string, { name: string; privateZone?: boolean }>;
  /** ECS service name -> its desired count before the update; null: the service does not exist. */
  services?: Record<string, { desiredCount: number } | null>;
  /** ECS service name -> the task definition ECS runs once the update is over (a rollback answers an older one). */
  runningTaskDefinitions?: Record<string, string>;
  /** The partition STS reports (aws, aws-us-gov, aws-cn). */
  partition?: string;
  /** Invoke token -> the error the read fails with (an AccessDenied, say). */
  failures?: Record<string, string>;
  /** What the Azure subscription holds beyond `base` (tests/harness/azureMocks.ts). */
  azure?: AzureAccountFixture;
}

export type AccountOption = "established" | "empty" | AccountFixture;

/** What the harness knows about the run that the account's answers depend on. */
export interface AccountContext {
  region: string;
  /** The GCP project of a GCP stack (gcp:project). */
  project?: string;
  /** Tags and description a secret of this name carries when the stack's own spec created it. */
  secretMetadata(name: string): { tags: Record<string, string>; description: string } | undefined;
  /** An ECS service registered earlier in this run, as the engine received it. */
  registeredService(name: string): { taskDefinition: string; desiredCount: number } | undefined;
  /** What the Azure subscription's answers depend on. */
  azure?: AzureAccountContext;
}

/** An invoke failure as the SDK sees it: the engine's text arrives in `details`. */
function invokeError(token: string, message: string): Error {
  const text = `invoking ${token}: 1 error occurred:\n\t* ${message}`;
  return Object.assign(new Error(text), { details: text });
}

export class MockAccount {
  private readonly fixture: AccountFixture;
  /** The Azure subscription, answering azure-native invokes and the registry's data plane. */
  readonly azure?: AzureMockAccount;

  constructor(
    account: AccountOption | undefined,
    private readonly context: AccountContext,
  ) {
    this.fixture = typeof account === "object" ? account : { base: account ?? "established" };
    if (context.azure) this.azure = new AzureMockAccount(this.established, this.fixture.azure ?? {}, context.azure);
  }

  private get established(): boolean {
    return (this.fixture.base ?? "established") === "established";
  }

  private repository(name: string): Record<string, string> | "any" | undefined {
    const listed = this.fixture.repositories?.[name];
    if (listed) return listed;
    return this.established ? "any" : undefined;
  }

  private secret(name: string): { versionId?: string; tags: Record<string, string>; description: string } | undefined {
    const listed = this.fixture.secrets?.[name];
    if (listed === null || (listed === undefined && !this.established)) return undefined;
    const own = this.context.secretMetadata(name) ?? { tags: {}, description: "" };
    const versionId = listed?.versionId === null ? undefined : (listed?.versionId ?? uuid(`version:${name}`));
    return { versionId, tags: listed?.tags ?? own.tags, description: listed?.description ?? own.description };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const { token, inputs } = args;
    if (token.startsWith("gcp:")) return gcpCall(args, this.fixture, this.context.project ?? "");
    const failure = this.fixture.failures?.[token];
    if (failure) throw invokeError(token, failure);
    if (token.startsWith("azure-native:")) {
      if (!this.azure) throw new Error(`invoke ${token} in a run without an Azure subscription`);
      return this.azure.call(args);
    }
    const partition = this.fixture.partition ?? "aws";
    const region = this.context.region;
    switch (token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: mockAccountId, arn: `arn:${partition}:iam::${mockAccountId}:user/ci`, userId: "AIDAMOCK", id: mockAccountId };
      case "aws:index/getPartition:getPartition":
        return { partition, dnsSuffix: partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: partition };
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region };
      case "aws:ecr/getImage:getImage": {
        const repo = this.repository(inputs.repositoryName);
        const digest = repo === "any" ? mockDigest(inputs.repositoryName, inputs.imageTag) : repo?.[inputs.imageTag];
        // The provider reports a missing repository and a missing tag alike (its NotFoundError).
        if (!digest) throw invokeError(token, "reading ECR Images: couldn't find resource");
        return { id: digest, imageDigest: digest, imageTag: inputs.imageTag, imageTags: [inputs.imageTag], repositoryName: inputs.repositoryName, registryId: mockAccountId, imagePushedAt: 1764000000, imageSizeInBytes: 52428800, imageUri: `${mockAccountId}.dkr.ecr.${region}.amazonaws.com/${inputs.repositoryName}@${digest}`, region };
      }
      case "aws:ecr/getImages:getImages": {
        const repo = this.repository(inputs.repositoryName);
        if (!repo) throw invokeError(token, "reading ECR Images: couldn't find resource");
        const imageIds = repo === "any" ? [] : Object.entries(repo).map(([imageTag, imageDigest]) => ({ imageTag, imageDigest }));
        return { id: inputs.repositoryName, imageIds, repositoryName: inputs.repositoryName, region };
      }
      case "aws:secretsmanager/getSecretVersions:getSecretVersions": {
        const secret = this.secret(inputs.secretId);
        if (!secret) throw invokeError(token, `reading Secrets Manager Secret Versions (${inputs.secretId}): couldn't find resource`);
        const versions = secret.versionId ? [{ versionId: secret.versionId, versionStages: ["AWSCURRENT"], createdTime: "2026-01-01T00:00:00Z", lastAccessedDate: "2026-01-02T00:00:00Z" }] : [];
        const arn = `arn:${partition}:secretsmanager:${region}:${mockAccountId}:secret:${inputs.secretId}-${hex(inputs.secretId, 6)}`;
        return { id: arn, arn, secretArn: arn, secretId: inputs.secretId, name: inputs.secretId, secretName: inputs.secretId, versions, region };
      }
      case "aws:secretsmanager/getSecret:getSecret": {
        const secret = this.secret(inputs.name);
        if (!secret) throw invokeError(token, `reading Secrets Manager Secret (${inputs.name}): couldn't find resource`);
        const arn = `arn:${partition}:secretsmanager:${region}:${mockAccountId}:secret:${inputs.name}-${hex(inputs.name, 6)}`;
        return { id: arn, arn, name: inputs.name, description: secret.description, tags: secret.tags, kmsKeyId: "", policy: "", region };
      }
      case "aws:route53/getZone:getZone": {
        const zones: Record<string, { name: string; privateZone?: boolean }> = { [committedZone.id]: { name: committedZone.name }, ...this.fixture.zones };
        const zone = zones[inputs.zoneId];
        if (!zone) throw invokeError(token, "no matching Route 53 Hosted Zone found");
        return { id: inputs.zoneId, zoneId: inputs.zoneId, name: zone.name, privateZone: zone.privateZone ?? false, arn: `arn:${partition}:route53:::hostedzone/${inputs.zoneId}`, nameServers: [], tags: {} };
      }
      case "aws:ecs/getService:getService": {
        const name = String(inputs.serviceName);
        const registered = this.context.registeredService(name);
        const arn = `arn:${partition}:ecs:${region}:${mockAccountId}:service/${name}`;
        if (registered) {
          // After this run's update: ECS runs what was registered, unless the fixture rolled it back.
          const taskDefinition = this.fixture.runningTaskDefinitions?.[name] ?? registered.taskDefinition;
          return { id: arn, arn, serviceName: name, clusterArn: inputs.clusterArn, status: "ACTIVE", desiredCount: registered.desiredCount, runningCount: registered.desiredCount, taskDefinition, region };
        }
        const before = this.fixture.services?.[name];
        if (before === null || (before === undefined && !this.established)) throw invokeError(token, `reading ECS Service (${name}): couldn't find resource`);
        const desiredCount = before?.desiredCount ?? 1;
        return { id: arn, arn, serviceName: name, clusterArn: inputs.clusterArn, status: "ACTIVE", desiredCount, runningCount: desiredCount, taskDefinition: `arn:${partition}:ecs:${region}:${mockAccountId}:task-definition/${name}:1`, region };
      }
      default:
        throw new Error(`the harness has no mock for invoke ${token}; add one to tests/harness/cloudMocks.ts`);
    }
  }
}
