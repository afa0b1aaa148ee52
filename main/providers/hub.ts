// The providers as the rest of main reaches them: the registry entries, and the hub that builds a provider from the
// stored configuration and a connection's context from its stored secrets. main/service/providers.ts implements the
// hub over the store and the vault; main/linking uses it without knowing either.
import type { ProviderId } from '../domain/types.js';
import type { ConnectionContext, Provider, ProviderConfig, ProviderFactory } from './provider.js';

export interface ProviderEntry {
  name: string; factory: ProviderFactory; defaultBaseUrl: string; optionNames: string[];
  /** who a person asks to delete their connection (revoking by hand) */
  contact: { legalName: string; site: string };
}
export type ProviderRegistry = Partial<Record<ProviderId, ProviderEntry>>;

/** where a configuration sends what it is given: its client secret is bound to this */
export type ProviderDestination = Pick<ProviderConfig, 'provider' | 'baseUrl' | 'options'>;

export interface ProviderHub {
  registry: ProviderRegistry;
  entry(id: ProviderId): ProviderEntry;
  /** the stored configuration with its secret; not_configured when there is none, or when it was entered for another host */
  config(id: ProviderId): ProviderConfig;
  /**
   * The stored client secret, for a configuration that sends it to the host(s) it was entered for; undefined when none
   * is stored; an AppError with `code` (default not_configured) saying to enter it again when `config` would send it
   * anywhere else.
   */
  storedClientSecret(config: ProviderDestination, code?: 'not_configured' | 'validation'): string | undefined;
  /** store the client secret bound to where `config` sends it */
  saveClientSecret(config: ProviderDestination, secret: string): void;
  /** a provider for the stored configuration (cached until reconfigured) */
  get(id: ProviderId): Provider;
  /** a provider for a candidate configuration (not cached): 'providers.configure' tests it before saving */
  build(config: ProviderConfig): Provider;
  invalidate(id: ProviderId): void;
  /** a stored connection (its id and the aggregator's ids) with its secrets from the vault */
  context(conn: { id: number; remote: Record<string, string> }): ConnectionContext;
  saveConnectionSecrets(connectionId: number, secrets: Record<string, string>): void;
}
