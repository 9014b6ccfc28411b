// Realistic outputs for the resources and invokes the program uses, so that nothing downstream
// sees `undefined` where the cloud would return an ARN, an id or a DNS name.
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

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

export function mockResourceState(args: pulumi.runtime.MockResourceArgs, region: string): { id: string; state: Record<string, unknown> } {
  const { type, name, inputs } = args;
  const { pkg, module, kind } = parseType(type);
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
  } else if (type === "random:index/randomPassword:RandomPassword") {
    Object.assign(state, { result: `mock-${hex(name, Number(inputs.length ?? 16))}`.slice(0, Number(inputs.length ?? 16)), bcryptHash: "$2a$mock" });
  }
  return { id, state };
}

export function mockCall(args: pulumi.runtime.MockCallArgs, region: string, partition = "aws"): Record<string, unknown> {
  switch (args.token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: mockAccountId, arn: `arn:aws:iam::${mockAccountId}:user/ci`, userId: "AIDAMOCK", id: mockAccountId };
    case "aws:index/getPartition:getPartition":
      return { partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: partition };
    case "aws:index/getRegion:getRegion":
      return { name: region, region, id: region };
    default:
      throw new Error(`the harness has no mock for invoke ${args.token}; add one to tests/harness/cloudMocks.ts`);
  }
}
