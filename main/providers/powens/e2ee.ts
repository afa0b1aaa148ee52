// Powens end-to-end encryption of credential values (seed 004: "All the field values must be end-to-end encrypted
// when sent to the API"). The scheme is Powens' published one (docs.powens.com, Integration guides > Advanced >
// End-to-end encryption): each cleartext value is replaced by a compact JWE, key management RSA-OAEP-256, content
// A256GCM, the key id (`kid`) in the protected header, the value's UTF-8 bytes as plaintext. The public key belongs to
// the integrator's API domain; Powens hands it out (console / its key endpoint), so here it is a provider option:
// `credentialsKey` (a public JWK, or a PEM SubjectPublicKeyInfo) and `credentialsKeyId` (the kid, when the JWK has none).
import { CompactEncrypt, importJWK, importSPKI, type JWK } from 'jose';
import { ProviderError } from '../provider.js';

export const CREDENTIALS_KEY_OPTIONS = ['credentialsKey', 'credentialsKeyId'] as const;
const ALG = 'RSA-OAEP-256';
const ENC = 'A256GCM';

export interface CredentialsSealer {
  /** the same form values, each replaced by its compact JWE */
  seal(values: Record<string, string>): Promise<Record<string, string>>;
}

const misconfigured = (why: string) => new ProviderError('not_configured',
  `The Powens credentials key in Settings cannot be used (${why}). Paste the end-to-end encryption public key of your Powens API domain (a JWK, or a PEM public key with its key id).`);

/** The sealer for the configured key, or null when none is configured (then only bank-page sign-in is offered). */
export function credentialsSealer(options: Record<string, string>): CredentialsSealer | null {
  const text = options.credentialsKey?.trim();
  if (!text) return null;
  let key: Promise<{ key: CryptoKey | Uint8Array; kid: string }> | null = null;
  const load = () => key ??= (async () => {
    if (text.startsWith('{')) {
      let jwk: JWK;
      try { jwk = JSON.parse(text) as JWK; } catch { throw misconfigured('not valid JSON'); }
      const kid = options.credentialsKeyId?.trim() || jwk.kid;
      if (!kid) throw misconfigured('no key id: set Credentials key ID');
      if (jwk.kty !== 'RSA' || jwk.d) throw misconfigured('not an RSA public key');
      return { key: await importJWK(jwk, ALG).catch(() => { throw misconfigured('not a usable RSA key'); }), kid };
    }
    const kid = options.credentialsKeyId?.trim();
    if (!kid) throw misconfigured('a PEM key needs Credentials key ID');
    // a PEM pasted into a one-line field loses its line breaks: put them back
    const body = text.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
    const pem = `-----BEGIN PUBLIC KEY-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END PUBLIC KEY-----`;
    return { key: await importSPKI(pem, ALG).catch(() => { throw misconfigured('not a PEM public key'); }), kid };
  })();
  return {
    async seal(values) {
      const { key: k, kid } = await load();
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(values)) {
        out[name] = await new CompactEncrypt(new TextEncoder().encode(value)).setProtectedHeader({ alg: ALG, enc: ENC, kid }).encrypt(k);
      }
      return out;
    },
  };
}
