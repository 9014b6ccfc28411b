// Reads a container registry's tags through its data plane, as `az acr` does: a Microsoft Entra token
// of the deployer (from the provider, `authorization.getClientToken`) is exchanged for a registry
// refresh token, that for an access token scoped to one repository, which reads the tag's manifest
// digest ("Azure Container Registry authentication: OAuth2 exchange", ACR REST API). Plain HTTPS
// reads: a preview asks the same as the update after it.

export type RegistryTag = { digest: string; writeEnabled: boolean } | { missing: "repository" } | { missing: "tag"; tags: string[] };

export class RegistryReadError extends Error {}

const manifestTypes = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

async function json(response: Response, what: string): Promise<Record<string, unknown>> {
  if (!response.ok) throw new RegistryReadError(`${what}: HTTP ${response.status} ${await response.text().catch(() => "")}`.trim());
  return (await response.json()) as Record<string, unknown>;
}

export class RegistryClient {
  private refreshToken?: Promise<string>;

  constructor(
    /** The registry's login server, `<name>.azurecr.io`. */
    private readonly server: string,
    private readonly tenantId: string,
    private readonly entraToken: () => Promise<string>,
  ) {}

  private async refresh(): Promise<string> {
    this.refreshToken ??= (async () => {
      const body = new URLSearchParams({ grant_type: "access_token", service: this.server, tenant: this.tenantId, access_token: await this.entraToken() });
      const answer = await json(await fetch(`https://${this.server}/oauth2/exchange`, { method: "POST", body }), `exchanging the Microsoft Entra token at ${this.server}`);
      return String(answer.refresh_token);
    })();
    return this.refreshToken;
  }

  private async accessToken(repository: string): Promise<string> {
    const body = new URLSearchParams({ grant_type: "refresh_token", service: this.server, scope: `repository:${repository}:pull,metadata_read`, refresh_token: await this.refresh() });
    const answer = await json(await fetch(`https://${this.server}/oauth2/token`, { method: "POST", body }), `a pull token for ${this.server}/${repository}`);
    return String(answer.access_token);
  }

  /** The digest the tag points at and whether the tag can still be overwritten; or what is missing. */
  async tag(repository: string, tag: string): Promise<RegistryTag> {
    const headers = { authorization: `Bearer ${await this.accessToken(repository)}` };
    const manifest = await fetch(`https://${this.server}/v2/${repository}/manifests/${encodeURIComponent(tag)}`, { method: "HEAD", headers: { ...headers, accept: manifestTypes } });
    if (manifest.ok) {
      const digest = manifest.headers.get("docker-content-digest");
      if (!digest) throw new RegistryReadError(`${this.server}/${repository}:${tag}: the registry answered without a Docker-Content-Digest`);
      const attributes = await json(await fetch(`https://${this.server}/acr/v1/${repository}/_tags/${encodeURIComponent(tag)}`, { headers }), `the attributes of ${this.server}/${repository}:${tag}`);
      const changeable = (attributes.tag as { changeableAttributes?: { writeEnabled?: boolean } } | undefined)?.changeableAttributes;
      return { digest, writeEnabled: changeable?.writeEnabled !== false };
    }
    if (manifest.status !== 404) throw new RegistryReadError(`${this.server}/${repository}:${tag}: HTTP ${manifest.status}`);
    const listing = await fetch(`https://${this.server}/v2/${repository}/tags/list`, { headers });
    if (listing.status === 404) return { missing: "repository" };
    const tags = ((await json(listing, `the tags of ${this.server}/${repository}`)).tags as string[] | null) ?? [];
    return { missing: "tag", tags };
  }
}
