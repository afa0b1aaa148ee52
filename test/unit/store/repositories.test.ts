import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/store/db.js';
import { createRepositories } from '../../../main/store/repositories.js';
import type { RemoteAccount } from '../../../main/domain/types.js';

const dirs: string[] = [];
const open = () => { const d = mkdtempSync(join(tmpdir(), 'mb-repo-')); dirs.push(d); return openDatabase(join(d, 'multibank.db')); };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const acc = (remoteId: string, extra: Partial<RemoteAccount> = {}): RemoteAccount =>
  ({ remoteId, name: `Account ${remoteId}`, type: 'current', currency: 'EUR', iban: `DE00${remoteId}`, ...extra });

describe('repositories', () => {
  it('a consent message and a last error are stored as catalogue messages; rows written before ids read as they were', () => {
    const db = open();
    const r = createRepositories(db);
    const c = r.connections.create({ provider: 'powens', institutionName: 'Bank', remote: {}, consent: { state: 'needs_user', message: { id: 'consent.powens.sca' } } });
    expect(r.connections.get(c.id)).toMatchObject({
      stateMsg: { id: 'consent.powens.sca' }, stateMessage: 'Your bank asks you to confirm it is you (strong authentication). Choose Renew.',
    });
    // the bank's own words are kept as written, in every language
    r.connections.setConsent(c.id, { state: 'action_at_bank', message: 'Akzeptieren Sie die neuen AGB.' });
    expect(r.connections.get(c.id)).toMatchObject({ stateMsg: { id: 'verbatim', values: { text: 'Akzeptieren Sie die neuen AGB.' } }, stateMessage: 'Akzeptieren Sie die neuen AGB.' });
    r.connections.recordError(c.id, { code: 'timeout', message: { id: 'provider.timeout', values: { label: 'Powens', seconds: 30 } } });
    expect(r.connections.get(c.id)).toMatchObject({ lastError: { id: 'provider.timeout', values: { label: 'Powens', seconds: 30 } }, lastErrorMessage: 'Powens did not answer within 30 s. Nothing was changed.' });
    // an English row from before messages had ids
    db.prepare('UPDATE connections SET state_message = ?, last_error_message = ? WHERE id = ?').run('Choose Renew.', 'It timed out.', c.id);
    expect(r.connections.get(c.id)).toMatchObject({
      stateMsg: { id: 'verbatim', values: { text: 'Choose Renew.' } }, stateMessage: 'Choose Renew.',
      lastError: { id: 'verbatim', values: { text: 'It timed out.' } }, lastErrorMessage: 'It timed out.',
    });
    db.close();
  });

  it('provider configs round trip without secrets', () => {
    const db = open();
    const r = createRepositories(db);
    r.providerConfigs.upsert({ provider: 'powens', baseUrl: 'http://127.0.0.1:1', clientId: 'c', options: { domain: 'x' } });
    r.providerConfigs.upsert({ provider: 'powens', baseUrl: 'http://127.0.0.1:2', clientId: 'c2' });
    expect(r.providerConfigs.get('powens')).toMatchObject({ baseUrl: 'http://127.0.0.1:2', clientId: 'c2', options: {} });
    expect(r.providerConfigs.list()).toHaveLength(1);
    r.providerConfigs.delete('powens');
    expect(r.providerConfigs.get('powens')).toBeUndefined();
    db.close();
  });

  it('connections: create, consent, errors, removal, delete', () => {
    const db = open();
    const r = createRepositories(db);
    const c = r.connections.create({ provider: 'finapi', institutionName: 'Bank', remote: { user: 'u1' }, consent: { state: 'active', expiresAt: '2027-01-01T00:00:00.000Z' } });
    expect(c).toMatchObject({ id: 1, provider: 'finapi', state: 'active', consentExpiresAt: '2027-01-01T00:00:00.000Z', remote: { user: 'u1' }, accountCount: 0 });
    r.connections.recordError(c.id, { code: 'consent_expired', message: { id: 'verbatim', values: { text: 'gone' } }, providerCode: 'X' });
    expect(r.connections.get(c.id)).toMatchObject({ state: 'expired', lastErrorCode: 'consent_expired', providerCode: 'X' });
    r.connections.recordError(c.id, { code: 'timeout', message: { id: 'error.timeout' } });
    expect(r.connections.get(c.id)!.state).toBe('failing');
    r.connections.recordSuccess(c.id, { state: 'active', message: null });
    expect(r.connections.get(c.id)).toMatchObject({ state: 'active', lastErrorCode: null, consentExpiresAt: '2027-01-01T00:00:00.000Z' });
    expect(r.connections.get(c.id)!.lastSuccessAt).not.toBeNull();
    r.connections.updateRemote(c.id, { user: 'u2' });
    expect(r.connections.get(c.id)!.remote).toEqual({ user: 'u2' });
    r.accounts.upsertRemote(c.id, [acc('a1')]);
    r.connections.markRemoved(c.id);
    expect(r.connections.list()).toHaveLength(0);
    expect(r.connections.list({ includeRemoved: true })[0]).toMatchObject({ accountCount: 1 });
    r.connections.delete(c.id);
    expect(r.connections.get(c.id)).toBeUndefined();
    expect(r.accounts.list()).toHaveLength(0);
    db.close();
  });

  it('accounts keep their local ids across renewal (new remote ids matched by IBAN or number + currency)', () => {
    const db = open();
    const r = createRepositories(db);
    const c = r.connections.create({ provider: 'powens', institutionName: 'Bank', remote: {} });
    const first = r.accounts.upsertRemote(c.id, [acc('1', { balanceCurrent: 1000, balanceCurrentDate: '2026-01-01' }), acc('2', { iban: null, number: '12-34' })]);
    expect(first.map((a) => a.id)).toEqual([1, 2]);
    r.accounts.setSelected(c.id, [2]);
    const again = r.accounts.upsertRemote(c.id, [acc('1'), acc('2', { iban: null, number: '12-34' })]);
    expect(again.map((a) => [a.id, a.selected])).toEqual([[1, false], [2, true]]);
    expect(again[0].balanceCurrent).toBe(1000); // not cleared by a report without a balance
    const renewed = r.accounts.upsertRemote(c.id, [acc('X9', { iban: 'DE00 1' }), acc('Y9', { iban: null, number: '1234' }), acc('Z', { currency: 'USD', iban: 'DE001' })]);
    expect(renewed.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(renewed.map((a) => a.remoteId)).toEqual(['X9', 'Y9', 'Z']);
    expect(renewed[2].selected).toBe(true);
    expect(db.prepare('select count(*) from balances').pluck().get()).toBe(1);
    db.close();
  });

  it('user edits and soft delete', () => {
    const db = open();
    const r = createRepositories(db);
    const c = r.connections.create({ provider: 'powens', institutionName: 'Bank', remote: {} });
    r.accounts.upsertRemote(c.id, [acc('1')]);
    db.prepare("insert into transactions (account_id, remote_id, booking_date, amount, currency, status, first_seen_at, last_seen_at) values (1,'t','2026-01-01',1,'EUR','booked','x','x')").run();
    expect(r.transactions.update(1, { category: 'Food', hidden: true })).toBe(true);
    expect(db.prepare('select category, note, hidden from transactions').get()).toEqual({ category: 'Food', note: null, hidden: 1 });
    expect(r.transactions.deleteByUser(1)).toBe(true);
    expect(r.transactions.update(1, { note: 'n' })).toBe(false);
    expect(r.transactions.update(99, { note: 'n' })).toBe(false);
    db.close();
  });
});
