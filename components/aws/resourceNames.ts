// Physical names that both the blocks and the account inspection use: the inspection looks up
// exactly what the blocks create, so the two can never drift apart. No SDK import.
import type { Namer } from "../naming";

export const repositoryName = (names: Namer, service: string): string => names.name("awsEcrRepository", service);
export const secretName = (names: Namer, secret: string): string => names.name("awsSecret", secret);
export const clusterName = (names: Namer): string => names.name("awsEcsName");
export const ecsServiceName = (names: Namer, service: string): string => names.name("awsEcsName", service);
