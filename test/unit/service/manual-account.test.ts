// Manual accounts over IPC, through the real dispatcher (zod), service and SQLite file: a file no account is for gets
// the import_account_unknown code, import.run with newAccount creates the account (listed, bank-titled), a bad IBAN
// or currency is refused in plain words before anything is written, and import.removeManualAccount deletes it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/ipc/index.js';
import { silentLogger } from '../../../main/log/index.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { testNow } from '../../helpers/clock.js';

const NOW = testNow('2026-05-02T09:00:00.000Z');
const opened: Array<{ service: MultibankService; dir: string }> = [];
afterEach(async () => {
  for (const { service, dir } of opened.splice(0)) { await service.close(); rmSync(dir, { recursive: true, force: true }); }
});
const content = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/statements', name)).toString('base64');

async function app() {
  const dir = mkdtempSync(join(tmpdir(), 'mb-manual-'));
  const service = await createService({
    dataDir: dir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(), redirectMode: 'loopback',
    background: false, logger: silentLogger, now: () => NOW,
  });
  opened.push({ service, dir });
  const changed: unknown[] = [];
  service.on('connections.changed', (p) => changed.push(p));
  const dispatch = createDispatcher(service, { isTrustedSender: () => true });
  return { call: (channel: string, payload?: unknown) => dispatch('app', channel, payload), changed };
}

describe('manual accounts over IPC', () => {
  it('unknown account -> its own code; newAccount creates it; bad fields are refused; removeManualAccount deletes it', async () => {
    const { call, changed } = await app();
    const file = { fileName: 'vypis.xml', content: content('camt053-sk.xml') };
    expect(await call('import.preview', file)).toMatchObject({ ok: false, error: { code: 'import_account_unknown',
      message: expect.stringMatching(/^No account here has the IBAN SK2411000000002612345678\. Choose the account/),
      action: 'Choose the account to import it into, or create a manual account for it.' } });
    expect(await call('import.run', { ...file, newAccount: { name: 'Sporenie', iban: 'not an iban' } }))
      .toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('That is not an IBAN') } });
    expect(await call('import.run', { ...file, newAccount: { name: ' ', currency: 'eur' } }))
      .toMatchObject({ ok: false, error: { code: 'validation', message: 'The account needs a name. (and 1 more problem)', i18n: { message: { id: 'error.invalid_field' } } } });
    expect(await call('accounts.list')).toEqual({ ok: true, value: [] });

    const made = await call('import.run', { ...file, newAccount: { name: 'Sporenie', bankName: 'Tatra banka' } });
    expect(made).toMatchObject({ ok: true, value: { newAccount: true, accountName: 'Sporenie', added: 2 } });
    const accountId = (made as { value: { accountId: number } }).value.accountId;
    expect(await call('accounts.list')).toMatchObject({ ok: true, value: [{ id: accountId, provider: 'manual', name: 'Sporenie', bankName: 'Tatra banka',
      institutionName: 'Tatra banka', iban: 'SK2411000000002612345678', currency: 'EUR', selected: true }] });
    expect(await call('import.list', { accountId })).toMatchObject({ ok: true, value: [{ fileName: 'vypis.xml', added: 2 }] });
    expect(changed.length).toBeGreaterThan(0);

    changed.length = 0;
    expect(await call('import.removeManualAccount', { accountId })).toEqual({ ok: true, value: { removed: 2 } });
    expect(changed).toEqual([{ connectionId: null }]);
    expect(await call('accounts.list')).toEqual({ ok: true, value: [] });
    expect(await call('transactions.list', {})).toMatchObject({ ok: true, value: { rows: [] } });
    expect(await call('import.removeManualAccount', { accountId })).toMatchObject({ ok: false, error: { code: 'not_found', message: `There is no account ${accountId}.` } });
  });
});
