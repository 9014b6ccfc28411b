import { physicalName } from "../components/naming";
try { console.log(physicalName("awsTagValue", ["platforms", "𝒜".repeat(200)])); } catch (e) { console.log("ERR", (e as Error).message.slice(0, 200)); }
