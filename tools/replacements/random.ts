// @pulumi/random is bridged from terraform-provider-random, whose Framework resources mark every
// argument RequiresReplace: a random value is generated once, so any change of how it is generated
// generates a new one (internal/provider/resource_id.go: keepers, byte_length, prefix;
// internal/provider/resource_password.go, passwordSchemaV3: keepers, length and every character
// option). The program relies on it: `secrets.<NAME>.length` rotates a generated secret.
import type { ReplacementTable } from "./table";

export const randomReplacements: ReplacementTable = {
  "random:index/randomId:RandomId": { inputs: "*", source: "terraform-provider-random random_id (internal/provider/resource_id.go)" },
  "random:index/randomPassword:RandomPassword": { inputs: "*", source: "terraform-provider-random random_password (internal/provider/resource_password.go)" },
  // Azure's name suffix: random_string shares random_password's schema (every argument RequiresReplace).
  "random:index/randomString:RandomString": { inputs: "*", source: "terraform-provider-random random_string (internal/provider/resource_string.go)" },
};
