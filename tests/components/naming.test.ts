// Properties of components/naming.ts: every name it returns satisfies the cloud's documented rule
// (or it refuses with a NamingError), for any project, stack and part strings, and realistic
// project/stack/service names never fail. Plus exact outputs for a few cases, so that a change
// which would rename (and so replace) existing resources shows up here.
import fc from "fast-check";
import {
  Namer,
  NamingError,
  gcpLabelKeyRule,
  gcpLabelValueRule,
  gcpLabels,
  gcpMaxLabels,
  assertAutoNameFits,
  autoNameSuffixLength,
  nameRules,
  physicalName,
  shortHash,
  type NameRule,
  type NameRuleName,
} from "../../components/naming";

const numRuns = 200;
const ruleNames = Object.keys(nameRules) as NameRuleName[];
const ruleOf = (ruleName: NameRuleName): NameRule => nameRules[ruleName];
const room = (r: NameRule) => r.maxLength - r.reservedSuffix;

/**
 * What the random suffix appended by the program looks like: the rule's separator and random lowercase
 * characters (`-` and 8 hex for a RandomId of 4 bytes; 4 characters without a separator on Azure).
 */
const randomSuffix = (r: NameRule) => `${r.separator}0a1b2c3d`.slice(0, r.reservedSuffix);

/** Every check a returned name must pass; returns the failures, so a counterexample says why. */
function problems(ruleName: NameRuleName, name: string): string[] {
  const r = ruleOf(ruleName);
  const out: string[] = [];
  if (!r.valid.test(name)) out.push(`does not match ${r.valid}`);
  if (name.length > room(r)) out.push(`${name.length} chars > ${room(r)} (maxLength ${r.maxLength} - reserved ${r.reservedSuffix})`);
  if ([...name].length < r.minLength) out.push(`shorter than ${r.minLength}`);
  if (r.lowercase && name !== name.toLowerCase()) out.push("not lowercase");
  if (r.reservedSuffix > 0) {
    const full = name + randomSuffix(r);
    if (full.length > r.maxLength) out.push(`with the random suffix ${full.length} chars > ${r.maxLength}`);
    if (!r.valid.test(full)) out.push(`with the random suffix does not match ${r.valid}`);
  }
  return out;
}

/** Calls physicalName; a NamingError is an allowed outcome, any other exception is not. */
function nameOrRefusal(ruleName: NameRuleName, parts: string[]): { name?: string; refused?: NamingError } {
  try {
    return { name: physicalName(ruleName, parts) };
  } catch (e) {
    if (e instanceof NamingError) return { refused: e };
    throw e;
  }
}

// Generators ----------------------------------------------------------------------------------

/** Pulumi stack names: letters, digits, `-`, `_` and `.`, up to 100 characters. */
const stackName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/);
/** Service names as the config schema accepts them. */
const serviceName = fc.stringMatching(/^[a-z][a-z0-9-]{1,29}$/);
/** Odd names: uppercase, accents, astral letters, dotted capital I, separators only, empty. */
const oddName = fc.constantFrom(
  "Ünïcødé-Sérvice",
  "API",
  "𝒜𝓅𝒾-𝒮𝑒𝓇𝓋𝒾𝒸𝑒",
  "İstanbul",
  "ǅungla",
  "\u212Aelvin",
  "--__..//",
  "",
  " ",
  "a--b__c..d//e",
  "123-starts-with-digit",
  "sg-like",
  "internal-ish",
  "xn--punycode",
  "aws/reserved",
  "goog-bucket",
  "my-google-thing",
  "ends-with-dot.",
  ".starts-with-dot",
  "😀emoji😀",
  "x".repeat(100),
  "Ä".repeat(100),
  "𝒜".repeat(60),
);
/** Anything: printable, full unicode (incl. astral) and long. */
const anyText = fc.oneof(
  fc.string({ maxLength: 100 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
  fc.string({ unit: "binary", maxLength: 100 }),
  stackName,
  serviceName,
  oddName,
);
const anyRule = fc.constantFrom(...ruleNames);

// Properties ----------------------------------------------------------------------------------

describe("physicalName for any input", () => {
  it("returns a name that satisfies the rule, or throws a NamingError", () => {
    fc.assert(
      fc.property(anyRule, anyText, anyText, fc.array(anyText, { maxLength: 3 }), (ruleName, project, stack, parts) => {
        const { name } = nameOrRefusal(ruleName, [project, stack, ...parts]);
        if (name !== undefined) expect(problems(ruleName, name)).toEqual([]);
      }),
      { numRuns },
    );
  });

  it("returns a name that satisfies the rule for odd unicode and uppercase service names under a real project", () => {
    fc.assert(
      fc.property(anyRule, stackName, oddName, (ruleName, stack, service) => {
        const { name } = nameOrRefusal(ruleName, ["platform", stack, service]);
        if (name !== undefined) expect(problems(ruleName, name)).toEqual([]);
      }),
      { numRuns },
    );
  });

  it("never throws anything but a NamingError, and never returns an empty or over-long name", () => {
    fc.assert(
      fc.property(anyRule, fc.array(anyText, { maxLength: 6 }), (ruleName, parts) => {
        const { name } = nameOrRefusal(ruleName, parts);
        if (name !== undefined) {
          expect(name.length).toBeGreaterThanOrEqual(Math.max(1, ruleOf(ruleName).minLength));
          expect(name.length).toBeLessThanOrEqual(room(ruleOf(ruleName)));
        }
      }),
      { numRuns },
    );
  });
});

describe("realistic names never fail", () => {
  it("project platform, any Pulumi stack name and any valid service name give a valid name for every rule", () => {
    fc.assert(
      fc.property(stackName, serviceName, (stack, service) => {
        const names = new Namer("platform", stack);
        for (const ruleName of ruleNames) {
          for (const parts of [[], [service], [service, "exec"], ["alarms", service, "5xx-rate"]]) {
            let name: string;
            try {
              name = names.name(ruleName, ...parts);
            } catch (e) {
              throw new Error(`${ruleName} for stack ${JSON.stringify(stack)} and parts ${JSON.stringify(parts)} threw: ${(e as Error).message}`);
            }
            const found = problems(ruleName, name);
            if (found.length > 0) throw new Error(`${ruleName} ${JSON.stringify(name)}: ${found.join("; ")}`);
          }
        }
      }),
      { numRuns },
    );
  });

  it("the longest realistic inputs (100-char stack, 30-char service) fit every rule", () => {
    const stacks = ["a".repeat(100), "A".repeat(100), "9".repeat(100), "-".repeat(99) + "x", ".".repeat(100), "_".repeat(100), `x${".-_".repeat(33)}`];
    for (const stack of stacks) {
      for (const ruleName of ruleNames) {
        const name = new Namer("platform", stack).name(ruleName, "z".repeat(30));
        expect({ ruleName, stack, problems: problems(ruleName, name) }).toEqual({ ruleName, stack, problems: [] });
      }
    }
  });
});

describe("determinism and distinctness", () => {
  it("the same input always gives the same name, from the same or a new Namer", () => {
    fc.assert(
      fc.property(anyRule, stackName, anyText, (ruleName, stack, part) => {
        const first = nameOrRefusal(ruleName, ["platform", stack, part]);
        const second = nameOrRefusal(ruleName, ["platform", stack, part]);
        expect(second.name).toBe(first.name);
        expect(second.refused?.message).toBe(first.refused?.message);
        if (first.name !== undefined) expect(new Namer("platform", stack).name(ruleName, part)).toBe(first.name);
      }),
      { numRuns },
    );
  });

  const prefix = fc.stringMatching(/^[a-z0-9]{60}$/);
  const tail = fc.stringMatching(/^[a-z0-9]{1,40}$/);

  it("two long stacks that share a 60-char prefix get different names under every rule", () => {
    fc.assert(
      fc.property(prefix, tail, tail, (common, a, b) => {
        fc.pre(a !== b);
        for (const ruleName of ruleNames) {
          const nameA = new Namer("platform", common + a).name(ruleName, "api");
          const nameB = new Namer("platform", common + b).name(ruleName, "api");
          if (nameA === nameB) throw new Error(`${ruleName}: ${common + a} and ${common + b} both give ${nameA}`);
        }
      }),
      { numRuns },
    );
  });

  it("two long parts that share a 60-char prefix get different names under every rule", () => {
    fc.assert(
      fc.property(prefix, tail, tail, (common, a, b) => {
        fc.pre(a !== b);
        for (const ruleName of ruleNames) {
          const nameA = physicalName(ruleName, ["platform", "dev", `x${common}${a}`]);
          const nameB = physicalName(ruleName, ["platform", "dev", `x${common}${b}`]);
          if (nameA === nameB) throw new Error(`${ruleName}: both give ${nameA}`);
        }
      }),
      { numRuns },
    );
  });

  it("names that had to be shortened keep the readable start and end in a 6-hex hash of the whole input", () => {
    const parts = ["platform", "feature-very-long-branch-name-for-preview-environments-123"];
    const name = physicalName("awsTargetGroup", parts);
    expect(name).toHaveLength(32);
    expect(name.endsWith(`-${shortHash(parts.join("\u0000"))}`)).toBe(true);
    expect(name.startsWith("platform-feature-very-lon")).toBe(true);
  });
});

describe("short names are left readable", () => {
  const expected: Record<string, string> = { "-": "platform-dev-api", "/": "platform/dev/api", _: "platform_dev_api" };

  it.each(ruleNames.filter((n) => room(ruleOf(n)) >= 16 && ruleOf(n).separator !== ""))("%s keeps platform, dev and api as they are", (ruleName) => {
    expect(new Namer("platform", "dev").name(ruleName, "api")).toBe(expected[ruleOf(ruleName).separator]);
  });

  it.each(ruleNames.filter((n) => ruleOf(n).separator === "" && room(ruleOf(n)) >= 20))("%s, which joins parts without a separator, always ends in the hash of the parts", (ruleName) => {
    // platform+dev+api and platform+deva+pi would otherwise be the same name.
    expect(new Namer("platform", "dev").name(ruleName, "api")).toBe(`platformdevapi${shortHash(["platform", "dev", "api"].join("\u0000"))}`);
  });

  it("the 12-char Azure action group short name keeps platform-dev and shortens platform-dev-api", () => {
    const names = new Namer("platform", "dev");
    expect(names.name("azureActionGroupShortName")).toBe("platform-dev");
    const longer = names.name("azureActionGroupShortName", "api");
    expect(longer).toMatch(/^platf-[0-9a-f]{6}$/);
    expect(longer).toBe(`platf-${shortHash(["platform", "dev", "api"].join("\u0000"))}`);
  });
});

describe("exact outputs", () => {
  const dev = new Namer("platform", "dev");
  const longStack = new Namer("platform", "feature-very-long-branch-name-for-preview-environments-123.x_y");

  it("names the dev stack's resources plainly", () => {
    expect(dev.name("awsLoadBalancer")).toBe("platform-dev");
    expect(dev.name("awsTargetGroup", "api", "1a2b")).toBe("platform-dev-api-1a2b");
    expect(dev.name("awsIamRole", "api", "exec")).toBe("platform-dev-api-exec");
    expect(dev.name("awsEcrRepository", "api")).toBe("platform/dev/api");
    expect(dev.name("awsLogGroup", "ecs", "api")).toBe("platform/dev/ecs/api");
    expect(dev.name("awsKmsAlias")).toBe("platform/dev");
    expect(dev.name("awsS3Bucket", "data")).toBe("platform-dev-data");
    // 20 characters: the random suffix of 4 makes the 24 a storage account name may have.
    expect(dev.name("azureStorageAccount", "data")).toBe("platformdevdat04e781");
    expect(dev.name("azureFrontDoorWafPolicy", "waf")).toBe("platformdevwaf90336b");
    expect(dev.name("gcpServiceAccountId", "api")).toBe("platform-dev-api");
  });

  it("shortens a long stack to the exact names the program registers", () => {
    expect(longStack.name("awsLoadBalancer")).toBe("platform-feature-very-lon-085971");
    expect(longStack.name("awsBackupName", "vault")).toBe("platform-feature-very-long-branch-name-for-9fdd59");
    expect(longStack.name("awsIamRole", "backup")).toBe("platform-feature-very-long-branch-name-for-preview-enviro-0df003");
    expect(longStack.name("awsS3Bucket", "data")).toBe("platform-feature-very-long-branch-name-for-prev-08161c");
    // The stack holds the separator (and `.` becomes `-` for ECS): the hash keeps it apart from other stacks.
    expect(longStack.name("awsEcsName")).toBe("platform-feature-very-long-branch-name-for-preview-environments-123-x_y-085971");
    expect(longStack.name("awsSecurityGroup", "lb")).toBe("platform-feature-very-long-branch-name-for-preview-environments-123.x_y-lb-1fbbd0");
  });

  it("maps characters a rule does not allow to its separator, lowercases where required, and starts with a letter where required", () => {
    // Every change the rule forces is marked by the hash of the raw parts.
    expect(dev.name("awsLoadBalancer", "My_Service.v2")).toBe("platform-dev-My-Service-v-1335d3");
    expect(dev.name("awsS3Bucket", "My_Service.v2")).toBe("platform-dev-my-service-v2-1335d3");
    expect(dev.name("azureStorageAccount", "My_Service.v2")).toBe("platformdevmys1335d3");
    expect(dev.name("azureKeyVault", "a--b__c")).toBe("platform-dev-a8ba11");
    expect(physicalName("gcpResource", ["123", "dev"])).toBe("p-123-dev-a92598");
    expect(physicalName("azureFrontDoorWafPolicy", ["1st", "dev"])).toBe("p1stdev5ac7cc");
    expect(physicalName("gcpServiceAccountId", ["ab"])).toBe("ab-fb8e20");
  });

  it("keeps unicode letters only where the rule allows them", () => {
    expect(dev.name("awsTagValue", "Ünïcødé")).toBe("platform-dev-Ünïcødé");
    expect(dev.name("azureContainerApp", "Ünïcødé")).toBe("platform-dev-n-c-d-86375a");
    expect(dev.name("azureStorageAccount", "Ünïcødé")).toBe("platformdevncd86375a");
  });

  it("does not cut an astral character in half when it shortens", () => {
    // "platforms-" is 10 UTF-16 units, so the cut at 249 falls inside a pair.
    for (const project of ["platform", "platforms"]) {
      const name = physicalName("awsTagValue", [project, "𝒜".repeat(200)]);
      expect(problems("awsTagValue", name)).toEqual([]);
      expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });

  it("trims dots at the ends of a part, so a stack name ending in a dot still gives a valid name, marked as changed", () => {
    expect(new Namer("platform", "dev.").name("azureResourceGroup")).toBe("platform-dev-053539");
    expect(new Namer("platform", ".dev.").name("awsIamRole", "api")).toBe("platform-dev-api-b3fb02");
    expect(new Namer("platform", "1.2.3").name("azureResourceGroup")).toBe("platform-1.2.3");
  });

  it("gives a name that starts with a letter even when nothing of the parts is left", () => {
    expect(physicalName("gcpResource", ["---", "__"])).toBe("p-474376");
    expect(physicalName("gcpServiceAccountId", ["", "."])).toBe("p-363961");
  });
});

describe("refusals", () => {
  it("refuses a name the cloud reserves, saying which rule and which parts", () => {
    expect(() => physicalName("awsSecurityGroup", ["sg", "dev"])).toThrow(NamingError);
    expect(() => physicalName("awsSecurityGroup", ["sg", "dev"])).toThrow(
      'the AWS security group name (255 chars, not starting with sg-) "sg-dev" built from ["sg","dev"] breaks the cloud\'s naming rule',
    );
    expect(() => physicalName("awsLoadBalancer", ["internal", "dev"])).toThrow(/"internal-dev" built from \["internal","dev"\] breaks/);
    expect(() => physicalName("awsS3Bucket", ["sthree", "dev"])).toThrow(NamingError);
    expect(() => physicalName("awsS3Bucket", ["amzn-s3-demo", "dev"])).toThrow(NamingError);
    expect(() => physicalName("gcpBucket", ["goog", "dev"])).toThrow(NamingError);
    expect(() => physicalName("gcpBucket", ["platform", "google"])).toThrow(NamingError);
    expect(() => physicalName("awsKmsAlias", ["aws", "dev"])).toThrow(NamingError);
  });

  describe("a rule too short for any shortened name", () => {
    const rules = nameRules as unknown as Record<string, NameRule>;
    beforeAll(() => {
      rules.testTiny = { ...nameRules.awsLoadBalancer, what: "test name (7 chars)", maxLength: 7 };
    });
    afterAll(() => {
      delete rules.testTiny;
    });

    it("keeps a name that fits and refuses one that cannot fit, with the room it had", () => {
      expect(physicalName("testTiny" as NameRuleName, ["abc", "de"])).toBe("abc-de");
      expect(() => physicalName("testTiny" as NameRuleName, ["platform", "dev"])).toThrow(
        new NamingError('cannot fit a test name (7 chars) for ["platform","dev"] into 7 characters'),
      );
    });
  });
});

describe("assertAutoNameFits", () => {
  it("accepts a logical name that leaves room for Pulumi's random suffix", () => {
    expect(autoNameSuffixLength).toBe(8);
    expect(() => assertAutoNameFits("awsLoadBalancer", "a".repeat(24))).not.toThrow();
    expect(() => assertAutoNameFits("azureActionGroupShortName", "abcd")).not.toThrow();
  });

  it("refuses one that would exceed the limit once the suffix is added, saying by how much", () => {
    expect(() => assertAutoNameFits("awsLoadBalancer", "a".repeat(25))).toThrow(NamingError);
    expect(() => assertAutoNameFits("awsLoadBalancer", "a".repeat(25))).toThrow(
      `logical name "${"a".repeat(25)}" is 25 chars; with Pulumi's 8-char random suffix the AWS load balancer name (32 chars, alphanumerics and hyphens) would exceed 32`,
    );
    expect(() => assertAutoNameFits("azureActionGroupShortName", "abcde")).toThrow(NamingError);
  });

  it("agrees with the limit for every rule and length", () => {
    fc.assert(
      fc.property(anyRule, fc.integer({ min: 0, max: 600 }), (ruleName, length) => {
        const fits = length + autoNameSuffixLength <= ruleOf(ruleName).maxLength;
        const call = () => assertAutoNameFits(ruleName, "a".repeat(length));
        if (fits) expect(call).not.toThrow();
        else expect(call).toThrow(NamingError);
      }),
      { numRuns },
    );
  });
});

describe("distinct inputs give distinct names (issue 5: names that collide after normalisation)", () => {
  /** A name shape: the parts after project and stack, with the service name at the slot. */
  type Shape = { ruleName: NameRuleName; parts: (string | typeof slot)[] };
  const slot = Symbol("service");
  const fill = (shape: Shape, service: string) => shape.parts.map((p) => (p === slot ? service : p));
  let shapes: Shape[] = [];

  beforeAll(async () => {
    // Every (rule, parts) the AWS blocks ask for, taken from real runs: the property below then
    // covers each shape the program uses, including shapes added after this test was written.
    const { runProgram } = await import("../harness/run");
    const seen = new Map<string, Shape>();
    const spy = jest.spyOn(Namer.prototype, "name").mockImplementation(function (this: Namer, ruleName: NameRuleName, ...parts: string[]) {
      const shape: Shape = { ruleName, parts: parts.map((p) => (p === "api" ? slot : p)) };
      seen.set(JSON.stringify([ruleName, parts]), shape);
      return physicalName(ruleName, [this.project, this.stack, ...parts]);
    });
    try {
      for (const options of [
        { stack: "production", set: ["platform:network.interfaceEndpoints=true"] },
        { stack: "dev", set: ["platform:backup.monthlyRestoreTest=true", "platform:network.flowLogs=true"] },
      ]) {
        const result = await runProgram(options);
        expect(result.error).toBeUndefined();
      }
    } finally {
      spy.mockRestore();
    }
    shapes = [...seen.values()];
  }, 60_000);

  it("records the shapes the AWS blocks use, with and without the service", () => {
    expect(shapes.filter((s) => s.parts.includes(slot)).length).toBeGreaterThan(10);
    expect(shapes.filter((s) => !s.parts.includes(slot)).length).toBeGreaterThan(10);
    expect(new Set(shapes.map((s) => s.ruleName)).size).toBeGreaterThan(12);
  });

  const pairs = (shape: Shape) => (a: [string, string], b: [string, string]) => {
    const nameA = physicalName(shape.ruleName, ["platform", a[0], ...fill(shape, a[1])]);
    const nameB = physicalName(shape.ruleName, ["platform", b[0], ...fill(shape, b[1])]);
    return { nameA, nameB };
  };

  it("the collisions of the issue are gone: punctuation in service names, separators and case in stack names", () => {
    const collisions: [string, string][][] = [
      [["dev", "a--b"], ["dev", "a-b"]],
      [["dev-api", "x"], ["dev", "api-x"]],
      [["dev.x", "api"], ["dev_x", "api"]],
      [["dev.x", "api"], ["dev-x", "api"]],
      [["Dev", "api"], ["dev", "api"]],
      [["prod", "api"], ["prod.", "api"]],
    ];
    for (const shape of shapes) {
      for (const [a, b] of collisions) {
        if (!shape.parts.includes(slot) && a[0] === b[0]) continue;
        const { nameA, nameB } = pairs(shape)(a, b);
        if (nameA.toLowerCase() === nameB.toLowerCase()) throw new Error(`${shape.ruleName} ${JSON.stringify(shape.parts)}: ${JSON.stringify(a)} and ${JSON.stringify(b)} both give ${nameA}`);
      }
    }
  });

  /** Near-duplicates: the same base with separators inserted, doubled, swapped or case changed. */
  const twist = (base: string, chars: string) =>
    fc.tuple(fc.nat(base.length), fc.constantFrom(...chars.split("")), fc.boolean()).map(([at, ch, upper]) => {
      const twisted = base.slice(0, at) + ch + base.slice(at);
      return upper ? twisted.toUpperCase() : twisted;
    });
  const configService = fc.stringMatching(/^[a-z][a-z0-9-]{0,28}[a-z0-9]$/);
  const nearStacks = stackName.chain((base) => fc.tuple(fc.constant(base.slice(0, 60)), twist(base.slice(0, 60), "-_.")));
  const nearServices = configService.chain((base) =>
    fc.tuple(fc.constant(base), twist(base.slice(0, 28), "-").filter((s) => /^[a-z][a-z0-9-]{0,28}[a-z0-9]$/.test(s))),
  );

  it("any two distinct (stack, service) pairs get distinct names, case-insensitively, under every shape the AWS blocks use", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(fc.tuple(stackName, configService), fc.tuple(stackName, configService)),
          nearStacks.chain(([s1, s2]) => configService.map((svc) => [[s1, svc], [s2, svc]] as [[string, string], [string, string]])),
          nearServices.chain(([v1, v2]) => stackName.map((st) => [[st, v1], [st, v2]] as [[string, string], [string, string]])),
          fc.tuple(stackName, configService).map(([st, svc]) => [[`${st}-${svc}`.slice(0, 100), "x1"], [st, `${svc}-x1`.slice(0, 30)]] as [[string, string], [string, string]]),
        ),
        ([a, b]) => {
          fc.pre(a[0] !== b[0] || a[1] !== b[1]);
          fc.pre(/^[a-z][a-z0-9-]{0,28}[a-z0-9]$/.test(a[1]) && /^[a-z][a-z0-9-]{0,28}[a-z0-9]$/.test(b[1]));
          for (const shape of shapes) {
            // A shape without the service tells stacks apart only.
            if (!shape.parts.includes(slot) && a[0] === b[0]) continue;
            const { nameA, nameB } = pairs(shape)(a, b);
            if (nameA.toLowerCase() === nameB.toLowerCase()) {
              throw new Error(`${shape.ruleName} ${JSON.stringify(shape.parts)}: ${JSON.stringify(a)} and ${JSON.stringify(b)} both give ${nameA}`);
            }
          }
        },
      ),
      { numRuns },
    );
  });

  it("a plain name can never be taken for a hashed one: a name whose last segment looks like a hash is hashed too", () => {
    const names = new Namer("platform", "dev");
    // `ab--cd` is hashed; a service named `ab-cd-<that hash>` must not get the same name.
    const hashed = names.name("awsEcsName", "ab--cd");
    const mimic = hashed.slice("platform-dev-".length);
    expect(names.name("awsEcsName", mimic)).not.toBe(hashed);
    expect(names.name("awsEcsName", mimic)).toBe(`${hashed}-${shortHash(["platform", "dev", mimic].join("\u0000"))}`);
  });
});

describe("RDS names (issue 6: the database's identifier and its groups)", () => {
  const rdsInstance = /^(?!.*--)[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

  it("names the dev database and its groups plainly, the parameter group after its engine family", () => {
    const dev = new Namer("platform", "dev");
    expect(dev.name("awsRdsInstance", "db")).toBe("platform-dev-db");
    expect(dev.name("awsRdsGroup", "db")).toBe("platform-dev-db");
    expect(dev.name("awsRdsGroup", "db", "postgres16")).toBe("platform-dev-db-postgres16");
  });

  it("gives any Pulumi stack an identifier of 1-63 lowercase letters, digits and single hyphens that starts with a letter", () => {
    fc.assert(
      fc.property(stackName, (stack) => {
        const id = new Namer("platform", stack).name("awsRdsInstance", "db");
        expect(id.length).toBeLessThanOrEqual(63);
        expect(id).toMatch(rdsInstance);
        expect(id.endsWith("-")).toBe(false);
      }),
      { numRuns },
    );
  });

  it("gives two stacks two identifiers even where they differ only in case or in characters RDS does not take", () => {
    // RDS compares identifiers without case: dev and Dev must not meet.
    fc.assert(
      fc.property(stackName, stackName, (a, b) => {
        fc.pre(a !== b);
        const idA = new Namer("platform", a).name("awsRdsInstance", "db");
        const idB = new Namer("platform", b).name("awsRdsInstance", "db");
        expect(idA.toLowerCase()).not.toBe(idB.toLowerCase());
      }),
      { numRuns },
    );
    for (const [a, b] of [["dev", "Dev"], ["dev.x", "dev-x"], ["dev__x", "dev-x"], ["a--b", "a-b"]]) {
      expect(new Namer("platform", a).name("awsRdsInstance", "db")).not.toBe(new Namer("platform", b).name("awsRdsInstance", "db"));
    }
  });

  it("never builds a parameter or subnet group called default, and refuses the bare word", () => {
    expect(() => physicalName("awsRdsGroup", ["default"])).toThrow(NamingError);
    expect(physicalName("awsRdsGroup", ["default", "dev"])).toBe("default-dev");
  });

  it("shortens a long stack's identifier to 63 characters ending in the hash of its parts", () => {
    const parts = ["platform", "feature-very-long-branch-name-for-preview-environments-123.x_y", "db"];
    const id = physicalName("awsRdsInstance", parts);
    expect(id).toHaveLength(63);
    expect(id).toMatch(rdsInstance);
    expect(id.endsWith(`-${shortHash(parts.join("\u0000"))}`)).toBe(true);
  });
});


describe("GCP names (issue 8)", () => {
  const dev = new Namer("platform", "dev");

  it("names the dev stack's GCP resources plainly", () => {
    expect(dev.name("gcpArtifactRepository")).toBe("platform-dev");
    expect(dev.name("gcpKmsName")).toBe("platform-dev");
    expect(dev.name("gcpLogBucket", "app")).toBe("platform-dev-app");
    expect(dev.name("gcpLogSink", "security")).toBe("platform-dev-security");
    expect(dev.name("gcpSqlInstance")).toBe("platform-dev");
    expect(dev.name("gcpBackupDrId", "vault")).toBe("platform-dev-vault");
    expect(dev.name("gcpCloudRunService", "api")).toBe("platform-dev-api");
    expect(dev.name("gcpSecretId", "JWT_SECRET")).toBe("platform-dev-JWT_SECRET");
  });

  it("leaves room for the random suffix of names GCP never frees (key rings) or frees only after days (log buckets, Cloud SQL)", () => {
    fc.assert(
      fc.property(stackName, serviceName, fc.stringMatching(/^[0-9a-f]{8}$/), (stack, part, hexSuffix) => {
        for (const ruleName of ["gcpKmsName", "gcpLogBucket", "gcpSqlInstance"] as const) {
          const full = `${new Namer("platform", stack).name(ruleName, part)}-${hexSuffix}`;
          if (!nameRules[ruleName].valid.test(full) || full.length > nameRules[ruleName].maxLength) throw new Error(`${ruleName} ${full}`);
        }
      }),
      { numRuns },
    );
  });

  it("keeps a Cloud SQL name with its project id within 98 characters for the longest project id", () => {
    const longest = new Namer("platform", "s".repeat(100)).name("gcpSqlInstance");
    expect(`${"p".repeat(30)}:${longest}-0a1b2c3d`.length).toBeLessThanOrEqual(98);
  });

  it("gives service accounts 6-30 characters for any stack and service", () => {
    fc.assert(
      fc.property(stackName, serviceName, (stack, service) => {
        const id = new Namer("platform", stack).name("gcpServiceAccountId", service);
        if (!/^[a-z]([-a-z0-9]{4,28}[a-z0-9])$/.test(id)) throw new Error(id);
      }),
      { numRuns },
    );
  });
});

describe("GCP labels (issue 8)", () => {
  const tagKey = fc.oneof(fc.string({ minLength: 1, maxLength: 128 }), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:/=+@ -]{0,127}$/));
  const tagValue = fc.oneof(fc.string({ maxLength: 256 }), fc.stringMatching(/^[A-Za-z0-9_.:/=+@ -]{0,256}$/));

  it("turns any tags into labels GCP takes: keys 1-63 of [a-z0-9_-] starting with a letter (never goog), values 0-63", () => {
    fc.assert(
      fc.property(fc.dictionary(tagKey, tagValue, { maxKeys: 10 }), (tags) => {
        for (const [key, value] of Object.entries(gcpLabels(tags).labels)) {
          if (!gcpLabelKeyRule.test(key)) throw new Error(`key ${JSON.stringify(key)}`);
          if (!gcpLabelValueRule.test(value)) throw new Error(`value ${JSON.stringify(value)}`);
        }
      }),
      { numRuns },
    );
  });

  it("reports every pair of tags that would become one label, and no other", () => {
    fc.assert(
      fc.property(fc.dictionary(tagKey, tagValue, { maxKeys: 10 }), (tags) => {
        const { labels, collisions } = gcpLabels(tags);
        const lost = Object.keys(tags).length - Object.keys(labels).length;
        const reported = collisions.reduce((n, c) => n + c.tags.length - 1, 0);
        if (lost !== reported) throw new Error(`${lost} tags lost, ${reported} reported`);
      }),
      { numRuns },
    );
  });

  it("leaves a tag that already is a valid label as it is, and says which ones it rewrote", () => {
    const valid = fc.dictionary(fc.stringMatching(/^[a-fh-z][a-z0-9_-]{0,62}$/), fc.stringMatching(/^[a-z0-9_-]{0,63}$/), { maxKeys: gcpMaxLabels });
    fc.assert(
      fc.property(valid, (tags) => {
        const result = gcpLabels(tags);
        if (JSON.stringify(result.labels) !== JSON.stringify(tags) || result.rewritten.length > 0) throw new Error(JSON.stringify(result));
      }),
      { numRuns },
    );
    expect(gcpLabels({ Team: "Payments", "goog-x": "1", "1st": "a" }).rewritten.map((r) => [r.tag, r.label, r.labelValue])).toEqual([
      ["Team", "team", "payments"],
      ["goog-x", "t_goog-x", "1"],
      ["1st", "t_1st", "a"],
    ]);
  });

  it("shortens a long key or value to 63 characters ending in a hash, so two long ones stay apart", () => {
    const a = gcpLabels({ ["k".repeat(70) + "a"]: "v".repeat(70) + "a", ["k".repeat(70) + "b"]: "v".repeat(70) + "b" });
    expect(Object.keys(a.labels)).toHaveLength(2);
    for (const [k, v] of Object.entries(a.labels)) {
      expect(k).toHaveLength(63);
      expect(v).toHaveLength(63);
    }
    expect(a.collisions).toEqual([]);
  });
});
