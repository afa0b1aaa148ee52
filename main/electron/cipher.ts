// The app's SecretCipher: Electron safeStorage (Keychain, DPAPI, libsecret/kwallet). On Linux without a keyring,
// safeStorage falls back to the 'basic_text' backend: it reports that as plain text so the user must opt in.
import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../vault/types.js';

export class SafeStorageCipher implements SecretCipher {
  constructor(private readonly safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>,
    private readonly platform: NodeJS.Platform = process.platform) {}

  isAvailable(): boolean {
    try { return this.safeStorage.isEncryptionAvailable(); } catch { return false; }
  }

  isPlainText(): boolean {
    if (this.platform !== 'linux' || typeof this.safeStorage.getSelectedStorageBackend !== 'function') return false;
    try {
      const backend = this.safeStorage.getSelectedStorageBackend();
      return backend === 'basic_text' || backend === 'unknown';
    } catch {
      return true;
    }
  }

  encrypt(plain: Buffer): Buffer {
    return this.safeStorage.encryptString(plain.toString('base64'));
  }

  decrypt(sealed: Buffer): Buffer {
    return Buffer.from(this.safeStorage.decryptString(sealed), 'base64');
  }
}
