// The Ledger implementation: the seeded demo world, its pending → booked lifecycle driven by world.clock,
// and the mutations the control API offers (change ids, add transactions, book pending now).
import type { DemoAccount, DemoBank, DemoLogin, DemoTransaction, MutableLedger } from './bank.js';
import type { World } from './world.js';
import { BANKS, MERCHANTS } from '../data/catalog.js';
import { bulkAccounts, bulkCount, bulkRow, type BulkOptions } from '../data/bulk.js';
import {
  DAY_MS, addMonths, buildWorld, dayMs, generateDay, isoDay, minorToAmount,
  type GenAccount, type GenTx, type GeneratedWorld,
} from '../data/generator.js';
import { Rng } from '../data/rng.js';
import { currencyExponent } from '../../preload/contract/currency.js';

export interface LedgerOptions {
  /** last day of history (default: the world clock's today) */
  today?: string;
  /** months of history (default 36) */
  months?: number;
  /** add a bank "Demo Bulk Bank" (id `bulk-bank`) with many transactions, for benchmarks over HTTP */
  bulk?: { transactions: number; accounts?: number; logins?: number };
}

/** One control-API mutation, kept so that a restarted sandbox replays it (sandbox/core/persist.ts): when it happened
 *  and how far history was generated then (ids after change-ids depend on the rows' order). */
export type LedgerOp = { at: number; through: string } & (
  | { op: 'changeIds'; accountId: string }
  | { op: 'addTransactions'; accountId: string; count: number; pending: boolean }
  | { op: 'bookPending'; accountId?: string });

interface View { version: number; computedAt: number; validUntil: number; list: DemoTransaction[]; booked: number; pending: number }

export const BULK_BANK: DemoBank = { id: 'bulk-bank', name: 'Demo Bulk Bank', country: 'DE', bic: 'BULKDEB1' };

export class DemoLedger implements MutableLedger {
  readonly startDay: string;
  /** the today it was built for (LedgerOptions.today): a saved world is rebuilt for the same day */
  readonly builtToday: string;
  private gw: GeneratedWorld;
  private bankList: DemoBank[];
  private loginList: DemoLogin[];
  private accountList: GenAccount[];
  private byAccount = new Map<string, GenTx[]>();
  /** baseId → [accountId, index] for the current id of the other leg of transfers */
  private where = new Map<string, number>();
  private generatedThrough: string;
  private idGen = new Map<string, number>();
  private bookOverride = new Map<string, number>();
  private added = new Map<string, number>();
  private version = 0;
  private views = new Map<string, View>();
  private pastViews = new Map<string, View>();
  /** every mutation so far, oldest first */
  readonly journal: LedgerOp[] = [];

  constructor(private world: World, opts: LedgerOptions = {}) {
    const today = opts.today ?? world.clock.today();
    this.builtToday = today;
    this.startDay = addMonths(today, -(opts.months ?? 36));
    this.gw = buildWorld(world.seed, this.startDay);
    this.bankList = BANKS.map(({ id, name, country, bic }) => ({ id, name, country, bic }));
    this.loginList = this.gw.personas.map((p) => ({
      bankId: p.spec.bankId, username: p.spec.username, password: p.spec.password, ownerName: p.spec.ownerName, address: p.spec.address,
    }));
    this.accountList = [...this.gw.accounts];
    for (const a of this.accountList) this.byAccount.set(a.id, []);
    this.generatedThrough = isoDay(dayMs(this.startDay) - DAY_MS);
    this.generateThrough(today);
    if (opts.bulk) this.addBulk(opts.bulk, today, opts.months ?? 36);
  }

  // ---------------------------------------------------------------- queries
  banks(): DemoBank[] { return this.bankList.map((b) => ({ ...b })); }
  bank(id: string): DemoBank | undefined { const b = this.bankList.find((x) => x.id === id); return b && { ...b }; }
  logins(): DemoLogin[] { return this.loginList.map((l) => ({ ...l })); }
  findLogin(bankId: string, username: string): DemoLogin | undefined {
    const l = this.loginList.find((x) => x.bankId === bankId && x.username === username);
    return l && { ...l };
  }
  checkLogin(bankId: string, username: string, password: string): DemoLogin | undefined {
    const l = this.findLogin(bankId, username);
    return l && l.password === password ? l : undefined;
  }
  accounts(filter: { bankId?: string; username?: string } = {}): DemoAccount[] {
    return this.accountList
      .filter((a) => (!filter.bankId || a.bankId === filter.bankId) && (!filter.username || a.username === filter.username))
      .map((a) => this.toAccount(a));
  }
  account(id: string): DemoAccount | undefined { const a = this.accountList.find((x) => x.id === id); return a && this.toAccount(a); }
  historyStart(): string { return this.startDay; }

  transactions(accountId: string, range: { from?: string; to?: string } = {}): DemoTransaction[] {
    const v = this.view(accountId);
    if (!v) return [];
    if (!range.from && !range.to) return [...v.list];
    return v.list.filter((t) => (!range.from || t.bookingDate >= range.from) && (!range.to || t.bookingDate <= range.to));
  }
  transaction(accountId: string, id: string): DemoTransaction | undefined { return this.view(accountId)?.list.find((t) => t.id === id); }
  asOf(accountId: string, at: Date): { transactions: DemoTransaction[]; balance: number; availableBalance: number } {
    const v = this.view(accountId, Math.min(at.getTime(), this.world.clock.now().getTime()));
    return { transactions: v ? [...v.list] : [], balance: v?.booked ?? 0, availableBalance: v ? v.booked + v.pending : 0 };
  }
  balance(accountId: string): number { return this.view(accountId)?.booked ?? 0; }
  availableBalance(accountId: string): number { const v = this.view(accountId); return v ? v.booked + v.pending : 0; }

  // ---------------------------------------------------------------- mutations (control API)
  changeIds(accountId: string): Record<string, string> {
    const list = this.byAccount.get(accountId);
    if (!list) throw new RangeError(`No account ${accountId}`);
    this.record({ op: 'changeIds', accountId });
    const visible = new Set(this.transactions(accountId).map((t) => t.id));
    const before = list.map((tx) => this.idFor(accountId, tx.baseId));
    this.idGen.set(accountId, (this.idGen.get(accountId) ?? 0) + 1);
    this.touch();
    const out: Record<string, string> = {};
    list.forEach((tx, i) => { if (visible.has(before[i])) out[before[i]] = this.idFor(accountId, tx.baseId); });
    return out;
  }

  addTransactions(accountId: string, count: number, opts: { pending?: boolean } = {}): DemoTransaction[] {
    const acc = this.accountList.find((a) => a.id === accountId);
    if (!acc) throw new RangeError(`No account ${accountId}`);
    this.record({ op: 'addTransactions', accountId, count, pending: Boolean(opts.pending) });
    const list = this.byAccount.get(accountId)!;
    const now = this.world.clock.now().getTime();
    const day = isoDay(now);
    const bank = this.bankList.find((b) => b.id === acc.bankId);
    const merchants = MERCHANTS[bank?.country ?? 'DE'] ?? MERCHANTS.DE;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const n = (this.added.get(accountId) ?? 0) + 1;
      this.added.set(accountId, n);
      const rng = Rng.of(this.world.seed, accountId, 'added', n);
      const m = rng.pick(merchants);
      const units = rng.float(m.min, m.max);
      const amountMinor = -Math.max(1, Math.round(units * 10 ** currencyExponent(acc.currency)));
      const tx: GenTx = {
        baseId: `${accountId}-add-${String(n).padStart(5, '0')}`, accountId, date: day, currency: acc.currency,
        createdAtMs: now, bookAtMs: opts.pending ? now + 2 * DAY_MS : now, amountMinor, finalMinor: amountMinor,
        kind: 'added', description: `${m.name}${m.city ? ' ' + m.city : ''}`, counterpartyName: m.name, counterpartyIban: null,
        category: m.category, mcc: m.mcc,
      };
      this.where.set(tx.baseId, list.length);
      list.push(tx);
      ids.push(tx.baseId);
    }
    this.touch();
    const set = new Set(ids.map((b) => this.idFor(accountId, b)));
    return this.transactions(accountId).filter((t) => set.has(t.id));
  }

  bookPending(accountId?: string): { booked: number; vanished: number } {
    this.record({ op: 'bookPending', ...(accountId ? { accountId } : {}) });
    const now = this.world.clock.now().getTime();
    let booked = 0, vanished = 0;
    for (const acc of this.accountList) {
      if (accountId && acc.id !== accountId) continue;
      for (const tx of this.byAccount.get(acc.id)!) {
        if (tx.createdAtMs > now || this.bookAt(tx) <= now) continue;
        this.bookOverride.set(tx.baseId, now);
        if (tx.finalMinor === null) vanished++; else booked++;
      }
    }
    this.touch();
    return { booked, vanished };
  }

  /** Redo the mutations of a saved world, each at its own world time (a fresh ledger of the same seed and today). */
  replay(ops: readonly LedgerOp[]): void {
    for (const o of ops) {
      this.generateThrough(o.through);
      this.world.clock.at(o.at, () => {
        if (o.op === 'changeIds') this.changeIds(o.accountId);
        else if (o.op === 'addTransactions') this.addTransactions(o.accountId, o.count, { pending: o.pending });
        else this.bookPending(o.accountId);
      });
    }
  }

  // ---------------------------------------------------------------- internals
  private touch(): void { this.version++; }

  private record(op: Omit<LedgerOp, 'at' | 'through'> & Partial<LedgerOp>): void {
    this.journal.push({ ...op, at: this.world.clock.now().getTime(), through: this.generatedThrough } as LedgerOp);
  }

  private bookAt(tx: GenTx): number { return this.bookOverride.get(tx.baseId) ?? tx.bookAtMs; }

  private idFor(accountId: string, baseId: string): string {
    const gen = this.idGen.get(accountId) ?? 0;
    if (!gen) return baseId;
    return `${accountId}-r${gen}-${String(this.where.get(baseId) ?? 0).padStart(6, '0')}`;
  }

  private generateThrough(day: string): void {
    if (day <= this.generatedThrough) return;
    const out: GenTx[] = [];
    for (let ms = dayMs(this.generatedThrough) + DAY_MS; ms <= dayMs(day); ms += DAY_MS) {
      const d = isoDay(ms);
      for (const p of this.gw.personas) generateDay(this.world.seed, p, d, out);
    }
    for (const tx of out) {
      const list = this.byAccount.get(tx.accountId)!;
      this.where.set(tx.baseId, list.length);
      list.push(tx);
    }
    this.generatedThrough = day;
    this.touch();
  }

  private addBulk(bulk: NonNullable<LedgerOptions['bulk']>, today: string, months: number): void {
    const logins = bulk.logins ?? 1;
    const usernames = logins === 1 ? ['bulk'] : Array.from({ length: logins }, (_, i) => `bulk${i + 1}`);
    const opts: BulkOptions = { seed: this.world.seed, accounts: bulk.accounts ?? 20, total: bulk.transactions, today, months, bankId: BULK_BANK.id, usernames };
    this.bankList.push({ ...BULK_BANK });
    for (const u of usernames) this.loginList.push({ bankId: BULK_BANK.id, username: u, password: 'bulk1234', ownerName: 'Bulk Tester', address: 'Musterstraße 1, 10115 Berlin, Germany' });
    const startMs = dayMs(addMonths(today, -months));
    const spanDays = Math.round((dayMs(today) - startMs) / DAY_MS);
    for (const [i, a] of bulkAccounts(opts).entries()) {
      const acc: GenAccount = { ...a, ownerName: a.ownerName ?? 'Bulk Tester', bic: BULK_BANK.bic };
      this.accountList.push(acc);
      const list: GenTx[] = [];
      const count = bulkCount(opts, i);
      for (let k = 0; k < count; k++) {
        const r = bulkRow(opts, a, k, count, startMs, spanDays);
        const ms = Date.parse(r.createdAt);
        list.push({
          baseId: r.id, accountId: a.id, date: r.valueDate, currency: a.currency, createdAtMs: ms, bookAtMs: ms,
          amountMinor: r.amountMinor, finalMinor: r.amountMinor, kind: r.kind ?? 'card_payment', description: r.description,
          counterpartyName: r.counterpartyName, counterpartyIban: r.counterpartyIban,
        });
        this.where.set(r.id, k);
      }
      this.byAccount.set(a.id, list);
    }
    this.touch();
  }

  private toAccount(a: GenAccount): DemoAccount {
    return {
      id: a.id, bankId: a.bankId, username: a.username, iban: a.iban, name: a.name, type: a.type, currency: a.currency,
      openingBalanceMinor: a.openingBalanceMinor, ownerName: a.ownerName, bic: a.bic, ...(a.maskedPan ? { maskedPan: a.maskedPan } : {}),
    };
  }

  /** The account's transactions as seen at `now` (default: the clock's now); cached until the next lifecycle event,
   *  one view for the present and one for an earlier instant (a lapsed aggregator's copy). */
  private view(accountId: string, at?: number): View | undefined {
    const list = this.byAccount.get(accountId);
    if (!list) return undefined;
    const present = this.world.clock.now().getTime();
    this.generateThrough(isoDay(present));
    const now = at ?? present;
    const cache = now === present ? this.views : this.pastViews;
    for (const c of [this.views.get(accountId), this.pastViews.get(accountId)]) {
      if (c && c.version === this.version && now >= c.computedAt && now < c.validUntil) return c;
    }
    const acc = this.accountList.find((a) => a.id === accountId)!;
    let validUntil = dayMs(this.generatedThrough) + DAY_MS;
    let booked = acc.openingBalanceMinor, pending = 0;
    const out: DemoTransaction[] = [];
    for (const tx of list) {
      if (tx.createdAtMs > now) { validUntil = Math.min(validUntil, tx.createdAtMs); continue; }
      const bookAt = this.bookAt(tx);
      if (now >= bookAt) {
        if (tx.finalMinor === null) continue;
        booked += tx.finalMinor;
        out.push(this.materialize(tx, 'booked', tx.finalMinor, bookAt));
      } else {
        validUntil = Math.min(validUntil, bookAt);
        pending += tx.amountMinor;
        out.push(this.materialize(tx, 'pending', tx.amountMinor, bookAt));
      }
    }
    out.sort((a, b) => (a.bookingDate < b.bookingDate ? 1 : a.bookingDate > b.bookingDate ? -1 : a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
    const v: View = { version: this.version, computedAt: now, validUntil, list: out, booked, pending };
    cache.set(accountId, v);
    return v;
  }

  private materialize(tx: GenTx, status: 'booked' | 'pending', amountMinor: number, bookAt: number): DemoTransaction {
    const created = new Date(tx.createdAtMs).toISOString();
    const changed = status === 'booked' && bookAt > tx.createdAtMs;
    const t: DemoTransaction = {
      id: this.idFor(tx.accountId, tx.baseId),
      accountId: tx.accountId,
      bookingDate: status === 'booked' ? isoDay(Math.max(bookAt, dayMs(tx.date))) : tx.date,
      valueDate: tx.date,
      amount: minorToAmount(amountMinor, tx.currency),
      amountMinor,
      currency: tx.currency,
      status,
      description: tx.description,
      counterpartyName: tx.counterpartyName,
      counterpartyIban: tx.counterpartyIban,
      createdAt: created,
      updatedAt: changed ? new Date(bookAt).toISOString() : created,
      kind: tx.kind,
      transactionDate: tx.date,
    };
    if (status === 'booked') t.bookedAt = new Date(Math.max(bookAt, tx.createdAtMs)).toISOString();
    if (tx.category) t.category = tx.category;
    if (tx.mcc) t.mcc = tx.mcc;
    if (tx.reference) t.reference = tx.reference;
    if (tx.originalCurrency && tx.originalAmountMinor !== undefined) {
      t.originalCurrency = tx.originalCurrency;
      t.originalAmount = minorToAmount(tx.originalAmountMinor, tx.originalCurrency);
      if (tx.exchangeRate) t.exchangeRate = tx.exchangeRate;
    }
    if (tx.pairedWith) {
      const other = tx.pairedWith.slice(0, tx.pairedWith.length - 13);
      t.pairedTransactionId = this.idFor(other, tx.pairedWith);
    }
    if (tx.refundOf) t.refundOf = this.idFor(tx.accountId, tx.refundOf);
    return Object.freeze(t);
  }
}


/** Build the demo world's ledger for a World (seeded by world.seed, history ending at the world clock's today). */
export function createLedger(world: World, opts: LedgerOptions = {}): DemoLedger {
  return new DemoLedger(world, opts);
}
