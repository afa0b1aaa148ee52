// Statement files through the sync write path, on a real SQLite file: the account by IBAN, the preview (a rolled-back
// import), one transaction and one sync-log entry per import, overlap with synced history both ways, undo, errors
// that write nothing, and CSV mappings remembered per layout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importStatement, undoStatementImport, type ImportRequest } from '../../../main/import/importer.js';
import type { Db } from '../../../main/store/db.js';
import { deleteManualAccount, listImports } from '../../../main/store/imports.js';
import { AppError } from '../../../main/domain/errors.js';
import { listAccounts, syncLog } from '../../../main/store/queries.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import { cleanupDirs, freshDb, tx } from '../sync/scripted.js';
import { testNow } from '../../helpers/clock.js';
import { DE_CSV, PL_CSV } from './mappings.js';

afterEach(cleanupDirs);
const NOW = testNow('2026-04-02T09:00:00.000Z');
let tick = 0;
const now = () => new Date(NOW.getTime() + (tick++) * 1000);
const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/statements', name)));

function setup() {
  const { db, connectionId } = freshDb();
  const add = (iban: string | null, currency: string, name: string) => Number(db.prepare(`INSERT INTO accounts (connection_id, remote_id, iban, name, type,
    currency, created_at, updated_at) VALUES (?, ?, ?, ?, 'checking', ?, ?, ?)`).run(connectionId, name, iban, name, currency, NOW.toISOString(), NOW.toISOString()).lastInsertRowid);
  const de = add('DE89 3704 0044 0532 0130 00', 'EUR', 'Girokonto');
  const pl = add('PL48109010140000000123456789', 'PLN', 'Konto osobiste');
  const run = (file: string, o: Partial<ImportRequest> = {}) => importStatement(db, { fileName: file, bytes: fixture(file), dryRun: false, ...o }, now);
  return { db, de, pl, run };
}
const rows = (db: Db, accountId: number) => db.prepare(`SELECT remote_id, booking_date, amount, description, category, note, import_id FROM transactions
  WHERE account_id = ? ORDER BY booking_date, id`).all(accountId) as Array<{ remote_id: string; booking_date: string; amount: number; description: string; category: string | null; note: string | null; import_id: number | null }>;
/** every table's rows: "nothing was written" is this unchanged */
const snapshot = (db: Db) => JSON.stringify(['transactions', 'transaction_remote_ids', 'balances', 'sync_runs', 'statement_imports', 'csv_layouts']
  .map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()));

describe('importing a statement file', () => {
  it('finds the account by IBAN; a preview writes nothing; the import is one sync-log entry; the same file twice adds nothing', () => {
    const { db, de, run } = setup();
    const before = snapshot(db);
    const preview = run('camt053-de.xml', { dryRun: true });
    expect(preview).toMatchObject({ dryRun: true, importId: null, accountId: de, format: 'camt053', added: 4, matched: 0, skipped: 1,
      dateFrom: '2026-03-02', dateTo: '2026-03-20', closing: { amount: 304251, date: '2026-03-31' }, balanceAfter: null });
    expect(preview.sample.map((r) => r.amount)).toEqual([248000, -89000, -5437, 25688]);
    expect(snapshot(db)).toBe(before);

    const done = run('camt053-de.xml');
    expect(done).toMatchObject({ dryRun: false, added: 4, matched: 0, skipped: 1 });
    expect(rows(db, de).map((r) => [r.booking_date, r.amount, r.import_id])).toEqual([
      ['2026-03-02', 248000, done.importId], ['2026-03-03', -89000, done.importId], ['2026-03-14', -5437, done.importId], ['2026-03-20', 25688, done.importId]]);
    const log = syncLog(db);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ id: done.runId, trigger: 'import', outcome: 'ok', newCount: 4, unchangedCount: 0, requestedFrom: '2026-03-02', requestedTo: '2026-03-20',
      import: { id: done.importId, fileName: 'camt053-de.xml', skipped: 1 } });
    expect(JSON.parse(db.prepare('SELECT details_json FROM sync_runs WHERE id = ?').pluck().get(done.runId) as string))
      .toEqual({ import: { id: done.importId, fileName: 'camt053-de.xml', skipped: 1 } });
    // the account had no balance: the file's closing balance becomes its balance on that day
    expect(db.prepare('SELECT date, amount FROM balances WHERE account_id = ?').all(de)).toEqual([{ date: '2026-03-31', amount: 304251 }]);

    const again = run('camt053-de.xml');
    expect(again).toMatchObject({ added: 0, matched: 4, skipped: 1, balanceAfter: 304251 });
    expect(rows(db, de)).toHaveLength(4);
  });

  it('the same month as OFX, MT940 and a CSV of another wording adds nothing to a CAMT import', () => {
    const { db, de, run } = setup();
    run('camt053-de.xml');
    expect(run('ofx102-de.ofx')).toMatchObject({ added: 0, matched: 4 });
    expect(run('mt940-de.sta', { accountId: de })).toMatchObject({ added: 0, matched: 4 });
    expect(run('csv-de.csv', { csvMapping: DE_CSV })).toMatchObject({ added: 0, matched: 4, balanceAfter: null, closing: null });
    expect(rows(db, de)).toHaveLength(4);
  });

  it('a later aggregator sync of the same days takes over the imported rows, keeping category and note; the file again adds nothing', () => {
    const { db, de, run } = setup();
    run('camt053-de.xml');
    db.prepare("UPDATE transactions SET category = 'Rent', note = 'flat 4' WHERE amount = -89000").run();
    // the aggregator's ids and wording differ from the bank file's
    const writer = new TransactionWriter(db);
    const synced = writer.writePage(de, [
      tx('agg-1', '2026-03-02', 248000, { description: 'LOHN GEHALT 03 2026', counterpartyName: 'MUSTER MASCHINENBAU' }),
      tx('agg-2', '2026-03-03', -89000, { description: 'SEPA Dauerauftrag Miete', counterpartyName: 'Hausverwaltung Lindenhof' }),
      tx('agg-3', '2026-03-13', -5437, { description: 'EDEKA SUED HAMBURG', counterpartyName: null }),
      tx('agg-4', '2026-03-20', 25688, { description: 'Erstattung', counterpartyName: 'FINANZAMT NORD' }),
      tx('agg-5', '2026-04-01', -1299, { description: 'Streaming', counterpartyName: 'Streamingdienst' }),
    ], new RunContext(now().toISOString()));
    expect(synced).toMatchObject({ new: 1, updated: 4 });
    const after = rows(db, de);
    expect(after.map((r) => r.remote_id)).toEqual(['agg-1', 'agg-2', 'agg-3', 'agg-4', 'agg-5']);
    expect(after[1]).toMatchObject({ category: 'Rent', note: 'flat 4', description: 'SEPA Dauerauftrag Miete' });
    expect(run('camt053-de.xml')).toMatchObject({ added: 0, matched: 4 });
    expect(rows(db, de)).toHaveLength(5);
  });

  it('a payment of the same amount on another day with nothing in common is not taken for an imported one', () => {
    const { db, de, run } = setup();
    run('camt053-de.xml');
    const counts = new TransactionWriter(db).writePage(de, [
      tx('agg-9', '2026-03-15', -5437, { description: 'Online order 7731', counterpartyName: 'Versandhaus' }),
    ], new RunContext(now().toISOString()));
    expect(counts).toMatchObject({ new: 1, updated: 0 });
    expect(rows(db, de).filter((r) => r.amount === -5437).map((r) => r.remote_id.startsWith('file:') ? 'file' : r.remote_id)).toEqual(['file', 'agg-9']);
  });

  it('a file over synced history adds only what is missing', () => {
    const { db, de, run } = setup();
    new TransactionWriter(db).writePage(de, [
      tx('agg-1', '2026-03-02', 248000, { description: 'Lohn Gehalt', counterpartyName: 'Muster Maschinenbau GmbH' }),
      tx('agg-2', '2026-03-04', -89000, { description: 'Miete', counterpartyName: 'Hausverwaltung Lindenhof' }),
    ], new RunContext(now().toISOString()));
    const r = run('camt053-de.xml');
    expect(r).toMatchObject({ added: 2, matched: 2 });
    expect(rows(db, de).map((x) => [x.remote_id.startsWith('file:') ? 'file' : x.remote_id, x.amount])).toEqual([
      ['agg-1', 248000], ['agg-2', -89000], ['file', -5437], ['file', 25688]]);
  });

  it('undo removes what the import added, its closing balance, and says so in the sync log; a row a sync took over stays', () => {
    const { db, de, run } = setup();
    const first = run('camt053-de.xml');
    new TransactionWriter(db).writePage(de, [tx('agg-1', '2026-03-02', 248000, { description: 'Lohn', counterpartyName: 'Muster Maschinenbau GmbH' })], new RunContext(now().toISOString()));
    const undone = undoStatementImport(db, first.importId!, now);
    expect(undone.removed).toBe(3);
    expect(rows(db, de).map((r) => r.remote_id)).toEqual(['agg-1']);
    expect(db.prepare('SELECT count(*) FROM balances').pluck().get()).toBe(0);
    expect(listImports(db, de)[0]).toMatchObject({ id: first.importId, added: 4, undoneAt: expect.any(String) });
    expect(syncLog(db).find((r) => r.id === first.runId)?.import).toMatchObject({ fileName: 'camt053-de.xml', removed: 3, undoneAt: expect.any(String) });
    expect(() => undoStatementImport(db, first.importId!, now)).toThrow(/already undone/);
    // imported again after the undo: the rows are back
    expect(run('camt053-de.xml')).toMatchObject({ added: 3, matched: 1 });
  });

  it('refuses a file for another account, an unknown IBAN, a file with no account, another currency: nothing written', () => {
    const { db, de, pl, run } = setup();
    const before = snapshot(db);
    expect(() => run('camt053-de.xml', { accountId: pl })).toThrow(/This file is a statement of DE89370400440532013000, not of Konto osobiste/);
    expect(() => run('camt053-sk.xml')).toThrow(/No account here has the IBAN SK2411000000002612345678/);
    expect(() => run('mt940-de.sta')).toThrow(/does not say which account it is for/);
    expect(() => run('ofx2-us.qfx', { accountId: de })).toThrow(/STMTTRN 1 \(FITID CC20260404A1\): The row is in USD but Girokonto is kept in EUR/);
    expect(() => run('camt053-wrong-sum.xml')).toThrow(/do not add up/);
    expect(snapshot(db)).toBe(before);
  });

  it('remembers a CSV mapping per layout once an import with it succeeds (a preview does not)', () => {
    const { db, pl, run } = setup();
    expect(() => run('csv-pl-win1250.csv')).toThrow(/have no mapping yet/);
    run('csv-pl-win1250.csv', { csvMapping: PL_CSV, dryRun: true });
    expect(() => run('csv-pl-win1250.csv')).toThrow(/have no mapping yet/);
    expect(run('csv-pl-win1250.csv', { csvMapping: PL_CSV })).toMatchObject({ accountId: pl, added: 3 });
    expect(run('csv-pl-win1250.csv')).toMatchObject({ accountId: pl, added: 0, matched: 3 });
    expect(rows(db, pl).map((r) => r.description)).toContain('Czynsz za kwiecień ul. Żurawia 12 m. 5');
    // the MT940 of the same days from the same bank (other wording, no references) matches them
    expect(run('mt940-pl.sta')).toMatchObject({ added: 0, matched: 3 });
  });

  it('creates a manual account for a bank no aggregator covers: never synced, its balance the latest closing balance', () => {
    const { db, run } = setup();
    const accounts = () => db.prepare('SELECT count(*) FROM accounts').pluck().get();
    expect(run('camt053-sk.xml', { newAccount: { name: 'Sporiaci účet' }, dryRun: true })).toMatchObject({ newAccount: true, accountName: 'Sporiaci účet', added: 2 });
    expect(accounts()).toBe(2);
    const made = run('camt053-sk.xml', { newAccount: { name: 'Sporiaci účet' } });
    expect(made).toMatchObject({ newAccount: true, added: 2, closing: { amount: 28505, date: '2026-04-30' } });
    expect(listAccounts(db).find((a) => a.id === made.accountId)).toMatchObject({
      provider: 'manual', name: 'Sporiaci účet', iban: 'SK2411000000002612345678', currency: 'EUR', balanceCurrent: 28505, balanceCurrentDate: '2026-04-30' });
    // the sync engine and the connections list never see its holder
    expect(createRepositories(db).connections.list({ includeRemoved: true }).map((c) => c.provider)).toEqual(['powens']);
    // the next file of that bank finds it by IBAN; a second new account for the same IBAN is refused
    expect(run('camt053-sk.xml')).toMatchObject({ accountId: made.accountId, newAccount: false, added: 0, matched: 2 });
    expect(() => run('camt053-sk.xml', { newAccount: { name: 'Again' } })).toThrow(/An account with the IBAN SK2411000000002612345678 is already here/);
  });

  it('an unknown account is its own error code (the app then offers a manual account); the new account takes the name, currency, IBAN and bank given', () => {
    const { db, run } = setup();
    const code = (f: () => unknown) => { try { f(); } catch (e) { return (e as AppError).code; } return 'no error'; };
    expect(code(() => run('camt053-sk.xml'))).toBe('import_account_unknown');
    expect(code(() => run('mt940-de.sta'))).toBe('import_account_unknown');
    // a file without an IBAN: the IBAN given is the account's; the bank's name titles it in the accounts list
    const made = run('mt940-de.sta', { newAccount: { name: 'Tagesgeld', currency: 'EUR', iban: 'de02 1001 0010 0987 6543 21', bankName: 'Postbank' } });
    expect(made).toMatchObject({ newAccount: true, added: 4, iban: null });
    expect(listAccounts(db).find((a) => a.id === made.accountId)).toMatchObject({
      provider: 'manual', name: 'Tagesgeld', iban: 'DE02100100100987654321', number: '10010010/0987654321', bankName: 'Postbank', institutionName: 'Postbank', currency: 'EUR' });
    // a file naming another IBAN than the one given, or rows in another currency than the one chosen: refused, nothing written
    const before = snapshot(db);
    expect(() => run('camt053-sk.xml', { newAccount: { name: 'X', iban: 'SK3112000000198742637541' } })).toThrow(/statement of SK2411000000002612345678, not of SK3112000000198742637541/);
    expect(() => run('camt053-sk.xml', { newAccount: { name: 'X', currency: 'CZK' } })).toThrow(/The row is in EUR but X is kept in CZK/);
    expect(snapshot(db)).toBe(before);
    expect(db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(3);
  });

  it('deletes a manual account with its transactions, balances and imports; an aggregator\'s account is refused', () => {
    const { db, de, run } = setup();
    const made = run('camt053-sk.xml', { newAccount: { name: 'Sporiaci účet' } });
    run('camt053-de.xml');
    expect(() => deleteManualAccount(db, de)).toThrow(/Only a manual account/);
    expect(() => deleteManualAccount(db, 999)).toThrow(/There is no account 999/);
    expect(deleteManualAccount(db, made.accountId)).toEqual({ removed: 2 });
    expect(listAccounts(db).map((a) => a.id)).not.toContain(made.accountId);
    const left = (t: string) => db.prepare(`SELECT count(*) FROM ${t} WHERE account_id = ?`).pluck().get(made.accountId);
    expect(['transactions', 'transaction_remote_ids', 'balances', 'statement_imports'].map(left)).toEqual([0, 0, 0, 0]);
    expect(db.prepare("SELECT count(*) FROM connections WHERE provider = 'manual'").pluck().get()).toBe(0);
    // the other account's import is untouched, and the same file can make the account again
    expect(rows(db, de)).toHaveLength(4);
    expect(run('camt053-sk.xml', { newAccount: { name: 'Sporiaci účet' } })).toMatchObject({ added: 2 });
  });
});
