// Composition root of the main side. Every front end builds the same service here:
//  - the Electron app (main/electron/app.ts): safeStorage cipher, electron-store prefs and sealed key, multibank:// redirects;
//  - the CLI and the dev bridge (`npm run preview`): openLocalService — key-file cipher and sealed-key file in the data dir,
//    JSON preferences, loopback redirects.
import { createService, type MultibankService, type ServiceOptions } from './service/index.js';
import { KeyFileCipher } from './vault/index.js';

export { createService };
export type { MultibankService, ServiceOptions };
export type { Service } from './service/api.js';

/** The service for a plain Node process (CLI, dev bridge) over a data dir; createService's defaults put the sealed
 *  key, preferences and log file in the data dir too. */
export function openLocalService(dataDir: string, opts: Partial<ServiceOptions> = {}): Promise<MultibankService> {
  return createService({
    dataDir,
    cipher: new KeyFileCipher(dataDir),
    redirectMode: 'loopback',
    ...opts,
  });
}
