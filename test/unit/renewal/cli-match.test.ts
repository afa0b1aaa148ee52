// `multibank connect --renew` when the renewal cannot tell the cards apart: it stops with the questions and their
// candidates; answered with --match, the same local accounts continue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { GOOD_SECRET } from '../service/scripted-provider.js';
import { followAuthorization, inProcessCli } from '../cli/in-process.js';
import { cardRegistry, twinCardsWorld } from './cards.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** the CLI in this process on one fresh data dir over the card bank; the "browser" follows each authorization URL back */
function cli() {
  const dataDir = mkdtempSync(join(tmpdir(), 'mb-cli-match-'));
  dirs.push(dataDir);
  // the cards' transactions are of November 2026: the service's today is next to them, whatever the machine's date
  const now = new Date('2026-11-24T12:00:00Z');
  const run = inProcessCli(dataDir, cardRegistry(twinCardsWorld()), { now: () => now });
  return async (args: string[]) => {
    const r = await run(args, followAuthorization);
    return { ...r, last: () => JSON.parse(r.out.trim().split('\n').at(-1)!) as { connectionId: number; accounts: Array<{ id: number; name: string }> } };
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
