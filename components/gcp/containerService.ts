// Container service on GCP: one Artifact Registry repository for the stack (immutable tags where the
// spec asks, cleanup that only ever deletes untagged images, the platform's key), the services' log
// bucket, and per service a service account and a Cloud Run service: reachable only through the load
// balancer, Direct VPC egress through the stack's subnet, legal CPU, memory and concurrency, secrets by
// reference (pinned versions), startup and liveness probes on the health path, min and max instances,
// and deletion protection set from the spec (Cloud Run's default would keep dev from being destroyed).
// Each service account reads only the secrets its service lists, uses the data bucket, and connects to
// the database.
import * as artifactregistry from "@pulumi/gcp/artifactregistry";
import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import * as projects from "@pulumi/gcp/projects";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as sql from "@pulumi/gcp/sql";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import type { ContainerServiceOutputs, DataStoreOutputs, LoadBalancerOutputs, NetworkOutputs, ReleaseStatus, SecretsStoreOutputs } from "../model";
import { appLogFilter, logBucket } from "./logs";
import { cloudRunServiceName, ownImage, repositoryId, serviceAccountId } from "./names";
import { type GcpStack, child, labels, stateful } from "./options";
import { cloudRunConcurrency, cloudRunCpu, cloudRunMemory } from "./sizes";

/** Untagged images a week after upload: a tagged image (what a service names) is never deleted. */
export const cleanupPolicies = [
  { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: "604800s" } },
  { id: "keep-tagged", action: "KEEP", condition: { tagState: "TAGGED" } },
];

export function containerService(
  ctx: BlockContext,
  stack: GcpStack,
  deps: { network: NetworkOutputs; secrets: SecretsStoreOutputs; loadBalancer: LoadBalancerOutputs; dataStore: DataStoreOutputs },
): ContainerServiceOutputs {
  const { spec, names } = ctx;
  const n = ctx.name;
  const project = stack.project;
  const repository = new artifactregistry.Repository(
    `${n}-repository`,
    {
      repositoryId: repositoryId(names),
      project,
      location: spec.region,
      format: "DOCKER",
      description: `${spec.project}/${spec.stack}: the services' images`,
      dockerConfig: { immutableTags: spec.immutableImageTags },
      kmsKeyName: deps.secrets.encryptionKeyId,
      // Without this the policies only report what they would delete.
      cleanupPolicyDryRun: false,
      cleanupPolicies,
      labels: labels(ctx),
    },
    stateful(ctx, stack, { dependsOn: [stack.keyGrants.artifactregistry!] }),
  );
  logBucket(ctx, stack, "app", spec.logs.appRetentionDays, appLogFilter(names.name("gcpCloudRunService")), false);

  const db = deps.dataStore.database;
  const serviceNames: Record<string, pulumi.Output<string>> = {};
  const imageRepositories: Record<string, pulumi.Output<string>> = {};
  const releases: Record<string, pulumi.Output<ReleaseStatus>> = {};
  const heldServices: string[] = [];
  for (const [svcName, svc] of Object.entries(spec.services)) {
    const s = `${n}-${svcName}`;
    const release = ctx.release.services[svcName];
    const held = release.holdReasons.length > 0;
    imageRepositories[svcName] = pulumi.interpolate`${repository.registryUri}/${svcName}`;
    const account = new serviceaccount.Account(
      `${s}-account`,
      { accountId: serviceAccountId(names, svcName), project, displayName: `${spec.project}/${spec.stack} service ${svcName}`, description: "Runs the Cloud Run service; reads only its own secrets" },
      child(ctx, stack),
    );
    const member = pulumi.interpolate`serviceAccount:${account.email}`;
    const grants: pulumi.Resource[] = svc.secrets.map(
      (secretName) =>
        new secretmanager.SecretIamMember(`${s}-reads-${secretName}`, { secretId: deps.secrets.secretRefs[secretName], project, role: "roles/secretmanager.secretAccessor", member }, child(ctx, stack)),
    );
    grants.push(new storage.BucketIAMMember(`${s}-data`, { bucket: deps.dataStore.dataStoreName, role: "roles/storage.objectUser", member }, child(ctx, stack)));
    if (db) {
      grants.push(
        new secretmanager.SecretIamMember(`${s}-reads-database-password`, { secretId: stack.databasePasswordSecretId!, project, role: "roles/secretmanager.secretAccessor", member }, child(ctx, stack)),
        new projects.IAMMember(`${s}-sql-client`, { project, role: "roles/cloudsql.client", member }, child(ctx, stack)),
        // IAM database authentication: the service account may log in as itself once granted a role in PostgreSQL (README: GCP).
        new projects.IAMMember(`${s}-sql-instance-user`, { project, role: "roles/cloudsql.instanceUser", member }, child(ctx, stack)),
        new sql.User(
          `${s}-database-user`,
          { project, instance: stack.databaseInstanceName!, type: "CLOUD_IAM_SERVICE_ACCOUNT", name: account.email.apply((email) => email.replace(/\.gserviceaccount\.com$/, "")) },
          child(ctx, stack),
        ),
      );
    }

    const name = cloudRunServiceName(names, svcName);
    serviceNames[svcName] = pulumi.output(name);
    const image = svc.image ?? ownImage(spec.region, project, names, svcName, svc.imageTag);
    if (held) {
      heldServices.push(svcName);
      releases[svcName] = pulumi.output({ release: image });
      continue;
    }
    const plain: Record<string, pulumi.Input<string>> = {
      ...svc.env,
      ENVIRONMENT: spec.environment,
      LOG_LEVEL: spec.logs.level,
      DATA_STORE_URL: deps.dataStore.dataStoreUrl,
      ...(db ? { DATABASE_HOST: db.host, DATABASE_PORT: String(db.port), DATABASE_NAME: db.databaseName, DATABASE_USER: stack.databaseUser! } : {}),
    };
    // By reference, each pinned to the version the deployment saw: a new value is a new revision.
    const fromSecrets = [
      ...svc.secrets.map((secretName) => ({
        name: secretName,
        valueSource: { secretKeyRef: { secret: deps.secrets.secretRefs[secretName], version: deps.secrets.secretVersions[secretName] ?? "latest" } },
      })),
      ...(db ? [{ name: "DATABASE_PASSWORD", valueSource: { secretKeyRef: { secret: stack.databasePasswordSecretId!, version: stack.databasePasswordVersion! } } }] : []),
    ];
    const envs = [
      ...Object.entries(plain)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([envName, value]) => ({ name: envName, value })),
      ...fromSecrets,
    ];
    const probe = (periodSeconds: number, failureThreshold: number) => ({ httpGet: { path: svc.healthCheckPath, port: svc.port }, periodSeconds, timeoutSeconds: 5, failureThreshold });
    const service = new cloudrunv2.Service(
      `${s}-service`,
      {
        name,
        project,
        location: spec.region,
        // Only through the load balancer (and its Cloud Armor policy): the run.app URL refuses requests from anywhere else.
        ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        // The load balancer does not authenticate its requests; ingress decides who may call.
        invokerIamDisabled: true,
        deletionProtection: spec.deletionProtection,
        labels: labels(ctx, { service: svcName }),
        template: {
          serviceAccount: account.email,
          timeout: `${spec.loadBalancer.backendTimeoutSeconds}s`,
          maxInstanceRequestConcurrency: cloudRunConcurrency(svc.cpu),
          // Below 1 vCPU only the first generation runs (Cloud Run, "Configure CPU limits").
          executionEnvironment: svc.cpu < 1 ? "EXECUTION_ENVIRONMENT_GEN1" : "EXECUTION_ENVIRONMENT_GEN2",
          scaling: { minInstanceCount: svc.minInstances, maxInstanceCount: svc.maxInstances },
          // All egress through the subnet: Google APIs by Private Google Access, the database by its private IP, the rest through Cloud NAT.
          vpcAccess: { networkInterfaces: [{ network: deps.network.networkId, subnetwork: stack.subnetId! }], egress: "ALL_TRAFFIC" },
          // A new digest behind the same tag starts a new revision, which pulls it.
          annotations: release.imageDigest ? { "platform.dev/image-digest": release.imageDigest } : undefined,
          labels: labels(ctx, { service: svcName }),
          containers: [
            {
              name: svcName,
              image,
              ports: { containerPort: svc.port },
              resources: {
                limits: { cpu: cloudRunCpu(svc.cpu), memory: cloudRunMemory(svc.memory) },
                // CPU outside requests where it is always paid for anyway (production's minimum instances); below 1 vCPU it must idle.
                cpuIdle: svc.cpu < 1 || spec.environment !== "production",
                startupCpuBoost: true,
              },
              envs,
              // Direct VPC egress with NAT adds start-up time: up to 5 minutes to become healthy.
              startupProbe: probe(10, 30),
              livenessProbe: probe(30, 3),
            },
          ],
        },
      },
      child(ctx, stack, { dependsOn: [repository, ...grants] }),
    );
    // Cloud Run keeps serving the last ready revision when a new one fails: that is a rollback.
    releases[svcName] = pulumi.all([service.latestCreatedRevision, service.latestReadyRevision]).apply(([created, ready]) =>
      spec.waitForRollout && created && ready && created !== ready
        ? { release: image, failure: `services.${svcName}: revision ${created} did not become ready; Cloud Run still serves ${ready}. Read its logs: gcloud run revisions describe ${created} --region ${spec.region} --project ${project}` }
        : { release: image },
    );
  }
  return { runtimeName: pulumi.output(`${project}/${spec.region}`), serviceNames, imageRepositories, heldServices, releases };
}
