// The demo banks across restarts of the service: started again with it while they are used and not stopped; the
// aggregators they set up follow them to new addresses with the sandbox's own client secrets; an aggregator the user
// set up for something else is left alone; a stop is kept; demo.status says which.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../../main/log/index.js';
import { createMemoryPrefsStore, createService, type DemoSandbox, type MultibankService } from '../../../main/service/index.js';
import { DEMO_WORLD_FILE } from '../../../main/service/demo.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';

let dataDir = '';
const sandboxes: RunningSandbox[] = [];
beforeAll(() => { dataDir = mkdtempSync(join(tmpdir(), 'mb-demo-restart-')); });
afterAll(async () => {
  for (const s of sandboxes) await s.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const sandbox = async (providers: string[]) => { const s = await startSandbox({ providers }); sandboxes.push(s); return s; };
const describeOf = (s: RunningSandbox) => Object.fromEntries(Object.entries(s.describe()).filter(([k]) => k !== 'control')) as DemoSandbox['configs'];

it('re-addresses only what the demo set up, with its own secrets, and keeps a stop', async () => {
  const cipher = new TestCipher(); const keyStore = new MemorySealedKeyStore(); const prefs = createMemoryPrefsStore();
  /** the launcher: hands out `current` and notes where the world is kept */
  let current: RunningSandbox;
  const launches: string[] = [];
  const open = (): Promise<MultibankService> => createService({
    dataDir, cipher, keyStore, prefs, redirectMode: 'loopback', logger: silentLogger, background: false,
    startDemo: async ({ stateFile }) => {
      launches.push(stateFile);
      const s = current;
      // it ends with the service (as the sandbox child does)
      return { configs: describeOf(s), control: s.control, stop: async () => { if (sandboxes.includes(s)) { sandboxes.splice(sandboxes.indexOf(s), 1); await s.close(); } } };
    },
  });
  const baseUrls = async (s: MultibankService) => Object.fromEntries((await s.call('providers.list', undefined)).filter((p) => p.configured).map((p) => [p.id, p.baseUrl]));

  // the user's own finAPI, set up before the demo
  const own = await sandbox(['finapi']);
  const f = own.describe().finapi as { baseUrl: string; clientId: string; clientSecret: string; options: Record<string, string> };
  let service = await open();
  await service.call('providers.configure', { provider: 'finapi', baseUrl: f.baseUrl, clientId: f.clientId, clientSecret: f.clientSecret, options: f.options });

  current = await sandbox(['banqware', 'finapi']);
  const first = current.urls;
  await service.call('demo.start', undefined);
  expect(await baseUrls(service)).toEqual({ banqware: first.banqware, finapi: f.baseUrl });
  expect(await service.call('demo.status', undefined)).toEqual({ state: 'running', problem: null, notice: null, providers: [{ id: 'banqware', baseUrl: first.banqware }] });
  expect(launches).toEqual([join(dataDir, DEMO_WORLD_FILE)]);
  await service.close();

  // restarted, the demo on other ports: Banqware follows it (and works there); the user's finAPI stays
  current = await sandbox(['banqware', 'finapi']);
  service = await open();
  expect(await service.call('demo.status', undefined)).toMatchObject({ state: 'stopped' }); // not needed yet
  expect(await baseUrls(service)).toEqual({ banqware: current.urls.banqware, finapi: f.baseUrl });
  expect(current.urls.banqware).not.toBe(first.banqware);
  expect(launches).toHaveLength(2);
  expect((await service.call('institutions.list', { provider: 'banqware', query: 'Polski' })).map((i) => i.name)).toEqual(['Demo Bank Polski']);
  expect(await service.call('demo.status', undefined)).toMatchObject({ state: 'running', providers: [{ id: 'banqware', baseUrl: current.urls.banqware }] });

  // stopped: not started again with the next start, and said so; started again on request
  expect(await service.call('demo.stop', undefined)).toMatchObject({ state: 'stopped' });
  await service.close();
  current = await sandbox(['banqware']);
  service = await open();
  await service.call('providers.list', undefined);
  expect(launches).toHaveLength(2);
  expect(await service.call('demo.status', undefined)).toMatchObject({ state: 'stopped' });
  await service.call('demo.start', undefined);
  expect(launches).toHaveLength(3);
  expect(await service.call('demo.status', undefined)).toMatchObject({ state: 'running' });
  await service.close();
}, 60_000);

it('says why the demo banks are not running when they could not be started, in the catalogue and in English', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mb-demo-failed-'));
  let started = 0;
  const service = await createService({
    dataDir: dir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(), redirectMode: 'loopback',
    logger: silentLogger, background: false,
    // the first start works (a sandbox with no aggregators), the next one cannot spawn the sandbox
    startDemo: () => (started++ ? Promise.reject(new Error('spawn failed')) : Promise.resolve({ configs: {}, stop: () => undefined })),
  });
  try {
    await service.call('demo.start', undefined);
    await service.call('demo.stop', undefined);
    await expect(service.call('demo.start', undefined)).rejects.toThrow();
    expect(await service.call('demo.status', undefined)).toMatchObject({
      state: 'failed', problem: 'The demo banks did not start.', notice: { id: 'demo.not_started' },
    });
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
