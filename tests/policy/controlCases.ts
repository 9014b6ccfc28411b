// One control's cases on one cloud's production plan, and the three checks every control gets on every
// cloud: quiet on the plan while reading the resource it judges, mandatory on each breach, the
// engine's advisory when a value it reads is unknown in a preview.
import { type ControlName, controlNames, controls } from "../../policy/controls";
import type { PlanResource } from "../../policy/offline";
import type { CloudReaders, ResourceReaders, StackReader } from "../../policy/readers/types";
import { finding, findings, named } from "./plans";

export type Plan = readonly PlanResource[];

export interface Breach {
  what: string;
  change: (p: Plan) => PlanResource[];
  /** The resource the violation is reported on. */
  on: string;
  reports: string;
}

export interface ControlCase {
  /**
   * A resource of the production plan the rule reads (for stack rules: the one its facts are about);
   * null where the plan has nothing the rule reports on at all (the breaches show it reading).
   */
  reads: string | null;
  breaches: Breach[];
  /** Makes a value the rule reads unknown, as the engine sends it during a preview. */
  unknown: (p: Plan) => PlanResource[];
}

const findingsOf = (p: Plan, policy: string) => findings(p, "production", policy);

/**
 * `title` names each control's block (`%s` is the policy). `unknownPath` is the property path syntax
 * the cloud's unknown values may be reported at (GCP's readers index lists: `.rules[0].match`).
 */
export function describeControlCases(title: string, readers: CloudReaders, production: () => Plan, cases: Record<ControlName, ControlCase>, unknownPath = "[\\w.]+"): void {
  describe.each(controlNames.map((name) => [name, cases[name]] as const))(title, (policy, c) => {
    it("is quiet on the production plan, and reads the resource it judges", () => {
      expect(findingsOf(production(), policy)).toEqual([]);
      if (c.reads === null) return;
      const resource = named(production(), c.reads);
      const reader = readers.read[policy];
      if (controls[policy].kind === "resource") {
        const read = (reader as ResourceReaders<unknown>)[resource.type];
        expect(read?.({ type: resource.type, name: resource.name, urn: resource.urn, props: resource.inputs, opts: { protect: resource.protect } }).length).toBeGreaterThan(0);
      } else {
        // Stack readers see resources with their relations resolved, as the engine hands them over.
        const views = new Map(production().map((r) => [r.urn, { type: r.type, name: r.name, urn: r.urn, props: r.inputs, opts: { protect: r.protect }, dependencies: [] as unknown[], propertyDependencies: {} as Record<string, unknown[]> }]));
        for (const r of production()) {
          const v = views.get(r.urn)!;
          v.dependencies = r.dependencies.map((d) => views.get(d)).filter(Boolean);
          v.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.map((d) => views.get(d)).filter(Boolean)]));
        }
        const facts = (reader as StackReader<{ urn: string }>)([...views.values()] as never);
        expect(facts.map((f) => f.urn)).toContain(resource.urn);
      }
    });

    it.each(c.breaches.map((b) => [b.what, b] as const))("fires, mandatory in production, on %s", (_what, b) => {
      const found = findingsOf(b.change(production()), policy);
      const on = named(production(), b.on).urn;
      expect(found.filter((d) => d.urn === on).map((d) => ({ level: d.enforcementLevel, message: finding(d) }))).toContainEqual({ level: "mandatory", message: expect.stringContaining(b.reports) });
    });

    it("degrades to the engine's advisory when a value it reads is unknown", () => {
      const found = findingsOf(c.unknown(production()), policy);
      expect(found.length).toBeGreaterThan(0);
      for (const d of found) {
        expect(d.enforcementLevel).toBe("advisory");
        expect(d.message).toMatch(new RegExp(`^can't run policy '${policy}' from policy pack 'platform-guard@v\\d+\\.\\d+\\.\\d+' during preview: \\w+ value at \\.${unknownPath} can't be known during preview$`));
      }
    });
  });
}
