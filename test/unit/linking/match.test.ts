import { describe, expect, it } from 'vitest';
import type { RemoteAccount } from '../../../main/domain/types.js';
import { countOverlaps, evidenceWindow, findCandidates, needsEvidence, planMatches, sameBankAccounts, type LocalAccount } from '../../../main/linking/match.js';

const remote = (remoteId: string, extra: Partial<RemoteAccount> = {}): RemoteAccount => ({ remoteId, name: remoteId, type: 'card', currency: 'EUR', ...extra });
const local = (id: number, remoteId: string, extra: Partial<LocalAccount> = {}): LocalAccount => ({ id, remoteId, iban: null, number: null, currency: 'EUR', ...extra });
const noOverlaps = () => 0;
const table = (t: Record<string, Record<number, number>>) => (r: string, a: number) => t[r]?.[a] ?? 0;

describe('countOverlaps', () => {
  it('pairs same amounts within two days, each row once', () => {
    const local = [{ bookingDate: '2026-11-01', amount: -1250 }, { bookingDate: '2026-11-10', amount: -1250 }, { bookingDate: '2026-11-05', amount: 300 }];
    expect(countOverlaps([{ bookingDate: '2026-11-03', amount: -1250 }], local)).toBe(1);
    expect(countOverlaps([{ bookingDate: '2026-11-04', amount: -1250 }], local)).toBe(0); // three days off
    expect(countOverlaps([{ bookingDate: '2026-11-05', amount: -300 }], local)).toBe(0); // sign matters
    // two remote rows, one local partner in reach: one overlap
    expect(countOverlaps([{ bookingDate: '2026-11-01', amount: -1250 }, { bookingDate: '2026-11-02', amount: -1250 }], local)).toBe(1);
    // month boundary
    expect(countOverlaps([{ bookingDate: '2026-10-31', amount: -1250 }], local)).toBe(1);
    expect(countOverlaps([], local)).toBe(0);
  });
});

describe('evidenceWindow', () => {
  it('ends at the candidates\' newest local transaction (plus the tolerance), never after today', () => {
    // a long lapse: the bank's last months were never synced, so compare the month before the newest local row
    expect(evidenceWindow('2027-03-01', ['2026-11-03', null, '2026-10-20'])).toEqual({
      remote: { from: '2026-10-06', to: '2026-11-05' }, local: { from: '2026-10-04', to: '2026-11-07' },
    });
    expect(evidenceWindow('2026-11-24', ['2026-11-23'])).toEqual({
      remote: { from: '2026-10-25', to: '2026-11-24' }, local: { from: '2026-10-23', to: '2026-11-26' },
    });
    expect(evidenceWindow('2026-11-24', [null])).toEqual({
      remote: { from: '2026-10-25', to: '2026-11-24' }, local: { from: '2026-10-23', to: '2026-11-26' },
    });
  });
});

describe('findCandidates', () => {
  it('remote id, then IBAN + currency, then number + currency, then currency among compatible free accounts', () => {
    const locals = [
      local(1, 'a1', { iban: 'DE89 3704 0044 0532 0130 00' }),
      local(2, 'b1', { number: '1234-5678' }),
      local(3, 'c1'),
      local(4, 'd1', { currency: 'USD' }),
      local(5, 'kept'),
    ];
    const c = findCandidates([
      remote('kept'),
      remote('a2', { iban: 'de89370400440532013000' }),
      remote('b2', { number: '12345678' }),
      remote('c2'),
      remote('x2', { iban: 'FR7630006000011234567890189' }),
      remote('u2', { currency: 'USD' }),
    ], locals);
    expect(c).toEqual([
      { remoteId: 'kept', via: 'remote_id', accountIds: [5] },
      { remoteId: 'a2', via: 'iban', accountIds: [1] },
      { remoteId: 'b2', via: 'number', accountIds: [2] },
      { remoteId: 'c2', via: 'currency', accountIds: [1, 2, 3] },
      // another IBAN rules account 1 out
      { remoteId: 'x2', via: 'currency', accountIds: [2, 3] },
      { remoteId: 'u2', via: 'currency', accountIds: [4] },
    ]);
    expect(c.map(needsEvidence)).toEqual([false, false, false, true, true, true]);
    expect(needsEvidence({ remoteId: 'z', via: 'currency', accountIds: [] })).toBe(false);
    expect(needsEvidence({ remoteId: 'z', via: 'iban', accountIds: [1, 2] })).toBe(true);
  });
});

describe('planMatches', () => {
  it('stable remote ids and unique IBANs match without evidence', () => {
    const plan = planMatches([
      { remoteId: 'a', via: 'remote_id', accountIds: [1] },
      { remoteId: 'b', via: 'iban', accountIds: [2] },
      { remoteId: 'n', via: 'currency', accountIds: [] },
    ], noOverlaps);
    expect([...plan.matched]).toEqual([['a', { accountId: 1, via: 'remote_id' }], ['b', { accountId: 2, via: 'iban' }]]);
    expect(plan.questions).toEqual([]); // 'n' is a new account
  });

  it('a unique best candidate with overlaps wins', () => {
    const plan = planMatches([
      { remoteId: 'x', via: 'currency', accountIds: [1, 2] },
      { remoteId: 'y', via: 'currency', accountIds: [1, 2] },
    ], table({ x: { 1: 3, 2: 1 }, y: { 2: 2 } }));
    expect(plan.matched.get('x')).toEqual({ accountId: 1, via: 'transactions' });
    expect(plan.matched.get('y')).toEqual({ accountId: 2, via: 'transactions' });
    expect(plan.questions).toEqual([]);
  });

  it('equal evidence, no evidence, or two remotes wanting one account: the user is asked', () => {
    const equal = planMatches([{ remoteId: 'x', via: 'currency', accountIds: [1, 2] }], table({ x: { 1: 2, 2: 2 } }));
    expect(equal.matched.size).toBe(0);
    expect(equal.questions).toEqual([{ remoteId: 'x', candidates: [{ accountId: 1, overlaps: 2 }, { accountId: 2, overlaps: 2 }] }]);

    const none = planMatches([{ remoteId: 'x', via: 'currency', accountIds: [3] }], noOverlaps);
    expect(none.questions).toEqual([{ remoteId: 'x', candidates: [{ accountId: 3, overlaps: 0 }] }]);

    const clash = planMatches([
      { remoteId: 'x', via: 'currency', accountIds: [1, 2] },
      { remoteId: 'y', via: 'currency', accountIds: [1, 2] },
    ], table({ x: { 1: 2 }, y: { 1: 2 } }));
    expect(clash.matched.size).toBe(0);
    expect(clash.questions.map((q) => q.remoteId)).toEqual(['x', 'y']);
    expect(clash.questions[0].candidates).toEqual([{ accountId: 1, overlaps: 2 }, { accountId: 2, overlaps: 0 }]);
  });

  it('an account already taken is no longer offered; an IBAN shared by two locals is decided by transactions', () => {
    const plan = planMatches([
      { remoteId: 'a', via: 'iban', accountIds: [1] },
      { remoteId: 'x', via: 'currency', accountIds: [1, 2] },
      { remoteId: 'd', via: 'iban', accountIds: [3, 4] },
    ], table({ d: { 4: 1 } }));
    expect(plan.matched.get('a')).toEqual({ accountId: 1, via: 'iban' });
    expect(plan.matched.get('d')).toEqual({ accountId: 4, via: 'transactions' });
    expect(plan.questions).toEqual([{ remoteId: 'x', candidates: [{ accountId: 2, overlaps: 0 }] }]);
  });

  it('two remotes with the same unique IBAN candidate are both asked', () => {
    const plan = planMatches([
      { remoteId: 'a', via: 'iban', accountIds: [1] },
      { remoteId: 'b', via: 'iban', accountIds: [1] },
    ], noOverlaps);
    expect(plan.matched.size).toBe(0);
    expect(plan.questions.map((q) => q.remoteId)).toEqual(['a', 'b']);
  });
});

describe('sameBankAccounts', () => {
  it('pairs the same IBAN (any spacing or case) or account number in the same currency', () => {
    const found = [
      local(1, 'x', { iban: 'de89 3704 0044 0532 0130 00' }),
      local(2, 'y', { number: '1234-5678' }),
      local(3, 'z', { iban: 'DE02120300000000202051', currency: 'USD' }),
      local(4, 'w', {}),
    ];
    const existing = [
      local(10, 'a', { iban: 'DE89370400440532013000' }),
      local(11, 'b', { number: '12345678' }),
      local(12, 'c', { iban: 'DE02120300000000202051', currency: 'EUR' }),
      local(13, 'd', {}),
    ];
    expect(sameBankAccounts(found, existing).map((p) => [p.account.id, p.existing.id])).toEqual([[1, 10], [2, 11]]);
    expect(sameBankAccounts(found, [])).toEqual([]);
  });
});
