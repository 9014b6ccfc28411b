// The GCP readers against the provider they read: every type token they know is a resource of
// @pulumi/gcp, they claim GCP tokens only, and the labelable types are exactly those whose arguments
// take labels (so that a new type the program registers cannot escape required-tags unnoticed).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { controlNames } from "../../policy/controls";
import type { PlanResource } from "../../policy/offline";
import { gcpReaders } from "../../policy/readers/gcp";
import { labelFields } from "../../policy/readers/gcp/tags";
import { gcp } from "../../policy/readers/gcp/tokens";
import { projectRoot } from "../harness/stackFiles";
import { plan } from "./plans";

const root = path.join(projectRoot, "node_modules", "@pulumi", "gcp");

const readerTypes = () =>
  controlNames.flatMap((name) => {
    const reader = gcpReaders.read[name];
    return typeof reader === "function" ? [] : Object.keys(reader);
  });

/** A module's index registers `gcp:compute/sSLPolicy:SSLPolicy` as a `case` of its construct switch and lazy-loads the class from its file. */
function moduleIndex(type: string): string {
  return readFileSync(path.join(root, type.split(":")[1].split("/")[0], "index.js"), "utf8");
}

const providerHasType = (type: string) => moduleIndex(type).includes(`case "${type}":`);

/** The declaration file of a resource type (file names do not follow the token's casing: `sslpolicy.d.ts`). */
function declarations(type: string): string {
  const [, modulePath, kind] = type.split(":");
  const file = new RegExp(`lazyLoad\\(exports, \\["${kind}"\\], \\(\\) => require\\("\\./([^"]+)"\\)\\)`).exec(moduleIndex(type))?.[1];
  if (!file) throw new Error(`no declaration of ${type}`);
  return readFileSync(path.join(root, modulePath.split("/")[0], `${file}.d.ts`), "utf8");
}

const interfaceBody = (text: string, name: string) => {
  const start = text.indexOf(`export interface ${name} {`);
  if (start < 0) return "";
  const from = text.slice(start);
  return from.slice(0, from.indexOf("\n}\n"));
};

/**
 * Where a type's arguments take resource labels: `userLabels` where both exist (a notification channel's
 * `labels` configure the channel), `labels` otherwise, and Cloud SQL's in its settings.
 */
function labelField(type: string): string | undefined {
  const kind = type.split(":")[2];
  const args = interfaceBody(declarations(type), `${kind}Args`);
  if (/\n {4}userLabels\?:/.test(args)) return "userLabels";
  if (/\n {4}labels\?:/.test(args)) return "labels";
  const settings = /\n {4}settings\??: pulumi\.Input<inputs\.([a-z0-9]+)\.([A-Za-z]+)\b/.exec(args);
  if (settings) {
    const inputs = readFileSync(path.join(root, "types", "input.d.ts"), "utf8");
    const body = inputs.slice(inputs.indexOf(`    interface ${settings[2]} {`));
    if (/\n {8}userLabels\?:/.test(body.slice(0, body.indexOf("\n    }\n")))) return "settings.userLabels";
  }
  return undefined;
}

describe("GCP readers", () => {
  it("claim GCP type tokens only, and every token they know is a resource of @pulumi/gcp", () => {
    expect(gcpReaders.packages).toEqual(["gcp"]);
    const types = [...new Set([...Object.values(gcp), ...readerTypes()])];
    for (const type of types) expect(type.split(":")[0]).toBe("gcp");
    expect(types.filter((t) => !providerHasType(t))).toEqual([]);
  });

  it("the labelable types are exactly those, among the committed stacks' on GCP and the readers', whose arguments take labels, each read where it takes them", async () => {
    const plans: PlanResource[][] = [];
    for (const stack of ["dev", "staging", "production"] as const) plans.push(await plan(stack, { cloud: "gcp" }));
    const types = [...new Set([...plans.flat().map((r) => r.type).filter((t) => t.startsWith("gcp:")), ...Object.values(gcp), ...Object.keys(labelFields)])].sort();
    const expected = Object.fromEntries(types.flatMap((t) => (labelField(t) ? [[t, labelField(t)]] : [])));
    expect(labelFields).toEqual(expected);
  });
});
