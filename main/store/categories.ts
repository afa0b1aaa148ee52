// Categories and the rules that set them (migration 13). A transaction's category is its name in transactions.category;
// category_by says who set it: 'user' (by hand: never changed by a rule) or 'rule'. Rules are ordered; the first rule
// that matches a transaction gives its category.
import type { CategoryDto, RuleDto } from '../../preload/contract/channels.js';
import { addDays } from '../domain/dates.js';
import { AppError } from '../domain/errors.js';
import { currencyExponent } from '../domain/money.js';
import { normalizeText } from '../domain/text.js';
import type { Db } from './db.js';
import { stmt } from './repositories.js';

// ---------------------------------------------------------------- categories

export function listCategories(db: Db): CategoryDto[] {
  return stmt(db, `SELECT c.id, c.name,
      (SELECT count(*) FROM transactions t WHERE t.category = c.name AND t.deleted_at IS NULL AND t.retired_at IS NULL) AS transactions,
      (SELECT count(*) FROM category_rules r WHERE r.category_id = c.id) AS rules
    FROM categories c ORDER BY c.name COLLATE NOCASE`).all() as CategoryDto[];
}

function categoryById(db: Db, id: number): { id: number; name: string } {
  const c = stmt(db, 'SELECT id, name FROM categories WHERE id = ?').get(id) as { id: number; name: string } | undefined;
  if (!c) throw new AppError('not_found', { id: 'error.no_category', values: { id } });
  return c;
}
const one = (db: Db, id: number): CategoryDto => listCategories(db).find((c) => c.id === id)!;
const sameName = (db: Db, name: string) => stmt(db, 'SELECT id, name FROM categories WHERE name = ?').get(name) as { id: number; name: string } | undefined;

/** A category by name, added to the list when it is not there (a name typed on a transaction joins the list). */
function ensureCategory(db: Db, name: string): string {
  const clean = name.trim();
  const found = sameName(db, clean);
  if (found) return found.name;
  stmt(db, 'INSERT INTO categories (name) VALUES (?)').run(clean);
  return clean;
}

export function addCategory(db: Db, name: string): CategoryDto {
  const clean = name.trim();
  const found = sameName(db, clean);
  if (found) throw new AppError('validation', { id: 'error.category_exists', values: { name: found.name } });
  const id = Number(stmt(db, 'INSERT INTO categories (name) VALUES (?)').run(clean).lastInsertRowid);
  return one(db, id);
}

/** Rename a category; every transaction carrying it carries the new name (who set it does not change). */
export function renameCategory(db: Db, id: number, name: string): CategoryDto {
  const clean = name.trim();
  db.transaction(() => {
    const c = categoryById(db, id);
    const clash = sameName(db, clean);
    if (clash && clash.id !== id) throw new AppError('validation', { id: 'error.category_name_taken', values: { name: clash.name } });
    stmt(db, 'UPDATE categories SET name = ? WHERE id = ?').run(clean, id);
    stmt(db, 'UPDATE transactions SET category = ? WHERE category = ?').run(clean, c.name);
  })();
  return one(db, id);
}

/**
 * Remove a category. Its transactions and rules move to `moveTo`; with null its transactions are left without a
 * category and its rules are removed.
 */
export function removeCategory(db: Db, id: number, moveTo: number | null): { moved: number; rulesRemoved: number } {
  return db.transaction(() => {
    const c = categoryById(db, id);
    if (moveTo === id) throw new AppError('validation', { id: 'error.category_into_itself', values: { name: c.name } });
    const target = moveTo === null ? null : categoryById(db, moveTo);
    const moved = stmt(db, 'UPDATE transactions SET category = ?, category_by = CASE WHEN ? IS NULL THEN NULL ELSE category_by END WHERE category = ?')
      .run(target?.name ?? null, target?.name ?? null, c.name).changes;
    let rulesRemoved = 0;
    if (target) stmt(db, 'UPDATE category_rules SET category_id = ? WHERE category_id = ?').run(target.id, id);
    else rulesRemoved = stmt(db, 'DELETE FROM category_rules WHERE category_id = ?').run(id).changes;
    stmt(db, 'DELETE FROM categories WHERE id = ?').run(id);
    return { moved, rulesRemoved };
  })();
}

/** The user's own choice on one transaction (null: none); a rule never changes it afterwards. */
export function setCategoryByHand(db: Db, transactionId: number, name: string | null): void {
  const clean = name?.trim() ? ensureCategory(db, name) : null;
  stmt(db, "UPDATE transactions SET category = ?, category_by = 'user' WHERE id = ?").run(clean, transactionId);
}

// ---------------------------------------------------------------- rules

export interface RuleInput {
  categoryId: number;
  text?: string;
  minAmount?: string;
  maxAmount?: string;
  direction?: 'in' | 'out';
  accountId?: number;
}

interface RuleRaw {
  id: number; position: number; category_id: number; category: string; text_contains: string | null; min_amount: string | null;
  max_amount: string | null; direction: 'in' | 'out' | null; account_id: number | null;
}
const toRule = (r: RuleRaw): RuleDto => ({
  id: r.id, position: r.position, categoryId: r.category_id, category: r.category, text: r.text_contains, minAmount: r.min_amount,
  maxAmount: r.max_amount, direction: r.direction, accountId: r.account_id,
});

/** Rules in the order they are tried. */
export function listRules(db: Db): RuleDto[] {
  return (stmt(db, `SELECT r.*, c.name AS category FROM category_rules r JOIN categories c ON c.id = r.category_id
    ORDER BY r.position, r.id`).all() as RuleRaw[]).map(toRule);
}

const AMOUNT = /^\d{1,12}(\.\d{1,3})?$/;
/** A decimal size in thousandths, exactly. */
function milli(decimal: string): number {
  const [whole, frac = ''] = decimal.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

/** A new rule, tried after the existing ones. */
export function addRule(db: Db, input: RuleInput, now: Date = new Date()): RuleDto {
  const text = input.text?.trim() || null;
  if (text !== null && !normalizeText(text)) throw new AppError('validation', { id: 'error.rule_text_empty' });
  for (const [which, v] of [['min', input.minAmount], ['max', input.maxAmount]] as const) {
    if (v !== undefined && !AMOUNT.test(v)) throw new AppError('validation', { id: 'error.rule_bad_amount', values: { which, text: v } });
  }
  if (input.minAmount !== undefined && input.maxAmount !== undefined && milli(input.minAmount) > milli(input.maxAmount)) {
    throw new AppError('validation', { id: 'error.rule_range_swapped', values: { min: input.minAmount, max: input.maxAmount } });
  }
  if (text === null && input.minAmount === undefined && input.maxAmount === undefined && !input.direction && input.accountId === undefined) {
    throw new AppError('validation', { id: 'error.rule_no_condition' });
  }
  categoryById(db, input.categoryId);
  if (input.accountId !== undefined && !stmt(db, 'SELECT 1 FROM accounts WHERE id = ?').get(input.accountId)) {
    throw new AppError('not_found', { id: 'error.no_account_id', values: { accountId: input.accountId } });
  }
  const position = (stmt(db, 'SELECT coalesce(max(position), -1) + 1 FROM category_rules').pluck().get() as number);
  const id = Number(stmt(db, `INSERT INTO category_rules (position, category_id, text_contains, min_amount, max_amount, direction, account_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(position, input.categoryId, text, input.minAmount ?? null, input.maxAmount ?? null,
    input.direction ?? null, input.accountId ?? null, now.toISOString()).lastInsertRowid);
  return listRules(db).find((r) => r.id === id)!;
}

export function removeRule(db: Db, id: number): void {
  if (stmt(db, 'DELETE FROM category_rules WHERE id = ?').run(id).changes === 0) throw new AppError('not_found', { id: 'error.no_rule', values: { id } });
}

/** Put a rule at `position` (0 = tried first) and renumber the rest. */
export function moveRule(db: Db, id: number, position: number): RuleDto[] {
  db.transaction(() => {
    const ids = listRules(db).map((r) => r.id);
    const at = ids.indexOf(id);
    if (at < 0) throw new AppError('not_found', { id: 'error.no_rule', values: { id } });
    ids.splice(at, 1);
    ids.splice(Math.min(position, ids.length), 0, id);
    ids.forEach((rid, i) => stmt(db, 'UPDATE category_rules SET position = ? WHERE id = ?').run(i, rid));
  })();
  return listRules(db);
}

/** What a rule looks at in a transaction. */
export interface RuleSubject { accountId: number; amount: number; currency: string; description: string; counterpartyName: string | null }

/** A rule ready to test transactions: text normalized, bounds in thousandths. */
interface CompiledRule { category: string; text: string | null; min: number | null; max: number | null; direction: 'in' | 'out' | null; accountId: number | null }
const compile = (r: RuleDto): CompiledRule => ({
  category: r.category, text: r.text ? normalizeText(r.text) : null, min: r.minAmount ? milli(r.minAmount) : null,
  max: r.maxAmount ? milli(r.maxAmount) : null, direction: r.direction, accountId: r.accountId,
});

function matches(r: CompiledRule, t: RuleSubject): boolean {
  if (r.accountId !== null && r.accountId !== t.accountId) return false;
  if (r.direction === 'in' && t.amount <= 0) return false;
  if (r.direction === 'out' && t.amount >= 0) return false;
  if (r.min !== null || r.max !== null) {
    // the size in thousandths of the currency's major unit (no currency has more than 3 decimals)
    const size = Math.abs(t.amount) * 10 ** (3 - Math.min(3, currencyExponent(t.currency)));
    if (r.min !== null && size < r.min) return false;
    if (r.max !== null && size > r.max) return false;
  }
  if (r.text !== null) {
    const hay = `${normalizeText(t.counterpartyName)} ${normalizeText(t.description)}`;
    if (!hay.includes(r.text)) return false;
  }
  return true;
}

/** The rules, compiled once, as a function of a transaction (for a page of new rows). */
export function ruleMatcher(db: Db): ((t: RuleSubject) => string | null) | null {
  const rules = listRules(db).map(compile);
  if (!rules.length) return null;
  return (t) => rules.find((r) => matches(r, t))?.category ?? null;
}

/**
 * Categorize rows the sync writer has just inserted (called inside its transaction). Only rows nobody categorized are
 * touched.
 */
export function categorizeNew(db: Db, rows: Array<RuleSubject & { id: number }>): number {
  const match = ruleMatcher(db);
  if (!match) return 0;
  let n = 0;
  for (const r of rows) {
    const category = match(r);
    if (category) n += stmt(db, "UPDATE transactions SET category = ?, category_by = 'rule' WHERE id = ? AND category_by IS NULL").run(category, r.id).changes;
  }
  return n;
}

/**
 * Apply the rules to the transactions already stored: every row not categorized by hand whose first matching rule gives
 * another category than it has. Rows no rule matches keep what they have. `dryRun` only counts them.
 */
export function applyRules(db: Db, opts: { dryRun?: boolean } = {}): { count: number } {
  return db.transaction(() => {
    const match = ruleMatcher(db);
    if (!match) return { count: 0 };
    const rows = stmt(db, `SELECT id, account_id AS accountId, amount, currency, description, counterparty_name AS counterpartyName, category
      FROM transactions WHERE deleted_at IS NULL AND retired_at IS NULL AND category_by IS NOT 'user'`).iterate() as IterableIterator<RuleSubject & { id: number; category: string | null }>;
    const changes: Array<[string, number]> = [];
    for (const r of rows) {
      const category = match(r);
      if (category && category !== r.category) changes.push([category, r.id]);
    }
    if (!opts.dryRun) for (const [category, id] of changes) stmt(db, "UPDATE transactions SET category = ?, category_by = 'rule' WHERE id = ?").run(category, id);
    return { count: changes.length };
  }).immediate();
}

// ---------------------------------------------------------------- spending by category

/** Money out (positive) per category over the last `months` months of one account, largest first; null = no category.
 *  Transfers between own accounts are not spending. */
export function spendingByCategory(db: Db, accountId: number, months = 12, today = new Date().toISOString().slice(0, 10)): Array<{ category: string | null; spending: number; count: number }> {
  const since = addDays(today, -Math.round(months * 30.44));
  return stmt(db, `SELECT category, -sum(amount) AS spending, count(*) AS count FROM transactions INDEXED BY tx_by_account_date
    WHERE account_id = ? AND booking_date >= ? AND amount < 0 AND deleted_at IS NULL AND retired_at IS NULL AND hidden = 0 AND transfer_id IS NULL
    GROUP BY category ORDER BY spending DESC, category`).all(accountId, since) as Array<{ category: string | null; spending: number; count: number }>;
}
