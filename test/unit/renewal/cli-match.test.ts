// `multibank connect --renew` when the renewal cannot tell the cards apart: it stops with the questions and their
// candidates; answered with --match, the same local accounts continue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/program.js';
import { silentLogger } from '../../../main/log/index.js';
import { createMemoryPrefsStore, createService } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { GOOD_SECRET } from '../service/scripted-provider.js';
import { cardRegistry, twinCardsWorld } from './cards.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** runCli in this process over services sharing one data dir, cipher and key home; the "browser" follows each authorization URL back */
function cli() {
  const dataDir = mkdtempSync(join(tmpdir(), 'mb-cli-match-'));
  dirs.push(dataDir);
  const cipher = new TestCipher(); const keyStore = new MemorySealedKeyStore(); const prefs = createMemoryPrefsStore();
  const providers = cardRegistry(twinCardsWorld());
  const openService = (dir: string) => createService({ dataDir: dir, cipher, keyStore, prefs, redirectMode: 'loopback', background: false, logger: silentLogger, providers });
  const browser = (text: string) => {
    const m = /"authorizationUrl":"([^"]+)"/.exec(text);
    if (!m) return;
    const auth = new URL(m[1]);
    const back = new URL(auth.searchParams.get('redirect_uri')!);
    back.searchParams.set('code', 'good-code');
    back.searchParams.set('state', auth.searchParams.get('state')!);
    void fetch(back);
  };
  return async (args: string[]) => {
    const stdout = new PassThrough(); const stderr = new PassThrough();
    let out = ''; let err = '';
    stdout.on('data', (d) => { out += d; browser(String(d)); });
    stderr.on('data', (d) => { err += d; });
    const code = await runCli(['--data-dir', dataDir, ...args], { out: { stdout, stderr }, env: {}, stdin: new PassThrough(), openService });
    return { code, out, err, last: () => JSON.parse(out.trim().split('\n').at(-1)!) as { connectionId: number; accounts: Array<{ id: number; name: string }> } };
  };
}

it('connect --renew asks through --match when transactions cannot decide', async () => {
  const run = cli();
  expect((await run(['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--client-secret', GOOD_SECRET])).code).toBe(0);
  const linked = await run(['connect', 'powens', '--institution', 'bank-1', '--json', '--timeout', '20']);
  expect(linked.code, linked.err).toBe(0);
  const [cardA, cardB] = linked.last().accounts;

  const asked = await run(['connect', 'powens', '--renew', '1', '--json', '--timeout', '20']);
  expect(asked.code).toBe(1);
  const line = asked.err.trim().split('\n').at(-1)!;
  expect(line).toMatch(/\[needs_user\]$/);
  expect(line).toContain(`A-g2 = Card A (card, EUR) continues ${cardA.id} "Card A" (2 recent transactions in common, newest 2026-11-03) or ${cardB.id} "Card B"`);
  expect(line).toContain('--match');

  // answered (crosswise, as the user knows better), the same two local accounts continue
  const answered = await run(['connect', 'powens', '--renew', '1', '--json', '--timeout', '20', '--match', `A-g3=${cardB.id}`, '--match', `B-g3=${cardA.id}`]);
  expect(answered.code, answered.err).toBe(0);
  expect(answered.last().accounts.map((a) => a.id)).toEqual([cardB.id, cardA.id]); // in the bank's order: A-g3, B-g3
  const accounts = await run(['accounts', 'list', '--json']);
  expect((JSON.parse(accounts.out) as Array<{ id: number }>).map((a) => a.id)).toEqual([cardA.id, cardB.id]);
  const bad = await run(['connect', 'powens', '--renew', '1', '--json', '--timeout', '20', '--match', 'A-g4=new', '--match', 'B-g4=x']);
  expect(bad.err).toMatch(/--match must be a positive whole number/);
});
