// The test suite's passphrase and key file. The CLI and the dev bridge always encrypt their data dir under a passphrase,
// and the app's scrypt cost (N = 2^17: 128 MiB, about half a second) on every command of a hundred tests would be
// minutes. So a test prepares the data dir's key file here, through the real dbkey API, with cheap parameters; the
// key file records them and unlocking honours what it records. The app itself always writes SCRYPT_DEFAULT.
import { mkdirSync } from 'node:fs';
import { createPassphraseKey, hasPassphrase, unlockWithPassphrase, type ScryptParams } from '../../main/vault/dbkey.js';
import { PASSPHRASE_ENV } from '../../main/cli/program.js';

export const TEST_PASSPHRASE = 'the test suite passphrase';
/** scrypt at N = 2^10: about a millisecond; for tests only */
export const CHEAP_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
/** the environment the CLI and `npm run preview` read the passphrase from */
export const testPassphraseEnv = (): Record<string, string> => ({ [PASSPHRASE_ENV]: TEST_PASSPHRASE });

/** The data dir's database key under TEST_PASSPHRASE: its key file is made (cheaply) when there is none yet. */
export async function testDatabaseKey(dataDir: string): Promise<Buffer> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (hasPassphrase(dataDir)) return unlockWithPassphrase(dataDir, TEST_PASSPHRASE);
  return createPassphraseKey(dataDir, TEST_PASSPHRASE, CHEAP_SCRYPT);
}
