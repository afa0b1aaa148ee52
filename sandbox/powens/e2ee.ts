// The emulator's side of Powens' end-to-end encryption of credential values (docs.powens.com, End-to-end encryption):
// every credential value must arrive as a compact JWE (RSA-OAEP-256 + A256GCM) carrying our key id; a clear value is
// refused. One key pair per process; its public JWK is what `describe()` hands out as the `credentialsKey` option.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { compactDecrypt, decodeProtectedHeader } from 'jose';

export const E2EE_KID = 'powens-sandbox-e2ee-1';
let pair: { privateKey: KeyObject; publicJwk: Record<string, unknown> } | null = null;

function keys() {
  if (!pair) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    pair = { privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid: E2EE_KID, alg: 'RSA-OAEP-256', use: 'enc' } };
  }
  return pair;
}

/** The public key of the emulated API domain, as a JWK text. */
export const publicKeyText = () => JSON.stringify(keys().publicJwk);

/** Body keys that are not credentials (they stay clear). */
const CLEAR = new Set(['connector_uuid', 'id_connector', 'resume']);

/**
 * The body with its credential values decrypted, or the reason a value is refused. Non-string values and the
 * non-credential keys pass as they are.
 */
export async function openCredentials(body: Record<string, any>): Promise<{ body: Record<string, any> } | { refused: string }> {
  const out: Record<string, any> = { ...body };
  for (const [name, value] of Object.entries(body)) {
    if (CLEAR.has(name) || typeof value !== 'string') continue;
    try {
      const h = decodeProtectedHeader(value);
      if (h.alg !== 'RSA-OAEP-256' || h.enc !== 'A256GCM' || h.kid !== E2EE_KID) return { refused: `${name}: the JWE must use RSA-OAEP-256, A256GCM and the key id ${E2EE_KID}` };
      out[name] = new TextDecoder().decode((await compactDecrypt(value, keys().privateKey)).plaintext);
    } catch {
      return { refused: `${name} is not end-to-end encrypted: every field value must be a compact JWE made with the domain's public key` };
    }
  }
  return { body: out };
}
