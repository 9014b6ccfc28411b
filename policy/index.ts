// The CrossGuard pack, as the Pulumi CLI runs it (`pulumi preview --policy-pack policy`). The only
// module that constructs the PolicyPack: constructing one starts the analyzer's gRPC server and keeps
// the process alive, so nothing else (no test, no tool) may import this file.
import { PolicyPack } from "@pulumi/policy";
import { packEnforcementLevel, packName, policies } from "./pack";

new PolicyPack(packName, { policies, enforcementLevel: packEnforcementLevel });
