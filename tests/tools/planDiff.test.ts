import { type Plan, type PlanResource } from "../../tools/plan";
import { comparePlans, flattenInputs } from "../../tools/planDiff";

// Small hand-written plans: each test changes exactly what it is about.
const resource = (type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlanResource> = {}): PlanResource => ({ type, name, parent: "network", custom: true, protect: false, inputs, ...extra });
const plan = (resources: PlanResource[], extra: Partial<Plan> = {}): Plan => ({ stack: "dev", cloud: "aws", environment: "dev", region: "us-east-1", resources, outputs: {}, ...extra });

const vpc = (cidrBlock = "10.0.0.0/16") => resource("aws:ec2/vpc:Vpc", "network-vpc", { cidrBlock, enableDnsSupport: true, tags: { stack: "dev" } });
// The id the harness's mocks give network-vpc, as a subnet of the old plan holds it.
const vpcId = "vpc-" + require("node:crypto").createHash("sha256").update("network-vpc").digest("hex").slice(0, 17);
const subnet = (name: string, extra: Partial<PlanResource> = {}) => resource("aws:ec2/subnet:Subnet", name, { vpcId, cidrBlock: "10.0.0.0/20", availabilityZone: "us-east-1a" }, extra);

describe("comparePlans: what a change creates, updates, replaces and deletes", () => {
  it("classifies each resource by its changed inputs and the replacement table", () => {
    const before = plan([vpc(), resource("aws:kms/key:Key", "secrets-key", { description: "a", enableKeyRotation: true }), resource("aws:sns/topic:Topic", "alarms-warning", { name: "old" })]);
    const after = plan([
      vpc(),
      resource("aws:kms/key:Key", "secrets-key", { description: "b", enableKeyRotation: true }),
      resource("aws:ec2/eip:Eip", "network-eip-a", { domain: "vpc" }),
    ]);
    const diff = comparePlans(before, after);
    expect(diff.changes.map((c) => [c.kind, c.name])).toEqual([
      ["delete", "alarms-warning"],
      ["update", "secrets-key"],
      ["create", "network-eip-a"],
    ]);
    expect(diff.changes.find((c) => c.name === "secrets-key")?.changes).toEqual([{ path: "description", before: "a", after: "b", forces: false }]);
    expect(diff.counts).toEqual({ create: 1, update: 1, replace: 0, delete: 1, blocked: 0, unverified: 0 });
  });

  it("replaces a resource when an input the table names changes, and says which", () => {
    const diff = comparePlans(plan([vpc("10.0.0.0/16")]), plan([vpc("10.1.0.0/16")]));
    expect(diff.changes).toEqual([
      expect.objectContaining({ kind: "replace", name: "network-vpc", blocked: false, changes: [{ path: "cidrBlock", before: "10.0.0.0/16", after: "10.1.0.0/16", forces: true }] }),
    ]);
  });

  it("shows deleting or replacing a protected resource as BLOCKED, and a protected update as not blocked", () => {
    const bucket = (name: string, protect: boolean) => resource("aws:s3/bucket:Bucket", name, { bucket: name, forceDestroy: false }, { protect });
    const before = plan([bucket("kept", true), bucket("gone", true), { ...bucket("renamed", true) }, resource("aws:s3/bucket:Bucket", "tagged", { bucket: "tagged", tags: { a: "1" } }, { protect: true })]);
    const after = plan([bucket("kept", true), resource("aws:s3/bucket:Bucket", "renamed", { bucket: "renamed-2", forceDestroy: false }, { protect: true }), resource("aws:s3/bucket:Bucket", "tagged", { bucket: "tagged", tags: { a: "2" } }, { protect: true })]);
    const diff = comparePlans(before, after);
    expect(diff.changes.map((c) => [c.kind, c.name, c.blocked])).toEqual([
      ["delete", "gone", true],
      ["replace", "renamed", true],
      ["update", "tagged", false],
    ]);
    expect(diff.counts.blocked).toBe(2);
  });

  it("replaces a resource whose parent changed: its URN changes unless an alias names the old one", () => {
    const diff = comparePlans(plan([subnet("network-a")]), plan([subnet("network-a", { parent: "network2" })]));
    expect(diff.changes[0]).toMatchObject({ kind: "replace", reason: expect.stringContaining("parent network -> network2: a new URN") });
  });

  it("marks an update of a type in no replacement table as unverified instead of guessing", () => {
    const diff = comparePlans(plan([resource("aws:ec2/instance:Instance", "vm", { instanceType: "t3.micro" })]), plan([resource("aws:ec2/instance:Instance", "vm", { instanceType: "t3.small" })]));
    expect(diff.changes[0]).toMatchObject({ kind: "update", unverified: true, changes: [{ path: "instanceType", forces: undefined }] });
    expect(diff.counts.unverified).toBe(1);
  });

  it("treats a missing region input as the plan's region, so moving to a per-resource region of the same value is no change", () => {
    const key = (region?: string) => resource("aws:kms/key:Key", "copy-key", { description: "copy", ...(region ? { region } : {}) });
    expect(comparePlans(plan([key()], { region: "us-west-2" }), plan([key("us-west-2")])).changes).toEqual([]);
    const moved = comparePlans(plan([key("us-west-2")]), plan([key("us-west-1")]));
    expect(moved.changes[0]).toMatchObject({ kind: "replace", changes: [{ path: "region", before: "us-west-2", after: "us-west-1", forces: true }] });
  });

  it("compares JSON documents held in strings by their content", () => {
    const definitions = (image: string) => JSON.stringify([{ name: "api", image, portMappings: [{ containerPort: 8001 }] }]);
    const td = (image: string) => resource("aws:ecs/taskDefinition:TaskDefinition", "app-api-task", { family: "platform-dev-api", containerDefinitions: definitions(image) });
    const diff = comparePlans(plan([td("repo:1.0.0")]), plan([td("repo:1.0.1")]));
    expect(diff.changes[0]).toMatchObject({ kind: "replace", changes: [{ path: "containerDefinitions[0].image", before: "repo:1.0.0", after: "repo:1.0.1", forces: true }] });
  });

  it("flattens inputs to paths, keeping empty objects and lists and quoting keys that are not names", () => {
    expect([...flattenInputs({ a: { b: [1, { c: "x" }] }, tags: { "cost.center": "42" }, empty: [], none: {} }).entries()]).toEqual([
      ["a.b[0]", 1],
      ["a.b[1].c", "x"],
      ['tags["cost.center"]', "42"],
      ["empty", []],
      ["none", {}],
    ]);
  });
});

describe("comparePlans: replacements carried to dependents", () => {
  it("without recorded dependencies, follows the replaced resource's id in other inputs and says so", () => {
    const diff = comparePlans(plan([vpc("10.0.0.0/16"), subnet("network-a"), resource("aws:ec2/internetGateway:InternetGateway", "network-igw", { vpcId })]), plan([vpc("10.1.0.0/16"), subnet("network-a"), resource("aws:ec2/internetGateway:InternetGateway", "network-igw", { vpcId })]));
    expect(diff.dependencies).toBe("inferred");
    expect(diff.notes.join(" ")).toContain("The plans record no dependencies between resources");
    // The subnet's vpcId forces a new subnet; the gateway moves to the new VPC in place.
    expect(diff.changes.map((c) => [c.kind, c.name])).toEqual([
      ["replace", "network-a"],
      ["replace", "network-vpc"],
      ["update", "network-igw"],
    ]);
    expect(diff.changes[0].changes).toEqual([{ path: "vpcId", before: vpcId, after: "[unknown]", via: "network-vpc", forces: true }]);
  });

  it("carries a replacement on, resource after resource (a replaced subnet replaces its route table association)", () => {
    const subnetId = "subnet-" + require("node:crypto").createHash("sha256").update("network-a").digest("hex").slice(0, 17);
    const association = resource("aws:ec2/routeTableAssociation:RouteTableAssociation", "network-a-rta", { subnetId, routeTableId: "rtb-1" });
    const diff = comparePlans(plan([vpc("10.0.0.0/16"), subnet("network-a"), association]), plan([vpc("10.1.0.0/16"), subnet("network-a"), association]));
    expect(diff.changes.find((c) => c.name === "network-a-rta")).toMatchObject({ kind: "replace", changes: [{ path: "subnetId", via: "network-a", forces: true }] });
  });

  it("with recorded dependencies, follows only them, and lists a dependent that names the replaced resource in no input", () => {
    const urn = (type: string, name: string) => `urn:pulumi:dev::platform::platform:index:Network$${type}::${name}`;
    const igw = resource("aws:ec2/internetGateway:InternetGateway", "network-igw", { vpcId }, { dependencies: [] });
    const ordered = resource("aws:ec2/eip:Eip", "network-eip", { domain: "vpc" }, { dependencies: [urn("aws:ec2/vpc:Vpc", "network-vpc")] });
    const diff = comparePlans(plan([vpc("10.0.0.0/16"), igw, ordered]), plan([{ ...vpc("10.1.0.0/16"), dependencies: [] }, igw, ordered]));
    expect(diff.dependencies).toBe("recorded");
    // The gateway holds the VPC's id but records no dependency on it: not followed.
    expect(diff.changes.map((c) => c.name)).toEqual(["network-vpc"]);
    expect(diff.possible).toEqual([{ type: "aws:ec2/eip:Eip", name: "network-eip", dependsOn: "network-vpc" }]);
  });

  it("uses the engine's property dependencies to find the input that receives a replaced resource's output", () => {
    const urn = `urn:pulumi:dev::platform::aws:kms/key:Key::secrets-key`;
    const key = (description: string) => resource("aws:kms/key:Key", "secrets-key", { description, customerMasterKeySpec: description === "a" ? "SYMMETRIC_DEFAULT" : "HMAC_256" });
    const topic = resource("aws:sns/topic:Topic", "alarms-warning", { name: "t", kmsMasterKeyId: "alias/derived" }, { dependencies: [urn], propertyDependencies: { kmsMasterKeyId: [urn] } });
    // No table entry forces a KMS key replacement: make it one by moving the key to another region.
    const diff = comparePlans(plan([{ ...key("a"), inputs: { ...key("a").inputs, region: "us-east-1" } }, topic]), plan([{ ...key("a"), inputs: { ...key("a").inputs, region: "us-west-2" } }, topic]));
    expect(diff.changes.find((c) => c.name === "alarms-warning")).toMatchObject({ kind: "update", changes: [{ path: "kmsMasterKeyId", before: "alias/derived", after: "[unknown]", via: "secrets-key", forces: false }] });
  });

  it("blocks a protected dependent that a replacement reaches", () => {
    const db = resource("aws:rds/subnetGroup:SubnetGroup", "backup-db-subnets", { name: "g", subnetIds: ["x"] });
    const protectedSg = resource("aws:ec2/securityGroup:SecurityGroup", "backup-db-sg", { name: "db", description: "db", vpcId }, { protect: true });
    const diff = comparePlans(plan([vpc("10.0.0.0/16"), protectedSg, db]), plan([vpc("10.1.0.0/16"), protectedSg, db]));
    expect(diff.changes.find((c) => c.name === "backup-db-sg")).toMatchObject({ kind: "replace", blocked: true, changes: [{ path: "vpcId", via: "network-vpc", forces: true }] });
  });
});
