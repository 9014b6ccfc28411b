// The pack holds every implemented cloud to every control: a cloud without readers, a control
// without a reader, or a reader keyed on a type token the provider does not have would let a
// violation through silently.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { clouds } from "../../components/model";
import { controlNames, controls } from "../../policy/controls";
import type { PlanResource } from "../../policy/offline";
import { cloudReaders } from "../../policy/readers";
import { awsReaders } from "../../policy/readers/aws";
import { taggableTypes } from "../../policy/readers/aws/tags";
import { aws } from "../../policy/readers/aws/tokens";
import { implementedClouds } from "../../stacks/config";
import { projectRoot } from "../harness/stackFiles";
import { plan } from "./plans";

describe("readers per cloud", () => {
  it.each(implementedClouds())("%s, an implemented cloud, has a reader for every control", (cloud) => {
    const readers = cloudReaders[cloud];
    expect(readers).toBeDefined();
    for (const name of controlNames) {
      const reader = readers!.read[name];
      if (controls[name].kind === "stack") expect(typeof reader).toBe("function");
      else expect(Object.keys(reader).length).toBeGreaterThan(0);
    }
  });

  it("has a line for every cloud of the model, and its readers claim the cloud's own type tokens only", () => {
    expect(Object.keys(cloudReaders).sort()).toEqual([...clouds].sort());
    const claimed = Object.values(cloudReaders).flatMap((r) => r?.packages ?? []);
    expect(new Set(claimed).size).toBe(claimed.length);
    for (const name of controlNames) {
      const reader = awsReaders.read[name];
      if (typeof reader !== "function") for (const type of Object.keys(reader)) expect(type.split(":")[0]).toBe("aws");
    }
  });
});

/** `aws:lb/listener:Listener` is registered by the `lb` module's index as a `case` of its construct switch. */
function providerHasType(type: string): boolean {
  const module = type.split(":")[1].split("/")[0];
  const index = readFileSync(path.join(projectRoot, "node_modules", "@pulumi", "aws", module, "index.js"), "utf8");
  return index.includes(`case "${type}":`);
}

/** Whether the provider's arguments of `type` take `tags` (its declaration file). */
function takesTags(type: string): boolean {
  const [, modulePath, kind] = type.split(":");
  const text = readFileSync(path.join(projectRoot, "node_modules", "@pulumi", "aws", `${modulePath}.d.ts`), "utf8");
  const args = text.slice(text.indexOf(`export interface ${kind}Args {`));
  return /\n {4}tags\?:/.test(args.slice(0, args.indexOf("\n}\n")));
}

describe("AWS type tokens", () => {
  it("every token the readers know is a resource of @pulumi/aws", () => {
    const readerTypes = controlNames.flatMap((name) => {
      const reader = awsReaders.read[name];
      return typeof reader === "function" ? [] : Object.keys(reader);
    });
    const unknown = [...new Set([...Object.values(aws), ...readerTypes])].filter((t) => !providerHasType(t));
    expect(unknown).toEqual([]);
  });

  it("the taggable types are exactly those, among the committed stacks' and the readers', whose arguments take tags", async () => {
    const plans: PlanResource[][] = [];
    for (const stack of ["dev", "staging", "production"] as const) plans.push(await plan(stack));
    const types = new Set([...plans.flat().map((r) => r.type).filter((t) => t.startsWith("aws:")), ...Object.values(aws)]);
    expect([...types].filter(takesTags).sort()).toEqual([...taggableTypes].sort());
  });
});
