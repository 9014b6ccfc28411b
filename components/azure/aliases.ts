// Every azure-native resource class aliases itself to the type token of each Azure API version the
// SDK ever had (`azure-native:app/v20220101preview:ContainerApp`, about 15-20 per resource), so that
// stacks created with an explicit API version module move to the default one without a replacement.
// This program never used a versioned module, so none of those URNs can be in its state; resolving
// them costs every run (each alias is an output, serialized into every registration): about a third
// of an Azure synth. Aliases to unversioned type tokens, which a future SDK major may add, are kept.
import * as pulumi from "@pulumi/pulumi";

const versionedType = /^azure-native:[a-z0-9]+\/v\d{8}(preview)?:/i;

function typeOf(alias: unknown): string | undefined {
  if (typeof alias === "string") return alias.split("::")[2]?.split("$").pop();
  if (alias && typeof alias === "object" && "type" in alias && typeof (alias as { type?: unknown }).type === "string") return (alias as { type: string }).type;
  return undefined;
}

/** Drops the aliases to API-versioned type tokens from an azure-native resource's options. */
export const dropVersionedAliases: pulumi.ResourceTransformation = ({ type, props, opts }) => {
  if (!type.startsWith("azure-native:") || !opts.aliases?.length) return undefined;
  const aliases = opts.aliases.filter((alias) => !versionedType.test(typeOf(alias) ?? ""));
  return aliases.length === opts.aliases.length ? undefined : { props, opts: { ...opts, aliases } };
};
