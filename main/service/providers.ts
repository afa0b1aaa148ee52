// Provider instances and connection contexts: configs from the store, client secrets and tokens from the vault.
// Nothing here returns a secret to a caller outside main.
import net from 'node:net';
import type { ProviderId } from '../domain/types.js';
import { AppError } from '../domain/errors.js';
import { registerSecret } from '../log/logger.js';
import type { ProviderDestination, ProviderHub, ProviderRegistry } from '../providers/hub.js';
import { ProviderError, type ConnectionContext, type Provider, type ProviderConfig } from '../providers/provider.js';
import type { Repositories } from '../store/repositories.js';
import type { SecretStore } from '../vault/types.js';

export const clientSecretName = (provider: ProviderId) => `provider:${provider}:clientSecret`;
export const connectionSecretsPrefix = (connectionId: number) => `connection:${connectionId}:`;
const connectionSecretsName = (connectionId: number) => `${connectionSecretsPrefix(connectionId)}secrets`;

/**
 * Where a configuration sends its client secret: the origin of the base URL, with `{option}` placeholders filled in
 * (Powens' `{domain}`), and of every option that is an address (Everifin's idpUrl). A client secret is stored bound to
 * this and handed out only for a configuration with the same value: a new host needs the secret entered again.
 */
function secretDestination(config: ProviderDestination): string {
  const base = config.baseUrl.replace(/\{(\w+)\}/g, (placeholder, name: string) => config.options[name]?.trim() || placeholder);
  const urls = [base, ...Object.values(config.options).filter((v) => /^https?:\/\//i.test(v.trim()))];
  const origin = (url: string) => { try { return new URL(url.trim()).origin; } catch { return url.trim(); } };
  return [...new Set(urls.map(origin))].sort().join(' ');
}

/** What the vault holds under clientSecretName: the secret and the destination it was entered for. */
interface BoundSecret { destination: string; secret: string }

function readBoundSecret(raw: string, legacyDestination: string): BoundSecret {
  try {
    const v = JSON.parse(raw) as Partial<BoundSecret> | null;
    if (typeof v?.destination === 'string' && typeof v.secret === 'string') return { destination: v.destination, secret: v.secret };
  } catch { /* stored before secrets were bound: a bare string */ }
  // a bare secret was tested against, and so entered for, the configuration stored beside it
  return { destination: legacyDestination, secret: raw };
}

/**
 * An aggregator the demo banks set up is on this computer: when nothing answers there, the reason is that they are
 * not running, not the internet connection. Its provider's `network` errors say so.
 */
function demoBanksErrors(provider: Provider, config: ProviderConfig): Provider {
  return new Proxy(provider, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        try {
          return await (v as (...a: unknown[]) => unknown).apply(target, args);
        } catch (e) {
          // a dropped or broken connection to running demo banks stays a network error
          if (!(e instanceof AppError) || e.code !== 'network' || await answers(config.baseUrl)) throw e;
          // in the reader's language, without the address: Settings → Demo banks says where they run
          throw new ProviderError('demo_not_running', { id: 'error.demo_not_running' });
        }
      };
    },
  });
}

/** whether anything accepts a connection at the address (a refused or unanswered connect: nothing runs there) */
function answers(baseUrl: string): Promise<boolean> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(5_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function createProviderHub(deps: {
  repos: Repositories; secrets: SecretStore; registry: ProviderRegistry; fetch?: typeof fetch; now?: () => Date;
  /** whether a configuration is one the demo banks set up (main/service/demo.ts) */
  isDemo?: (config: Pick<ProviderConfig, 'provider' | 'baseUrl'>) => boolean;
}): ProviderHub {
  const cache = new Map<ProviderId, Provider>();
  const hub: ProviderHub = {
    registry: deps.registry,
    entry(id) {
      const e = deps.registry[id];
      if (!e) throw new AppError('not_configured', { id: 'error.provider_not_in_build', values: { provider: id } });
      return e;
    },
    config(id) {
      hub.entry(id);
      const row = deps.repos.providerConfigs.get(id);
      const clientSecret = row ? hub.storedClientSecret(row) : undefined;
      if (!row || clientSecret === undefined) throw new AppError('not_configured');
      return { provider: id, baseUrl: row.baseUrl, clientId: row.clientId, clientSecret, options: row.options };
    },
    storedClientSecret(config, code = 'not_configured') {
      const raw = deps.secrets.get(clientSecretName(config.provider));
      const row = deps.repos.providerConfigs.get(config.provider);
      if (raw === undefined || !row) return undefined;
      const bound = readBoundSecret(raw, secretDestination(row));
      registerSecret(bound.secret);
      const wanted = secretDestination(config);
      if (bound.destination !== wanted) {
        throw new AppError(code, { id: 'error.secret_other_destination', values: { provider: hub.entry(config.provider).name, destination: bound.destination, wanted } });
      }
      return bound.secret;
    },
    saveClientSecret(config, secret) {
      registerSecret(secret); // the vault masks what it stores (the bound form); the bare secret too
      const bound: BoundSecret = { destination: secretDestination(config), secret };
      deps.secrets.set(clientSecretName(config.provider), JSON.stringify(bound));
    },
    get(id) {
      let p = cache.get(id);
      if (!p) { p = hub.build(hub.config(id)); cache.set(id, p); }
      return p;
    },
    build(config) {
      const provider = hub.entry(config.provider).factory(config, { fetch: deps.fetch, now: deps.now });
      return deps.isDemo?.(config) ? demoBanksErrors(provider, config) : provider;
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
