// Azure names: each rule as Azure documents it (property tests over any project, stack and service
// name: a valid name or a NamingError, never an invalid one), reserved words, room for the random
// suffix of globally unique names, Key Vault secret names, action group short names, and role
// assignment names as name-based GUIDs.
import fc from "fast-check";
import { actionGroupShortNameOf, azureNames, keyVaultSecretName, nameSuffixLength, roleAssignmentName, uuidV5 } from "../../../components/azure/names";
import { Namer, NamingError, nameRules, physicalName, type NameRuleName } from "../../../components/naming";

const azureRules = (Object.keys(nameRules) as NameRuleName[]).filter((r) => r.startsWith("azure"));
const stackName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/);
const serviceName = fc.stringMatching(/^[a-z][a-z0-9-]{0,28}[a-z0-9]$/);
const suffix = fc.stringMatching(new RegExp(`^[a-z0-9]{${nameSuffixLength}}$`));

describe("Azure naming rules", () => {
  it.each(azureRules)("%s: any stack and service name gives a name within the rule, random suffix included", (rule) => {
    fc.assert(
      fc.property(stackName, serviceName, suffix, (stack, service, s) => {
        let name: string;
        try {
          name = physicalName(rule, ["platform", stack, service]);
        } catch (e) {
          if (e instanceof NamingError) return;
          throw e;
        }
        const r = nameRules[rule];
        const full = r.reservedSuffix > 0 ? `${name}${r.separator}${s}`.slice(0, name.length + r.reservedSuffix) : name;
        expect({ rule, full, valid: r.valid.test(full) && full.length <= r.maxLength && full.length >= r.minLength }).toEqual({ rule, full, valid: true });
      }),
      { numRuns: 150 },
    );
  });

  it("the global names of every realistic stack fit with their suffix: Key Vault 24, storage 24, registry 50, PostgreSQL 63", () => {
    fc.assert(
      fc.property(stackName, suffix, (stack, s) => {
        const n = azureNames(new Namer("platform", stack));
        const checks: [NameRuleName, string][] = [
          ["azureKeyVault", n.keyVault(s)],
          ["azureStorageAccount", n.storageAccount(s)],
          ["azureStorageAccount", n.flowLogStorageAccount(s)],
          ["azureContainerRegistry", n.registry(s)],
          ["azurePostgresServer", n.postgresServer(s)],
        ];
        for (const [rule, name] of checks) expect({ rule, name, valid: nameRules[rule].valid.test(name) && name.length <= nameRules[rule].maxLength }).toEqual({ rule, name, valid: true });
      }),
      { numRuns: 300 },
    );
  });

  it("names the committed stacks' global resources readably", () => {
    for (const stack of ["dev", "staging", "production"]) {
      const n = azureNames(new Namer("platform", stack));
      expect(n.keyVault("ab12")).toBe(`platform-${stack}-ab12`);
      expect(n.postgresServer("ab12")).toBe(`platform-${stack}-ab12`);
      expect(n.containerApp("api")).toBe(`platform-${stack}-api`);
      expect(n.environment).toBe(`platform-${stack}`);
    }
  });

  it("a container app name never holds -- (the revision separator) and starts with a letter", () => {
    expect(physicalName("azureContainerApp", ["platform", "dev", "a--b"])).not.toContain("--");
    expect(physicalName("azureContainerApp", ["1st", "dev", "api"])).toMatch(/^[a-z]/);
    expect(nameRules.azureContainerApp.valid.test("platform-dev--api")).toBe(false);
    expect(nameRules.azureContainerApp.valid.test("a".repeat(33))).toBe(false);
  });

  it("refuses Azure's reserved words in public names", () => {
    for (const [rule, name] of [
      ["azureKeyVault", "my-microsoft-vault"],
      ["azureStorageAccount", "windowsdata"],
      ["azureContainerRegistry", "loginregistry"],
      ["azureFrontDoorEndpoint", "azure"],
    ] as const) {
      expect({ rule, name, valid: nameRules[rule].valid.test(name) }).toEqual({ rule, name, valid: false });
    }
    expect(() => physicalName("azureKeyVault", ["microsoft", "dev"])).toThrow(NamingError);
    expect(nameRules.azureKeyVault.valid.test("platform-azure-dev")).toBe(true);
  });

  it("Front Door rule sets, rules and WAF policies take letters and digits only", () => {
    for (const rule of ["azureFrontDoorRuleSet", "azureFrontDoorRule", "azureFrontDoorWafPolicy"] as const) {
      expect(physicalName(rule, ["platform", "dev-x", "a_b"])).toMatch(/^[a-zA-Z][a-zA-Z0-9]*$/);
    }
  });
});

describe("Key Vault secret names", () => {
  it("replace _ with - and never make two secrets one", () => {
    expect(keyVaultSecretName("JWT_SECRET")).toBe("JWT-SECRET");
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,63}$/), fc.stringMatching(/^[A-Z][A-Z0-9_]{0,63}$/), (a, b) => {
        if (a !== b) expect(keyVaultSecretName(a)).not.toBe(keyVaultSecretName(b));
        expect(keyVaultSecretName(a)).toMatch(/^[a-zA-Z0-9-]{1,127}$/);
      }),
    );
  });
});

describe("action group short names", () => {
  it("are at most 12 characters for any stack name, and the stack and severity where they fit", () => {
    expect(actionGroupShortNameOf("production", "critical")).toBe("production-c");
    expect(actionGroupShortNameOf("dev", "warning")).toBe("dev-w");
    fc.assert(fc.property(stackName, fc.constantFrom("warning" as const, "critical" as const), (stack, severity) => expect(actionGroupShortNameOf(stack, severity)).toMatch(/^[a-zA-Z0-9-]{1,12}$/)));
  });
});

describe("role assignment names", () => {
  it("are RFC 9562 version-5 UUIDs (the RFC's own example: www.example.com in the DNS namespace)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("are the same for the same scope, role and principal, in any case, and differ otherwise", () => {
    const a = roleAssignmentName("/subscriptions/x/resourceGroups/rg", "4633458b-17de-408a-b874-0445c86b69e6", "P1");
    expect(roleAssignmentName("/SUBSCRIPTIONS/X/resourceGroups/RG", "4633458B-17de-408a-b874-0445c86b69e6", "p1")).toBe(a);
    expect(roleAssignmentName("/subscriptions/x/resourceGroups/rg", "4633458b-17de-408a-b874-0445c86b69e6", "p2")).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("aliases to API-versioned type tokens", () => {
  it("are dropped from azure-native resources, and every other alias is kept", async () => {
    const { dropVersionedAliases } = await import("../../../components/azure/aliases");
    const opts = { aliases: [{ type: "azure-native:network/v20230201:Subnet" }, { type: "azure-native:app/v20220101preview:ContainerApp" }, { type: "azure-native:network:Subnet" }, "urn:pulumi:dev::platform::platform:index:Network$azure-native:network/v20240101:Subnet::network-apps", { name: "old-name" }] };
    const result = dropVersionedAliases({ type: "azure-native:network:Subnet", name: "network-apps", props: {}, opts, resource: undefined as never });
    expect(result?.opts.aliases).toEqual([{ type: "azure-native:network:Subnet" }, { name: "old-name" }]);
    expect(dropVersionedAliases({ type: "aws:s3/bucket:Bucket", name: "b", props: {}, opts, resource: undefined as never })).toBeUndefined();
    expect(dropVersionedAliases({ type: "azure-native:network:Subnet", name: "s", props: {}, opts: {}, resource: undefined as never })).toBeUndefined();
  });
});
