// PKCE (RFC 7636) for providers whose authorization server wants it: S256 only.
import { createHash } from 'node:crypto';
import { randomToken } from './state.js';

export interface Pkce { verifier: string; challenge: string; method: 'S256' }

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A 43-character verifier (32 random bytes, base64url) and its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomToken(32);
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}
