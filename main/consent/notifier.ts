// Consent notices: a `consent.warning` event and an OS notification at the lead time and on expiry, once each.
// What was already announced is remembered per connection (connections.notices_json through the store), keyed by notice
// and expiry, so a renewed consent (new expiry) is announced again, and a restart does not repeat a notice.
import type { ConsentState, IsoInstant } from '../domain/types.js';
import type { MainMessage } from '../domain/errors.js';
import { deriveConsent } from './derive.js';

export interface ConsentSubject {
  id: number;
  institutionName: string;
  state: ConsentState;
  expiresAt: IsoInstant | null;
  /** notices already given: `${notice}:${expiresAt}` -> when */
  notices: Record<string, string>;
}

export interface ConsentNotifierDeps {
  /** persist the connection's remembered notices */
  saveNotices(connectionId: number, notices: Record<string, string>): void;
  now: () => Date;
  leadDays: () => number;
  emit(payload: { connectionId: number; state: ConsentState; expiresAt: string | null }): void;
  /** an OS notification, rendered in the person's language by whoever shows it */
  notify?(title: MainMessage, body: MainMessage): void;
}

export interface ConsentNotifier {
  /** announce what is due for these connections; returns the notices sent now */
  check(connections: ConsentSubject[]): Array<{ connectionId: number; notice: 'lead' | 'expired' }>;
}

export function createConsentNotifier(deps: ConsentNotifierDeps): ConsentNotifier {
  return {
    check(connections) {
      const sent: Array<{ connectionId: number; notice: 'lead' | 'expired' }> = [];
      const now = deps.now();
      for (const c of connections) {
        const d = deriveConsent({ state: c.state, expiresAt: c.expiresAt }, now, deps.leadDays());
        if (!d.notice) {
          // healthy again (renewed): forget what we said, so a later expiry is announced afresh
          if (Object.keys(c.notices).length) deps.saveNotices(c.id, {});
          continue;
        }
        const key = `${d.notice}:${d.expiresAt ?? ''}`;
        if (c.notices[key]) continue;
        deps.saveNotices(c.id, { ...c.notices, [key]: now.toISOString() });
        sent.push({ connectionId: c.id, notice: d.notice });
        deps.emit({ connectionId: c.id, state: d.state, expiresAt: d.expiresAt });
        if (d.notice === 'lead') {
          deps.notify?.({ id: 'consent.lead.title', values: { bank: c.institutionName, countdown: { id: 'countdown', values: { ms: d.msLeft ?? 0 } } } }, { id: 'consent.lead.body' });
        } else {
          deps.notify?.({ id: 'consent.expired.title', values: { bank: c.institutionName } }, { id: 'consent.expired.body' });
        }
      }
      return sent;
    },
  };
}
