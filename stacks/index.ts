// Entry point for `pulumi preview` / `pulumi up`: Pulumi calls the exported function and uses its
// result as the stack outputs.
import { main } from "./program";

export = main;
