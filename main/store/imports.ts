// SQL of statement-file imports (main/import): the import log, the rows an import added, undo, remembered CSV layouts.
import type { CsvMapping, StatementImportDto } from '../../preload/contract/imports.js';
import { normIban } from '../domain/identifiers.js';
import type { Db } from './db.js';
import { AppError } from '../domain/errors.js';
import { ConnectionRepo, MANUAL_PROVIDER, stmt } from './repositories.js';

export interface ImportAccount { id: number; connection_id: number; name: string; iban: string | null; currency: string }

export function importAccount(db: Db, id: number): ImportAccount | undefined {
  return stmt(db, 'SELECT id, connection_id, name, iban, currency FROM accounts WHERE id = ?').get(id) as ImportAccount | undefined;
}

/** Accounts with this IBAN (spacing and case aside); accounts of removed connections last. */
export function accountsByIban(db: Db, iban: string): ImportAccount[] {
  const rows = stmt(db, `SELECT a.id, a.connection_id, a.name, a.iban, a.currency, c.removed_at FROM accounts a JOIN connections c ON c.id = a.connection_id
    WHERE a.iban IS NOT NULL ORDER BY c.removed_at IS NOT NULL, a.id`).all() as Array<ImportAccount & { removed_at: string | null }>;
  return rows.filter((r) => normIban(r.iban) === iban);
}

/** A manual account (a bank no aggregator covers), held by its own 'manual' connection that is never synced. */
export function createManualAccount(db: Db, a: { name: string; bankName: string | null; iban: string | null; number: string | null; currency: string; at: string }): ImportAccount {
  // the accounts list groups by connection, titled by its institution: the bank's name, else the account's
  const connectionId = Number(stmt(db, 'INSERT INTO connections (provider, institution_name, state, created_at) VALUES (?, ?, ?, ?)')
    .run(MANUAL_PROVIDER, a.bankName ?? a.name, 'active', a.at).lastInsertRowid);
  const id = Number(stmt(db, `INSERT INTO accounts (connection_id, remote_id, iban, number, name, type, currency, bank_name, created_at, updated_at)
    VALUES (?, 'manual', ?, ?, ?, 'checking', ?, ?, ?, ?)`).run(connectionId, a.iban, a.number, a.name, a.currency, a.bankName, a.at, a.at).lastInsertRowid);
  return importAccount(db, id)!;
}

/** Delete a manual account with its transactions, balances and imports (its connection holds only it); an account an
 *  aggregator syncs is refused. The import entries in the sync log stay, as for a deleted connection. */
export function deleteManualAccount(db: Db, accountId: number): { removed: number } {
  const acc = stmt(db, 'SELECT a.connection_id, c.provider FROM accounts a JOIN connections c ON c.id = a.connection_id WHERE a.id = ?')
    .get(accountId) as { connection_id: number; provider: string } | undefined;
  if (!acc) throw new AppError('not_found', { id: 'error.no_account', values: { accountId } });
  if (acc.provider !== MANUAL_PROVIDER) throw new AppError('validation', { id: 'error.only_manual_removable' });
  const removed = stmt(db, 'SELECT count(*) FROM transactions WHERE account_id = ?').pluck().get(accountId) as number;
  new ConnectionRepo(db).delete(acc.connection_id);
  return { removed };
}

/** A manual account's balance is its latest statement's closing balance. */
export function setManualBalance(db: Db, accountId: number, closing: { amount: number; date: string }, at: string): void {
  stmt(db, `UPDATE accounts SET balance_current = ?, balance_current_date = ?, updated_at = ? WHERE id = ?
    AND (balance_current_date IS NULL OR balance_current_date <= ?)
    AND connection_id IN (SELECT id FROM connections WHERE provider = ?)`).run(closing.amount, closing.date, at, accountId, closing.date, MANUAL_PROVIDER);
}

export interface ImportRecord {
  accountId: number; connectionId: number; fileName: string; format: string; sha256: string; at: string;
  dateFrom: string | null; dateTo: string | null; closing: { amount: number; date: string } | null;
}

/** The import's sync-log entry and its statement_imports row (counts are filled by finishImport). */
export function startImport(db: Db, r: ImportRecord): { importId: number; runId: number } {
  const runId = Number(stmt(db, `INSERT INTO sync_runs (connection_id, trigger, user_present, started_at, requested_from, requested_to,
    served_from, served_to, outcome) VALUES (?, 'import', 1, ?, ?, ?, ?, ?, 'running')`)
    .run(r.connectionId, r.at, r.dateFrom, r.dateTo, r.dateFrom, r.dateTo).lastInsertRowid);
  const importId = Number(stmt(db, `INSERT INTO statement_imports (account_id, run_id, file_name, format, file_sha256, imported_at, date_from,
    date_to, new_count, matched_count, skipped_count, closing_amount, closing_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)`)
    .run(r.accountId, runId, r.fileName, r.format, r.sha256, r.at, r.dateFrom, r.dateTo, r.closing?.amount ?? null, r.closing?.date ?? null).lastInsertRowid);
  return { importId, runId };
}

/** Mark the rows this import inserted (first seen at `at`, still with a file id) as the import's. */
export function tagImportedRows(db: Db, importId: number, accountId: number, at: string): void {
  stmt(db, `UPDATE transactions SET import_id = ? WHERE account_id = ? AND first_seen_at = ? AND import_id IS NULL
    AND remote_id >= 'file:' AND remote_id < 'file;'`).run(importId, accountId, at);
}

export function importedSample(db: Db, importId: number, limit: number): Array<{ bookingDate: string; amount: number; currency: string; description: string; counterpartyName: string | null }> {
  return stmt(db, `SELECT booking_date AS bookingDate, amount, currency, description, counterparty_name AS counterpartyName FROM transactions
    WHERE import_id = ? ORDER BY booking_date, id LIMIT ?`).all(importId, limit) as never;
}

/** Whether the account has a balance of its own (an aggregator's, or an earlier file's) to compare a file's with. */
export function hasBalance(db: Db, accountId: number): boolean {
  return stmt(db, `SELECT (SELECT balance_current FROM accounts WHERE id = ?) IS NOT NULL OR EXISTS (SELECT 1 FROM balances WHERE account_id = ?)`)
    .pluck().get(accountId, accountId) === 1;
}

/** Keep the file's closing balance as the account's balance on that day, unless one is known for that day. */
export function addClosingBalance(db: Db, importId: number, accountId: number, closing: { amount: number; date: string }): void {
  const added = stmt(db, "INSERT OR IGNORE INTO balances (account_id, date, kind, amount) VALUES (?, ?, 'booked', ?)").run(accountId, closing.date, closing.amount).changes;
  if (added) stmt(db, 'UPDATE statement_imports SET balance_added = 1 WHERE id = ?').run(importId);
}

export function finishImport(db: Db, ids: { importId: number; runId: number }, c: { added: number; matched: number; skipped: number; fileName: string; at: string }): void {
  stmt(db, 'UPDATE statement_imports SET new_count = ?, matched_count = ?, skipped_count = ? WHERE id = ?').run(c.added, c.matched, c.skipped, ids.importId);
  stmt(db, `UPDATE sync_runs SET finished_at = ?, new_count = ?, unchanged_count = ?, outcome = 'ok', duration_ms = 0, details_json = ? WHERE id = ?`)
    .run(c.at, c.added, c.matched, JSON.stringify({ import: { id: ids.importId, fileName: c.fileName, skipped: c.skipped } }), ids.runId);
}

interface ImportRaw {
  id: number; account_id: number; run_id: number | null; file_name: string; format: string; imported_at: string; date_from: string | null;
  date_to: string | null; new_count: number; matched_count: number; skipped_count: number; balance_added: number; undone_at: string | null;
}
const toDto = (r: ImportRaw): StatementImportDto => ({
  id: r.id, accountId: r.account_id, runId: r.run_id, fileName: r.file_name, format: r.format as StatementImportDto['format'],
  importedAt: r.imported_at, dateFrom: r.date_from, dateTo: r.date_to, added: r.new_count, matched: r.matched_count,
  skipped: r.skipped_count, undoneAt: r.undone_at,
});

export function listImports(db: Db, accountId?: number): StatementImportDto[] {
  const rows = (accountId !== undefined
    ? stmt(db, 'SELECT * FROM statement_imports WHERE account_id = ? ORDER BY id DESC').all(accountId)
    : stmt(db, 'SELECT * FROM statement_imports ORDER BY id DESC').all()) as ImportRaw[];
  return rows.map(toDto);
}

export function getImport(db: Db, id: number): (StatementImportDto & { balanceAdded: boolean }) | undefined {
  const r = stmt(db, 'SELECT * FROM statement_imports WHERE id = ?').get(id) as ImportRaw | undefined;
  return r ? { ...toDto(r), balanceAdded: r.balance_added === 1 } : undefined;
}

/**
 * Remove what an import added, in ONE transaction: its rows that still carry the file's ids (a row an aggregator has
 * since taken over is the bank's now and stays), the closing balance it added; its log entry says it was undone.
 */
export function undoImport(db: Db, id: number, at: string): number {
  return db.transaction(() => {
    const imp = getImport(db, id)!;
    const removed = stmt(db, `DELETE FROM transactions WHERE import_id = ? AND remote_id >= 'file:' AND remote_id < 'file;'`).run(id).changes;
    stmt(db, 'UPDATE transactions SET import_id = NULL WHERE import_id = ?').run(id);
    if (imp.balanceAdded) {
      const closing = stmt(db, 'SELECT closing_date FROM statement_imports WHERE id = ?').pluck().get(id) as string;
      stmt(db, "DELETE FROM balances WHERE account_id = ? AND date = ? AND kind = 'booked'").run(imp.accountId, closing);
    }
    stmt(db, 'UPDATE statement_imports SET undone_at = ? WHERE id = ?').run(at, id);
    if (imp.runId !== null) {
      stmt(db, `UPDATE sync_runs SET details_json = json_set(coalesce(details_json, '{}'), '$.import.undoneAt', ?, '$.import.removed', ?) WHERE id = ?`)
        .run(at, removed, imp.runId);
    }
    return removed;
  }).immediate();
}

export function rememberedLayout(db: Db, key: string): CsvMapping | null {
  const json = stmt(db, 'SELECT mapping_json FROM csv_layouts WHERE layout_key = ?').pluck().get(key) as string | undefined;
  return json ? JSON.parse(json) as CsvMapping : null;
}

export function rememberLayout(db: Db, key: string, mapping: CsvMapping, at: string): void {
  stmt(db, `INSERT INTO csv_layouts (layout_key, mapping_json, updated_at) VALUES (?, ?, ?)
    ON CONFLICT(layout_key) DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at`).run(key, JSON.stringify(mapping), at);
}
