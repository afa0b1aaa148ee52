// Powens writes `state=null` on its webauth callback when it has no state of ours [SEED 004]: the service hands such a
// callback to the one Powens link waiting at its browser step if Powens' answer checks out, and refuses it while two
// are waiting (which one?) or when it does not (a forged callback leaves the waiting link as it was).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LinkStepDto } from '../../../preload/contract/channels.js';
import { silentLogger } from '../../../main/log/index.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { browse } from './bank-browser.js';
import { testNow } from '../../helpers/clock.js';

describe('a Powens webauth callback with state=null', () => {
  let sandbox: RunningSandbox;
  let service: MultibankService;
  let dataDir: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ providers: ['powens'], now: testNow('2026-06-15T12:00:00Z').toISOString() });
    dataDir = mkdtempSync(join(tmpdir(), 'mb-powens-null-state-'));
    service = await createService({
      dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(),
      redirectMode: 'loopback', logger: silentLogger, background: false, now: () => sandbox.world.clock.now(),
      startDemo: async () => ({ configs: Object.fromEntries(Object.entries(sandbox.describe()).filter(([k]) => k !== 'control')) as never, stop: () => {} }),
    });
    await service.call('demo.start', undefined);
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** begin a link at a bank that signs in on its own page; the callback URL the bank sends back, with state=null */
  async function callbackWithoutState(): Promise<{ step: LinkStepDto & { kind: 'redirect' }; back: string }> {
    const institutions = await service.call('institutions.list', { provider: 'powens', query: '' });
    const bank = institutions.find((i) => i.methods?.length === 1 && i.methods[0] === 'webauth')!;
    const step = await service.call('link.begin', { provider: 'powens', institutionId: bank.id });
    if (step.kind !== 'redirect') throw new Error(`expected a redirect, got ${step.kind}`);
    const auth = new URL(step.url);
    const back = new URL(await browse(step.url, { username: 'demo', password: 'demo1234' },
      (u) => { const x = new URL(u); return x.hostname === '127.0.0.1' && x.pathname === '/callback' && x.origin !== auth.origin; }));
    expect(back.searchParams.get('state')).toBeTruthy();
    back.searchParams.set('state', 'null');
    return { step, back: back.toString() };
  }

  it('completes the one waiting link; a forged one before it changes nothing', async () => {
    const { step, back } = await callbackWithoutState();
    const forged = new URL(back);
    forged.searchParams.set('id_connection', '999999');
    expect(await service.handleRedirect(forged.toString())).toBe(false);
    expect(await service.handleRedirect(`${new URL(back).origin}/callback?state=null`)).toBe(false);
    expect((await service.call('link.poll', { linkId: step.linkId })).kind).toBe('redirect');
    expect(await service.handleRedirect(back)).toBe(true);
    await vi.waitFor(async () => expect((await service.call('link.poll', { linkId: step.linkId })).kind).toBe('done'), { timeout: 20_000, interval: 50 });
  });

  it('is refused while two links wait, and nothing changes', async () => {
    const first = await callbackWithoutState();
    const second = await callbackWithoutState();
    expect(await service.handleRedirect(first.back)).toBe(false);
    expect((await service.call('link.poll', { linkId: first.step.linkId })).kind).toBe('redirect');
    expect((await service.call('link.poll', { linkId: second.step.linkId })).kind).toBe('redirect');
  });
});
