// The pack's policies: one per control, judging the facts of every cloud that has readers. Building
// them starts nothing; only policy/index.ts hands them to `PolicyPack` (which starts a gRPC server).
import type { EnforcementLevel, Policies, PolicyConfigSchema, ResourceValidationArgs, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { type ControlName, controlNames, controls, type ResourceControl, type StackControl } from "./controls";
import type { StackResourceView } from "./facts";
import { cloudReaders } from "./readers";
import type { CloudReaders, ResourceReaders, StackReader } from "./readers/types";

export const packName = "platform-guard";
export const packVersion: string = (require("./package.json") as { version: string }).version;
/** A policy the config does not lower is mandatory: a stack without a config file gets the strictest pack. */
export const packEnforcementLevel: EnforcementLevel = "mandatory";

type AnyConfig = Record<string, number | boolean | string[] | number[]>;

function schemaOf(value: AnyConfig[string], description: string): PolicyConfigJSONSchema {
  if (typeof value === "boolean") return { type: "boolean", default: value, description };
  if (typeof value === "number") return { type: "integer", minimum: 0, default: value, description };
  const items: PolicyConfigJSONSchema = value.length > 0 && typeof value[0] === "number" ? { type: "integer", minimum: 0 } : { type: "string" };
  return { type: "array", items, default: value, description };
}

/** The config schema the CLI validates `--policy-pack-config` entries against. */
export function configSchemaOf(name: ControlName): PolicyConfigSchema | undefined {
  const control = controls[name] as { defaults: AnyConfig; settings: Record<string, string> };
  const keys = Object.keys(control.defaults);
  if (keys.length === 0) return undefined;
  return { properties: Object.fromEntries(keys.map((k) => [k, schemaOf(control.defaults[k], control.settings[k])])) };
}

/** The config a rule judges with: its defaults, overlaid by what the pack config sets. */
function configOf(name: ControlName, given: object): AnyConfig {
  return { ...(controls[name] as { defaults: AnyConfig }).defaults, ...(given as AnyConfig) };
}

const packageOf = (type: string) => type.slice(0, type.indexOf(":"));

export function buildPolicies(readers: Readonly<Record<string, CloudReaders | undefined>> = cloudReaders): Policies {
  const registered = Object.values(readers).filter((r): r is CloudReaders => r !== undefined);
  const byPackage = new Map(registered.flatMap((r) => r.packages.map((p) => [p, r] as const)));
  return controlNames.map((name) => {
    const control = controls[name];
    const meta = { name, description: control.description, configSchema: configSchemaOf(name) };
    if (control.kind === "resource") {
      const judge = control.judge as ResourceControl<unknown, AnyConfig>["judge"];
      return {
        ...meta,
        validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
          const read = (byPackage.get(packageOf(args.type))?.read[name] as ResourceReaders<unknown> | undefined)?.[args.type];
          if (!read) return args.notApplicable(`no reader of ${name} for ${args.type}`);
          const config = configOf(name, args.getConfig());
          for (const fact of read(args)) for (const message of judge(fact, config, args)) report(message);
        },
      };
    }
    const judge = control.judge as StackControl<{ urn: string }, AnyConfig>["judge"];
    return {
      ...meta,
      validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const config = configOf(name, args.getConfig());
        const resources = args.resources as readonly StackResourceView[];
        for (const cloud of registered) {
          for (const fact of (cloud.read[name] as StackReader<{ urn: string }>)(resources)) for (const message of judge(fact, config)) report(message, fact.urn);
        }
      },
    };
  });
}

export const policies: Policies = buildPolicies();
