// Redeploys the services when RDS rotates the database credentials. ECS reads a secret once, when a
// task starts: after a rotation the running tasks hold the old password, their open connections keep
// working, but every new connection fails until the task is replaced. Secrets Manager announces the
// new current version itself ("Secret Label Updated", no CloudTrail needed); EventBridge hands it to a
// small Lambda that starts a new deployment of every service that reads the secret.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { BlockContext } from "../cloud";
import { rotationRedeployFunctionName } from "./databaseNames";
import { lambdaBase } from "./lambdaBase";
import { callerArnParts, child, tags } from "./options";

/**
 * The handler, CommonJS for the Node.js runtime, with the AWS SDK v3 the runtime ships. Environment:
 * CLUSTER (name) and SERVICES (JSON list of service names). A service deleted since is skipped; any
 * other failure fails the invocation after trying every service, so the alarm on its errors fires.
 */
export const rotationRedeployHandler = `"use strict";
const { ECSClient, UpdateServiceCommand } = require("@aws-sdk/client-ecs");

const ecs = new ECSClient({});
const gone = new Set(["ServiceNotFoundException", "ServiceNotActiveException"]);

exports.handler = async (event) => {
  const services = JSON.parse(process.env.SERVICES || "[]");
  const redeployed = [];
  const skipped = [];
  const failed = [];
  for (const service of services) {
    try {
      await ecs.send(new UpdateServiceCommand({ cluster: process.env.CLUSTER, service, forceNewDeployment: true }));
      redeployed.push(service);
    } catch (e) {
      if (e && gone.has(e.name)) skipped.push(service);
      else failed.push(service + ": " + ((e && e.name) || "Error"));
    }
  }
  const versionId = event && event.detail && event.detail.versionId;
  console.log(JSON.stringify({ versionId, redeployed, skipped, failed }));
  if (failed.length > 0) throw new Error("could not redeploy " + failed.join(", ") + " after the database credentials rotated");
  return { redeployed, skipped };
};
`;

export interface RotationRedeployArgs {
  /** The RDS-managed secret. */
  credentialsRef: pulumi.Output<string>;
  clusterName: pulumi.Output<string>;
  /** ECS names of the services that read the secret. */
  serviceNames: pulumi.Output<string>[];
  keyArn: pulumi.Input<string>;
}

export function databaseRotationRedeploy(ctx: BlockContext, args: RotationRedeployArgs): void {
  const { spec, names } = ctx;
  // Uppercase, which no service name can be: never the logical name of a service's resource.
  const n = `${ctx.name}-DB-rotation`;
  const { accountId, partition } = callerArnParts(ctx);

  const { logGroup, role } = lambdaBase(ctx, n, { logGroup: "db-rotation-redeploy", role: "db-rotation" }, args.keyArn);
  const serviceArns = pulumi
    .all([accountId, partition, args.clusterName, pulumi.all(args.serviceNames)])
    .apply(([account, part, cluster, services]) => services.map((service) => `arn:${part}:ecs:${spec.region}:${account}:service/${cluster}/${service}`));
  // Least privilege: its own log group, and a new deployment of exactly these services.
  const policy = new aws.iam.RolePolicy(
    `${n}-policy`,
    {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
          { Sid: "RedeployReaders", Effect: "Allow", Action: "ecs:UpdateService", Resource: serviceArns },
        ],
      }),
    },
    child(ctx),
  );
  const fn = new aws.lambda.Function(
    n,
    {
      name: rotationRedeployFunctionName(names),
      description: "Redeploys the services after RDS rotates the database credentials (README: the database)",
      runtime: aws.lambda.Runtime.NodeJS22dX,
      handler: "index.handler",
      code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(rotationRedeployHandler) }),
      role: role.arn,
      timeout: 60,
      memorySize: 128,
      environment: { variables: { CLUSTER: args.clusterName, SERVICES: pulumi.jsonStringify(args.serviceNames) } },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      tags: tags(ctx),
    },
    child(ctx, { dependsOn: [policy] }),
  );

  // The current version moved: a rotation finished (Secrets Manager user guide, "Secret Label Updated
  // event"; it is sent for every label but AWSPENDING and AWSPREVIOUS).
  const rule = new aws.cloudwatch.EventRule(
    `${n}-rule`,
    {
      name: names.name("awsEventRule", "db-credentials-rotated"),
      description: "The database credentials have a new current version",
      eventPattern: pulumi.jsonStringify({
        source: ["aws.secretsmanager"],
        "detail-type": ["Secret Label Updated"],
        resources: [args.credentialsRef],
        detail: { labelUpdated: ["AWSCURRENT"] },
      }),
      tags: tags(ctx),
    },
    child(ctx),
  );
  new aws.lambda.Permission(`${n}-invoke`, { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: rule.arn }, child(ctx));
  new aws.cloudwatch.EventTarget(`${n}-target`, { rule: rule.name, arn: fn.arn }, child(ctx));
}
