/** Seals and unseals the vault's data key: Electron safeStorage in the app, a test cipher in tests. */
export interface SecretCipher {
  /** false when the OS offers no encryption at all */
  isAvailable(): boolean;
  /** true when encryption exists but is plain text (Linux 'basic_text' backend): the user must opt in */
  isPlainText(): boolean;
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

/** Named secrets (tokens, client secrets), encrypted at rest. Names are like 'provider:powens:clientSecret'. */
export interface SecretStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
  /** every name starting with prefix */
  deletePrefix(prefix: string): void;
}

/** Thrown by a cipher whose own key (e.g. the CLI's key file) is gone: the sealed data key cannot be opened. */
export class CipherKeyMissingError extends Error {
  constructor(readonly where: string) {
    super(`the key file ${where} is missing`);
    this.name = 'CipherKeyMissingError';
  }
}
