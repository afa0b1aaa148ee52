// The same bank account reached through several connections (same IBAN or account number, same currency): one
// account to the user. Every chosen account of such a group is a copy; the preferred one (the user's choice in
// preferred_copies, else the first copy linked through a connection not removed) is shown and counted, the others are left out of
// the overview, the totals and the all-accounts transaction list.
import { normIban, normNumber } from '../domain/identifiers.js';
import type { Db } from './db.js';
import { stmt } from './repositories.js';

export interface CopyGroup { primaryId: number; accountIds: number[] }

interface Row { id: number; connection_id: number; iban: string | null; number: string | null; currency: string; removed_at: string | null; preferred: number }

/** groups of copies by account id (only accounts that have a copy through another connection are in the map) */
export function copyGroups(db: Db): Map<number, CopyGroup> {
  const rows = stmt(db, `SELECT a.id, a.connection_id, a.iban, a.number, a.currency, c.removed_at,
      (p.account_id IS NOT NULL) AS preferred
    FROM accounts a JOIN connections c ON c.id = a.connection_id LEFT JOIN preferred_copies p ON p.account_id = a.id
    WHERE a.selected = 1 ORDER BY a.id`).all() as Row[];
  const groups: Row[][] = [];
  for (const r of rows) {
    const iban = normIban(r.iban), num = normNumber(r.number);
    if (!iban && !num) continue;
    const same = (o: Row) => o.currency === r.currency && ((iban !== null && normIban(o.iban) === iban) || (num !== null && normNumber(o.number) === num));
    const g = groups.find((members) => members.some(same));
    if (g) g.push(r); else groups.push([r]);
  }
  const out = new Map<number, CopyGroup>();
  for (const members of groups) {
    if (new Set(members.map((m) => m.connection_id)).size < 2) continue;
    // the user's choice, else the first copy linked of a live connection (stable: a later sync never changes it)
    const best = members.find((m) => m.preferred) ?? members.find((m) => !m.removed_at) ?? members[0];
    const group = { primaryId: best.id, accountIds: members.map((m) => m.id) };
    for (const m of members) out.set(m.id, group);
  }
  return out;
}

/** ids of the copies that are not shown or counted (every member of a group but its preferred one) */
export function hiddenCopies(db: Db): number[] {
  return [...copyGroups(db)].filter(([id, g]) => g.primaryId !== id).map(([id]) => id);
}

/** make this account the preferred copy of its group; false when it has no copy through another connection */
export function preferCopy(db: Db, accountId: number): boolean {
  const group = copyGroups(db).get(accountId);
  if (!group) return false;
  db.transaction(() => {
    const drop = stmt(db, 'DELETE FROM preferred_copies WHERE account_id = ?');
    for (const id of group.accountIds) drop.run(id);
    stmt(db, 'INSERT INTO preferred_copies (account_id) VALUES (?)').run(accountId);
  })();
  return true;
}
