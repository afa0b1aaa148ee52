import { describe, expect, it } from 'vitest';
import { World } from '../../../../sandbox/core/world.js';
import { createLedger } from '../../../../sandbox/core/ledger.js';
import type { DemoTransaction } from '../../../../sandbox/core/bank.js';
import { isValidIban, makeIban, randomIban } from '../../../../sandbox/data/iban.js';
import { Rng } from '../../../../sandbox/data/rng.js';
import { bulkAccounts, streamTransactions } from '../../../../sandbox/data/bulk.js';
import { currencyExponent, toMinorUnits } from '../../../../main/domain/money.js';

const NOW = '2026-06-15T12:00:00.000Z';
const DAY = 86_400_000;

function world(seed = 7, now = NOW) {
  const w = new World(seed);
  w.clock.set(now);
  return w;
}

function snapshot(seed: number) {
  const w = world(seed);
  const l = createLedger(w);
  return JSON.stringify({ banks: l.banks(), logins: l.logins(), accounts: l.accounts(), tx: l.accounts().map((a) => l.transactions(a.id)) });
}

describe('demo world generator', () => {
  it('is deterministic: same seed, same world; another seed, another world', () => {
    const a = snapshot(7), b = snapshot(7), c = snapshot(8);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('has banks in every aggregator market, logins, and current/savings/card accounts in the required currencies', () => {
    const l = createLedger(world());
    const countries = new Set(l.banks().map((b) => b.country));
    for (const c of ['SK', 'PL', 'DE', 'FR', 'CZ', 'HU']) expect(countries).toContain(c);
    const currencies = new Set(l.accounts().map((a) => a.currency));
    for (const c of ['EUR', 'CZK', 'PLN', 'HUF', 'JPY']) expect(currencies).toContain(c);
    expect([...currencies].some((c) => currencyExponent(c) === 3)).toBe(true);
    expect(new Set(l.accounts().map((a) => a.type))).toEqual(new Set(['current', 'savings', 'card']));
    for (const login of l.logins()) {
      expect(login.username && login.password && login.ownerName && login.address).toBeTruthy();
      expect(l.checkLogin(login.bankId, login.username, login.password)).toBeDefined();
      expect(l.checkLogin(login.bankId, login.username, login.password + 'x')).toBeUndefined();
      expect(l.accounts({ bankId: login.bankId, username: login.username }).length).toBeGreaterThan(0);
    }
    // modest: a few thousand transactions
    const total = l.accounts().reduce((s, a) => s + l.transactions(a.id).length, 0);
    expect(total).toBeGreaterThan(2000);
    expect(total).toBeLessThan(12000);
  });

  it('covers 36 months ending today with salaries, rent, card payments, own transfers (both legs), refunds and FX', () => {
    const w = world();
    const l = createLedger(w);
    const all = l.accounts().flatMap((a) => l.transactions(a.id));
    const kinds = new Set(all.map((t) => t.kind));
    for (const k of ['salary', 'rent', 'card_payment', 'own_transfer', 'card_repayment', 'refund', 'card_fx', 'direct_debit', 'interest']) expect(kinds).toContain(k);
    const dates = all.map((t) => t.valueDate).sort();
    expect(dates[0] <= '2023-06-20').toBe(true);
    expect(dates[0] >= '2023-06-15').toBe(true);
    expect(dates[dates.length - 1]).toBe('2026-06-15');
    expect(all.every((t) => t.createdAt <= NOW)).toBe(true);
    // both legs of own transfers, opposite signs, linked by id
    const byId = new Map(all.map((t) => [t.id, t]));
    const own = all.filter((t) => t.kind === 'own_transfer' || t.kind === 'card_repayment');
    expect(own.length).toBeGreaterThan(50);
    for (const t of own) {
      const other = byId.get(t.pairedTransactionId!);
      expect(other, t.id).toBeDefined();
      expect(Math.sign(other!.amountMinor)).toBe(-Math.sign(t.amountMinor));
      expect(other!.pairedTransactionId).toBe(t.id);
      if (other!.currency === t.currency) expect(other!.amountMinor).toBe(-t.amountMinor);
      else expect(t.originalCurrency).toBe(other!.currency);
      expect(t.counterpartyIban).toBe(l.account(other!.accountId)!.iban);
    }
    // refunds point at a payment and give its amount back
    for (const r of all.filter((t) => t.kind === 'refund')) {
      const p = byId.get(r.refundOf!);
      if (p) expect(r.amountMinor).toBe(-p.amountMinor);
    }
    // FX card payments carry the original amount and currency
    const fx = all.filter((t) => t.kind === 'card_fx');
    expect(fx.length).toBeGreaterThan(5);
    for (const t of fx) {
      expect(t.originalCurrency).toMatch(/^[A-Z]{3}$/);
      expect(t.originalCurrency).not.toBe(t.currency);
      expect(Number(t.exchangeRate)).toBeGreaterThan(0);
      expect(toMinorUnits(t.originalAmount!, t.originalCurrency!)).toBeLessThan(0);
    }
    // realistic text and counterparties
    expect(all.filter((t) => t.kind === 'salary').every((t) => t.counterpartyName && t.counterpartyIban)).toBe(true);
    expect(new Set(all.filter((t) => t.kind === 'card_payment').map((t) => t.counterpartyName)).size).toBeGreaterThan(20);
  });

  it('gives every IBAN a valid checksum (accounts and counterparties)', () => {
    const l = createLedger(world());
    for (const a of l.accounts()) expect(isValidIban(a.iban), a.iban).toBe(true);
    const ibans = l.accounts().flatMap((a) => l.transactions(a.id)).map((t) => t.counterpartyIban).filter((x): x is string => !!x);
    expect(ibans.length).toBeGreaterThan(100);
    for (const i of ibans) expect(isValidIban(i), i).toBe(true);
    // known-good references and a corrupted one
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('SK3112000000198742637541')).toBe(true);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(makeIban('DE', '370400440532013000')).toBe('DE89370400440532013000');
    const rng = new Rng(1);
    for (const c of ['SK', 'CZ', 'PL', 'DE', 'FR', 'HU', 'AT', 'NL', 'GB', 'IE', 'BH']) for (let i = 0; i < 20; i++) expect(isValidIban(randomIban(rng, c))).toBe(true);
  });

  it('writes amounts with the currency exponent (JPY 0, BHD 3, others 2) matching amountMinor', () => {
    const l = createLedger(world());
    for (const a of l.accounts()) {
      const exp = currencyExponent(a.currency);
      for (const t of l.transactions(a.id)) {
        expect(t.currency).toBe(a.currency);
        expect(toMinorUnits(t.amount, t.currency)).toBe(t.amountMinor);
        const decimals = t.amount.includes('.') ? t.amount.split('.')[1].length : 0;
        expect(decimals).toBe(exp);
        expect(Number.isInteger(t.amountMinor)).toBe(true);
      }
    }
    expect(l.accounts().find((a) => a.currency === 'JPY')).toBeDefined();
    expect(l.transactions(l.accounts().find((a) => a.currency === 'BHD')!.id)[0].amount).toMatch(/^-?\d+\.\d{3}$/);
  });

  it('keeps balances consistent: opening + booked = balance, available = balance + pending', () => {
    const w = world();
    const l = createLedger(w);
    for (let step = 0; step < 4; step++) {
      for (const a of l.accounts()) {
        const tx = l.transactions(a.id);
        const booked = tx.filter((t) => t.status === 'booked').reduce((s, t) => s + t.amountMinor, 0);
        const pending = tx.filter((t) => t.status === 'pending').reduce((s, t) => s + t.amountMinor, 0);
        expect(l.balance(a.id)).toBe(a.openingBalanceMinor + booked);
        expect(l.availableBalance(a.id)).toBe(l.balance(a.id) + pending);
      }
      w.clock.advance(1.5 * DAY);
    }
  });

  it('lists newest booking date first and filters by date range', () => {
    const l = createLedger(world());
    const id = l.accounts()[0].id;
    const tx = l.transactions(id);
    for (let i = 1; i < tx.length; i++) expect(tx[i - 1].bookingDate >= tx[i].bookingDate).toBe(true);
    const ranged = l.transactions(id, { from: '2025-01-01', to: '2025-01-31' });
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranged.every((t) => t.bookingDate >= '2025-01-01' && t.bookingDate <= '2025-01-31')).toBe(true);
    expect(new Set(tx.map((t) => t.id)).size).toBe(tx.length);
  });
});

describe('pending → booked lifecycle on the world clock', () => {
  it('books pendings later with the same id, some with a changed amount, some vanish; updatedAt moves', () => {
    const w = world();
    const l = createLedger(w);
    let same = 0, changed = 0, vanished = 0;
    // walk back over the last months: what was pending at t is booked or gone at t + 4 days
    for (let back = 120; back >= 4; back -= 2) {
      w.clock.set(new Date(Date.parse(NOW) - back * DAY).toISOString());
      const before = l.accounts().flatMap((a) => l.transactions(a.id).filter((t) => t.status === 'pending'));
      w.clock.advance(4 * DAY);
      for (const p of before) {
        const now = l.transaction(p.accountId, p.id);
        if (!now) { vanished++; continue; }
        expect(now.status).toBe('booked');
        expect(now.updatedAt > p.updatedAt).toBe(true);
        expect(now.bookingDate >= p.valueDate).toBe(true);
        expect(now.createdAt).toBe(p.createdAt);
        if (now.amountMinor === p.amountMinor) same++; else changed++;
      }
    }
    expect(same).toBeGreaterThan(10);
    expect(changed).toBeGreaterThan(0);
    expect(vanished).toBeGreaterThan(0);
  });

  it('has pendings near today and shows new transactions as the clock advances (ids of old ones unchanged)', () => {
    const w = world();
    const l = createLedger(w);
    const pend = l.accounts().flatMap((a) => l.transactions(a.id)).filter((t) => t.status === 'pending');
    expect(pend.length).toBeGreaterThan(0);
    expect(pend.every((t) => Date.parse(t.createdAt) > Date.parse(NOW) - 4 * DAY)).toBe(true);
    const acc = l.accounts()[0].id;
    const old = new Set(l.transactions(acc).filter((t) => t.status === 'booked').map((t) => t.id));
    w.clock.advance(30 * DAY);
    const later = l.transactions(acc);
    expect(later.length).toBeGreaterThan(old.size);
    const ids = new Set(later.map((t) => t.id));
    for (const id of old) expect(ids.has(id)).toBe(true);
    expect(later.some((t) => t.kind === 'salary' && t.valueDate > '2026-06-15')).toBe(true);
  });

  it('does not show transactions created after the clock (setting the clock back hides them)', () => {
    const w = world();
    const l = createLedger(w);
    const acc = l.accounts()[0].id;
    const n = l.transactions(acc).length;
    w.clock.set('2025-06-15T12:00:00Z');
    const earlier = l.transactions(acc);
    expect(earlier.length).toBeLessThan(n);
    expect(earlier.every((t) => t.createdAt <= '2025-06-15T12:00:00.000Z')).toBe(true);
  });

  it('a world built a day later keeps the same ids for the same days', () => {
    const a = createLedger(world(7, NOW));
    const b = createLedger(world(7, new Date(Date.parse(NOW) + DAY).toISOString()));
    const acc = 'de-sparkasse-demo-current';
    const pick = (l: ReturnType<typeof createLedger>) => l.transactions(acc, { from: '2025-01-01', to: '2025-12-31' })
      .filter((t) => t.kind !== 'card_repayment' && t.kind !== 'refund').map((t) => `${t.id} ${t.amount}`);
    expect(pick(a)).toEqual(pick(b));
  });
});

describe('ledger mutations', () => {
  it('changeIds gives every transaction a new id and keeps amounts and balances', () => {
    const l = createLedger(world());
    const acc = 'sk-tatra-demo-current';
    const before = l.transactions(acc), bal = l.balance(acc);
    const map = l.changeIds(acc);
    const after = l.transactions(acc);
    expect(Object.keys(map).length).toBe(before.length);
    expect(after.length).toBe(before.length);
    const afterIds = new Set(after.map((t) => t.id));
    for (const t of before) { expect(afterIds.has(t.id)).toBe(false); expect(afterIds.has(map[t.id])).toBe(true); }
    expect(new Set(after.map((t) => t.id)).size).toBe(after.length);
    expect(l.balance(acc)).toBe(bal);
    // the other legs of transfers point at the new ids
    const savings = l.transactions('sk-tatra-demo-savings').filter((t) => t.kind === 'own_transfer');
    for (const t of savings) expect(afterIds.has(t.pairedTransactionId!)).toBe(true);
    // a second change gives yet other ids
    const map2 = l.changeIds(acc);
    for (const [, v] of Object.entries(map)) expect(map2[v]).toBeDefined();
  });

  it('addTransactions adds N booked (or pending) transactions dated today', () => {
    const w = world();
    const l = createLedger(w);
    const acc = 'fr-paris-demo-current';
    const n = l.transactions(acc).length, bal = l.balance(acc);
    const added = l.addTransactions(acc, 5);
    expect(added).toHaveLength(5);
    expect(added.every((t) => t.status === 'booked' && t.bookingDate === '2026-06-15')).toBe(true);
    expect(l.transactions(acc).length).toBe(n + 5);
    expect(l.balance(acc)).toBe(bal + added.reduce((s, t) => s + t.amountMinor, 0));
    const pend = l.addTransactions(acc, 2, { pending: true });
    expect(pend.every((t) => t.status === 'pending')).toBe(true);
    expect(l.balance(acc)).toBe(bal + added.reduce((s, t) => s + t.amountMinor, 0));
    expect(() => l.addTransactions('nope', 1)).toThrow();
  });

  it('bookPending books every pending now (vanishing ones disappear)', () => {
    const w = world();
    const l = createLedger(w);
    const pendBefore = l.accounts().flatMap((a) => l.transactions(a.id)).filter((t) => t.status === 'pending');
    expect(pendBefore.length).toBeGreaterThan(0);
    const r = l.bookPending();
    expect(r.booked + r.vanished).toBe(pendBefore.length);
    const all = l.accounts().flatMap((a) => l.transactions(a.id));
    expect(all.filter((t) => t.status === 'pending')).toHaveLength(0);
    for (const p of pendBefore) {
      const t = l.transaction(p.accountId, p.id);
      if (t) { expect(t.status).toBe('booked'); expect(t.updatedAt >= NOW).toBe(true); }
    }
  });
});

describe('bulk generator for benchmarks', () => {
  it('streams the requested count over N accounts in pages, newest first, same row shape', () => {
    const opts = { seed: 3, accounts: 20, total: 10_001, pageSize: 250, today: '2026-06-15' };
    let rows = 0, maxPage = 0;
    const ids = new Set<string>();
    const perAccount = new Map<string, DemoTransaction[]>();
    for (const page of streamTransactions(opts)) {
      maxPage = Math.max(maxPage, page.transactions.length);
      for (const t of page.transactions) {
        rows++;
        ids.add(t.id);
        expect(t.accountId).toBe(page.account.id);
        expect(toMinorUnits(t.amount, t.currency)).toBe(t.amountMinor);
        expect(t.status).toBe('booked');
        if (t.counterpartyIban) expect(isValidIban(t.counterpartyIban)).toBe(true);
        const list = perAccount.get(t.accountId) ?? [];
        list.push(t);
        perAccount.set(t.accountId, list);
      }
    }
    expect(rows).toBe(10_001);
    expect(ids.size).toBe(10_001);
    expect(maxPage).toBeLessThanOrEqual(250);
    expect(perAccount.size).toBe(20);
    for (const list of perAccount.values()) {
      for (let i = 1; i < list.length; i++) expect(list[i - 1].bookingDate >= list[i].bookingDate).toBe(true);
      expect(list[list.length - 1].bookingDate >= '2023-06-15').toBe(true);
    }
    const keys = Object.keys(perAccount.values().next().value![0]).sort();
    for (const k of ['id', 'accountId', 'bookingDate', 'valueDate', 'amount', 'amountMinor', 'currency', 'status', 'description', 'counterpartyName', 'counterpartyIban', 'createdAt', 'updatedAt']) expect(keys).toContain(k);
    // deterministic
    const again = streamTransactions(opts).next().value!.transactions;
    expect(again).toEqual(perAccount.get('bulk-01')!.slice(0, 250));
    expect(bulkAccounts(opts).every((a) => isValidIban(a.iban))).toBe(true);
  });

  it('streams lazily: the first page of a billion-row stream comes without computing the rest', () => {
    // a stream that precomputed its rows would exhaust memory or the test's time limit long before answering
    const it = streamTransactions({ seed: 1, accounts: 20, total: 1_000_000_000, pageSize: 1000 });
    const first = it.next().value!;
    expect(first.transactions).toHaveLength(1000);
    expect(first.account.id).toBe('bulk-01');
  });

  it('a ledger with a bulk bank serves the bulk rows with consistent balances', () => {
    const l = createLedger(world(), { bulk: { transactions: 3000, accounts: 4, logins: 2 } });
    expect(l.bank('bulk-bank')).toBeDefined();
    expect(l.checkLogin('bulk-bank', 'bulk1', 'bulk1234')).toBeDefined();
    const accs = l.accounts({ bankId: 'bulk-bank' });
    expect(accs).toHaveLength(4);
    let total = 0;
    for (const a of accs) {
      const tx = l.transactions(a.id);
      total += tx.length;
      expect(l.balance(a.id)).toBe(a.openingBalanceMinor + tx.reduce((s, t) => s + t.amountMinor, 0));
    }
    expect(total).toBe(3000);
  });
});
