// What a cloud's readers hand to the controls: neutral facts about the resources a program registers,
// each with the cloud's own setting that gave it (so a violation names what to change). The controls
// (controls.ts) judge the facts the same way on every cloud.

/** A resource as a resource rule sees it: the part of `ResourceValidationArgs` a reader needs. */
export interface ResourceView {
  type: string;
  name: string;
  urn: string;
  /** Inputs; reading a value unknown in a preview throws `UnknownValueError` (the engine's proxy). */
  props: Record<string, any>;
  opts: { protect: boolean };
}

/** A resource as a stack rule sees it: the part of `PolicyResource` a reader needs. */
export interface StackResourceView extends ResourceView {
  dependencies: StackResourceView[];
  /** Top-level input -> the resources its value came from; known in a preview, where values may not be. */
  propertyDependencies: Record<string, StackResourceView[]>;
}

/** Every fact names the cloud setting it was read from, in the cloud's words. */
interface FromSetting {
  setting: string;
}

/** Stack facts are reported against one resource. */
interface About {
  urn: string;
}

export type StoreKind = "secrets" | "database" | "database credentials" | "logs" | "topic" | "backup vault" | "image registry";

export type EncryptionFact = ({ kind: "store"; store: StoreKind; customerManagedKey: boolean } | { kind: "key"; rotates: boolean }) & FromSetting;

export type PublicEntryFact = ({ protocol: "https"; minTlsVersion?: number } | { protocol: "http"; redirectsToHttps: boolean }) & FromSetting;

export const headerKinds = ["contentTypeOptions", "frameOptions", "strictTransportSecurity", "contentSecurityPolicy"] as const;
export type HeaderKind = (typeof headerKinds)[number];

export interface SecurityHeadersFact {
  https: boolean;
  /** Header -> the value the entry point adds to every response; absent: none. */
  headers: Partial<Record<HeaderKind, string>>;
  /** Header -> the cloud setting that adds it. */
  settings: Record<HeaderKind, string>;
}

export interface PublicAddressFact extends FromSetting {
  /** "service", "database", "subnet", "function". */
  what: string;
  reachableFromInternet: boolean;
}

export interface EnvironmentFact {
  /** Where the variables are set: "container api", "function". */
  where: string;
  variables: { name: string; value: string }[];
}

export interface InstancesFact extends FromSetting {
  minimum: number;
  /** Deliberately at 0 until its image or secret exists (the first deploy): runs nothing to spread. */
  held: boolean;
}

export interface StandbyFact extends FromSetting {
  standby: boolean;
}

export interface StatefulFact {
  what: string;
  /** The cloud's own guards against deletion, besides the engine's `protect`. */
  guards: ({ on: boolean } & FromSetting)[];
}

export interface TagsFact extends FromSetting {
  /** Undefined when the resource sets none. */
  tags: Record<string, string> | undefined;
}

export type PrivilegeFact =
  | { kind: "statement"; where: string; wildcardActions: string[]; wildcardResources: string[] }
  | ({ kind: "role"; role: string; ownerClass: boolean } & FromSetting);

export interface ObjectStoreEncryptionFact extends About, FromSetting {
  encryption: "customerKey" | "providerKey" | "none";
  /** False where the cloud allows no customer-managed key for this store; `reason` says why. */
  customerKeyAllowed: boolean;
  reason?: string;
}

export interface ObjectStoreAccessFact extends About, FromSetting {
  publicAccessBlocked: boolean;
  /** Grants to anyone, each as the cloud states it. */
  publicGrants: string[];
}

export interface RateLimitFact extends About {
  /** The rules in front of this public entry point. */
  limits: ({ keyedOnClientIp: boolean; blocks: boolean } & FromSetting)[];
}

export type IngressTarget = "entry" | "compute" | "database" | "other";

export interface PublicIngressFact extends About {
  target: IngressTarget;
  /** Inclusive port range, or every port. */
  ports: { from: number; to: number } | "all";
  source: string;
}

export interface ZonesFact extends About, FromSetting {
  what: string;
  zones: number;
}

export const backupFrequencies = ["daily", "weekly", "monthly", "continuous"] as const;
export type BackupFrequency = (typeof backupFrequencies)[number];

export interface BackupFact extends About {
  what: string;
  /** Every backup rule that covers this data store. */
  rules: { frequency: BackupFrequency | "other"; retentionDays: number; copiedToAnotherRegion: boolean }[];
}

export const signals = ["errorRate", "latency", "cpu", "memory", "uptime"] as const;
export type Signal = (typeof signals)[number];

export interface AlarmsFact extends About {
  held: boolean;
  signals: Record<Signal, { alarmed: boolean; notifies: boolean }>;
}

export interface LogRetentionFact extends About, FromSetting {
  what: string;
  /** Audit and security records (network flows, who called the entry point): kept longer. */
  audit: boolean;
  retentionDays: number | "forever";
}

export interface ImagesFact extends About {
  images: { reference: string; pinned: boolean; how: string }[];
}
