// Composition root of the main side. Every front end builds the same service here:
//  - the Electron app (main/electron/app.ts): safeStorage cipher, electron-store prefs and sealed key, multibank:// redirects;
//  - the CLI and the dev bridge (`npm run preview`): openLocalService — JSON preferences, loopback redirects, and
//    with a passphrase an encrypted database whose key also seals the vault's key; without one, the older plain mode
//    (key-file cipher and sealed-key file in the data dir).
import { existsSync, rmSync } from 'node:fs';
import { AppError } from './domain/errors.js';
import { createService, type MultibankService, type ServiceOptions } from './service/index.js';
import { createPassphraseKey, DatabaseKeyCipher, hasPassphrase, resealVaultKey, unlockWithPassphrase } from './vault/dbkey.js';
import { FileSealedKeyStore, KeyFileCipher } from './vault/index.js';

export { createService };
export type { MultibankService, ServiceOptions };
export type { Service } from './service/api.js';

/** The service for a plain Node process (CLI, dev bridge) over a data dir; createService's defaults put the sealed
 *  key, preferences and log file in the data dir too. With a passphrase the data dir is encrypted (converted on the
 *  first start that has one); a data dir that has a passphrase refuses to open without it. */
export async function openLocalService(dataDir: string, opts: Partial<ServiceOptions> & { passphrase?: string } = {}): Promise<MultibankService> {
  const { passphrase, ...rest } = opts;
  if (passphrase === undefined) {
    if (hasPassphrase(dataDir)) throw new AppError('passphrase_required', { id: 'error.encrypted_needs_passphrase', values: { dir: dataDir } });
    return createService({ dataDir, cipher: new KeyFileCipher(dataDir), redirectMode: 'loopback', ...rest });
  }
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
