// AWS tag rules, checked on the spec's tags before anything is tagged. Source: the tag restrictions
// AWS documents for every taggable service (e.g. Amazon ECS API reference, "Tag"; AWS Batch user
// guide, "Tag restrictions"): at most 50 tags per resource, keys 1-128 and values 0-256 Unicode
// characters of letters, digits, spaces and _ . : / = + - @; the aws: prefix (any case) is reserved
// for AWS and its tags do not count toward the 50.
import type { PlatformSpec, SpecProblem } from "../model";

export const maxTagsPerResource = 50;
const maxKeyLength = 128;
const maxValueLength = 256;
/** The pattern of Tag.Key and Tag.Value in the AWS API models. */
const tagCharacters = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Tags the platform adds to some resources on top of `spec.tags` (see `tags()` in options.ts and the
 * alarms): `Name` on network resources, `severity` and `service` on alarms. The largest group counts.
 */
export const perResourceTagKeys: string[][] = [["Name"], ["severity", "service"]];

const length = (text: string) => [...text].length;

export function tagProblems(spec: PlatformSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [key, value] of Object.entries(spec.tags)) {
    const at = `tags.${key}`;
    if (/^aws:/i.test(key)) {
      problems.push({ key: at, value: key, message: "tag keys starting with aws: (in any case) are reserved for AWS; choose another key" });
    } else if (length(key) < 1 || length(key) > maxKeyLength) {
      problems.push({ key: at, value: key, message: `AWS accepts tag keys of 1 to ${maxKeyLength} characters; this one has ${length(key)}` });
    } else if (!tagCharacters.test(key)) {
      problems.push({ key: at, value: key, message: "AWS accepts tag keys of letters, digits, spaces and _ . : / = + - @ only" });
    }
    if (length(value) > maxValueLength) {
      problems.push({ key: at, value, message: `AWS accepts tag values of at most ${maxValueLength} characters; this one has ${length(value)}` });
    } else if (!tagCharacters.test(value)) {
      problems.push({ key: at, value, message: "AWS accepts tag values of letters, digits, spaces and _ . : / = + - @ only" });
    }
  }
  const counted = Object.keys(spec.tags).filter((k) => !/^aws:/i.test(k));
  const extra = Math.max(...perResourceTagKeys.map((group) => group.filter((k) => !counted.includes(k)).length));
  const most = counted.length + extra;
  if (most > maxTagsPerResource) {
    problems.push({
      key: "tags",
      message: `a resource would carry ${most} tags: ${counted.length} from platform:tags and the platform's own (project, stack, environment, managed-by), plus ${extra} the platform adds per resource (Name, or severity and service on alarms); AWS allows at most ${maxTagsPerResource} per resource: remove ${most - maxTagsPerResource}`,
    });
  }
  return problems;
}
