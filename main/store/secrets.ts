// The vault_secrets table: each secret's sealed blob under its name. main/vault seals and opens the blobs; nothing
// here ever sees a secret in plain text.
import type { Db } from './db.js';
import { stmt } from './repositories.js';

export interface SealedSecrets {
  get(name: string): Buffer | undefined;
  put(name: string, blob: Buffer): void;
  delete(name: string): void;
  /** every name starting with prefix (taken literally: % and _ are not wildcards) */
  deletePrefix(prefix: string): void;
  deleteAll(): void;
  any(): boolean;
  /** names in order, never blobs */
  names(): string[];
}

export function createSealedSecrets(db: Db): SealedSecrets {
  return {
    get: (name) => (stmt(db, 'SELECT blob FROM vault_secrets WHERE name = ?').get(name) as { blob: Buffer } | undefined)?.blob,
    put(name, blob) {
      stmt(db, 'INSERT INTO vault_secrets (name, blob) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET blob = excluded.blob').run(name, blob);
    },
    delete(name) { stmt(db, 'DELETE FROM vault_secrets WHERE name = ?').run(name); },
    deletePrefix(prefix) {
      const escaped = prefix.replace(/[\\%_]/g, (c) => '\\' + c);
      stmt(db, "DELETE FROM vault_secrets WHERE name LIKE ? ESCAPE '\\'").run(escaped + '%');
    },
    deleteAll() { stmt(db, 'DELETE FROM vault_secrets').run(); },
    any: () => stmt(db, 'SELECT 1 FROM vault_secrets LIMIT 1').get() !== undefined,
    names: () => stmt(db, 'SELECT name FROM vault_secrets ORDER BY name').pluck().all() as string[],
  };
}
