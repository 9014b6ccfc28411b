// Azure tag rules, checked on the spec's tags before anything is tagged. Source: "Use tags to organize
// your Azure resources" (learn.microsoft.com/azure/azure-resource-manager/management/tag-resources),
// limitations: at most 50 tag name-value pairs per resource; names of at most 512 characters (128 on
// storage accounts, which the platform tags) and values of at most 256; names without < > % & \ ? /;
// names are case-insensitive; Azure Front Door refuses # and : in tag names. No SDK import.
import type { PlatformSpec, SpecProblem } from "../model";

export const azureMaxTags = 50;
/** The storage account's limit, the strictest of the resources the platform tags. */
const maxNameLength = 128;
const maxValueLength = 256;
const forbiddenInName = /[<>%&\\?/]/;
/** Front Door profiles and WAF policies carry the tags too. */
const forbiddenOnFrontDoor = /[#:]/;
/** Tags the platform adds to some resources on top of `spec.tags`: `severity` and `service` on alerts. */
export const azurePerResourceTagKeys = ["severity", "service"];

export function azureTagProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(spec.tags)) {
    const at = `tags.${key}`;
    if (key.length < 1 || key.length > maxNameLength) {
      problems.push({ key: at, value: key, message: `Azure accepts tag names of 1 to ${maxNameLength} characters on every resource the platform tags (storage accounts take no more); this one has ${key.length}` });
    } else if (forbiddenInName.test(key)) {
      problems.push({ key: at, value: key, message: "Azure refuses < > % & \\ ? / in tag names; choose another name" });
    } else if (forbiddenOnFrontDoor.test(key)) {
      problems.push({ key: at, value: key, message: "Azure Front Door refuses # and : in tag names, and the platform tags its Front Door profile; choose another name" });
    } else if (seen.has(key.toLowerCase())) {
      problems.push({ key: at, value: key, message: `Azure compares tag names without case: this is the same tag as ${seen.get(key.toLowerCase())}; keep one` });
    }
    seen.set(key.toLowerCase(), key);
    if (value.length > maxValueLength) {
      problems.push({ key: at, value, message: `Azure accepts tag values of at most ${maxValueLength} characters; this one has ${value.length}` });
    }
  }
  const most = Object.keys(spec.tags).length + azurePerResourceTagKeys.filter((k) => !(k in spec.tags)).length;
  if (most > azureMaxTags) {
    problems.push({
      key: "tags",
      message: `an Azure alert would carry ${most} tags: ${Object.keys(spec.tags).length} from platform:tags and the platform's own (project, stack, environment, managed-by), plus severity and service; Azure allows at most ${azureMaxTags} per resource: remove ${most - azureMaxTags}`,
    });
  }
  return problems;
}
