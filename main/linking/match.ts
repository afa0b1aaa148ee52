// Renewal re-matching: which existing local account does each remote account of a renewed connection continue?
// Pure functions; the link manager feeds them the accounts and recent transactions and applies the plan.
// Evidence, strongest first: the same remote id; the same IBAN (or account number) and currency; for what is left,
// overlapping recent transactions (same amount, booking date within a few days). Anything without a unique best answer
// is a question for the user; a remote account with no candidate at all is a new account.
import { normIban, normNumber } from '../domain/identifiers.js';
import type { IsoDate, RemoteAccount } from '../domain/types.js';

/** what matching needs to know about a local account */
export interface LocalAccount { id: number; remoteId: string; iban: string | null; number: string | null; currency: string }
/** what matching needs to know about a transaction */
export interface Fingerprint { bookingDate: IsoDate; amount: number }

/** how a match was made ('user': answered a question) */
export type MatchVia = 'remote_id' | 'iban' | 'number' | 'transactions' | 'user';

/** the local accounts one remote account may continue, and the kind of key that found them */
export interface Candidates { remoteId: string; via: 'remote_id' | 'iban' | 'number' | 'currency'; accountIds: number[] }

export interface MatchPlan {
  /** remote id → the local account it continues */
  matched: Map<string, { accountId: number; via: MatchVia }>;
  /** remote accounts the user must decide, with their candidates (best evidence first) */
  questions: Array<{ remoteId: string; candidates: Array<{ accountId: number; overlaps: number }> }>;
}

/** booking dates may differ by this many days between two listings of the same transaction */
export const OVERLAP_TOLERANCE_DAYS = 2;
/** how far back the window for confirmation reaches (from the newest local transaction of the candidates) */
export const RECENT_WINDOW_DAYS = 30;

/**
 * The candidates of every remote account (in the given order). Locals already claimed by a remote id, or whose own
 * remote id is still reported, are not free. An IBAN or number that differs from the local's rules that local out.
 */
export function findCandidates(remote: RemoteAccount[], locals: LocalAccount[]): Candidates[] {
  const reported = new Set(remote.map((r) => r.remoteId));
  const free = locals.filter((a) => !reported.has(a.remoteId));
  return remote.map((r): Candidates => {
    const same = locals.find((a) => a.remoteId === r.remoteId);
    if (same) return { remoteId: r.remoteId, via: 'remote_id', accountIds: [same.id] };
    const ids = (xs: LocalAccount[]) => xs.map((a) => a.id);
    const sameCurrency = free.filter((a) => a.currency === r.currency);
    const iban = normIban(r.iban);
    const num = normNumber(r.number);
    const byIban = iban ? sameCurrency.filter((a) => normIban(a.iban) === iban) : [];
    if (byIban.length) return { remoteId: r.remoteId, via: 'iban', accountIds: ids(byIban) };
    const byNumber = num ? sameCurrency.filter((a) => normNumber(a.number) === num) : [];
    if (byNumber.length) return { remoteId: r.remoteId, via: 'number', accountIds: ids(byNumber) };
    const compatible = sameCurrency.filter((a) => !(iban && a.iban && normIban(a.iban) !== iban) && !(num && a.number && normNumber(a.number) !== num));
    return { remoteId: r.remoteId, via: 'currency', accountIds: ids(compatible) };
  });
}

/** The accounts of `found` that are the same bank account as one of `existing`: the same IBAN, or the same account
 *  number, and the same currency (each with the first such account). */
export function sameBankAccounts<A extends Pick<LocalAccount, 'iban' | 'number' | 'currency'>, B extends Pick<LocalAccount, 'iban' | 'number' | 'currency'>>(
  found: A[], existing: B[],
): Array<{ account: A; existing: B }> {
  return found.flatMap((account) => {
    const iban = normIban(account.iban);
    const num = normNumber(account.number);
    const same = existing.find((e) => e.currency === account.currency
      && ((iban !== null && normIban(e.iban) === iban) || (num !== null && normNumber(e.number) === num)));
    return same ? [{ account, existing: same }] : [];
  });
}

/** true when transactions must decide (several candidates, or only the currency in common) */
export const needsEvidence = (c: Candidates): boolean => c.accountIds.length > 0 && (c.via === 'currency' || c.accountIds.length > 1);

const dayNumber = (d: IsoDate) => Math.round(Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 86_400_000);
const isoOfDay = (n: number): IsoDate => new Date(n * 86_400_000).toISOString().slice(0, 10);

/**
 * The window both sides are compared over: the last RECENT_WINDOW_DAYS up to the candidates' newest local transaction
 * (not up to today: after a long lapse the bank's newest rows were never synced, and only older ones can overlap).
 * `remote` is asked from the aggregator; `local` reaches the tolerance further on both ends.
 */
export function evidenceWindow(today: IsoDate, newestLocal: Array<IsoDate | null>): { remote: { from: IsoDate; to: IsoDate }; local: { from: IsoDate; to: IsoDate } } {
  const t = dayNumber(today);
  const dates = newestLocal.filter((d): d is IsoDate => !!d).map(dayNumber);
  const end = Math.min(t, dates.length ? Math.max(...dates) + OVERLAP_TOLERANCE_DAYS : t);
  const start = end - RECENT_WINDOW_DAYS;
  return {
    remote: { from: isoOfDay(start), to: isoOfDay(end) },
    local: { from: isoOfDay(start - OVERLAP_TOLERANCE_DAYS), to: isoOfDay(end + OVERLAP_TOLERANCE_DAYS) },
  };
}

/** how many remote transactions have a partner among the local ones (same amount, dates within the tolerance; each row pairs once) */
export function countOverlaps(remote: Fingerprint[], local: Fingerprint[], toleranceDays = OVERLAP_TOLERANCE_DAYS): number {
  const byAmount = new Map<number, number[]>();
  for (const t of local) {
    const days = byAmount.get(t.amount) ?? [];
    days.push(dayNumber(t.bookingDate));
    byAmount.set(t.amount, days);
  }
  let n = 0;
  for (const t of remote) {
    const days = byAmount.get(t.amount);
    if (!days) continue;
    const d = dayNumber(t.bookingDate);
    // the closest unused partner
    let best = -1;
    for (let i = 0; i < days.length; i++) {
      if (Math.abs(days[i] - d) <= toleranceDays && (best < 0 || Math.abs(days[i] - d) < Math.abs(days[best] - d))) best = i;
    }
    if (best >= 0) { days.splice(best, 1); n++; }
  }
  return n;
}

/**
 * Decide: remote-id matches first, then a unique IBAN/number candidate, then a unique best candidate with at least one
 * overlapping transaction. Two remote accounts wanting the same local account, equal evidence, or no evidence at all
 * become questions (over the candidates nobody else took); no candidate left means a new account.
 */
export function planMatches(cands: Candidates[], overlaps: (remoteId: string, accountId: number) => number): MatchPlan {
  const matched: MatchPlan['matched'] = new Map();
  const taken = new Set<number>();
  const claim = (remoteId: string, accountId: number, via: MatchVia) => { matched.set(remoteId, { accountId, via }); taken.add(accountId); };

  for (const c of cands) if (c.via === 'remote_id') claim(c.remoteId, c.accountIds[0], 'remote_id');
  // a unique key match, unless another remote account has the same unique key match
  const keyed = cands.filter((c) => (c.via === 'iban' || c.via === 'number') && c.accountIds.length === 1 && !taken.has(c.accountIds[0]));
  for (const c of keyed) {
    if (keyed.filter((o) => o.accountIds[0] === c.accountIds[0]).length === 1) claim(c.remoteId, c.accountIds[0], c.via as MatchVia);
  }

  const open = cands.filter((c) => !matched.has(c.remoteId));
  const scored = open.map((c) => ({
    remoteId: c.remoteId,
    candidates: c.accountIds.filter((id) => !taken.has(id)).map((accountId) => ({ accountId, overlaps: overlaps(c.remoteId, accountId) }))
      .sort((a, b) => b.overlaps - a.overlaps),
  }));
  const winner = (s: (typeof scored)[number]) => {
    const [first, second] = s.candidates;
    return first && first.overlaps > 0 && (!second || second.overlaps < first.overlaps) ? first.accountId : null;
  };
  const wins = scored.map(winner);
  scored.forEach((s, i) => {
    const w = wins[i];
    if (w !== null && wins.filter((x) => x === w).length === 1) claim(s.remoteId, w, 'transactions');
  });

  const questions = scored.filter((s) => !matched.has(s.remoteId))
    .map((s) => ({ remoteId: s.remoteId, candidates: s.candidates.filter((c) => !taken.has(c.accountId)) }))
    .filter((q) => q.candidates.length > 0);
  return { matched, questions };
}
