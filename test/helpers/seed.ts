// A data dir with one linked bank's account and no transactions: the starting point of the statement-import stories.
import { join } from 'node:path';
import { openDatabase } from '../../main/store/db.js';

const SEEDED_AT = '2026-04-02T08:00:00.000Z';

/** connection 1 (Powens, "Musterbank") with account 1, "Girokonto", whose IBAN is the German fixtures' */
export function seedGirokonto(dataDir: string): void {
  const db = openDatabase(join(dataDir, 'multibank.db'));
  db.prepare("insert into connections (provider, institution_name, created_at) values ('powens', 'Musterbank', ?)").run(SEEDED_AT);
  db.prepare(`insert into accounts (connection_id, remote_id, iban, name, type, currency, created_at, updated_at)
    values (1, 'a1', 'DE89370400440532013000', 'Girokonto', 'current', 'EUR', ?, ?)`).run(SEEDED_AT, SEEDED_AT);
  db.close();
}
