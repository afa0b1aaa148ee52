export type { SecretCipher, SecretStore } from './types.js';
export * from './vault.js';
export * from './ciphers.js';
