// The service against the real aggregator clients and the sandbox's emulators over HTTP: link, sync, renew, expire, remove.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkStepDto } from '../../../preload/contract/channels.js';
import { silentLogger } from '../../../main/log/index.js';
import { PROVIDERS } from '../../../main/providers/registry.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { EMULATORS } from '../../../sandbox/emulators.js';
import { browse } from './bank-browser.js';

const providers = (Object.keys(PROVIDERS) as Array<keyof typeof PROVIDERS>).filter((p) => p in EMULATORS);

describe.each(providers)('%s through the service against its emulator', (provider) => {
  let sandbox: RunningSandbox;
  let service: MultibankService;
  let dataDir: string;
  let loopbackOrigin = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ providers: [provider] });
    dataDir = mkdtempSync(join(tmpdir(), `mb-emu-${provider}-`));
    service = await createService({
      dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(),
      redirectMode: 'loopback', logger: silentLogger, background: false,
      startDemo: async () => ({ configs: Object.fromEntries(Object.entries(sandbox.describe()).filter(([k]) => k !== 'control')) as never, stop: () => {} }),
    });
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** drive a link (or renewal) to 'done': the browser for redirects, demo logins for forms, polling for waits */
  async function complete(first: LinkStepDto): Promise<LinkStepDto & { kind: 'done' }> {
    let step = first;
    for (let i = 0; i < 40 && step.kind !== 'done'; i++) {
      if (step.kind === 'redirect') {
        const auth = new URL(step.url);
        const back = await browse(step.url, { username: 'demo', password: 'demo1234' }, (u) => {
          const x = new URL(u);
          return x.protocol === 'multibank:' || (x.hostname === '127.0.0.1' && x.pathname === '/callback' && x.origin !== auth.origin);
        });
        loopbackOrigin = new URL(back).origin;
        const res = await fetch(back); // the loopback listener hands it to handleRedirect
        expect(await res.text()).toContain('You can return to Multibank');
        step = await service.call('link.poll', { linkId: step.linkId });
      } else if (step.kind === 'form') {
        const values = Object.fromEntries(step.fields.map((f) => [f.name, f.type === 'password' ? 'demo1234' : /user|login|name/i.test(f.name) ? 'demo' : f.values?.[0]?.value ?? '']));
        step = await service.call('link.submit', { linkId: step.linkId, values });
      } else {
        await new Promise((r) => setTimeout(r, Math.min(step.kind === 'wait' ? step.pollAfterMs : 100, 500)));
        step = await service.call('link.poll', { linkId: step.linkId });
      }
    }
    if (step.kind !== 'done') throw new Error(`link did not finish: ${JSON.stringify(step)}`);
    return step;
  }

  async function allTransactions() {
    const ids: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await service.call('transactions.list', { sort: 'date_desc', limit: 500, ...(cursor ? { cursor } : {}) });
      ids.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  it('links, syncs, renews without duplicates, and removes', async () => {
    const configured = await service.call('demo.start', undefined);
    expect(configured.find((p) => p.id === provider)?.configured).toBe(true);
    const institutions = await service.call('institutions.list', { provider, query: '' }).catch(() => []);
    const institution = institutions.find((i) => !/SCA every|ends soon|expires/i.test(i.name)) ?? institutions[0];

    const done = await complete(await service.call('link.begin', { provider, ...(institution ? { institutionId: institution.id } : {}) }));
    expect(done.accounts.length, JSON.stringify(await service.call("connections.list", undefined))).toBeGreaterThan(0);
    const accountIds = done.accounts.map((a) => a.id);
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds });
    await service.idle();
    const [run] = await service.call('sync.log', { connectionId: done.connectionId, limit: 1 });
    expect(run, JSON.stringify(run)).toMatchObject({ outcome: 'ok' });
    const before = await allTransactions();
    expect(before.length).toBeGreaterThan(0);
    const [conn] = await service.call('connections.list', undefined);
    expect(conn).toMatchObject({ id: done.connectionId, provider, lastErrorCode: null });
    expect(['active', 'expiring']).toContain(conn.state);

    // renewal: same connection, same local accounts, no duplicated transactions
    const renewed = await complete(await service.call('link.begin', { provider, renewConnectionId: done.connectionId }));
    expect(renewed.connectionId).toBe(done.connectionId);
    await service.idle();
    expect((await service.call('accounts.list', undefined)).map((a) => a.id).sort()).toEqual([...accountIds].sort());
    const after = await allTransactions();
    expect(new Set(after).size).toBe(after.length);
    expect(after.filter((id) => !before.includes(id))).toEqual([]);
    expect((await service.call('sync.log', { connectionId: done.connectionId, limit: 1 }))[0]).toMatchObject({ outcome: 'ok', newCount: 0 });

    // a forged redirect to the same listener changes nothing
    if (loopbackOrigin) expect(await service.handleRedirect(`${loopbackOrigin}/callback?code=x&state=${'A'.repeat(43)}`)).toBe(false);

    await service.call('connections.remove', { connectionId: done.connectionId, deleteLocalData: false });
    expect((await service.call('connections.list', undefined))[0]).toMatchObject({ state: 'revoked', removedAt: expect.any(String) });
    expect(await allTransactions()).toHaveLength(after.length);
    await service.call('connections.remove', { connectionId: done.connectionId, deleteLocalData: true });
    expect(await service.call('accounts.list', undefined)).toEqual([]);
  }, 120_000);
});
