// Provider instances and connection contexts: configs from the store, client secrets and tokens from the vault.
// Nothing here returns a secret to a caller outside main.
import type { ProviderId } from '../domain/types.js';
import { AppError } from '../domain/errors.js';
import type { ConnectionContext, Provider, ProviderConfig, ProviderFactory } from '../providers/provider.js';
import type { ConnectionRow, Repositories } from '../store/repositories.js';
import type { SecretStore } from '../vault/types.js';

export interface ProviderEntry { name: string; factory: ProviderFactory; defaultBaseUrl: string; optionNames: string[] }
export type ProviderRegistry = Partial<Record<ProviderId, ProviderEntry>>;

export const clientSecretName = (provider: ProviderId) => `provider:${provider}:clientSecret`;
export const connectionSecretsPrefix = (connectionId: number) => `connection:${connectionId}:`;
const connectionSecretsName = (connectionId: number) => `${connectionSecretsPrefix(connectionId)}secrets`;

export interface ProviderHub {
  registry: ProviderRegistry;
  entry(id: ProviderId): ProviderEntry;
  /** the stored configuration with its secret; not_configured when there is none */
  config(id: ProviderId): ProviderConfig;
  /** a provider for the stored configuration (cached until reconfigured) */
  get(id: ProviderId): Provider;
  /** a provider for a candidate configuration (not cached): 'providers.configure' tests it before saving */
  build(config: ProviderConfig): Provider;
  invalidate(id: ProviderId): void;
  context(conn: ConnectionRow): ConnectionContext;
  saveConnectionSecrets(connectionId: number, secrets: Record<string, string>): void;
}

export function createProviderHub(deps: {
  repos: Repositories; secrets: SecretStore; registry: ProviderRegistry; fetch?: typeof fetch; now?: () => Date;
}): ProviderHub {
  const cache = new Map<ProviderId, Provider>();
  const hub: ProviderHub = {
    registry: deps.registry,
    entry(id) {
      const e = deps.registry[id];
      if (!e) throw new AppError('not_configured', `${id} is not available in this build of Multibank.`);
      return e;
    },
    config(id) {
      hub.entry(id);
      const row = deps.repos.providerConfigs.get(id);
      const clientSecret = row ? deps.secrets.get(clientSecretName(id)) : undefined;
      if (!row || clientSecret === undefined) throw new AppError('not_configured');
      return { provider: id, baseUrl: row.baseUrl, clientId: row.clientId, clientSecret, options: row.options };
    },
    get(id) {
      let p = cache.get(id);
      if (!p) { p = hub.build(hub.config(id)); cache.set(id, p); }
      return p;
    },
    build(config) {
      return hub.entry(config.provider).factory(config, { fetch: deps.fetch, now: deps.now });
    },
    invalidate(id) { cache.delete(id); },
    context(conn) {
      const raw = deps.secrets.get(connectionSecretsName(conn.id));
      const ctx: ConnectionContext = {
        connectionId: conn.id,
        remote: { ...conn.remote },
        secrets: raw ? (JSON.parse(raw) as Record<string, string>) : {},
        saveSecrets(next) {
          ctx.secrets = { ...ctx.secrets, ...next };
          hub.saveConnectionSecrets(conn.id, ctx.secrets);
        },
      };
      return ctx;
    },
    saveConnectionSecrets(connectionId, secrets) {
      deps.secrets.set(connectionSecretsName(connectionId), JSON.stringify(secrets));
    },
  };
  return hub;
}
