// Removing a connection while its aggregator cannot be reached (the emulator stopped: nothing listens on its port):
// the removal says so and offers removing it from this computer only; the withdrawal at the aggregator waits, and is
// done by "try again" or quietly at the next start once the aggregator answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkStepDto } from '../../../preload/contract/channels.js';
import { silentLogger } from '../../../main/log/index.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { browse } from './bank-browser.js';

const provider = 'banqware';
const NOW = new Date('2026-11-20T10:00:00Z');

describe('removing a connection whose aggregator cannot be reached', () => {
  let sandbox: RunningSandbox | null;
  let dataDir: string;
  const keyStore = new MemorySealedKeyStore();
  const cipher = new TestCipher();
  const services: MultibankService[] = [];

  const open = async (background: boolean) => {
    const s = await createService({
      dataDir, cipher, keyStore, prefs: createMemoryPrefsStore(),
      redirectMode: 'loopback', logger: silentLogger, background, now: () => NOW,
      startDemo: async () => ({ configs: Object.fromEntries(Object.entries(sandbox!.describe()).filter(([k]) => k !== 'control')) as never, stop: () => {} }),
    });
    services.push(s);
    return s;
  };
  const port = () => Number(new URL((sandbox!.describe()[provider] as { baseUrl: string }).baseUrl).port);

  beforeEach(async () => {
    sandbox = await startSandbox({ providers: [provider], now: NOW.toISOString() });
    dataDir = mkdtempSync(join(tmpdir(), 'mb-remove-unreachable-'));
  }, 60_000);
  afterEach(async () => {
    for (const s of services.splice(0)) await s.close();
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function link(service: MultibankService): Promise<number> {
    const [institution] = await service.call('institutions.list', { provider, query: '' });
    let step: LinkStepDto = await service.call('link.begin', { provider, institutionId: institution!.id });
    for (let i = 0; i < 20 && step.kind !== 'done'; i++) {
      if (step.kind !== 'redirect') throw new Error(`unexpected step ${step.kind}`);
      const auth = new URL(step.url);
      const back = await browse(step.url, { username: 'demo', password: 'demo1234' }, (u) => {
        const x = new URL(u);
        return x.hostname === '127.0.0.1' && x.pathname === '/callback' && x.origin !== auth.origin;
      });
      await (await fetch(back)).text();
      step = await service.call('link.poll', { linkId: step.linkId });
    }
    if (step.kind !== 'done') throw new Error('link did not finish');
    await service.call('link.chooseAccounts', { connectionId: step.connectionId, accountIds: step.accounts.map((a) => a.id) });
    await service.idle();
    return step.connectionId;
  }

  it('refuses a plain removal with plain words, removes from this computer on request, and withdraws later on "try again"', async () => {
    const service = await open(false);
    await service.call('demo.start', undefined);
    const id = await link(service);
    const aggregatorPort = port();
    await sandbox!.close();
    sandbox = null;

    const refused = await service.call('connections.remove', { connectionId: id, deleteLocalData: true }).catch((e: unknown) => e);
    // an aggregator on this computer (the demo banks) that does not answer is not running: not an internet problem
    expect(refused).toMatchObject({ code: 'demo_not_running', message: expect.stringMatching(/could not withdraw its access at Banqware\. The demo banks on this computer are not running.*remove it from this computer only/s) });
    expect(await service.call('connections.list', undefined)).toHaveLength(1);
    expect(await service.call('revocations.list', undefined)).toEqual([]);

    await service.call('connections.remove', { connectionId: id, deleteLocalData: true, localOnly: true });
    expect(await service.call('connections.list', undefined)).toEqual([]);
    expect(await service.call('accounts.list', undefined)).toEqual([]);
    const [pending] = await service.call('revocations.list', undefined);
    expect(pending).toMatchObject({ connectionId: id, provider, since: NOW.toISOString(), howTo: { id: 'revocation.how_to', values: expect.objectContaining({ aggregator: 'Banqware', site: 'banqware.com' }) } });

    // still unreachable: the retry says so and it stays pending
    // in the reader's language (a catalogue message), without the address nothing answers at
    await expect(service.call('revocations.retry', { connectionId: id })).rejects.toMatchObject({
      code: 'demo_not_running', message: 'The demo banks on this computer are not running.', msg: { id: 'error.demo_not_running' },
    });
    expect(await service.call('revocations.list', undefined)).toHaveLength(1);

    // the aggregator answers again (same address): the withdrawal is done and forgotten
    sandbox = await startSandbox({ providers: [provider], now: NOW.toISOString(), ports: { [provider]: aggregatorPort } });
    expect(await service.call('revocations.retry', { connectionId: id })).toEqual([]);
  }, 120_000);

  it('retries a pending withdrawal quietly at the next start, and forgets one the user withdrew themselves', async () => {
    let service = await open(false);
    await service.call('demo.start', undefined);
    const first = await link(service);
    const second = await link(service);
    const aggregatorPort = port();
    await sandbox!.close();
    sandbox = null;
    await service.call('connections.remove', { connectionId: first, deleteLocalData: false, localOnly: true });
    await service.call('connections.remove', { connectionId: second, deleteLocalData: false, localOnly: true });
    expect((await service.call('revocations.list', undefined)).map((r) => r.connectionId)).toEqual([first, second]);
    expect(await service.call('revocations.forget', { connectionId: second })).toMatchObject([{ connectionId: first }]);
    await service.close();
    services.length = 0;

    sandbox = await startSandbox({ providers: [provider], now: NOW.toISOString(), ports: { [provider]: aggregatorPort } });
    service = await open(true);
    await expect.poll(() => service.call('revocations.list', undefined)).toEqual([]);
  }, 120_000);
});
