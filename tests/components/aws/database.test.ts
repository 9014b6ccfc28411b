// The platform database on AWS (issue 6 §2): RDS for PostgreSQL in the private subnets, encrypted
// with the platform key, reachable only from the services' security groups, TLS forced, its password
// held by RDS, deletion protection and a final snapshot where the data is kept, Multi-AZ in
// production, point-in-time recovery, the AWS Backup plan over it, services given the connection by
// reference, and redeployed when RDS rotates the credentials.
import { awsLimits } from "../../../components/aws/limits";
import { rdsMaxConnections } from "../../../components/aws/databaseLimits";
import { rotationRedeployHandler } from "../../../components/aws/databaseRotation";
import type { PlatformSpec } from "../../../components/model";
import { loadPlatformSpec } from "../../../stacks/config";
import { named, ofType } from "../../harness/queries";
import { runProgram, type SynthResult } from "../../harness/run";

let dev: SynthResult;
let staging: SynthResult;
let production: SynthResult;
let twoServices: SynthResult;
let withoutDatabase: SynthResult;

beforeAll(async () => {
  dev = await runProgram({ stack: "dev" });
  staging = await runProgram({ stack: "staging" });
  production = await runProgram({ stack: "production" });
  twoServices = await runProgram({ stack: "production", set: ["platform:services.web.port=3000", "platform:services.web.imageTag=2.0.0"] });
  withoutDatabase = await runProgram({ stack: "staging", set: ["platform:database.enabled=false"] });
  for (const r of [dev, staging, production, twoServices, withoutDatabase]) expect(r.error).toBeUndefined();
}, 120_000);

const instance = (r: SynthResult) => named(r, "backup-db").inputs;
const keyArn = (r: SynthResult) => named(r, "secrets-JWT_SECRET").inputs.kmsKeyId;
const databaseOutput = (r: SynthResult) => r.outputs.database as { host: string; port: number; name: string; instance: string; credentialsRef: string };
const dbSgId = (r: SynthResult) => (instance(r).vpcSecurityGroupIds as string[])[0];
const serviceSgId = (r: SynthResult, svc: string) => (named(r, `app-${svc}-service`).inputs.networkConfiguration as { securityGroups: string[] }).securityGroups[0];
const containers = (r: SynthResult, svc: string) =>
  JSON.parse(String(named(r, `app-${svc}-task`).inputs.containerDefinitions)) as { environment: { name: string; value: string }[]; secrets: { name: string; valueFrom: string }[] }[];

describe("the instance", () => {
  it.each([
    ["dev", "db.t4g.small", 20, 100, () => dev],
    ["staging", "db.t4g.small", 20, 100, () => staging],
    ["production", "db.m7g.large", 50, 500, () => production],
  ] as const)("%s runs RDS for PostgreSQL 16 on %s, gp3 %i GiB growing to %i GiB", (_s, instanceClass, storage, ceiling, get) => {
    expect(instance(get())).toMatchObject({
      identifier: `platform-${_s}-db`,
      engine: "postgres",
      engineVersion: "16",
      instanceClass,
      storageType: "gp3",
      allocatedStorage: storage,
      maxAllocatedStorage: ceiling,
      dbName: "app",
      port: 5432,
      autoMinorVersionUpgrade: true,
    });
  });

  it("maps every neutral size to its instance class", async () => {
    for (const [size, instanceClass] of [["small", "db.t4g.small"], ["medium", "db.m7g.large"], ["large", "db.m7g.xlarge"], ["xlarge", "db.m7g.2xlarge"]]) {
      const r = await runProgram({ stack: "dev", set: [`platform:database.size=${size}`] });
      expect({ size, instanceClass: instance(r).instanceClass }).toEqual({ size, instanceClass });
    }
  });

  it("turns storage autoscaling off when the ceiling equals the allocation", async () => {
    const r = await runProgram({ stack: "dev", set: ["platform:database.storageGb=100", "platform:database.maxStorageGb=100"] });
    expect(r.error).toBeUndefined();
    expect(instance(r)).toMatchObject({ allocatedStorage: 100, maxAllocatedStorage: 0 });
  });

  it("encrypts its storage with the platform key", () => {
    for (const r of [dev, production]) expect(instance(r)).toMatchObject({ storageEncrypted: true, kmsKeyId: keyArn(r) });
  });

  it("is private: not publicly accessible, in a subnet group of the private subnets only", () => {
    for (const r of [dev, production]) {
      expect(instance(r).publiclyAccessible).toBe(false);
      const subnets = named(r, "backup-db-subnets").inputs;
      expect(instance(r).dbSubnetGroupName).toBe(subnets.name);
      expect(subnets.subnetIds).toEqual(r.outputs.privateSubnetIds);
      for (const id of r.outputs.publicSubnetIds as string[]) expect(subnets.subnetIds).not.toContain(id);
    }
  });

  it("has its password generated and kept by RDS in Secrets Manager with the platform key, never in the program or its state", () => {
    for (const r of [dev, production]) {
      const db = named(r, "backup-db");
      expect(db.inputs).toMatchObject({ manageMasterUserPassword: true, masterUserSecretKmsKeyId: keyArn(r), username: "app_admin" });
      expect(Object.keys(db.inputs).filter((k) => /password/i.test(k)).sort()).toEqual(["manageMasterUserPassword"]);
      expect(db.secretPaths).toEqual([]);
      // No generated value for it anywhere: the only random passwords are the declared secrets'.
      expect(ofType(r, "random:index/randomPassword:RandomPassword").map((x) => x.name)).toEqual(["secrets-JWT_SECRET-value"]);
      expect(databaseOutput(r).credentialsRef).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
      expect(JSON.stringify(r.outputs)).not.toMatch(/password/i);
    }
  });

  it("forces TLS through a parameter group of its engine family, named after the family", async () => {
    for (const r of [dev, production]) {
      const params = named(r, "backup-db-params").inputs;
      expect(params).toMatchObject({ family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "1" }] });
      expect(instance(r).parameterGroupName).toBe(params.name);
    }
    // A major upgrade builds a group of the new family under a new name before the instance moves to it.
    const seventeen = await runProgram({ stack: "dev", set: ["platform:database.version=17"] });
    expect(seventeen.error).toBeUndefined();
    expect(named(seventeen, "backup-db-params").inputs).toMatchObject({ family: "postgres17", name: "platform-dev-db-postgres17" });
    expect(named(dev, "backup-db-params").inputs.name).toBe("platform-dev-db-postgres16");
    expect(instance(seventeen)).toMatchObject({ engineVersion: "17", allowMajorVersionUpgrade: true, parameterGroupName: "platform-dev-db-postgres17" });
  });

  it.each([
    ["dev", false, () => dev],
    ["staging", false, () => staging],
    ["production", true, () => production],
  ] as const)("%s: Multi-AZ is %s", (_s, multiAz, get) => {
    expect(instance(get()).multiAz).toBe(multiAz);
  });

  it("follows database.highAvailability wherever it is set", async () => {
    const r = await runProgram({ stack: "dev", set: ["platform:database.highAvailability=true"] });
    expect(instance(r).multiAz).toBe(true);
  });

  it("exports its logs to encrypted log groups the platform creates first, under the names RDS uses, kept as long as app logs", () => {
    for (const [r, days] of [[dev, 7], [production, 30]] as const) {
      expect(instance(r).enabledCloudwatchLogsExports).toEqual(["postgresql", "upgrade"]);
      for (const log of ["postgresql", "upgrade"]) {
        const group = named(r, `backup-db-logs-${log}`);
        expect(group.inputs).toMatchObject({ name: `/aws/rds/instance/${instance(r).identifier}/${log}`, retentionInDays: days, kmsKeyId: keyArn(r) });
      }
      expect(named(r, "backup-db").dependsOn.sort()).toEqual(["backup-db-logs-postgresql", "backup-db-logs-upgrade"]);
    }
  });
});

describe("deletion", () => {
  it("production: deletion protection, protected and retained, and a final snapshot named for this instance's lifetime", () => {
    const db = named(production, "backup-db");
    expect(db).toMatchObject({ protect: true, retainOnDelete: true });
    const suffix = named(production, "backup-db-final-snapshot-suffix");
    expect(suffix.type).toBe("random:index/randomId:RandomId");
    expect(db.inputs).toMatchObject({ deletionProtection: true, skipFinalSnapshot: false, deleteAutomatedBackups: false });
    expect(db.inputs.finalSnapshotIdentifier).toMatch(/^platform-production-db-final-[0-9a-f]{8}$/);
    for (const name of ["backup-db-subnets", "backup-db-params", "backup-db-sg", "backup-db-credentials-rotation"]) {
      expect({ name, retainOnDelete: named(production, name).retainOnDelete }).toEqual({ name, retainOnDelete: true });
    }
  });

  it("staging keeps a final snapshot without deletion protection, as its vault keeps its recovery points", () => {
    expect(instance(staging)).toMatchObject({ deletionProtection: false, skipFinalSnapshot: false, finalSnapshotIdentifier: expect.stringMatching(/^platform-staging-db-final-[0-9a-f]{8}$/) });
  });

  it("dev is destroyable: no deletion protection, no final snapshot, nothing protected", () => {
    const db = named(dev, "backup-db");
    expect(db).toMatchObject({ protect: false, retainOnDelete: false });
    expect(db.inputs).toMatchObject({ deletionProtection: false, skipFinalSnapshot: true, deleteAutomatedBackups: true });
    expect(db.inputs.finalSnapshotIdentifier).toBeUndefined();
    expect(dev.resources.some((r) => r.name === "backup-db-final-snapshot-suffix")).toBe(false);
  });
});

describe("network access", () => {
  const ingressTo = (r: SynthResult, sg: string) => ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((x) => x.inputs.securityGroupId === sg);

  it("has its own security group with no inline rules", () => {
    const sg = named(production, "backup-db-sg");
    expect(sg.inputs).toMatchObject({ vpcId: production.outputs.networkId });
    expect(sg.inputs.ingress).toBeUndefined();
    expect(sg.inputs.egress).toBeUndefined();
    expect(dbSgId(production)).toMatch(/^sg-/);
  });

  it("admits each service's security group on 5432, one rule per service, and nothing else", () => {
    const rules = ingressTo(twoServices, dbSgId(twoServices));
    expect(rules.map((x) => x.name).sort()).toEqual(["app-api-db-in", "app-web-db-in"]);
    for (const svc of ["api", "web"]) {
      const rule = named(twoServices, `app-${svc}-db-in`).inputs;
      expect(rule).toEqual({ securityGroupId: dbSgId(twoServices), ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: serviceSgId(twoServices, svc), description: `From service ${svc}`, tags: expect.objectContaining({ stack: "production", environment: "production" }) });
    }
    for (const rule of rules) {
      expect(rule.inputs.cidrIpv4).toBeUndefined();
      expect(rule.inputs.cidrIpv6).toBeUndefined();
      expect(rule.inputs.prefixListId).toBeUndefined();
    }
    expect(ofType(twoServices, "aws:ec2/securityGroupRule:SecurityGroupRule").filter((x) => x.inputs.securityGroupId === dbSgId(twoServices))).toEqual([]);
  });

  it("lets each service reach the database on 5432 only through its security group", () => {
    for (const svc of ["api", "web"]) {
      const out = named(twoServices, `app-${svc}-sg-out-db`).inputs;
      expect(out).toMatchObject({ securityGroupId: serviceSgId(twoServices, svc), ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: dbSgId(twoServices) });
      expect(out.cidrIpv4).toBeUndefined();
    }
  });
});

describe("point-in-time recovery and the backup plan", () => {
  it.each([
    ["dev", 1, () => dev],
    ["staging", 7, () => staging],
    ["production", 7, () => production],
  ] as const)("%s keeps RDS automated backups for %i days (point-in-time recovery)", (_s, days, get) => {
    expect(instance(get()).backupRetentionPeriod).toBe(days);
  });

  it("leaves the automated backups' retention and window to AWS Backup where its continuous rule covers the database", async () => {
    expect(named(production, "backup-db").ignoreChanges.sort()).toEqual(["backupRetentionPeriod", "backupWindow"]);
    expect(named(dev, "backup-db").ignoreChanges).toEqual([]);
    // The window follows the continuous backup unless set: the two never disagree.
    const longer = await runProgram({ stack: "production", set: ["platform:backup.continuousRetentionDays=14"] });
    expect(longer.error).toBeUndefined();
    expect(instance(longer).backupRetentionPeriod).toBe(14);
    const devLonger = await runProgram({ stack: "dev", set: ["platform:database.pointInTimeRecoveryDays=14"] });
    expect(instance(devLonger).backupRetentionPeriod).toBe(14);
  });

  it("puts the database in the plan next to the bucket, through a selection of its own and the same role", () => {
    for (const r of [dev, staging, production]) {
      const dbArn = `arn:aws:rds:us-east-1:123456789012:db:${instance(r).identifier}`;
      const selection = named(r, "backup-selection-database").inputs;
      const bucketSelection = named(r, "backup-selection").inputs;
      expect(selection.resources).toEqual([dbArn]);
      expect(selection).toMatchObject({ planId: bucketSelection.planId, iamRoleArn: bucketSelection.iamRoleArn });
      expect(bucketSelection.resources).toEqual([`arn:aws:s3:::${r.outputs.dataStoreName}`]);
      expect(named(r, "backup-selection-database").dependsOn.sort()).toEqual(named(r, "backup-selection").dependsOn.sort());
    }
  });

  it("production covers both with daily, weekly and monthly snapshots copied to the second region and with continuous backup", () => {
    type Rule = { ruleName: string; enableContinuousBackup?: boolean; copyActions?: { destinationVaultArn: string }[] };
    const rules = named(production, "backup-plan").inputs.rules as Rule[];
    const byKind = Object.fromEntries(rules.map((x) => [x.ruleName.replace(/^platform-production-/, ""), x]));
    expect(byKind.continuous.enableContinuousBackup).toBe(true);
    const copyVault = String(named(production, "backup-copy-vault").inputs.name);
    for (const kind of ["daily", "weekly", "monthly"]) expect(byKind[kind].copyActions).toEqual([expect.objectContaining({ destinationVaultArn: expect.stringContaining(copyVault) })]);
    // One plan: every rule applies to every selection, the database's included.
    expect(ofType(production, "aws:backup/plan:Plan")).toHaveLength(1);
    expect(ofType(production, "aws:backup/selection:Selection").map((x) => x.name).sort()).toEqual(["backup-selection", "backup-selection-database"]);
  });

  it("keeps the automated backups out of the AWS Backup and maintenance hours", () => {
    expect(instance(production)).toMatchObject({ backupWindow: "01:00-01:30", maintenanceWindow: "sun:02:00-sun:02:30", copyTagsToSnapshot: true });
  });
});

describe("monthly restore test of the database", () => {
  it("restores the latest snapshot into the private subnets behind a security group that admits nothing", () => {
    for (const r of [staging, production]) {
      const selection = named(r, "backup-restore-test-database").inputs;
      const overrides = selection.restoreMetadataOverrides as Record<string, string>;
      const [restoreSg] = JSON.parse(overrides.vpcSecurityGroupIds) as string[];
      expect(JSON.parse(overrides.vpcSecurityGroupIds)).toEqual([expect.stringMatching(/^sg-/)]);
      // Not the database's group, nor a service's: a group of its own, which no rule opens.
      expect(restoreSg).not.toBe(dbSgId(r));
      expect(restoreSg).not.toBe(serviceSgId(r, "api"));
      expect(r.resources.filter((x) => x.type.startsWith("aws:vpc/securityGroup") && [x.inputs.securityGroupId, x.inputs.referencedSecurityGroupId].includes(restoreSg))).toEqual([]);
      expect(named(r, "backup-db-restore-test-sg").inputs).toMatchObject({ vpcId: r.outputs.networkId });
      expect(named(r, "backup-db-restore-test-sg").inputs.ingress).toBeUndefined();
      expect(selection).toMatchObject({
        protectedResourceType: "RDS",
        protectedResourceArns: [`arn:aws:rds:us-east-1:123456789012:db:${instance(r).identifier}`],
        restoreTestingPlanName: named(r, "backup-restore-test").inputs.name,
        iamRoleArn: named(r, "backup-selection").inputs.iamRoleArn,
        validationWindowHours: 24,
      });
      expect(overrides).toEqual({ dbSubnetGroupName: named(r, "backup-db-subnets").inputs.name, vpcSecurityGroupIds: JSON.stringify([restoreSg]), multiAz: "false", publiclyAccessible: "false" });
    }
  });

  it("is off in dev with the rest of the restore test", () => {
    expect(dev.resources.some((x) => x.name === "backup-restore-test-database" || x.name === "backup-db-restore-test-sg")).toBe(false);
  });
});

describe("services get the connection by reference", () => {
  it("as DATABASE_HOST, DATABASE_PORT and DATABASE_NAME env vars, and the credentials as the secret's JSON keys, in every service", () => {
    const out = databaseOutput(twoServices);
    for (const svc of ["api", "web"]) {
      const [container] = containers(twoServices, svc);
      const env = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
      expect(env).toMatchObject({ DATABASE_HOST: out.host, DATABASE_PORT: "5432", DATABASE_NAME: "app" });
      expect(container.secrets.filter((x) => x.name.startsWith("DATABASE_"))).toEqual([
        { name: "DATABASE_USER", valueFrom: `${out.credentialsRef}:username::` },
        { name: "DATABASE_PASSWORD", valueFrom: `${out.credentialsRef}:password::` },
      ]);
      // Never a URL with a password, nor a password anywhere in the environment.
      // DATA_STORE_URL (s3://<bucket>) is the only URL, and carries no credentials.
      expect(Object.keys(env).filter((k) => /URL|PASSWORD|USER/.test(k))).toEqual(["DATA_STORE_URL"]);
      expect(env.DATA_STORE_URL).toMatch(/^s3:\/\/[a-z0-9-]+$/);
      expect(JSON.stringify(container.environment)).not.toMatch(/postgres(ql)?:\/\//);
    }
    expect(out).toMatchObject({ port: 5432, name: "app", instance: "platform-production-db" });
    expect(out.host).toBe(`platform-production-db.${out.host.split(".")[1]}.us-east-1.rds.amazonaws.com`);
  });

  it("lets each execution role read that one secret, and no other role", () => {
    const secret = databaseOutput(twoServices).credentialsRef;
    const readers = ofType(twoServices, "aws:iam/rolePolicy:RolePolicy").filter((p) => String(p.inputs.policy).includes(secret));
    expect(readers.map((p) => p.name).sort()).toEqual(["app-api-execution-secrets", "app-web-execution-secrets"]);
    for (const p of readers) {
      const statement = (JSON.parse(String(p.inputs.policy)).Statement as { Sid: string; Action: string; Resource: unknown }[]).find((x) => x.Sid === "ReadDatabaseCredentials");
      expect(statement).toMatchObject({ Action: "secretsmanager:GetSecretValue", Resource: secret });
    }
  });
});

describe("credential rotation", () => {
  it("rotates on a weekly quiet hour, never on `pulumi up` itself", () => {
    const rotation = named(production, "backup-db-credentials-rotation").inputs;
    expect(rotation).toEqual({ secretId: databaseOutput(production).credentialsRef, rotateImmediately: false, rotationRules: { scheduleExpression: "cron(0 7 ? * SUN *)", duration: "1h" } });
  });

  it("redeploys every service that reads the secret when its current version moves", () => {
    const rule = named(twoServices, "app-DB-rotation-rule").inputs;
    expect(JSON.parse(String(rule.eventPattern))).toEqual({
      source: ["aws.secretsmanager"],
      "detail-type": ["Secret Label Updated"],
      resources: [databaseOutput(twoServices).credentialsRef],
      detail: { labelUpdated: ["AWSCURRENT"] },
    });
    const fn = named(twoServices, "app-DB-rotation").inputs;
    expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "index.handler", name: "platform-production-db-rotation-redeploy" });
    const serviceNames = twoServices.outputs.serviceNames as Record<string, string>;
    expect((fn.environment as { variables: Record<string, string> }).variables).toEqual({ CLUSTER: twoServices.outputs.clusterName, SERVICES: JSON.stringify([serviceNames.api, serviceNames.web]) });
    expect(named(twoServices, "app-DB-rotation-target").inputs).toEqual({ rule: rule.name, arn: expect.stringContaining(`function/${fn.name}`) });
    expect(named(twoServices, "app-DB-rotation-invoke").inputs).toMatchObject({ principal: "events.amazonaws.com", function: fn.name, sourceArn: expect.stringContaining(String(rule.name)) });
  });

  it("lets the redeploy function start a deployment of exactly those services, and write its own logs", () => {
    const statements = JSON.parse(String(named(twoServices, "app-DB-rotation-policy").inputs.policy)).Statement;
    const cluster = twoServices.outputs.clusterName;
    const serviceNames = twoServices.outputs.serviceNames as Record<string, string>;
    expect(statements).toEqual([
      { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:us-east-1:123456789012:log-group:${named(twoServices, "app-DB-rotation-logs").inputs.name}:*` },
      { Sid: "RedeployReaders", Effect: "Allow", Action: "ecs:UpdateService", Resource: [`arn:aws:ecs:us-east-1:123456789012:service/${cluster}/${serviceNames.api}`, `arn:aws:ecs:us-east-1:123456789012:service/${cluster}/${serviceNames.web}`] },
    ]);
    expect(JSON.parse(String(named(twoServices, "app-DB-rotation-role").inputs.assumeRolePolicy)).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    expect(named(twoServices, "app-DB-rotation-logs").inputs.kmsKeyId).toBe(keyArn(twoServices));
  });

  describe("the handler", () => {
    function load(update: (input: { cluster: string; service: string; forceNewDeployment: boolean }) => Promise<void>) {
      const calls: Record<string, unknown>[] = [];
      const modules = {
        "@aws-sdk/client-ecs": {
          ECSClient: class {
            async send(command: { input: { cluster: string; service: string; forceNewDeployment: boolean } }) {
              calls.push(command.input);
              await update(command.input);
              return {};
            }
          },
          UpdateServiceCommand: class {
            constructor(readonly input: Record<string, unknown>) {}
          },
        },
      } as Record<string, unknown>;
      const module = { exports: {} as { handler: (event: unknown) => Promise<Record<string, unknown>> } };
      const env = { CLUSTER: "platform-production", SERVICES: JSON.stringify(["platform-production-api", "platform-production-web"]) };
      const quiet = { ...console, log: () => undefined };
      new Function("require", "module", "exports", "process", "console", rotationRedeployHandler)((id: string) => modules[id], module, module.exports, { env }, quiet);
      return { handler: module.exports.handler, calls };
    }
    const rotated = { source: "aws.secretsmanager", "detail-type": "Secret Label Updated", detail: { labelUpdated: "AWSCURRENT", versionId: "v2" } };

    it("starts a new deployment of every service", async () => {
      const { handler, calls } = load(async () => undefined);
      await expect(handler(rotated)).resolves.toEqual({ redeployed: ["platform-production-api", "platform-production-web"], skipped: [] });
      expect(calls).toEqual([
        { cluster: "platform-production", service: "platform-production-api", forceNewDeployment: true },
        { cluster: "platform-production", service: "platform-production-web", forceNewDeployment: true },
      ]);
    });

    it("skips a service deleted since, and fails (so the alarm fires) after trying every service when one cannot be redeployed", async () => {
      const gone = load(async (input) => {
        if (input.service.endsWith("api")) throw Object.assign(new Error("gone"), { name: "ServiceNotFoundException" });
      });
      await expect(gone.handler(rotated)).resolves.toEqual({ redeployed: ["platform-production-web"], skipped: ["platform-production-api"] });
      const throttled = load(async (input) => {
        if (input.service.endsWith("api")) throw Object.assign(new Error("slow down"), { name: "ThrottlingException" });
      });
      await expect(throttled.handler(rotated)).rejects.toThrow("could not redeploy platform-production-api: ThrottlingException");
      expect(throttled.calls).toHaveLength(2);
    });
  });
});

describe("names next to the services'", () => {
  it("never meet a service's, whatever the service is called", async () => {
    // A service named db or db-rotation gets app-db-* and app-db-rotation-* resources of its own.
    const r = await runProgram({ stack: "dev", set: ["platform:services.db.port=3000", "platform:services.db-rotation.port=3001"] });
    expect(r.error).toBeUndefined();
    expect(named(r, "app-db-rotation-logs").inputs.name).toBe("platform/dev/ecs/db-rotation");
    expect(named(r, "app-DB-rotation-logs").inputs.name).toBe("platform/dev/db-rotation-redeploy");
    const sgNames = ofType(r, "aws:ec2/securityGroup:SecurityGroup").map((x) => x.inputs.name);
    expect(new Set(sgNames).size).toBe(sgNames.length);
    expect(named(r, "backup-db-sg").inputs.name).toBe("platform-dev-db");
    expect(named(r, "app-db-sg").inputs.name).toBe("platform-dev-app-db");
  });
});

describe("task definition size", () => {
  it("counts the database's env vars and secret references at their longest", async () => {
    const { taskDefinitionBytes } = await import("../../../components/aws/taskDefinitionSize");
    const registered = (r: SynthResult) => {
      const { containerDefinitions, ...rest } = named(r, "app-api-task").inputs;
      return Buffer.byteLength(JSON.stringify({ ...rest, containerDefinitions: JSON.parse(String(containerDefinitions)) }));
    };
    const specOf = (enabled: boolean) =>
      loadPlatformSpec({
        project: "platform",
        stack: "staging",
        values: { "platform:cloud": "aws", "platform:environment": "staging", "aws:region": "us-east-1", "platform:loadBalancer": JSON.stringify({ domain: "staging.platform.example.com", dnsZone: "Z0123456789ABCDEFGHIJ" }), "platform:database": JSON.stringify({ enabled }) },
        secretKeys: new Set(),
      }).spec;
    const added = registered(staging) - registered(withoutDatabase);
    const estimatedAdded = taskDefinitionBytes(specOf(true), "api") - taskDefinitionBytes(specOf(false), "api");
    expect(added).toBeGreaterThan(300);
    expect(estimatedAdded).toBeGreaterThanOrEqual(added);
    expect(estimatedAdded - added).toBeLessThan(64);
  });
});

describe("database.enabled false", () => {
  it("builds no database, no rule, no rotation and no alarm for it, and gives the services nothing of it", () => {
    const r = withoutDatabase;
    expect(r.resources.filter((x) => x.type.startsWith("aws:rds/"))).toEqual([]);
    expect(r.resources.filter((x) => /(^|-)db(-|$)|database/i.test(x.name)).map((x) => x.name)).toEqual([]);
    expect(r.outputs.database).toBeUndefined();
    const [container] = containers(r, "api");
    expect(container.environment.map((e) => e.name).filter((n) => n.startsWith("DATABASE_"))).toEqual([]);
    expect(container.secrets.map((e) => e.name).filter((n) => n.startsWith("DATABASE_"))).toEqual([]);
    expect(ofType(r, "aws:secretsmanager/secretRotation:SecretRotation")).toEqual([]);
  });

  it("keeps the bucket, its protection and its selection as they are", () => {
    for (const name of ["backup-data", "backup-data-versioning", "backup-selection", "backup-restore-test-data"]) {
      expect({ name, inputs: named(withoutDatabase, name).inputs }).toEqual({ name, inputs: named(staging, name).inputs });
    }
  });
});

describe("config and limits", () => {
  const load = (values: Record<string, string>) => loadPlatformSpec({ project: "platform", stack: "unit", values: { "platform:cloud": "aws", "platform:environment": "dev", "aws:region": "us-east-1", ...values }, secretKeys: new Set() });
  const problemsOf = (values: Record<string, string>): string[] => {
    try {
      load(values);
      return [];
    } catch (e) {
      return (e as Error).message.split("\n").slice(1).map((l) => l.replace(/^\s*- /, ""));
    }
  };
  const database = (d: Record<string, unknown>) => ({ "platform:database": JSON.stringify(d) });

  it("accepts every major RDS runs in standard support", () => {
    for (const version of ["14", "15", "16", "17", "18"]) expect({ version, problems: problemsOf(database({ version })) }).toEqual({ version, problems: [] });
  });

  it("refuses a major RDS runs only in Extended Support, or not at all, naming the key, the value and what is allowed", () => {
    expect(problemsOf(database({ version: "13" }))).toEqual([
      'platform:database.version: "13" is not allowed: PostgreSQL 13 reached the RDS end of standard support on February 28, 2026 and runs only in paid RDS Extended Support; use 14, 15, 16, 17, 18',
    ]);
    expect(problemsOf(database({ version: "19" }))).toEqual(['platform:database.version: "19" is not allowed: RDS for PostgreSQL runs majors 14, 15, 16, 17, 18 in standard support']);
  });

  it("refuses a storage ceiling below the allocation, or less than 10% above it", () => {
    expect(problemsOf(database({ storageGb: 100, maxStorageGb: 50 }))).toEqual([
      "platform:database.maxStorageGb: 50 is not allowed: must be at least database.storageGb (100): it is the ceiling the storage may grow to on its own (equal: no automatic growth)",
    ]);
    expect(problemsOf(database({ storageGb: 200 }))).toEqual([
      "platform:database.storageGb: 200 is not allowed: must not exceed database.maxStorageGb (100, the preset's ceiling for automatic growth); raise database.maxStorageGb with it",
    ]);
    expect(problemsOf(database({ storageGb: 100, maxStorageGb: 105 }))).toEqual([
      "platform:database.maxStorageGb: 105 is not allowed: RDS storage autoscaling needs a ceiling at least 10% above the allocated 100 GiB: use 110 or more, or 100 for no automatic growth",
    ]);
    expect(problemsOf(database({ storageGb: 100, maxStorageGb: 110 }))).toEqual([]);
    expect(problemsOf(database({ storageGb: 19 }))[0]).toContain("platform:database.storageGb: 19 is not allowed");
  });

  it("refuses a point-in-time window that contradicts the continuous backup that manages it", () => {
    expect(problemsOf({ "platform:backup": JSON.stringify({ continuousRetentionDays: 7 }), ...database({ pointInTimeRecoveryDays: 3 }) })).toEqual([
      "platform:database.pointInTimeRecoveryDays: 3 is not allowed: with backup.continuousRetentionDays (7) AWS Backup manages the database's point-in-time window and sets it to 7 days; set database.pointInTimeRecoveryDays to 7 too, or leave it unset: it follows backup.continuousRetentionDays",
    ]);
    expect(load({ "platform:backup": JSON.stringify({ continuousRetentionDays: 9 }) }).spec.database?.pointInTimeRecoveryDays).toBe(9);
  });

  it("reserves the database env names in services.<name>.env and services.<name>.secrets while the platform has a database", () => {
    const withEnv = (env: Record<string, string>, extra: Record<string, string> = {}) => problemsOf({ "platform:services": JSON.stringify({ api: { env } }), ...extra });
    expect(withEnv({ DATABASE_HOST: "db.internal" })).toEqual([
      'platform:services.api.env.DATABASE_HOST: "db.internal" is not allowed: DATABASE_HOST is reserved: the platform sets it from its database (platform:database), the credentials as secret references; remove it from services.api.env, or set platform:database.enabled to false to bring your own database',
    ]);
    for (const name of ["DATABASE_PORT", "DATABASE_NAME", "DATABASE_USER"]) expect(withEnv({ [name]: "x" })[0]).toContain(`${name} is reserved`);
    // A reserved name that looks secret is refused without echoing its value.
    const password = withEnv({ DATABASE_PASSWORD: "hunter2-hunter2" });
    expect(password).toEqual([expect.stringContaining("platform:services.api.env.DATABASE_PASSWORD: DATABASE_PASSWORD is reserved")]);
    expect(password.join("\n")).not.toContain("hunter2");
    expect(problemsOf({ "platform:secrets": JSON.stringify({ DATABASE_PASSWORD: { source: "external" } }), "platform:services": JSON.stringify({ api: { secrets: ["DATABASE_PASSWORD"] } }) })).toEqual([
      'platform:services.api.secrets[0]: "DATABASE_PASSWORD" is not allowed: DATABASE_PASSWORD is reserved: the platform injects the database credentials under that name; remove it from services.api.secrets',
    ]);
    // Without the platform's database, a stack may point its services at its own.
    expect(withEnv({ DATABASE_HOST: "db.internal" }, database({ enabled: false }))).toEqual([]);
  });

  it("orders the database alarm thresholds: warning before critical", () => {
    const thresholds = (t: Record<string, number>) => problemsOf({ "platform:alarms": JSON.stringify({ thresholds: t }) });
    expect(thresholds({ databaseCpuWarningPercent: 95 })).toEqual(["platform:alarms.thresholds.databaseCpuWarningPercent: 95 is not allowed: must be below alarms.thresholds.databaseCpuCriticalPercent (90)"]);
    expect(thresholds({ databaseConnectionsWarningPercent: 90 })[0]).toContain("must be below alarms.thresholds.databaseConnectionsCriticalPercent (90)");
    expect(thresholds({ databaseFreeStorageWarningPercent: 5 })).toEqual([
      "platform:alarms.thresholds.databaseFreeStorageWarningPercent: 5 is not allowed: must be above alarms.thresholds.databaseFreeStorageCriticalPercent (10): free storage warns before it is critical",
    ]);
  });

  it("refuses more services than the database's security group has inbound rules for", () => {
    const base = load({}).spec;
    const many: PlatformSpec = { ...base, services: Object.fromEntries(Array.from({ length: 61 }, (_, i) => [`svc${i}`, base.services.api])) };
    expect(awsLimits(many).filter((p) => p.key === "services").map((p) => p.message)).toEqual([
      "the database's security group admits each service by its own rule, and a security group holds 60 inbound rules (the default Amazon VPC quota); got 61 services",
    ]);
    expect(awsLimits({ ...many, database: undefined }).filter((p) => p.key === "services")).toEqual([]);
  });

  it("estimates the connection limit below what RDS instances report", () => {
    // Reported max_connections: 198 on a 2 GiB class, 856 on an 8 GiB one.
    expect(rdsMaxConnections("small")).toBeLessThan(198);
    expect(rdsMaxConnections("medium")).toBeLessThan(856);
    expect(rdsMaxConnections("small")).toBeGreaterThan(150);
    expect(rdsMaxConnections("xlarge")).toBeLessThanOrEqual(5000);
  });
});
