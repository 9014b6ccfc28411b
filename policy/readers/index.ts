// Which clouds have readers. Adding a cloud is its readers module (a `CloudReaders`, the compiler
// checks it has a reader for every control) and its line here; tests/policy/readers.test.ts fails
// while an implemented cloud (components/limits.ts) has none.
import type { CloudName } from "../../components/model";
import { awsReaders } from "./aws";
import { azureReaders } from "./azure";
import { gcpReaders } from "./gcp";
import type { CloudReaders } from "./types";

export const cloudReaders: Record<CloudName, CloudReaders | undefined> = {
  aws: awsReaders,
  azure: azureReaders,
  gcp: gcpReaders,
};
