// Every CLI run is a restart: the demo banks it starts end with it. A demo connection linked in one run is renewed
// and synced in later runs: each starts the demo banks again (a real sandbox child process) from the world kept in
// the data dir, with the same users and consents.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_WORLD_FILE } from '../../../main/service/demo.js';
import { browse } from '../service/bank-browser.js';
import { inProcessCli } from './in-process.js';

let dataDir = '';
beforeAll(() => { dataDir = mkdtempSync(join(tmpdir(), 'mb-cli-demo-')); });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** the person at the bank: when the CLI prints the sign-in address, sign in and hand the redirect to its listener */
const person = () => {
  let done: Promise<unknown> = Promise.resolve();
  return {
    onStdout(text: string) {
      const m = /"authorizationUrl":"([^"]+)"/.exec(text);
      if (!m) return;
      done = browse(m[1], { username: 'demo', password: 'demo1234' }, (u) => new URL(u).hostname === '127.0.0.1' && new URL(u).pathname === '/callback')
        .then((landed) => fetch(landed));
    },
    finished: () => done,
  };
};

/** the demo banks' addresses now, and whether anything answers there */
async function demoStatus(run: ReturnType<typeof inProcessCli>) {
  const r = await run(['demo', '--status', '--json']);
  expect(r.code, r.err).toBe(0);
  const s = JSON.parse(r.out) as { state: string; providers: Array<{ id: string; baseUrl: string }> };
  const powens = s.providers.find((p) => p.id === 'powens')!.baseUrl;
  const answers = await fetch(powens, { headers: { connection: 'close' } }).then(() => true, () => false);
  return { state: s.state, answers };
}

it('connect --renew and sync work for a demo connection after its demo banks stopped', async () => {
  const run = inProcessCli(dataDir);
  const setUp = await run(['demo', '--no-wait']);
  expect(setUp.code, setUp.err).toBe(0);
  expect(setUp.out).toContain('Demo banks are set up for: Powens');
  expect(existsSync(join(dataDir, DEMO_WORLD_FILE))).toBe(true);
  expect(await demoStatus(run)).toEqual({ state: 'stopped', answers: false });

  // link: this run starts the demo banks
  const banks = JSON.parse((await run(['institutions', 'powens', '--json'])).out) as Array<{ id: string; name: string }>;
  const tatra = banks.find((b) => b.name === 'Tatra Demo Banka')!;
  const linking = person();
  const linked = await run(['connect', 'powens', '--institution', tatra.id, '--no-sync', '--json', '--timeout', '60'], linking.onStdout);
  await linking.finished();
  expect(linked.code, linked.err).toBe(0);
  const { connectionId } = JSON.parse(linked.out.trim().split('\n').at(-1)!) as { connectionId: number };
  expect(await demoStatus(run)).toEqual({ state: 'stopped', answers: false });

  // renew after that restart: the same Powens user and connection
  const renewing = person();
  const renewed = await run(['connect', 'powens', '--renew', String(connectionId), '--json', '--timeout', '60'], renewing.onStdout);
  await renewing.finished();
  expect(renewed.code, renewed.err).toBe(0);
  expect(JSON.parse(renewed.out.trim().split('\n').at(-1)!)).toMatchObject({ connectionId });
  expect(await demoStatus(run)).toEqual({ state: 'stopped', answers: false });

  const synced = await run(['sync', '--json']);
  expect(synced.code, synced.err).toBe(0);
  const connections = JSON.parse((await run(['connections', 'list', '--json'])).out) as Array<{ id: number; state: string; lastErrorCode: string | null; lastSuccessAt: string | null }>;
  expect(connections).toEqual([expect.objectContaining({ id: connectionId, state: 'active', lastErrorCode: null, lastSuccessAt: expect.any(String) })]);
}, 240_000);
