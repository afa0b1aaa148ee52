// Composition root of the main side. Every front end builds the same service here:
//  - the Electron app (main/electron/app.ts): safeStorage cipher, electron-store prefs and sealed key, multibank:// redirects;
//  - the CLI and the dev bridge (`npm run preview`): openLocalService — JSON preferences, loopback redirects, and
//    always an encrypted database under a passphrase, whose key also seals the vault's key.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from './domain/errors.js';
import { createService, type MultibankService, type ServiceOptions } from './service/index.js';
import { DATABASE_FILE } from './store/backup.js';
import { isPlainDatabase } from './store/db.js';
import { createPassphraseKey, DatabaseKeyCipher, hasPassphrase, resealVaultKey, unlockWithPassphrase } from './vault/dbkey.js';
import { FileSealedKeyStore, KeyFileCipher } from './vault/index.js';

export { createService };
export type { MultibankService, ServiceOptions };
export type { Service } from './service/api.js';

/**
 * A data dir whose database is encrypted under a key that is not in a key file beside it: the app's, sealed by the OS
 * keyring (safeStorage), which a plain Node process cannot open. Refused before any passphrase is asked or any file
 * is written (a new key file there would not open the database anyway).
 */
export function checkNotSealedElsewhere(dataDir: string): void {
  const db = join(dataDir, DATABASE_FILE);
  if (hasPassphrase(dataDir) || !existsSync(db) || statSync(db).size === 0 || isPlainDatabase(db)) return;
  throw new AppError('validation', { id: 'error.key_sealed_elsewhere', values: { dir: dataDir } }, { dataDir });
}

/** The service for a plain Node process (CLI, dev bridge) over a data dir; createService's defaults put the sealed
 *  key, preferences and log file in the data dir too. The data dir is always encrypted under the passphrase: a new
 *  one gets its key file, a plain one (an older version's) is converted on this start, and an encrypted one opens
 *  only with the right passphrase. */
export async function openLocalService(dataDir: string, opts: Partial<ServiceOptions> & { passphrase: string }): Promise<MultibankService> {
  const { passphrase, ...rest } = opts;
  checkNotSealedElsewhere(dataDir);
  const now = rest.now?.() ?? new Date();
  const databaseKey = hasPassphrase(dataDir) ? await unlockWithPassphrase(dataDir, passphrase, now) : await createPassphraseKey(dataDir, passphrase);
  const cipher = new DatabaseKeyCipher(databaseKey);
  resealFromKeyFile(dataDir, cipher);
  return createService({ dataDir, cipher, databaseKey, redirectMode: 'loopback', ...rest });
}

/** The vault key of a data dir that was plain was sealed by vault.key beside it: now under the database key, and
 *  vault.key goes (after the new seal is written). */
function resealFromKeyFile(dataDir: string, cipher: DatabaseKeyCipher): void {
  const keyFile = new KeyFileCipher(dataDir);
  if (!existsSync(keyFile.file)) return;
  resealVaultKey(new FileSealedKeyStore(dataDir), keyFile, cipher);
  rmSync(keyFile.file);
}
