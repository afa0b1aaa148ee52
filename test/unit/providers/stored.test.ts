// Stored link state that does not parse (a vault record or connection ids of the wrong shape: an older build, a hand
// edit, a damaged file) is a clear ProviderError asking for a renewal, before anything is sent: never a crash.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError, type ConnectionContext, type Provider, type ProviderConfig } from '../../../main/providers/provider.js';
import { readPending, readStored } from '../../../main/providers/stored.js';
import { PowensProvider } from '../../../main/providers/powens/index.js';
import { FinapiProvider } from '../../../main/providers/finapi/index.js';
import { EverifinProvider } from '../../../main/providers/everifin/index.js';
import { BanqwareProvider } from '../../../main/providers/banqware/index.js';
import { EnableBankingProvider } from '../../../main/providers/enablebanking/index.js';

const UNREADABLE = 'The stored sign-in data for this connection cannot be read; renew it.';

function setup() {
  const sent: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => { sent.push(String(input)); throw new Error('nothing may be sent'); };
  const config = (provider: ProviderConfig['provider']): ProviderConfig => ({ provider, baseUrl: 'http://127.0.0.1:9/', clientId: 'id', clientSecret: 'secret', options: {} });
  return { sent, fetch, config };
}
const ctx = (remote: Record<string, unknown>, secrets: Record<string, unknown>): ConnectionContext =>
  ({ connectionId: 1, remote, secrets, saveSecrets: () => {} }) as unknown as ConnectionContext;

async function refusal(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe('stored link state', () => {
  it('readStored returns the parsed record, or consent_expired in plain words that name no stored value', () => {
    const schema = z.object({ token: z.string() });
    expect(readStored(schema, { token: 't' }, 'x')).toEqual({ token: 't' });
    let caught: unknown;
    try { readStored(schema, { token: 42 }, 'x'); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(ProviderError);
    expect(caught).toMatchObject({ code: 'consent_expired', message: UNREADABLE });
    expect(() => readPending(schema, { token: 42 }, 'Demo')).toThrow('This Demo link is no longer valid. Start again.');
  });

  const cases: Array<[string, (s: ReturnType<typeof setup>) => Provider, ConnectionContext]> = [
    ['Powens', (s) => new PowensProvider(s.config('powens'), { fetch: s.fetch }), ctx({ userId: '1', connectionId: '2' }, { token: 42 })],
    ['finAPI', (s) => new FinapiProvider(s.config('finapi'), { fetch: s.fetch }), ctx({ bankConnectionId: '7' }, { userId: 'u', userPassword: 'p', accessToken: { a: 1 } })],
    ['Everifin', (s) => new EverifinProvider(s.config('everifin'), { fetch: s.fetch }), ctx({ userId: 'u' }, { accessToken: ['x'] })],
    ['Banqware', (s) => new BanqwareProvider(s.config('banqware'), { fetch: s.fetch }), ctx({ userId: 5, consentId: 'c' }, {})],
    ['Enable Banking', (s) => new EnableBankingProvider(s.config('enablebanking'), { fetch: s.fetch }), ctx({ sessionId: { id: 's' } }, {})],
  ];
  it.each(cases)('%s: listing accounts of a connection whose stored data does not parse is consent_expired, nothing sent', async (_name, make, c) => {
    const s = setup();
    const e = await refusal(make(s).listAccounts(c));
    expect(e).toMatchObject({ code: 'consent_expired', message: UNREADABLE });
    expect(s.sent).toEqual([]);
  });
});
