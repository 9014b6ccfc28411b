// AWS regions and the partition each belongs to, known offline so that a typo in `aws:region` or
// `backup.copyRegion` stops the program before anything is planned, not half-way through `up`.
// Source: the partition data AWS publishes with its SDKs (partitions.json of aws-sdk-js-v3,
// `@aws-sdk/util-endpoints`), which matches the Region enum of @pulumi/aws 7.x and the "AWS Regions"
// page of the AWS General Reference. A region launched later is added here, in its partition.
import { closest, distance } from "fastest-levenshtein";

export const awsPartitions = ["aws", "aws-cn", "aws-us-gov", "aws-eusc", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f"] as const;
export type AwsPartition = (typeof awsPartitions)[number];

const regionsByPartition: Record<AwsPartition, string[]> = {
  aws: [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
  "aws-eusc": ["eusc-de-east-1"],
  "aws-iso": ["us-iso-east-1", "us-iso-west-1"],
  "aws-iso-b": ["us-isob-east-1", "us-isob-west-1"],
  "aws-iso-e": ["eu-isoe-west-1"],
  "aws-iso-f": ["us-isof-east-1", "us-isof-south-1"],
};

/** The DNS suffix of each partition's service endpoints (ECR registry host names end in it). */
export const awsDnsSuffixes: Record<AwsPartition, string> = {
  aws: "amazonaws.com",
  "aws-cn": "amazonaws.com.cn",
  "aws-us-gov": "amazonaws.com",
  "aws-eusc": "amazonaws.eu",
  "aws-iso": "c2s.ic.gov",
  "aws-iso-b": "sc2s.sgov.gov",
  "aws-iso-e": "cloud.adc-e.uk",
  "aws-iso-f": "csp.hci.ic.gov",
};

const partitionOfRegion = new Map<string, AwsPartition>(
  awsPartitions.flatMap((partition) => regionsByPartition[partition].map((region) => [region, partition] as const)),
);

export const awsRegionNames: string[] = [...partitionOfRegion.keys()];

export function awsPartitionOf(region: string): AwsPartition | undefined {
  return partitionOfRegion.get(region);
}

/** Regions of one partition: the only ones a backup copy (or any cross-region reference) can reach. */
export function awsRegionsOf(partition: AwsPartition): string[] {
  return regionsByPartition[partition];
}

/** Why `region` is not an AWS region, with the closest real one when the name looks like a typo. */
export function awsRegionProblem(region: string): string | undefined {
  if (partitionOfRegion.has(region)) return undefined;
  const best = closest(region, awsRegionNames);
  if (distance(region, best) <= 2) return `not an AWS region; did you mean "${best}"?`;
  return `not an AWS region; the regions are ${awsPartitions.map((p) => `${regionsByPartition[p].join(", ")} (${p})`).join("; ")}`;
}
