// Importing a statement file into an account through the sync write path (main/sync/writer.ts): the file's rows get
// stable ids ('file:' + the bank's reference, or a hash of the row), so the same file twice adds nothing; rows the
// account already has (synced or imported) are matched by the writer's rules and left as they are; a later sync's
// row takes over an imported one. One SQLite transaction and one sync-log entry per import; a preview is the same
// import rolled back.
import { createHash } from 'node:crypto';
import type { ImportInspectDto, ImportResultDto, NewManualAccount, StatementImportDto } from '../../preload/contract/imports.js';
import { normIban } from '../domain/identifiers.js';
import { AppError } from '../domain/errors.js';
import type { RemoteTransaction } from '../domain/types.js';
import type { Db } from '../store/db.js';
import * as store from '../store/imports.js';
import { balanceHistory } from '../store/queries.js';
import { FILE_ID_PREFIX, normalizeText, RunContext, TransactionWriter } from '../sync/writer.js';
import { csvHeader, layoutKey } from './formats/csv.js';
import { decode, detectFormat, readStatement, type ReadOptions } from './parse.js';
import { badFile, type Statement } from './statement.js';

export interface ImportRequest extends Omit<ReadOptions, 'csvMapping'> {
  fileName: string;
  bytes: Uint8Array;
  accountId?: number;
  /** create a manual account (no connection) for the file */
  newAccount?: NewManualAccount;
  csvMapping?: ReadOptions['csvMapping'] & object;
  dryRun: boolean;
}

/** Thrown inside the transaction to roll a preview back, carrying its result. */
class Preview { constructor(readonly result: ImportResultDto) {} }

const SAMPLE_ROWS = 20;

/** The file's rows as the writer takes them; ids are stable across re-imports of the same (or an overlapping) file. */
export function toRemoteRows(s: Statement): RemoteTransaction[] {
  const seen = new Map<string, number>();
  return s.rows.map((r) => {
    let id: string;
    if (r.ref) id = `${FILE_ID_PREFIX}r:${r.ref}`;
    else {
      // identical rows on one day (two coffees) are told apart by their order in the file
      const key = `${r.bookingDate}|${r.amount}|${normalizeText(r.counterpartyName)}|${normalizeText(r.description)}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      id = `${FILE_ID_PREFIX}h:${createHash('sha1').update(`${key}|${n}`).digest('base64url').slice(0, 20)}`;
    }
    return {
      remoteId: id, bookingDate: r.bookingDate, valueDate: r.valueDate, amount: r.amount, currency: r.currency, status: 'booked',
      description: r.description, counterpartyName: r.counterpartyName, counterpartyIban: r.counterpartyIban, raw: { file: s.format, at: r.at },
    };
  });
}

/** The account the file is for: the one asked for (refused when the file names another IBAN), else the one with the file's IBAN. */
function resolveAccount(db: Db, s: Statement, accountId: number | undefined): store.ImportAccount {
  if (accountId !== undefined) {
    const acc = store.importAccount(db, accountId);
    if (!acc) throw new AppError('not_found', { id: 'error.no_account', values: { accountId } });
    if (s.iban && acc.iban && s.iban !== acc.iban.replace(/\s+/g, '').toUpperCase()) {
      throw badFile({ id: 'import.other_account', values: { iban: s.iban, name: acc.name, accountIban: acc.iban ?? '' } });
    }
    return acc;
  }
  if (!s.iban) throw new AppError('import_account_unknown', { id: 'error.import_no_iban' });
  const found = store.accountsByIban(db, s.iban);
  if (found.length === 0) throw new AppError('import_account_unknown', { id: 'error.import_iban_unknown', values: { iban: s.iban } }, { iban: s.iban });
  return found[0];
}

/** The manual account to create for the file: the IBAN the file names (or the one given), the file's currency (or the one given). */
function newManualAccount(db: Db, s: Statement, a: NewManualAccount): { name: string; bankName: string | null; iban: string | null; currency: string } {
  const given = normIban(a.iban);
  if (s.iban && given && given !== s.iban) throw badFile({ id: 'import.other_iban', values: { iban: s.iban, given } });
  const iban = s.iban ?? given;
  if (iban && store.accountsByIban(db, iban).length) {
    throw badFile({ id: 'import.iban_exists', values: { iban } });
  }
  const currency = a.currency ?? s.currency ?? s.rows[0]?.currency;
  if (!currency) throw badFile({ id: 'import.no_currency' });
  return { name: a.name.trim(), bankName: a.bankName?.trim() || null, iban, currency };
}

export function importStatement(db: Db, req: ImportRequest, now: () => Date): ImportResultDto {
  const { statement: s, csvLayout } = readStatement(req.bytes, {
    format: req.format, encoding: req.encoding, csvMapping: req.csvMapping ?? ((key) => store.rememberedLayout(db, key)),
  });
  if (req.newAccount && req.accountId !== undefined) throw new AppError('validation', { id: 'error.import_account_or_new' });
  const fresh = req.newAccount && newManualAccount(db, s, req.newAccount);
  const acc = fresh ? { id: 0, connection_id: 0, ...fresh } : resolveAccount(db, s, req.accountId);
  const foreign = s.rows.find((r) => r.currency !== acc.currency);
  if (foreign) throw badFile({ id: 'import.other_currency', values: { rowCurrency: foreign.currency, name: acc.name, currency: acc.currency } }, foreign.at);
  const rows = toRemoteRows(s);
  const dates = s.rows.map((r) => r.bookingDate).sort();
  const dateFrom = dates[0] ?? null;
  const dateTo = dates[dates.length - 1] ?? null;
  const at = now().toISOString();
  const sha256 = createHash('sha256').update(req.bytes).digest('hex');
  const writer = new TransactionWriter(db);
  try {
    return db.transaction(() => {
      // a new manual account is made in the import's transaction: a preview or a failure leaves none behind
      if (fresh) Object.assign(acc, store.createManualAccount(db, { ...fresh, number: s.accountNumber, at }));
      const ids = store.startImport(db, {
        accountId: acc.id, connectionId: acc.connection_id, fileName: req.fileName, format: s.format, sha256, at, dateFrom, dateTo, closing: s.closing,
      });
      const counts = writer.writePage(acc.id, rows, new RunContext(at), undefined, undefined, undefined, 'file');
      store.tagImportedRows(db, ids.importId, acc.id, at);
      const added = counts.new;
      // rows the writer deduplicated within the file (the same reference twice) count as skipped
      const skipped = s.skipped + (rows.length - counts.new - counts.unchanged - counts.updated);
      const matched = counts.unchanged + counts.updated;
      let balanceAfter: number | null = null;
      if (s.closing) {
        if (store.hasBalance(db, acc.id)) {
          balanceAfter = balanceHistory(db, acc.id, { from: s.closing.date, to: s.closing.date, today: s.closing.date })[0]?.balance ?? null;
        } else store.addClosingBalance(db, ids.importId, acc.id, s.closing);
        store.setManualBalance(db, acc.id, s.closing, at);
      }
      store.finishImport(db, ids, { added, matched, skipped, fileName: req.fileName, at });
      if (csvLayout && !req.dryRun) store.rememberLayout(db, csvLayout.key, csvLayout.mapping, at);
      const result: ImportResultDto = {
        importId: req.dryRun ? null : ids.importId, runId: req.dryRun ? null : ids.runId, dryRun: req.dryRun, fileName: req.fileName,
        format: s.format, accountId: acc.id, accountName: acc.name, newAccount: !!req.newAccount, iban: s.iban, currency: acc.currency, dateFrom, dateTo,
        added, matched, skipped, sample: store.importedSample(db, ids.importId, SAMPLE_ROWS), closing: s.closing, balanceAfter,
      };
      if (req.dryRun) throw new Preview(result);
      return result;
    }).immediate();
  } catch (e) {
    if (e instanceof Preview) return e.result;
    throw e;
  }
}

export function undoStatementImport(db: Db, importId: number, now: () => Date): { removed: number; import: StatementImportDto } {
  const imp = store.getImport(db, importId);
  if (!imp) throw new AppError('not_found', { id: 'error.no_import', values: { importId } });
  if (imp.undoneAt) throw new AppError('validation', { id: 'error.import_already_undone', values: { file: imp.fileName, at: imp.undoneAt } });
  const removed = store.undoImport(db, importId, now().toISOString());
  return { removed, import: store.getImport(db, importId)! };
}

/** What kind of file this is, and for a CSV its columns and the mapping remembered for them (the app's mapping form). */
export function inspectStatement(db: Db, bytes: Uint8Array, encoding?: string): ImportInspectDto {
  // the head of the file, cut at a line end (never inside a character)
  const head = bytes.length > 256 * 1024 ? bytes.subarray(0, bytes.lastIndexOf(0x0a, 256 * 1024) + 1 || 256 * 1024) : bytes;
  const text = decode(head, encoding);
  const format = detectFormat(text);
  if (format !== 'csv') return { format, headers: null, mapping: null };
  const { headers } = csvHeader(text);
  return { format, headers, mapping: store.rememberedLayout(db, layoutKey(headers)) };
}
