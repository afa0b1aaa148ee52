import { describe, expect, it } from 'vitest';
import { deriveConsent, formatCountdown } from '../../../main/consent/derive.js';
import { createConsentNotifier, type ConsentSubject } from '../../../main/consent/notifier.js';
import type { ConsentState } from '../../../main/domain/types.js';
import { testNow } from '../../helpers/clock.js';
import { english } from '../../../main/domain/errors.js';

const DAY = 86_400_000;
const now = testNow('2026-11-24T12:00:00Z');
const inDays = (d: number) => new Date(now.getTime() + d * DAY).toISOString();

describe('deriveConsent', () => {
  it('active -> expiring within the lead time -> expired after it', () => {
    expect(deriveConsent({ state: 'active', expiresAt: inDays(30) }, now)).toMatchObject({ state: 'active', daysLeft: 30, notice: null });
    expect(deriveConsent({ state: 'active', expiresAt: inDays(7) }, now)).toMatchObject({ state: 'expiring', daysLeft: 7, notice: 'lead' });
    expect(deriveConsent({ state: 'active', expiresAt: inDays(0.5) }, now)).toMatchObject({ state: 'expiring', daysLeft: 0, notice: 'lead' });
    expect(deriveConsent({ state: 'active', expiresAt: inDays(0) }, now)).toMatchObject({ state: 'expired', msLeft: 0, notice: 'expired' });
    expect(deriveConsent({ state: 'expiring', expiresAt: inDays(-2) }, now)).toMatchObject({ state: 'expired', daysLeft: -2, notice: 'expired' });
  });

  it('uses the lead time given', () => {
    expect(deriveConsent({ state: 'active', expiresAt: inDays(10) }, now, 14).state).toBe('expiring');
    expect(deriveConsent({ state: 'active', expiresAt: inDays(10) }, now, 3).state).toBe('active');
    // a provider-reported "expiring" relaxes to active when the user's lead time says it is not near yet
    expect(deriveConsent({ state: 'expiring', expiresAt: inDays(10) }, now, 3).state).toBe('active');
  });

  it('keeps what the provider said for states that are not about time', () => {
    for (const state of ['revoked', 'action_at_bank'] as ConsentState[]) {
      expect(deriveConsent({ state, expiresAt: inDays(-5) }, now)).toMatchObject({ state, notice: null });
      expect(deriveConsent({ state, expiresAt: null }, now).state).toBe(state);
    }
    expect(deriveConsent({ state: 'expired', expiresAt: null }, now)).toMatchObject({ state: 'expired', notice: 'expired', msLeft: null });
    expect(deriveConsent({ state: 'expired', expiresAt: inDays(30) }, now).state).toBe('expired');
  });

  it('needs_user says what to do now, until the consent is past its end', () => {
    expect(deriveConsent({ state: 'needs_user', expiresAt: null }, now)).toMatchObject({ state: 'needs_user', notice: null });
    expect(deriveConsent({ state: 'needs_user', expiresAt: inDays(30) }, now)).toMatchObject({ state: 'needs_user', notice: null });
    expect(deriveConsent({ state: 'needs_user', expiresAt: inDays(3) }, now)).toMatchObject({ state: 'needs_user', notice: 'lead' });
    expect(deriveConsent({ state: 'needs_user', expiresAt: inDays(-1) }, now)).toMatchObject({ state: 'expired', notice: 'expired' });
  });

  it('failing stays failing (it is retried) but still gets the lead-time notice; past expiry it is expired', () => {
    expect(deriveConsent({ state: 'failing', expiresAt: inDays(3) }, now)).toMatchObject({ state: 'failing', notice: 'lead' });
    expect(deriveConsent({ state: 'failing', expiresAt: inDays(-1) }, now).state).toBe('expired');
    expect(deriveConsent({ state: 'failing', expiresAt: null }, now)).toMatchObject({ state: 'failing', notice: null });
  });

  it('without an expiry there is no countdown', () => {
    expect(deriveConsent({ state: 'active', expiresAt: null }, now)).toEqual({ state: 'active', expiresAt: null, msLeft: null, daysLeft: null, notice: null });
    expect(deriveConsent({ state: 'active', expiresAt: 'not a date' }, now)).toMatchObject({ state: 'active', msLeft: null });
  });

  it('formats the countdown', () => {
    expect(formatCountdown(3 * DAY + 5)).toBe('in 3 days');
    expect(formatCountdown(DAY)).toBe('in 1 day');
    expect(formatCountdown(5 * 3_600_000)).toBe('in 5 hours');
    expect(formatCountdown(30_000)).toBe('in 1 minute');
    expect(formatCountdown(-2 * DAY)).toBe('2 days ago');
    expect(formatCountdown(null)).toBe('');
  });
});

describe('consent notifier', () => {
  it('notifies once at the lead time and once on expiry, and again after a renewal', () => {
    let t = now.getTime();
    const store: Record<number, Record<string, string>> = {};
    const events: unknown[] = []; const notes: string[] = [];
    const n = createConsentNotifier({
      saveNotices: (id, notices) => { store[id] = notices; }, now: () => new Date(t), leadDays: () => 7,
      emit: (p) => events.push(p), notify: (title) => notes.push(english(title)),
    });
    let expiresAt = inDays(8);
    const subjects = (): ConsentSubject[] => [{ id: 1, institutionName: 'Bank', state: 'active', expiresAt, notices: store[1] ?? {} }];
    expect(n.check(subjects())).toEqual([]);
    t += DAY + 1;
    expect(n.check(subjects())).toEqual([{ connectionId: 1, notice: 'lead' }]);
    expect(n.check(subjects())).toEqual([]);
    t += 7 * DAY;
    expect(n.check(subjects())).toEqual([{ connectionId: 1, notice: 'expired' }]);
    expect(n.check(subjects())).toEqual([]);
    expect(notes).toEqual(['Bank: access expires in 6 days', 'Bank: access has expired']);
    expect(events).toEqual([
      { connectionId: 1, state: 'expiring', expiresAt },
      { connectionId: 1, state: 'expired', expiresAt },
    ]);
    // renewed: far expiry clears the memory; approaching again notifies again
    expiresAt = new Date(t + 90 * DAY).toISOString();
    expect(n.check(subjects())).toEqual([]);
    expect(store[1]).toEqual({});
    t += 85 * DAY;
    expect(n.check(subjects())).toEqual([{ connectionId: 1, notice: 'lead' }]);
  });

  it('an expiry passed while the app was closed gives only the expired notice', () => {
    const store: Record<number, Record<string, string>> = {};
    const notes: string[] = [];
    const n = createConsentNotifier({ saveNotices: (id, x) => { store[id] = x; }, now: () => now, leadDays: () => 7, emit: () => {}, notify: (t) => notes.push(english(t)) });
    expect(n.check([{ id: 2, institutionName: 'B', state: 'active', expiresAt: inDays(-3), notices: {} }])).toEqual([{ connectionId: 2, notice: 'expired' }]);
    expect(notes).toEqual(['B: access has expired']);
  });
});
