import { PROVIDER_NAMES } from '../../../preload/contract/providers.js';
import type { Translate } from '../app/i18n.js';

/** The aggregator's own spelling of its name, for ids in DTOs (never translated). */
export function providerName(id: string, t: Translate): string {
  // a manual account (a bank no aggregator covers) is filled from statement files
  if (id === 'manual') return t('provider.manual');
  return (PROVIDER_NAMES as Record<string, string>)[id] ?? id;
}

/** Where an aggregator's address points, in words: its host name, or the demo banks when it is this computer. */
export function addressLabel(baseUrl: string | null, t: Translate): string {
  if (!baseUrl) return t('provider.address.none');
  let host: string;
  try { host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, ''); } catch { return t('provider.address.unreadable'); }
  if (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)) return t('provider.address.demo');
  return host;
}
