// A certificate or DNS zone is a reference only one cloud understands. A stack file may give one per
// cloud, so that the same file plans on any cloud (`--cloud`): only the stack's own cloud's entry is
// read, and a problem with it names that entry.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { named, ofType } from "../harness/queries";
import { runProgram } from "../harness/run";
import { projectRoot } from "../harness/stackFiles";
import { expectRefused } from "./badValues";

describe("per-cloud references in the committed staging and production files", () => {
  it.each(["staging", "production"])("%s: AWS writes its records into the aws zone, GCP into the gcp zone", async (stack) => {
    const aws = await runProgram({ stack });
    expect(aws.error).toBeUndefined();
    expect(named(aws, "lb-alias").inputs.zoneId).toBe("Z0123456789ABCDEFGHIJ");
    const gcp = await runProgram({ stack, cloud: "gcp" });
    expect(gcp.error).toBeUndefined();
    const zones = new Set(ofType(gcp, "gcp:dns/recordSet:RecordSet").map((r) => r.inputs.managedZone));
    expect([...zones]).toEqual(["example-com"]);
  });
});

describe("a per-cloud reference that is wrong", () => {
  it("names the cloud's entry when the form is wrong", () =>
    expectRefused({ what: "", stack: "production", set: ["platform:loadBalancer.dnsZone.aws=zzz"], message: 'platform:loadBalancer.dnsZone.aws: "zzz" is not allowed: expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ' }));

  it("names the cloud's entry when the account has no such zone", () =>
    expectRefused({ what: "", stack: "production", set: ["platform:loadBalancer.dnsZone.aws=Z999999999"], message: 'platform:loadBalancer.dnsZone.aws: "Z999999999" is not allowed: no Route 53 hosted zone with this id in the account' }));

  it("refuses a cloud it does not know, listing the clouds", () =>
    expectRefused({ what: "", stack: "production", set: ["platform:loadBalancer.dnsZone.amazon=Z1"], message: "platform:loadBalancer.dnsZone.amazon: unknown key; allowed keys: aws, azure, gcp" }));

  it("treats a map without the stack's cloud as not set (production needs the zone with its domain)", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "refs-"));
    copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    const production = readFileSync(path.join(projectRoot, "Pulumi.production.yaml"), "utf8").replace(/^\s+aws: Z0123456789ABCDEFGHIJ.*\n/m, "");
    expect(production).not.toContain("Z0123456789ABCDEFGHIJ");
    writeFileSync(path.join(root, "Pulumi.production.yaml"), production);
    const result = await runProgram({ stack: "production", root });
    expect(result.error?.message).toContain("platform:loadBalancer.dnsZone: required with loadBalancer.domain platform.example.com unless loadBalancer.certificate is set");
    expect(result.resources.filter((r) => r.custom)).toEqual([]);
  });
});
