// Provider id -> factory. Each aggregator folder adds its line here.
import type { ProviderId } from '../domain/types.js';
import type { ProviderFactory } from './provider.js';

export const PROVIDERS: Partial<Record<ProviderId, { name: string; factory: ProviderFactory; defaultBaseUrl: string; optionNames: string[] }>> = {
};
