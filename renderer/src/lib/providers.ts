import { PROVIDER_NAMES } from '../../../preload/contract/providers.js';

/** The aggregator's own spelling of its name, for ids in DTOs. */
export function providerName(id: string): string {
  // a manual account (a bank no aggregator covers) is filled from statement files
  if (id === 'manual') return 'statement files';
  return (PROVIDER_NAMES as Record<string, string>)[id] ?? id;
}

/** Where an aggregator's address points, in words: its host name, or the demo banks when it is this computer. */
export function addressLabel(baseUrl: string | null): string {
  if (!baseUrl) return 'Not set up';
  let host: string;
  try { host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, ''); } catch { return 'Address not readable: check it in Settings'; }
  if (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)) return 'Demo banks on this computer';
  return host;
}
