// 3. Forged deep links: thousands of generated multibank:// URLs and argv lists through the entry the Electron glue
// uses (findDeepLinkInArgv -> createDeepLinkRouter().deliver -> service.handleRedirect) while a real Powens link waits
// for its browser step. Nothing is accepted without the matching, unexpired, unused state; nothing throws; a refused
// URL changes nothing (the link still waits, no connection appears, the genuine callback still works once).
// Default 5,000 URLs + 2,000 argv lists; MULTIBANK_RELIABILITY=full: 50,000 + 10,000. Seed: MULTIBANK_FC_SEED.
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeepLinkRouter, findDeepLinkInArgv } from '../../main/auth/deeplink.js';
import { DEFAULT_STATE_TTL_MS } from '../../main/auth/state.js';
import type { MultibankService } from '../../main/service/index.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { browse } from '../unit/service/bank-browser.js';
import { recordFigures } from './figures.js';
import { DEMO, FULL, openService, tempDir } from './harness.js';

const URL_RUNS = FULL ? 50_000 : 5_000;
const ARGV_RUNS = FULL ? 10_000 : 2_000;
const SEED = Number(process.env.MULTIBANK_FC_SEED ?? 1124);

describe('forged deep links', () => {
  let sandbox: RunningSandbox;
  let service: MultibankService;
  let dataDir: string;
  const router = createDeepLinkRouter();
  let refused = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ providers: ['powens'], now: '2026-06-15T12:00:00Z' });
    dataDir = tempDir('deeplinks');
    service = await openService({ dataDir, cipherKey: 'cd'.repeat(32), sandbox, redirectMode: 'custom_scheme' });
    await service.call('demo.start', undefined);
    await router.setHandler((url) => service.handleRedirect(url));
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** a Powens link waiting for its browser step: its state, and the genuine callback URL the bank pages lead to */
  async function pendingLink() {
    const [bank] = await service.call('institutions.list', { provider: 'powens', query: 'Tatra' });
    const step = await service.call('link.begin', { provider: 'powens', institutionId: bank.id });
    if (step.kind !== 'redirect') throw new Error(`expected a browser step, got ${step.kind}`);
    const callback = await browse(step.url, DEMO, (u) => u.startsWith('multibank:'));
    const state = new URL(callback).searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(32);
    return { linkId: step.linkId, state, callback };
  }
  const stillWaiting = async (linkId: string) => {
    expect((await service.call('link.poll', { linkId })).kind).toBe('redirect');
    expect(await service.call('connections.list', undefined)).toEqual([]);
  };
  const deliver = async (raw: unknown) => {
    const accepted = await router.deliver(raw); // rejects only if something threw out of the entry point
    if (!accepted) refused++;
    return accepted;
  };

  // ---- generators
  const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/);
  const junk = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
  /** a state that is not the real one: random, or the real one altered (cut, extended, one character changed, case) */
  const forgedState = (real: string) => fc.oneof(
    token, junk,
    fc.nat({ max: real.length - 1 }).map((n) => real.slice(0, n)),
    token.map((t) => real + t),
    fc.tuple(fc.nat({ max: real.length - 1 }), fc.constantFrom(...'AZaz09_-')).map(([i, c]) => real.slice(0, i) + (real[i] === c ? (c === 'A' ? 'B' : 'A') : c) + real.slice(i + 1)),
    fc.constant(real.toUpperCase()), fc.constant(real.toLowerCase()), fc.constant(encodeURIComponent(real) + '%00'),
  ).filter((s) => s !== real);
  const scheme = fc.constantFrom('multibank', 'MULTIBANK', 'Multibank', 'multibank ', 'multibanks', 'multi-bank', 'http', 'https', 'file', 'javascript', 'app');
  const host = fc.oneof(fc.constantFrom('oauth', 'OAUTH', 'evil', 'oauth.evil', '127.0.0.1', '', 'oauth@evil', 'user:pw@oauth', 'oauth:443'), token);
  const path = fc.oneof(fc.constantFrom('/callback', '/callback/', '/Callback', '/callback/../x', '//callback', '/callback%2f', ''), token.map((t) => `/${t}`));
  const param = fc.tuple(fc.oneof(fc.constantFrom('code', 'error', 'state', 'error_description', 'iss', 'connection_id'), token, junk), fc.oneof(token, junk));

  /** URLs built to look like callbacks, with any state but the real one (or none) */
  const forgedUrl = (real: string) => fc.record({
    scheme, host, path,
    params: fc.array(param, { maxLength: 25 }),
    state: fc.option(forgedState(real), { nil: undefined }),
    hash: fc.option(fc.oneof(token, junk), { nil: undefined }),
  }).map(({ scheme, host, path, params, state, hash }) => {
    const q = new URLSearchParams(params.filter(([k]) => k !== 'state'));
    if (state !== undefined) q.set('state', state);
    return `${scheme}://${host}${path}?${q}${hash !== undefined ? `#${hash}` : ''}`;
  });
  /** URLs carrying the real state in a shape the entry point must refuse */
  const misshapenWithRealState = (real: string) => fc.oneof(
    host.filter((h) => h.toLowerCase() !== 'oauth').map((h) => `multibank://${h}/callback?code=x&state=${real}`),
    path.filter((p) => p !== '/callback' && p !== '/callback/').map((p) => `multibank://oauth${p}?code=x&state=${real}`),
    scheme.filter((s) => s.toLowerCase() !== 'multibank').map((s) => `${s}://oauth/callback?code=x&state=${real}`),
    token.map((t) => `multibank://oauth/callback?code=x&state=${real}&state=${t}`), // repeated: ambiguous
    token.map((t) => `multibank://${t}:${t}@oauth/callback?code=x&state=${real}`),
    fc.constantFrom('\n', '\t', ' ', '\u0000', '\u007f').map((c) => `multibank://oauth/callback?code=x${c}&state=${real}`),
    fc.constant(`multibank://oauth:8443/callback?code=x&state=${real}`),
    fc.constant(`multibank://oauth/callback?code=x&state=${real}#frag`),
    fc.constant(`multibank://oauth/callback?${Array.from({ length: 21 }, (_, i) => `p${i}=1`).join('&')}&state=${real}`),
    fc.constant(`multibank://oauth/callback?code=x&state=${real}&pad=${'x'.repeat(5000)}`),
    fc.constant(`multibank://oauth/callback?state=${real}`), // a state and nothing else
  );
  const notAString = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.object(), fc.array(fc.string()), fc.constant(Symbol('x')));

  it(`refuses ${URL_RUNS} generated URLs while a link waits, and the genuine callback then works exactly once`, async () => {
    const { linkId, state, callback } = await pendingLink();
    await fc.assert(fc.asyncProperty(fc.oneof(forgedUrl(state), misshapenWithRealState(state), junk, notAString), async (raw) => {
      expect(await deliver(raw)).toBe(false);
    }), { numRuns: URL_RUNS, seed: SEED });
    await stillWaiting(linkId);

    // the genuine callback: accepted once, the link moves on (Powens then asks for its second source's form);
    // any replay (as is, or reshaped) is refused
    expect(await deliver(callback)).toBe(true);
    expect((await service.call('link.poll', { linkId })).kind).not.toBe('redirect');
    await fc.assert(fc.asyncProperty(fc.constantFrom(callback, callback.replace('multibank://oauth', 'MULTIBANK://OAUTH'), `${callback}&x=1`), async (raw) => {
      expect(await deliver(raw)).toBe(false);
    }), { numRuns: 20, seed: SEED });
    await service.call('link.cancel', { linkId });
  }, 240_000);

  it(`refuses ${ARGV_RUNS} generated argv lists (second instance, start-up)`, async () => {
    const { linkId, state } = await pendingLink();
    const arg = fc.oneof(junk, token.map((t) => `--${t}`), fc.constantFrom('/usr/bin/multibank', '.', '--no-sandbox', 'multibank:', 'multibank://'), forgedUrl(state));
    await fc.assert(fc.asyncProperty(fc.array(fc.oneof(arg, notAString as fc.Arbitrary<unknown>), { maxLength: 12 }), async (argv) => {
      let found: string | null = null;
      expect(() => { found = findDeepLinkInArgv(argv); }).not.toThrow();
      expect(await deliver(found)).toBe(false);
    }), { numRuns: ARGV_RUNS, seed: SEED });
    await stillWaiting(linkId);
    await service.call('link.cancel', { linkId });
  }, 240_000);

  it('refuses the genuine callback once its state expired, and after the link was cancelled', async () => {
    const expired = await pendingLink();
    sandbox.world.clock.advance(DEFAULT_STATE_TTL_MS + 60_000);
    expect(await deliver(expired.callback)).toBe(false);
    const cancelled = await pendingLink();
    await service.call('link.cancel', { linkId: cancelled.linkId });
    expect(await deliver(cancelled.callback)).toBe(false);
    expect(await service.call('connections.list', undefined)).toEqual([]);
    recordFigures('deeplinks', { urlsAndArgvRefused: refused, urlRuns: URL_RUNS, argvRuns: ARGV_RUNS, fcSeed: SEED });
  }, 60_000);
});
