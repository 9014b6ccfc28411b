// Messages name AWS services only on AWS stacks: the neutral modules (config, schema, presets, risks,
// the model and the cloud registry) say what is allowed in words every cloud shares, and every rule
// that needs an AWS word lives in components/aws/limits.ts and the files it imports. This reads the
// text of every string and template literal of the neutral modules (comments and code are not
// messages) and looks for AWS service names.
import { literals, namedWords, neutralModules, wordPattern } from "./neutralModules";

/** AWS service and resource names a user of another cloud would not know (word-bounded, case as AWS writes them). */
const awsWords = [
  "ACM",
  "ALB",
  "ARN",
  "Application Load Balancer",
  "AWS Backup",
  "CloudFront",
  "CloudWatch",
  "EC2",
  "ECR",
  "ECS",
  "ELB",
  "Elastic Load Balancing",
  "Fargate",
  "hosted zone",
  "IAM",
  "KMS",
  "Lambda",
  "NAT gateway",
  "RDS",
  "Route 53",
  "Route53",
  "S3",
  "Secrets Manager",
  "SNS",
  "task definition",
  "VPC",
  "WAF",
];
const awsWord = wordPattern(awsWords);

describe("the neutral modules' messages", () => {
  it("cover the config, the schema, presets, risks and the cloud registry", () => {
    for (const file of ["stacks/config.ts", "stacks/configSchema.ts", "stacks/risks.ts", "stacks/presets.ts", "stacks/pathPatterns.ts", "stacks/cpuUnits.ts"]) {
      expect(neutralModules).toContain(file);
    }
    // The scan sees the messages (a known one of each module is found).
    expect(literals("stacks/cpuUnits.ts").some((l) => l.text.includes("cpu is in vCPU since model v2"))).toBe(true);
    expect(literals("stacks/risks.ts").some((l) => l.text.includes("no record of network traffic"))).toBe(true);
  });

  it.each(neutralModules)("%s names no AWS service", (file) => {
    expect(namedWords(file, awsWord)).toEqual([]);
  });

  it("the word list finds what the old schema said", () => {
    for (const text of ["expected a certificate id (an ACM certificate ARN on AWS)", "a Route 53 hosted zone id on AWS", "Fargate accepts CPU units 256", "without VPC flow logs there", "end up in state and task definitions"]) {
      expect({ text, found: awsWord.test(text) }).toEqual({ text, found: true });
    }
    for (const text of ["an AWS access key id", "a carrier-grade NAT address", "s3://<bucket>", "DATA_STORE_URL is reserved"]) {
      expect({ text, found: awsWord.test(text) }).toEqual({ text, found: false });
    }
  });
});
