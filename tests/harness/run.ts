// Runs the real program under Pulumi's mock runtime for any stack, cloud and config overrides and
// returns every registered resource with its options and resolved inputs. Tests and the offline
// synth share it. It refuses what the engine would refuse but mocks accept (duplicate URNs).
import * as pulumi from "@pulumi/pulumi";
import type { CloudName } from "../../components/model";
import type { AzureAccountContext } from "./azureMocks";
import { type AccountOption, MockAccount, mockResourceState } from "./cloudMocks";
import { applySet, projectRoot, readStackFile, redactedSecret, toEngineConfig } from "./stackFiles";

export interface RegisteredResource {
  /** Pulumi type token, e.g. `aws:lb/loadBalancer:LoadBalancer`. */
  type: string;
  /** Logical name. */
  name: string;
  /** The parent's logical name; null for resources directly under the stack. */
  parent: string | null;
  custom: boolean;
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  additionalSecretOutputs: string[];
  /** Logical names of the resources given in the `dependsOn` option. */
  dependsOn: string[];
  /** The URN the engine gives the resource (parent types included), as `pulumi stack --show-urns` prints it. */
  urn: string;
  /**
   * URNs of every resource this one waits for, as the program sent them to the engine (`dependsOn`,
   * expanded to a component's children, and every resource an input came from).
   */
  dependencies: string[];
  /** Top-level input name -> URNs of the resources its value came from (the engine's `propertyDependencies`). */
  propertyDependencies: Record<string, string[]>;
  /** Inputs as the provider receives them, secret values replaced by "[secret]". */
  inputs: Record<string, unknown>;
  /** Dotted paths of inputs that are secret. */
  secretPaths: string[];
}

export interface RunOptions {
  stack: string;
  cloud?: CloudName;
  /** `KEY=VALUE` in `pulumi config set --path` syntax. */
  set?: string[];
  /** Like `set`, as `pulumi config set --secret --path`. */
  setSecret?: string[];
  /** Run as `pulumi preview`: computed outputs stay unknown. */
  preview?: boolean;
  /** Another program to run instead of the platform's (to test the harness itself). */
  program?: () => Promise<Record<string, unknown>>;
  /** Run the config of `stack` under another stack name (long or odd names for naming tests). */
  stackName?: string;
  root?: string;
  /**
   * What the AWS account holds when the program reads it: `established` (the default: every image tag,
   * secret value and service exists), `empty` (a first deploy), or a fixture for one case.
   */
  account?: AccountOption;
}

export interface SynthResult {
  stack: string;
  cloud: string;
  environment: string;
  /** The stack's region or location, as its cloud's provider reads it (cost estimates are per region). */
  region: string;
  resources: RegisteredResource[];
  outputs: Record<string, unknown>;
  warnings: string[];
  /** What the program said for information (pulumi.log.info): records to create, steps to take. */
  notes: string[];
  /** The error the program stopped with (bad config above all); resources registered before it are kept. */
  error?: Error;
}

export class DuplicateUrnError extends Error {}

/** The provider config key that places a cloud's resources, and the provider's default. */
const regionKeys: Record<string, { key: string; default?: string }> = {
  aws: { key: "aws:region", default: "us-east-1" },
  azure: { key: "azure-native:location" },
  gcp: { key: "gcp:region" },
};

const secretSigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** Stands in for a value the engine does not know yet (computed outputs during a preview). */
export const unknownValue = "[unknown]";

/** Replaces secret values by the redaction marker, noting where they were, and marks unknowns. */
function redact(value: unknown, at: string, secretPaths: string[]): unknown {
  if (value && typeof value === "object" && (value as { __pulumiUnknown?: boolean }).__pulumiUnknown === true) return unknownValue;
  if (value && typeof value === "object" && (value as Record<string, unknown>)[secretSigKey] === secretSig) {
    secretPaths.push(at);
    return redactedSecret;
  }
  if (Array.isArray(value)) return value.map((v, i) => redact(v, `${at}[${i}]`, secretPaths));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, at ? `${at}.${k}` : k, secretPaths);
    return out;
  }
  return value;
}

function dependencyNames(dependsOn: pulumi.CustomResourceOptions["dependsOn"]): string[] {
  const list: unknown[] = Array.isArray(dependsOn) ? dependsOn : dependsOn ? [dependsOn] : [];
  return list.map((d) => (d as { __name?: string }).__name).filter((name): name is string => typeof name === "string");
}

/**
 * Tags and descriptions the stack's own secrets carry once deployed, by physical name: what an
 * established account answers when asked about them. Bad config yields none (the program refuses it).
 */
async function ownSecretMetadata(project: string, stack: string, values: Record<string, string>, secretKeys: ReadonlySet<string>) {
  const metadata = new Map<string, { tags: Record<string, string>; description: string }>();
  const { loadPlatformSpec } = await import("../../stacks/config");
  const { Namer } = await import("../../components/naming");
  const { secretName } = await import("../../components/aws/resourceNames");
  const { secretDescriptions, secretTags } = await import("../../components/aws/secretLifecycle");
  let spec;
  try {
    spec = loadPlatformSpec({ project, stack, values, secretKeys }).spec;
  } catch {
    return metadata;
  }
  const names = new Namer(project, stack);
  for (const [name, secret] of Object.entries(spec.secrets)) {
    metadata.set(secretName(names, name), { tags: { ...spec.tags, ...secretTags(secret) }, description: secretDescriptions[secret.source] });
  }
  return metadata;
}

/** What the mock Azure subscription needs of the run: the stack's declared secrets, and the apps it registers. */
async function azureContext(project: string, stack: string, values: Record<string, string>, secretKeys: ReadonlySet<string>, registered: Map<string, { inputs: Record<string, unknown> }>): Promise<AzureAccountContext> {
  const { loadPlatformSpec } = await import("../../stacks/config");
  let secrets: Record<string, { source: "generated" | "external"; length: number }> = {};
  try {
    secrets = loadPlatformSpec({ project, stack, values, secretKeys }).spec.secrets;
  } catch {
    // Bad config: the program refuses it before it reads the subscription.
  }
  return {
    secretSources: () => secrets,
    registeredApp: (name) => {
      for (const [key, r] of registered) {
        if (key.startsWith("azure-native:app:ContainerApp::") && r.inputs.containerAppName === name) return { template: r.inputs.template };
      }
      return undefined;
    },
  };
}

/** What the program sent the engine for one resource, beyond its inputs. */
interface EngineRequest {
  urn: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/** The subset of `RegisterResourceRequest` (proto/resource_pb) read here. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(visit: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}
type Callback<R> = (error: unknown, response?: R) => void;
interface MockMonitorMethods {
  registerResource(req: RegisterRequest, callback: Callback<{ getUrn(): string; setUrn(urn: string): void }>): void;
  registerResourceOutputs(req: { getUrn(): string; setUrn(urn: string): void }, callback: Callback<unknown>): void;
}

/**
 * The engine's URN: the parent's qualified type chain, then the type (the root stack's own type is
 * left out), as `resource.NewURN` builds it. The mock monitor keeps only the parent's last type.
 */
function engineUrn(project: string, stack: string, parentUrn: string, type: string, name: string): string {
  const parentType = parentUrn ? parentUrn.split("::")[2] : "";
  const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * Records, for each resource, the URN and dependencies the program sends with its registration (the
 * mocks drop them), and hands the program engine URNs so that later registrations name their
 * dependencies as the engine would. The mock monitor keeps its own URNs for its bookkeeping.
 */
function recordEngineRequests(project: string, stack: string): Map<string, EngineRequest> {
  const requests = new Map<string, EngineRequest>();
  const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): MockMonitorMethods };
  const monitor = settings.getMonitor();
  const mockUrns = new Map<string, string>();
  const registerResource = monitor.registerResource.bind(monitor);
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const urn = engineUrn(project, stack, req.getParent(), req.getType(), req.getName());
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    requests.set(`${req.getType()}::${req.getName()}`, { urn, dependencies: req.getDependenciesList(), propertyDependencies });
    registerResource(req, (error, response) => {
      if (response) {
        mockUrns.set(urn, response.getUrn());
        response.setUrn(urn);
      }
      callback(error, response);
    });
  };
  monitor.registerResourceOutputs = (req, callback) => {
    req.setUrn(mockUrns.get(req.getUrn()) ?? req.getUrn());
    registerResourceOutputs(req, callback);
  };
  return requests;
}

interface Captured {
  resource: pulumi.Resource;
  type: string;
  name: string;
  parent: string | null;
  opts: pulumi.CustomResourceOptions;
}

export async function runProgram(options: RunOptions): Promise<SynthResult> {
  const file = readStackFile(options.stack, options.root ?? projectRoot);
  if (options.cloud) applySet(file, `platform:cloud=${options.cloud}`);
  for (const assignment of options.set ?? []) applySet(file, assignment);
  for (const assignment of options.setSecret ?? []) applySet(file, assignment, true);
  const config = toEngineConfig(file);
  // The provider of the stack's cloud reads its region from its own key (stacks/config.ts, regionKeys);
  // a GCP stack's resources also live in its gcp:project.
  const cloud = config["platform:cloud"];
  const region = cloud === "gcp" ? (config["gcp:region"] ?? "asia-northeast1") : cloud === "azure" ? (config["azure-native:location"] ?? "japaneast") : (config["aws:region"] ?? "us-east-1");
  const project = config["gcp:project"] ?? "";
  const gcp = cloud === "gcp";
  const azure = cloud === "azure";

  const captured: Captured[] = [];
  const registered = new Map<string, { inputs: Record<string, unknown>; custom: boolean }>();
  const stackName = options.stackName ?? file.stack;
  const secretMetadata = gcp || azure ? new Map() : await ownSecretMetadata(file.project, stackName, config, file.secretKeys);
  const account = new MockAccount(options.account, {
    region,
    project,
    secretMetadata: (name) => secretMetadata.get(name),
    registeredService: (name) => {
      for (const [key, r] of registered) {
        if (key.startsWith("aws:ecs/service:Service::") && r.inputs.name === name) {
          return { taskDefinition: String(r.inputs.taskDefinition), desiredCount: Number(r.inputs.desiredCount ?? 0) };
        }
      }
      return undefined;
    },
    azure: azure ? await azureContext(file.project, stackName, config, file.secretKeys, registered) : undefined,
  });
  const seen = new Set<string>();
  let duplicate: string | undefined;
  const preview = options.preview ?? false;

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const key = `${args.type}::${args.name}`;
        registered.set(key, { inputs: args.inputs, custom: args.custom ?? false });
        const { id, state } = mockResourceState(args, region, project);
        // In a preview the engine knows only the inputs; every computed output is unknown.
        return preview ? { id: undefined as unknown as string, state: args.inputs } : { id, state };
      },
      call(args) {
        return account.call(args);
      },
    },
    file.project,
    stackName,
    preview,
  );
  pulumi.runtime.setAllConfig(config, [...file.secretKeys]);
  const engineRequests = recordEngineRequests(file.project, stackName);

  const warnings: string[] = [];
  const notes: string[] = [];
  // The runtime captures a stack trace for every promise and resource it makes (leak debugging,
  // source positions); with source maps installed that is most of a run's time. Nothing here
  // reads them, so none are captured while the program runs.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  // Each of the runtime's internal promises is also wrapped for leak reports at process exit (three
  // property writes, a stack capture and two more promises apiece): a sixth of a run's CPU time, for
  // a report the harness never prints (it awaits every resource before returning). Not wrapped here.
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
  const debuggablePromise = debuggable.debuggablePromise;
  debuggable.debuggablePromise = (p) => p;
  // Every resource's source position is a stack capture with no depth limit (the runtime lifts the
  // limit set above), split and parsed line by line, then sent with the registration; the mock
  // monitor drops it. Not captured here.
  const resourceClass = pulumi.Resource as unknown as { callsites: () => unknown[] };
  const callsites = resourceClass.callsites;
  resourceClass.callsites = () => [];
  const consoleWarn = console.warn;
  const consoleLog = console.log;
  // The program reads the Azure registry's data plane over HTTPS: the mock subscription answers it,
  // and nothing else may be reached from a run.
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (account.azure && url.hostname.endsWith(".azurecr.io")) return account.azure.fetch(url, init);
    throw new Error(`the harness allows no network access: ${url.origin}`);
  }) as typeof fetch;
  // pulumi.log.info reaches the mock runtime's console as "info: [runtime] ..."; kept as notes.
  console.log = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith("info: [runtime] ")) notes.push(text.slice("info: [runtime] ".length));
    else consoleLog(...args);
  };
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    warnings.push(text.replace(/^warning: \[runtime\] /, ""));
  };
  let outputs: Record<string, unknown> = {};
  let error: Error | undefined;
  try {
    // Imported only now: a resource created before setMocks would bypass the mocks.
    const main = options.program ?? (await import("../../stacks/program")).main;
    outputs = (await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((t) => {
        const key = `${t.type}::${t.name}`;
        if (seen.has(key) && !duplicate) duplicate = key;
        seen.add(key);
        const parent = t.opts.parent as (pulumi.Resource & { __name?: string; __pulumiType?: string }) | undefined;
        captured.push({
          resource: t.resource,
          type: t.type,
          name: t.name,
          parent: parent && parent.__pulumiType !== "pulumi:pulumi:Stack" ? (parent.__name ?? null) : null,
          opts: t.opts as pulumi.CustomResourceOptions,
        });
        return undefined;
      });
      // Caught here: a rejection inside the stack's init would surface as an unhandled rejection.
      try {
        return await main();
      } catch (e) {
        error = e as Error;
        return {};
      }
    })) as Record<string, unknown>;
    await pulumi.runtime.disconnect();
  } catch (e) {
    error = e as Error;
  } finally {
    console.warn = consoleWarn;
    console.log = consoleLog;
    globalThis.fetch = realFetch;
    Error.stackTraceLimit = stackTraceLimit;
    debuggable.debuggablePromise = debuggablePromise;
    resourceClass.callsites = callsites;
  }
  if (duplicate) {
    error = new DuplicateUrnError(`duplicate resource ${duplicate}: the engine refuses two resources with the same URN`);
  }

  const resources = captured.map((c): RegisteredResource => {
    const secretPaths: string[] = [];
    // What the engine received: the transformation sees a resource before its class marks it custom.
    const engine = registered.get(`${c.type}::${c.name}`);
    const inputs = redact(engine?.inputs ?? {}, "", secretPaths) as Record<string, unknown>;
    const request = engineRequests.get(`${c.type}::${c.name}`);
    return {
      type: c.type,
      name: c.name,
      parent: c.parent,
      custom: engine?.custom ?? false,
      protect: Boolean((c.resource as unknown as { __protect?: boolean }).__protect),
      retainOnDelete: Boolean(c.opts.retainOnDelete),
      ignoreChanges: c.opts.ignoreChanges ?? [],
      additionalSecretOutputs: c.opts.additionalSecretOutputs ?? [],
      dependsOn: dependencyNames(c.opts.dependsOn),
      urn: request?.urn ?? "",
      dependencies: request?.dependencies ?? [],
      propertyDependencies: request?.propertyDependencies ?? {},
      inputs,
      secretPaths,
    };
  });
  const values = file.values;
  const regionKey = regionKeys[String(cloud ?? "")];
  return {
    stack: stackName,
    cloud: String(values["platform:cloud"] ?? ""),
    environment: String(values["platform:environment"] ?? ""),
    region: regionKey ? (config[regionKey.key] ?? regionKey.default ?? "") : "",
    resources,
    outputs: redact(outputs ?? {}, "", []) as Record<string, unknown>,
    warnings,
    notes,
    error,
  };
}
