// Env vars the AWS container service sets beyond the neutral ones (ENVIRONMENT, LOG_LEVEL,
// DATA_STORE_URL). No SDK import: the limits reserve these names while config is validated, and the
// task definition size estimate counts them.
import type { PlatformSpec, SpecProblem } from "../model";

/** The data store's bucket name: what model v1 called the data store, kept beside DATA_STORE_URL for one release. */
export const dataBucketEnv = "DATA_BUCKET";

/** Name -> what the platform sets it to, for the message that reserves it. */
export const awsReservedEnv: Record<string, string> = {
  [dataBucketEnv]: "the data store's S3 bucket name (the name model v1 used; DATA_STORE_URL holds s3://<bucket>)",
};

/** The data store as services read it: a URL of the object store. */
export const dataStoreUrl = (bucketName: string): string => `s3://${bucketName}`;

/** A stack file's env var that the platform sets itself on AWS. */
export function reservedEnvProblems(spec: PlatformSpec): SpecProblem[] {
  return Object.entries(spec.services).flatMap(([name, svc]) =>
    Object.entries(svc.env)
      .filter(([envName]) => Object.hasOwn(awsReservedEnv, envName))
      .map(([envName, value]) => ({
        key: `services.${name}.env.${envName}`,
        value,
        message: `${envName} is reserved on AWS: the platform sets it to ${awsReservedEnv[envName]}; remove it from services.${name}.env`,
      })),
  );
}
