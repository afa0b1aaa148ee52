// Transfers between the user's own accounts (issue 19): finding the two legs, listing them, and the user's choice.
// A leg names the other account by IBAN (counterparty IBAN = one of the user's own account IBANs); the other leg has the
// opposite amount in the same currency, or (across currencies) the opposite sign and names this account or nobody;
// booking dates at most TRANSFER_DAYS apart. Payments to third parties never qualify, however alike they look.
// Detection reads only the rows waiting in transfer_queue (filled by triggers, migration 16-transfers) and the rows the
// sync writer has just inserted (which skip the insert trigger, migration 19: it passes their ids).
import type { TransferDto, TransferLegDto } from '../../preload/contract/transfers.js';
import { addDays } from '../domain/dates.js';
import { AppError } from '../domain/errors.js';
import { normIban } from '../domain/identifiers.js';
import { currencyExponent } from '../domain/money.js';
import type { Db } from './db.js';
import { stmt } from './repositories.js';

/** the two legs of a transfer are booked at most this many days apart */
export const TRANSFER_DAYS = 3;

interface Leg {
  id: number; account_id: number; booking_date: string; amount: number; currency: string; counterparty_iban: string | null;
}
const LEG_COLS = 'id, account_id, booking_date, amount, currency, counterparty_iban';
/** rows that can still become a leg: not deleted or retired, not linked, not declared "not a transfer" */
const OPEN = 'deleted_at IS NULL AND retired_at IS NULL AND transfer_id IS NULL AND transfer_state IS NULL AND amount <> 0';
const NORM_CP = "replace(upper(counterparty_iban), ' ', '')";

const daysApart = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) / 86_400_000;

interface Edge { a: Leg; b: Leg; days: number; sameCurrency: boolean }

/**
 * Link the legs among the queued (new or changed) rows and the `inserted` ones, and empty the queue, in one transaction
 * (a savepoint when called inside the sync writer's page transaction). Idempotent: a linked or rejected row is never
 * linked again. Returns the number of transfers linked.
 */
export function detectTransfers(db: Db, inserted: readonly number[] = []): number {
  return db.transaction(() => {
    // the rows that can still be a leg (one query for a page's rows, not one a row)
    const legs = stmt(db, `SELECT ${LEG_COLS} FROM transactions WHERE id IN (SELECT transaction_id FROM transfer_queue UNION SELECT value FROM json_each(?))
      AND ${OPEN} ORDER BY id`).all(JSON.stringify(inserted)) as Leg[];
    if (!legs.length) {
      stmt(db, 'DELETE FROM transfer_queue').run();
      return 0;
    }
    const ibanOf = new Map<number, string>();
    const accountsOf = new Map<string, number[]>();
    for (const a of stmt(db, 'SELECT id, iban FROM accounts WHERE iban IS NOT NULL').all() as Array<{ id: number; iban: string }>) {
      const iban = normIban(a.iban);
      if (!iban) continue;
      ibanOf.set(a.id, iban);
      accountsOf.set(iban, [...(accountsOf.get(iban) ?? []), a.id]);
    }
    let linked = 0;
    if (accountsOf.size >= 2) {
      // only a row naming one of the user's accounts, or naming nobody in an account with an IBAN, can be a leg: a page's
      // payments to third parties are passed over here instead of each being looked up
      const maybeLegs = legs.filter((l) => {
        const named = normIban(l.counterparty_iban);
        return named ? accountsOf.has(named) : ibanOf.has(l.account_id);
      });
      const finder = candidateFinder(db, ibanOf, accountsOf, maybeLegs);
      const namesOther = (x: Leg, y: Leg) => normIban(x.counterparty_iban) === ibanOf.get(y.account_id);
      /** the one other-currency candidate: among those naming `leg`'s account back when there are any (a busy account has
       *  many rows naming nobody), none when a same-currency one exists */
      const soleCrossCandidate = (leg: Leg, cands: Leg[]): Leg | null => {
        if (cands.some((c) => c.currency === leg.currency)) return null;
        const named = cands.filter((c) => namesOther(c, leg));
        const pool = named.length ? named : cands;
        return pool.length === 1 ? pool[0] : null;
      };
      const edges: Edge[] = [];
      for (const leg of maybeLegs) {
        const cands = finder(leg);
        const same = cands.filter((c) => c.currency === leg.currency && c.amount === -leg.amount);
        if (same.length) {
          for (const c of same) edges.push({ a: leg, b: c, days: daysApart(leg.booking_date, c.booking_date), sameCurrency: true });
          continue;
        }
        // across currencies there is no rate to check the amounts against: only a single candidate on both sides
        const other = soleCrossCandidate(leg, cands);
        if (other && soleCrossCandidate(other, finder(other))?.id === leg.id) {
          edges.push({ a: leg, b: other, days: daysApart(leg.booking_date, other.booking_date), sameCurrency: false });
        }
      }
      // closest dates first, each leg used once
      edges.sort((x, y) => x.days - y.days || Number(y.sameCurrency) - Number(x.sameCurrency)
        || Math.min(x.a.id, x.b.id) - Math.min(y.a.id, y.b.id) || Math.max(x.a.id, x.b.id) - Math.max(y.a.id, y.b.id));
      const used = new Set<number>();
      const link = stmt(db, 'UPDATE transactions SET transfer_id = ?, transfer_state = ?, transfer_rate = ? WHERE id = ?');
      for (const e of edges) {
        if (used.has(e.a.id) || used.has(e.b.id)) continue;
        used.add(e.a.id); used.add(e.b.id);
        const state = e.sameCurrency && namesOther(e.a, e.b) && namesOther(e.b, e.a) ? 'auto' : 'suggested';
        const rate = e.sameCurrency ? null : impliedRate(e.a.amount < 0 ? e.a : e.b, e.a.amount < 0 ? e.b : e.a);
        link.run(e.b.id, state, rate, e.a.id);
        link.run(e.a.id, state, rate, e.b.id);
        linked++;
      }
    }
    stmt(db, 'DELETE FROM transfer_queue').run();
    return linked;
  }).immediate();
}

/** The open rows that could be the other leg of `leg` (any currency, opposite sign, within TRANSFER_DAYS). The rows
 *  naming each own account are read once for the dates of the queued `legs` that name nobody. */
function candidateFinder(db: Db, ibanOf: Map<number, string>, accountsOf: Map<string, number[]>, legs: Leg[]): (leg: Leg) => Leg[] {
  const inAccount = stmt(db, `SELECT ${LEG_COLS} FROM transactions INDEXED BY tx_by_account_date WHERE account_id = ?
    AND booking_date BETWEEN ? AND ? AND (amount < 0) = ? AND ${OPEN}`);
  const naming = stmt(db, `SELECT ${LEG_COLS} FROM transactions INDEXED BY tx_by_counterparty_iban WHERE counterparty_iban IS NOT NULL
    AND ${NORM_CP} = ? AND booking_date BETWEEN ? AND ? AND account_id <> ? AND (amount < 0) = ? AND ${OPEN}`);
  // a page's rows share a few booking dates: each date's window is computed once
  const windows = new Map<string, { lo: string; hi: string }>();
  const windowOf = (date: string) => {
    let w = windows.get(date);
    if (!w) windows.set(date, w = { lo: addDays(date, -TRANSFER_DAYS), hi: addDays(date, TRANSFER_DAYS) });
    return w;
  };
  const spans = new Map<string, { lo: string; hi: string; rows?: Leg[] }>();
  for (const leg of legs) {
    const own = ibanOf.get(leg.account_id);
    if (!own || normIban(leg.counterparty_iban)) continue;
    const { lo, hi } = windowOf(leg.booking_date);
    const s = spans.get(own);
    spans.set(own, s ? { lo: lo < s.lo ? lo : s.lo, hi: hi > s.hi ? hi : s.hi } : { lo, hi });
  }
  const namingIn = stmt(db, `SELECT ${LEG_COLS} FROM transactions INDEXED BY tx_by_counterparty_iban WHERE counterparty_iban IS NOT NULL
    AND ${NORM_CP} = ? AND booking_date BETWEEN ? AND ? AND ${OPEN}`);
  for (const [own, s] of spans) s.rows = namingIn.all(own, s.lo, s.hi) as Leg[];
  return (leg) => {
    const own = ibanOf.get(leg.account_id) ?? null;
    const named = normIban(leg.counterparty_iban);
    const { lo, hi } = windowOf(leg.booking_date);
    const opposite = leg.amount > 0 ? 1 : 0;
    if (named) {
      // it names one of the user's accounts (not its own): the other leg is there, naming this account or nobody
      const targets = named === own ? [] : accountsOf.get(named) ?? [];
      return targets.flatMap((acc) => (inAccount.all(acc, lo, hi, opposite) as Leg[])
        .filter((c) => c.counterparty_iban === null || (own !== null && normIban(c.counterparty_iban) === own)));
    }
    // it names nobody: the other leg names this account
    if (!own) return [];
    const read = spans.get(own);
    const namingOwn = read?.rows && read.lo <= lo && hi <= read.hi
      ? read.rows.filter((c) => c.booking_date >= lo && c.booking_date <= hi && c.account_id !== leg.account_id && (c.amount < 0) === (opposite === 1))
      : naming.all(own, lo, hi, leg.account_id, opposite) as Leg[];
    return namingOwn.filter((c) => ibanOf.get(c.account_id) !== own);
  };
}

/** Units of the incoming currency per unit of the outgoing one, as the two amounts imply it (6 significant decimals). */
function impliedRate(out: Leg, inn: Leg): string {
  const major = (l: Leg) => Math.abs(l.amount) / 10 ** currencyExponent(l.currency);
  return String(Number((major(inn) / major(out)).toFixed(6)));
}

// ---------------------------------------------------------------- reading and the user's choice

interface LegRaw { id: number; account_id: number; booking_date: string; amount: number; currency: string; description: string;
  account_name: string; bank: string; transfer_id: number; transfer_state: 'auto' | 'suggested' | 'confirmed'; transfer_rate: string | null }
const LEG_SQL = `SELECT t.id, t.account_id, t.booking_date, t.amount, t.currency, t.description, t.transfer_id, t.transfer_state, t.transfer_rate,
  a.name AS account_name, coalesce(a.bank_name, c.institution_name) AS bank
  FROM transactions t JOIN accounts a ON a.id = t.account_id JOIN connections c ON c.id = a.connection_id`;
const toLeg = (r: LegRaw): TransferLegDto => ({
  transactionId: r.id, accountId: r.account_id, accountName: r.account_name, bankName: r.bank, bookingDate: r.booking_date,
  amount: r.amount, currency: r.currency, description: r.description,
});
function toTransfer(a: LegRaw, b: LegRaw): TransferDto {
  const [from, to] = a.amount < 0 ? [a, b] : [b, a];
  return { state: a.transfer_state, rate: a.transfer_rate, from: toLeg(from), to: toLeg(to) };
}

/** The transfer a transaction is a leg of, or null. */
export function transferOf(db: Db, transactionId: number): TransferDto | null {
  const a = stmt(db, `${LEG_SQL} WHERE t.id = ? AND t.transfer_id IS NOT NULL`).get(transactionId) as LegRaw | undefined;
  if (!a) return null;
  const b = stmt(db, `${LEG_SQL} WHERE t.id = ? AND t.deleted_at IS NULL`).get(a.transfer_id) as LegRaw | undefined;
  return b ? toTransfer(a, b) : null;
}

/** Every transfer (once, by its outgoing leg), newest first; of one account when given. */
export function listTransfers(db: Db, opts: { accountId?: number } = {}): TransferDto[] {
  const rows = stmt(db, `${LEG_SQL} WHERE t.transfer_id IS NOT NULL AND t.amount < 0 AND t.deleted_at IS NULL
    ORDER BY t.booking_date DESC, t.id DESC`).all() as LegRaw[];
  const out: TransferDto[] = [];
  for (const r of rows) {
    const t = transferOf(db, r.id);
    if (t && (opts.accountId === undefined || t.from.accountId === opts.accountId || t.to.accountId === opts.accountId)) out.push(t);
  }
  return out;
}

function legOrThrow(db: Db, transactionId: number): { id: number; transfer_id: number | null } {
  const r = stmt(db, 'SELECT id, transfer_id FROM transactions WHERE id = ? AND deleted_at IS NULL').get(transactionId) as { id: number; transfer_id: number | null } | undefined;
  if (!r) throw new AppError('not_found', { id: 'error.transaction_gone' });
  if (r.transfer_id === null) throw new AppError('validation', { id: 'error.not_a_transfer', values: { transactionId } });
  return r;
}

/** "Not a transfer": both legs count as income and spending again, and detection never links either of them again. */
export function unlinkTransfer(db: Db, transactionId: number): void {
  db.transaction(() => {
    const r = legOrThrow(db, transactionId);
    stmt(db, "UPDATE transactions SET transfer_id = NULL, transfer_state = 'rejected', transfer_rate = NULL WHERE id IN (?, ?)").run(r.id, r.transfer_id);
  }).immediate();
}

/** The user confirms a detected transfer. */
export function confirmTransfer(db: Db, transactionId: number): TransferDto {
  db.transaction(() => {
    const r = legOrThrow(db, transactionId);
    stmt(db, "UPDATE transactions SET transfer_state = 'confirmed' WHERE id IN (?, ?)").run(r.id, r.transfer_id);
  }).immediate();
  return transferOf(db, transactionId)!;
}
