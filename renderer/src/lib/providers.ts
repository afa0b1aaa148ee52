import { PROVIDER_NAMES } from '../../../preload/contract/providers.js';

/** The aggregator's own spelling of its name, for ids in DTOs. */
export function providerName(id: string): string {
  return (PROVIDER_NAMES as Record<string, string>)[id] ?? id;
}
