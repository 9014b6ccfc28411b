// Realistic GCP outputs for the resources and invokes the GCP implementation uses: the ids, self links
// and computed outputs it reads, in the formats the provider returns (an id is rarely just the name:
// `projects/<p>/secrets/<id>`, `projects/<p>/global/backendServices/<name>`), so that a block handing a
// name where an id is expected, or the other way round, shows in the inputs the tests read.
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import type { AccountFixture } from "./cloudMocks";

/** The project number the mock project has (agent e-mails and some ids carry it). */
export const mockProjectNumber = "912345678901";

/** The Cloud DNS zone the GCP tests and README examples name: `--set platform:loadBalancer.dnsZone=example-com`. */
export const committedGcpZone = { name: "example-com", dnsName: "example.com." } as const;

const hex = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);
const num = (text: string, length: number) => String(BigInt(`0x${hex(text, 15)}`)).padStart(length, "1").slice(0, length);

/** The agent e-mail domain of each service identity (IAM, "Service agents"). */
const agentDomains: Record<string, string> = {
  "secretmanager.googleapis.com": "gcp-sa-secretmanager",
  "artifactregistry.googleapis.com": "gcp-sa-artifactregistry",
  "sqladmin.googleapis.com": "gcp-sa-cloud-sql",
  "run.googleapis.com": "serverless-robot-prod",
  "backupdr.googleapis.com": "gcp-sa-backupdr",
};

const globalCollections: Record<string, string> = {
  Network: "networks",
  GlobalAddress: "addresses",
  BackendService: "backendServices",
  URLMap: "urlMaps",
  TargetHttpsProxy: "targetHttpsProxies",
  TargetHttpProxy: "targetHttpProxies",
  SSLPolicy: "sslPolicies",
  ManagedSslCertificate: "sslCertificates",
  SecurityPolicy: "securityPolicies",
  GlobalForwardingRule: "forwardingRules",
  Firewall: "firewalls",
};
const regionalCollections: Record<string, string> = { Subnetwork: "subnetworks", Router: "routers", RegionNetworkEndpointGroup: "networkEndpointGroups" };

export function gcpResourceState(args: pulumi.runtime.MockResourceArgs, stackProject: string, stackRegion: string): { id: string; state: Record<string, unknown> } {
  const { type, name, inputs } = args;
  const kind = type.split(":")[2] ?? "";
  const project: string = inputs.project ?? stackProject;
  const region: string = inputs.region ?? inputs.location ?? stackRegion;
  const physical: string = inputs.name ?? `${name}-${hex(name, 7)}`;
  const state: Record<string, unknown> = { ...inputs, project };
  let id = `${name}-${hex(type + name, 8)}`;
  const link = (path: string) => `https://www.googleapis.com/compute/v1/${path}`;
  if (type.startsWith("gcp:compute/") && globalCollections[kind]) {
    id = `projects/${project}/global/${globalCollections[kind]}/${physical}`;
    Object.assign(state, { name: physical, selfLink: link(id) });
    if (kind === "GlobalAddress") state.address = inputs.address ?? `34.${parseInt(hex(name, 2), 16)}.${parseInt(hex(name + 1, 2), 16)}.${parseInt(hex(name + 2, 2), 16)}`;
    if (kind === "ManagedSslCertificate") state.certificateId = Number(num(name, 12));
  } else if (type.startsWith("gcp:compute/") && regionalCollections[kind]) {
    id = `projects/${project}/regions/${region}/${regionalCollections[kind]}/${physical}`;
    Object.assign(state, { name: physical, selfLink: link(id) });
  } else {
    switch (type) {
      case "gcp:compute/routerNat:RouterNat":
        id = `${project}/${region}/${inputs.router}/${physical}`;
        break;
      case "gcp:cloudrunv2/service:Service": {
        id = `projects/${project}/locations/${region}/services/${physical}`;
        const revision = `${physical}-00001-${hex(name, 3)}`;
        Object.assign(state, { uri: `https://${physical}-${hex(name, 10)}-an.a.run.app`, urls: [], latestCreatedRevision: revision, latestReadyRevision: revision, uid: hex(name, 32) });
        break;
      }
      case "gcp:serviceaccount/account:Account": {
        const email = `${inputs.accountId}@${project}.iam.gserviceaccount.com`;
        id = `projects/${project}/serviceAccounts/${email}`;
        Object.assign(state, { email, member: `serviceAccount:${email}`, name: id, uniqueId: num(name, 21) });
        break;
      }
      case "gcp:projects/serviceIdentity:ServiceIdentity": {
        const email = `service-${mockProjectNumber}@${agentDomains[inputs.service] ?? `gcp-sa-${String(inputs.service).split(".")[0]}`}.iam.gserviceaccount.com`;
        id = `projects/${project}/services/${inputs.service}`;
        Object.assign(state, { email, member: `serviceAccount:${email}` });
        break;
      }
      case "gcp:projects/service:Service":
        id = `${project}/${inputs.service}`;
        break;
      case "gcp:kms/keyRing:KeyRing":
        id = `projects/${project}/locations/${inputs.location}/keyRings/${physical}`;
        break;
      case "gcp:kms/cryptoKey:CryptoKey":
        id = `${inputs.keyRing}/cryptoKeys/${physical}`;
        break;
      case "gcp:secretmanager/secret:Secret":
        id = `projects/${project}/secrets/${inputs.secretId}`;
        Object.assign(state, { name: `projects/${mockProjectNumber}/secrets/${inputs.secretId}` });
        break;
      case "gcp:secretmanager/secretVersion:SecretVersion": {
        const secret = String(inputs.secret).split("/").pop();
        id = `projects/${mockProjectNumber}/secrets/${secret}/versions/1`;
        Object.assign(state, { name: id, version: "1", enabled: true });
        break;
      }
      case "gcp:artifactregistry/repository:Repository":
        id = `projects/${project}/locations/${inputs.location}/repositories/${inputs.repositoryId}`;
        Object.assign(state, { name: inputs.repositoryId, registryUri: `${inputs.location}-docker.pkg.dev/${project}/${inputs.repositoryId}` });
        break;
      case "gcp:storage/bucket:Bucket":
        id = physical;
        Object.assign(state, { name: physical, url: `gs://${physical}`, selfLink: `https://www.googleapis.com/storage/v1/b/${physical}` });
        break;
      case "gcp:monitoring/notificationChannel:NotificationChannel":
        id = `projects/${project}/notificationChannels/${num(name, 19)}`;
        state.name = id;
        break;
      case "gcp:monitoring/alertPolicy:AlertPolicy":
        id = `projects/${project}/alertPolicies/${num(name, 19)}`;
        state.name = id;
        break;
      case "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": {
        const checkId = `${String(inputs.displayName ?? name).toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 40)}-${hex(name, 11)}`;
        id = `projects/${project}/uptimeCheckConfigs/${checkId}`;
        Object.assign(state, { name: id, uptimeCheckId: checkId });
        break;
      }
      case "gcp:monitoring/dashboard:Dashboard":
        id = `projects/${mockProjectNumber}/dashboards/${hex(`${name}:dashboard`, 8)}-${hex(`${name}:1`, 4)}-${hex(`${name}:2`, 4)}-${hex(`${name}:3`, 4)}-${hex(`${name}:4`, 12)}`;
        break;
      case "gcp:logging/projectBucketConfig:ProjectBucketConfig":
        id = `projects/${project}/locations/${inputs.location}/buckets/${inputs.bucketId}`;
        state.name = id;
        break;
      case "gcp:logging/projectSink:ProjectSink":
        id = `projects/${project}/sinks/${physical}`;
        state.writerIdentity = `serviceAccount:service-${mockProjectNumber}@gcp-sa-logging.iam.gserviceaccount.com`;
        break;
      case "gcp:backupdisasterrecovery/backupVault:BackupVault":
        id = `projects/${project}/locations/${inputs.location}/backupVaults/${inputs.backupVaultId}`;
        Object.assign(state, { name: id, serviceAccount: `vault-${hex(name, 12)}@gcp-sa-backupdr-pr.iam.gserviceaccount.com` });
        break;
      case "gcp:backupdisasterrecovery/backupPlan:BackupPlan":
        id = `projects/${project}/locations/${inputs.location}/backupPlans/${inputs.backupPlanId}`;
        state.name = id;
        break;
      case "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation":
        id = `projects/${project}/locations/${inputs.location}/backupPlanAssociations/${inputs.backupPlanAssociationId}`;
        state.name = id;
        break;
      case "gcp:sql/databaseInstance:DatabaseInstance":
        id = physical;
        Object.assign(state, {
          name: physical,
          connectionName: `${project}:${region}:${physical}`,
          privateIpAddress: `10.0.128.${parseInt(hex(name, 2), 16) % 250 + 3}`,
          serviceAccountEmailAddress: `p${mockProjectNumber}-${hex(name, 6)}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
          selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${project}/instances/${physical}`,
        });
        break;
      case "gcp:sql/database:Database":
        id = `projects/${project}/instances/${inputs.instance}/databases/${physical}`;
        break;
      case "gcp:dns/recordSet:RecordSet":
        id = `projects/${project}/managedZones/${inputs.managedZone}/rrsets/${inputs.name}/${inputs.type}`;
        break;
      default:
        break;
    }
  }
  return { id, state };
}

/** A read of the project that found nothing, as the provider reports Google's 404. */
function notFound(token: string, what: string): Error {
  const text = `invoking ${token}: 1 error occurred:\n\t* googleapi: Error 404: ${what} not found, notFound`;
  return Object.assign(new Error(text), { details: text });
}

/** Answers the GCP reads: established (images, secret versions and the zone exist) or empty, as the fixture says. */
export function gcpCall(args: pulumi.runtime.MockCallArgs, fixture: AccountFixture, project: string): Record<string, unknown> {
  const { token, inputs } = args;
  const established = (fixture.base ?? "established") === "established";
  const failure = fixture.failures?.[token];
  if (failure) throw Object.assign(new Error(`invoking ${token}: 1 error occurred:\n\t* ${failure}`), { details: failure });
  switch (token) {
    case "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": {
      const email = `service-${mockProjectNumber}@gs-project-accounts.iam.gserviceaccount.com`;
      return { id: email, emailAddress: email, member: `serviceAccount:${email}`, project };
    }
    case "gcp:logging/getProjectCmekSettings:getProjectCmekSettings": {
      const email = `service-${mockProjectNumber}@gcp-sa-logging.iam.gserviceaccount.com`;
      return { id: `projects/${project}/cmekSettings`, name: `projects/${project}/cmekSettings`, serviceAccountId: email, kmsKeyName: "", kmsKeyVersionName: "", project };
    }
    case "gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount": {
      const email = `project-${mockProjectNumber}@storage-transfer-service.iam.gserviceaccount.com`;
      return { id: email, email, member: `serviceAccount:${email}`, subjectId: num("sts", 21), project };
    }
    case "gcp:artifactregistry/getDockerImage:getDockerImage": {
      const [image, tag] = String(inputs.imageName).split(":");
      const key = `${inputs.repositoryId}/${image}`;
      const listed = fixture.repositories?.[key];
      const digest = listed ? listed[tag] : established ? `sha256:${hex(`${key}:${tag}`, 64)}` : undefined;
      if (!digest) throw notFound(token, `Requested entity was not found: image ${key}:${tag}`);
      const name = `projects/${inputs.project}/locations/${inputs.location}/repositories/${inputs.repositoryId}/dockerImages/${image}@${digest}`;
      return { id: name, name, imageName: inputs.imageName, location: inputs.location, repositoryId: inputs.repositoryId, project: inputs.project, selfLink: `${inputs.location}-docker.pkg.dev/${inputs.project}/${key}@${digest}`, tags: [tag], mediaType: "application/vnd.oci.image.manifest.v1+json", imageSizeBytes: "52428800", buildTime: "", uploadTime: "2026-01-01T00:00:00Z", updateTime: "2026-01-01T00:00:00Z" };
    }
    case "gcp:secretmanager/getSecretVersion:getSecretVersion": {
      const listed = fixture.secrets?.[inputs.secret];
      if (listed === null || listed?.versionId === null || (listed === undefined && !established)) throw notFound(token, `Secret [projects/${mockProjectNumber}/secrets/${inputs.secret}] or its versions`);
      const version = listed?.versionId ?? "1";
      const name = `projects/${mockProjectNumber}/secrets/${inputs.secret}/versions/${version}`;
      return { id: name, name, secret: inputs.secret, project: inputs.project, version, enabled: true, secretData: "", createTime: "2026-01-01T00:00:00Z", destroyTime: "" };
    }
    case "gcp:dns/getManagedZone:getManagedZone": {
      const zones: Record<string, { name: string; privateZone?: boolean }> = { [committedGcpZone.name]: { name: committedGcpZone.dnsName }, ...fixture.zones };
      const zone = zones[inputs.name];
      if (!zone) throw notFound(token, `The 'parameters.managedZone' resource named '${inputs.name}'`);
      return { id: `projects/${inputs.project}/managedZones/${inputs.name}`, name: inputs.name, dnsName: zone.name.endsWith(".") ? zone.name : `${zone.name}.`, managedZoneId: num(inputs.name, 19), nameServers: [], visibility: zone.privateZone ? "private" : "public", description: "", project: inputs.project };
    }
    default:
      throw new Error(`the harness has no mock for invoke ${token}; add one to tests/harness/gcpMocks.ts`);
  }
}
