// The GCP readers of every control (provider @pulumi/gcp v9).
import type { CloudReaders } from "../types";
import { backups, databaseHighAvailability, objectStoragePrivate, statefulProtected } from "./data";
import { encryptionAtRest, objectStorageEncrypted } from "./encryption";
import { httpsOnly, rateLimit, securityHeaders } from "./entry";
import { leastPrivilege } from "./iam";
import { multiZone, noPublicAddress, noPublicIngress } from "./network";
import { alarms, logRetention } from "./observability";
import { requiredTags } from "./tags";
import { minInstances, pinnedImages, secretsByReference } from "./workloads";

export const gcpReaders: CloudReaders = {
  packages: ["gcp"],
  read: {
    "encryption-at-rest": encryptionAtRest,
    "object-storage-encrypted": objectStorageEncrypted,
    "https-only": httpsOnly,
    "security-headers": securityHeaders,
    "rate-limit": rateLimit,
    "no-public-address": noPublicAddress,
    "no-public-ingress": noPublicIngress,
    "object-storage-private": objectStoragePrivate,
    "secrets-by-reference": secretsByReference,
    "min-instances": minInstances,
    "multi-zone": multiZone,
    "database-ha": databaseHighAvailability,
    "stateful-protected": statefulProtected,
    backups,
    alarms,
    "log-retention": logRetention,
    "required-tags": requiredTags,
    "pinned-images": pinnedImages,
    "least-privilege": leastPrivilege,
  },
};
