import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../main/cli/datadir.js';
import { SECRET_ENV } from '../../../main/cli/program.js';
import { GOOD_SECRET, scriptedRegistry, scriptedWorld } from '../service/scripted-provider.js';
import { followAuthorization, inProcessCli } from './in-process.js';
import { runningClock, testNow } from '../../helpers/clock.js';
import { testDatabaseKey, testPassphraseEnv } from '../../helpers/dbkey.js';

const root = join(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-cli-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** with the suite's passphrase (a data dir is prepared with testDatabaseKey first) */
function spawnCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', ...args], {
      cwd: root, env: { ...process.env, ...testPassphraseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = ''; let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('multibank CLI (spawned)', () => {
  it('--help lists the commands', async () => {
    const r = await spawnCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['providers', 'demo', 'connect', 'connections', 'sync', 'accounts', 'transactions', 'export', '--data-dir']) expect(r.stdout).toContain(c);
    const configure = await spawnCli(['providers', 'configure', '--help']);
    for (const c of ['--client-secret-stdin', 'MULTIBANK_CLIENT_SECRET', 'hidden prompt', 'visible to other users']) expect(configure.stdout).toContain(c);
  });

  it('prints JSON for a command, in the data dir from MULTIBANK_HOME', async () => {
    const home = tempDir();
    await testDatabaseKey(home);
    const r = await spawnCli(['connections', 'list', '--json'], { MULTIBANK_HOME: home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    const p = await spawnCli(['--data-dir', home, 'providers', 'list', '--json']);
    expect(p.code).toBe(0);
    expect(Array.isArray(JSON.parse(p.stdout))).toBe(true);
    const s = await spawnCli(['--data-dir', home, 'settings', '--lead-days', '10', '--json']);
    expect(JSON.parse(s.stdout)).toMatchObject({ consentLeadDays: 10, allowPlainTextSecrets: false });
  });

  it('fails with a non-zero exit code and ONE line on stderr', async () => {
    const home = tempDir();
    await testDatabaseKey(home);
    const cases = [
      ['--data-dir', home, 'providers', 'configure', 'nope', '--base-url', 'https://x.example', '--client-id', 'a', '--client-secret', 'b'],
      ['--data-dir', home, 'sync', '--connection', '7'],
      ['--data-dir', home, 'transactions', 'list', '--since', 'yesterday'],
      ['--data-dir', home, 'no-such-command'],
      ['--data-dir', home, 'export'],
    ];
    for (const args of cases) {
      const r = await spawnCli(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^multibank: /);
    }
    // five CLI processes one after another, each compiling the CLI from source: a loaded machine takes minutes
  }, 180_000);
});

describe('multibank CLI (in process, scripted aggregator)', () => {
  it('configures, connects through the loopback redirect and lists connections with their consent', async () => {
    const world = scriptedWorld();
    const now = testNow('2026-11-24T12:00:00Z');
    world.consent = { state: 'active', expiresAt: new Date(now.getTime() + 3 * 86_400_000 + 3_600_000).toISOString() };
    const run = inProcessCli(tempDir(), scriptedRegistry(world), { now: () => now });

    expect((await run(['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--client-secret', GOOD_SECRET, '--json'])).code).toBe(0);
    const bad = await run(['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--client-secret', 'wrong']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/\[auth_failed\]/);

    // the "browser": follow the authorization URL's redirect_uri back to the loopback listener
    const linked = await run(['connect', 'powens', '--institution', 'bank-1', '--json', '--timeout', '20'], followAuthorization);
    expect(linked.code, linked.err).toBe(0);
    const lines = linked.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toHaveProperty('authorizationUrl');
    expect(lines[1]).toMatchObject({ connectionId: 1, accounts: [expect.objectContaining({ iban: 'DE89370400440532013000' }), expect.anything()] });

    const form = await run(['connect', 'powens', '--institution', 'form-bank', '--field', 'login=jo', '--field', 'password=nope']);
    expect(form.code).toBe(1);
    expect(form.err.trim().split('\n').at(-1)).toMatch(/^multibank: Wrong password\..* \[wrong_credentials\]$/);
    const missing = await run(['connect', 'powens', '--institution', 'form-bank', '--field', 'login=jo']);
    expect(missing.err).toMatch(/pass --field password=/);
    const formOk = await run(['connect', 'powens', '--institution', 'form-bank', '--field', 'login=jo', '--field', 'password=demo', '--accounts', '3', '--json']);
    expect(formOk.code, formOk.err).toBe(0);
    expect(JSON.parse(formOk.out.trim().split('\n').at(-1)!).accounts.filter((a: { selected: boolean }) => a.selected).map((a: { id: number }) => a.id)).toEqual([3]);

    const list = await run(['connections', 'list', '--json']);
    const conns = JSON.parse(list.out);
    expect(conns).toHaveLength(2);
    expect(conns[0]).toMatchObject({ id: 1, state: 'expiring', daysLeft: 3 });
    const human = await run(['connections', 'list']);
    expect(human.out).toMatch(/expiring\s+\d{4}-\d{2}-\d{2} \(in 3 days\)/);
    expect(human.out).not.toContain('access-token');

    const accounts = await run(['accounts', 'list']);
    expect(accounts.out).toContain('1000.00 EUR');

    const removed = await run(['connections', 'remove', '2', '--delete-data', '--json']);
    expect(JSON.parse(removed.out)).toEqual({ removed: 2, deletedLocalData: true });
  });

  it('says what a sync could not read, and saves a problem report (sync --report, log --report)', async () => {
    const world = scriptedWorld();
    world.unreadable = { A: [{ key: 't9', remoteId: 't9', reason: 'amount: Amount 1e-7 has more decimals than EUR allows (2)', redacted: { id: 't9', amount: '1e-7' } }] };
    const dir = tempDir();
    const run = inProcessCli(dir, scriptedRegistry(world));
    expect((await run(['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--client-secret', GOOD_SECRET])).code).toBe(0);
    const linked = await run(['connect', 'powens', '--institution', 'bank-1', '--json', '--timeout', '20'], followAuthorization);
    expect(linked.code, linked.err).toBe(0);

    const file = join(dir, 'report-sync.json');
    const synced = await run(['sync', '--report', file]);
    expect(synced.code, synced.err).toBe(0);
    expect(synced.out).toContain('1 transaction could not be read');
    expect(synced.err).toMatch(/problem report of sync \d+ saved to .*report-sync\.json/);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.sync).toMatchObject({ provider: 'powens', outcome: 'ok', unreadable: { count: 1, reason: 'amount: Amount #e-# has more decimals than EUR allows (#)' } });
    expect(report.rowsKeptAside).toEqual([{ reason: 'amount: Amount #e-# has more decimals than EUR allows (#)', firstSeenAt: expect.any(String), shape: { id: 'string', amount: 'string' } }]);

    const log = await run(['log']);
    expect(log.out).toMatch(/NOT READ/);
    // a later invocation: the newest partly failed run, whose requests are no longer in memory (said in the file)
    const later = join(dir, 'report-log.json');
    expect((await run(['log', '--report', later])).code).toBe(0);
    expect(JSON.parse(readFileSync(later, 'utf8')).requests).toMatchObject({ recorded: 0, note: expect.stringContaining('no longer in memory') });
    world.unreadable = {};
    expect((await run(['sync'])).code).toBe(0);
    const none = await run(['log', '--report', later, '--limit', '1']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/nothing to report/);
  });

  it('uses the platform app-data folder unless MULTIBANK_HOME is set', () => {
    expect(defaultDataDir({ MULTIBANK_HOME: '/x/y' }, 'linux', '/home/u')).toBe('/x/y');
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/multibank-cli');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u')).toBe('/cfg/multibank-cli');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/multibank-cli');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toMatch(/multibank-cli$/);
  });
});

describe('multibank providers configure', () => {
  it('reuses a stored client secret only for the host it was entered for', async () => {
    const run = inProcessCli(tempDir(), scriptedRegistry(scriptedWorld()));
    const configure = (baseUrl: string, ...more: string[]) => run(['providers', 'configure', 'powens', '--base-url', baseUrl, '--client-id', 'cli', ...more]);
    expect((await configure('https://aggregator.example', '--client-secret', GOOD_SECRET)).code).toBe(0);
    const moved = await configure('https://evil.example');
    expect(moved.code).toBe(2);
    expect(moved.err).toMatch(/^multibank: The stored client secret for .* was entered for https:\/\/aggregator\.example and is never sent anywhere else\. To use https:\/\/evil\.example, enter the client secret again\./);
    expect(JSON.parse((await run(['providers', 'list', '--json'])).out)[0]).toMatchObject({ baseUrl: 'https://aggregator.example' });
    expect((await configure('https://aggregator.example/v2')).code).toBe(0);
    expect((await configure('https://evil.example', '--client-secret', GOOD_SECRET)).code).toBe(0);
  });
});

describe('multibank providers configure: the client secret without the command line', () => {
  const args = ['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--json'];
  const pipe = (text: string) => { const p = new PassThrough(); p.end(text); return p; };

  it('reads it from stdin with --client-secret-stdin', async () => {
    const run = inProcessCli(tempDir(), scriptedRegistry(scriptedWorld()));
    const ok = await run([...args, '--client-secret-stdin'], undefined, { stdin: pipe(`${GOOD_SECRET}\n`) });
    expect(ok.code, ok.err).toBe(0);
    const wrong = await run([...args, '--client-secret-stdin'], undefined, { stdin: pipe('wrong\n') });
    expect(wrong.err).toMatch(/\[auth_failed\]/);
    const empty = await run([...args, '--client-secret-stdin'], undefined, { stdin: pipe('') });
    expect(empty.code).not.toBe(0);
    expect(empty.err).toMatch(/^multibank: No client secret on standard input\./);
    const both = await run([...args, '--client-secret', GOOD_SECRET, '--client-secret-stdin'], undefined, { stdin: pipe(GOOD_SECRET) });
    expect(both.err).toMatch(/^multibank: Give the client secret once/);
  });

  it(`reads it from ${SECRET_ENV}`, async () => {
    const run = inProcessCli(tempDir(), scriptedRegistry(scriptedWorld()));
    expect((await run(args, undefined, { env: { [SECRET_ENV]: 'wrong' } })).err).toMatch(/\[auth_failed\]/);
    const ok = await run(args, undefined, { env: { [SECRET_ENV]: GOOD_SECRET } });
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse((await run(['providers', 'list', '--json'])).out)[0]).toMatchObject({ configured: true });
  });

  it('asks for it with a hidden prompt in a terminal; an empty answer keeps the stored one', async () => {
    const run = inProcessCli(tempDir(), scriptedRegistry(scriptedWorld()));
    const terminal = (answer: string) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      let answered = false;
      const onStderr = (text: string) => { if (!answered && text.includes('Client secret')) { answered = true; stdin.write(`${answer}\n`); } };
      return { stdin, onStderr };
    };
    const typed = await run(args, undefined, terminal(GOOD_SECRET));
    expect(typed.code, typed.err).toBe(0);
    expect(typed.err).toContain('Client secret (input hidden');
    expect(typed.err).not.toContain(GOOD_SECRET);
    const kept = await run([...args.slice(0, 4), 'https://aggregator.example/v2', ...args.slice(5)], undefined, terminal(''));
    expect(kept.code, kept.err).toBe(0);
    expect(JSON.parse(kept.out)).toMatchObject({ baseUrl: 'https://aggregator.example/v2', configured: true });
  });
});

describe('multibank connect: a bank that is already linked', () => {
  it('names the accounts another connection holds, keeps them once, and says how to renew that connection instead', async () => {
    const run = inProcessCli(tempDir(), scriptedRegistry(scriptedWorld()));
    await run(['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--client-secret', GOOD_SECRET]);
    const first = await run(['connect', 'powens', '--institution', 'bank-1', '--json', '--timeout', '20'], followAuthorization);
    expect(first.code, first.err).toBe(0);
    expect(first.err).not.toMatch(/already/);
    const firstIds = (JSON.parse(first.out.trim().split('\n').at(-1)!).accounts as Array<{ id: number }>).map((a) => a.id);

    const second = await run(['connect', 'powens', '--institution', 'bank-1', '--json', '--timeout', '20'], followAuthorization);
    expect(second.code, second.err).toBe(0);
    const result = JSON.parse(second.out.trim().split('\n').at(-1)!);
    expect(result.alreadyLinked).toEqual(result.accounts.map((a: { id: number }) => ({ accountId: a.id, connectionId: 1, provider: 'powens', institutionName: 'Scripted Bank' })));
    expect(result.accounts.every((a: { selected: boolean }) => !a.selected)).toBe(true);
    expect(second.err).toMatch(/account \d+ "Current account" \(DE89 •••• 3000, EUR\) is already linked through connection 1 \(Scripted Bank\)/);
    expect(second.err).toContain(`multibank connections remove ${result.connectionId} --delete-data && multibank connect powens --renew 1`);

    // doing what it says leaves one connection with the first link's accounts
    expect((await run(['connections', 'remove', String(result.connectionId), '--delete-data'])).code).toBe(0);
    const renewed = await run(['connect', 'powens', '--renew', '1', '--json', '--timeout', '20'], followAuthorization);
    expect(renewed.code, renewed.err).toBe(0);
    expect(JSON.parse((await run(['connections', 'list', '--json'])).out).map((c: { id: number }) => c.id)).toEqual([1]);
    expect(JSON.parse((await run(['accounts', 'list', '--json'])).out).map((a: { id: number }) => a.id)).toEqual(firstIds);
  });
});

describe('multibank connect --no-wait, then --callback (two runs)', () => {
  it('parks the sign-in in the vault and finishes it from the address the browser ended on', async () => {
    const run = inProcessCli(tempDir(), scriptedRegistry(scriptedWorld()));
    await run(['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--client-secret', GOOD_SECRET]);
    const first = await run(['connect', 'powens', '--institution', 'bank-1', '--no-wait', '--json']);
    expect(first.code, first.err).toBe(0);
    const auth = new URL(JSON.parse(first.out).authorizationUrl);
    expect(first.err).toContain('--callback');
    // the browser ends on the (now closed) loopback address with the code and state
    const landed = `${auth.searchParams.get('redirect_uri')}?code=good-code&state=${auth.searchParams.get('state')}`;
    const second = await run(['connect', 'powens', '--callback', landed, '--json']);
    expect(second.code, second.err).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ connectionId: 1, accounts: [expect.objectContaining({ selected: true }), expect.objectContaining({ selected: true })] });
    const again = await run(['connect', 'powens', '--callback', landed]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/does not belong to a pending sign-in.*\[link_expired\]/);
  });
});

describe('multibank CLI against the Powens emulator', () => {
  it('configures from the sandbox, links with a credentials form, syncs, lists, searches and exports', async () => {
    const { startSandbox } = await import('../../../sandbox/start.js');
    const { readFileSync } = await import('node:fs');
    // the bank's world and the service on one clock from a fixed instant
    const now = runningClock(testNow('2026-03-11T10:00:00Z'));
    const sandbox = await startSandbox({ providers: ['powens'], now: now().toISOString() });
    const dataDir = tempDir();
    const run = inProcessCli(dataDir, undefined, { now });
    try {
      const d = sandbox.describe().powens as { baseUrl: string; clientId: string; clientSecret: string; options: Record<string, string> };
      const conf = await run(['providers', 'configure', 'powens', '--base-url', d.baseUrl, '--client-id', d.clientId, '--client-secret', d.clientSecret,
        ...Object.entries(d.options ?? {}).flatMap(([k, v]) => ['--option', `${k}=${v}`]), '--json']);
      expect(conf.code, conf.err).toBe(0);
      const banks = JSON.parse((await run(['institutions', 'powens', '--json'])).out) as Array<{ id: string; methods?: string[] }>;
      const bank = banks.find((b) => b.methods?.includes('credentials') && !b.methods.includes('webauth'))!;
      const wrong = await run(['connect', 'powens', '--institution', bank.id, '--field', 'login=demo', '--field', 'password=nope']);
      expect(wrong.code).toBe(1);
      expect(wrong.err.trim().split('\n').at(-1)).toMatch(/\[wrong_credentials\]$/);
      expect(JSON.parse((await run(['connections', 'list', '--json'])).out)).toEqual([]);

      const linked = await run(['connect', 'powens', '--institution', bank.id, '--field', 'login=demo', '--field', 'password=demo1234', '--json']);
      expect(linked.code, linked.err).toBe(0);
      const { connectionId, accounts } = JSON.parse(linked.out.trim().split('\n').at(-1)!);
      expect(accounts.length).toBeGreaterThan(0);
      const txs = JSON.parse((await run(['transactions', 'list', '--limit', '700', '--json'])).out) as Array<{ id: number; description: string; accountId: number }>;
      expect(txs.length).toBeGreaterThan(100);
      const word = txs.flatMap((t) => t.description.split(/\s+/)).find((w) => w.length > 4)!;
      const found = JSON.parse((await run(['transactions', 'list', '--search', word, '--json'])).out) as Array<{ description: string }>;
      expect(found.length).toBeGreaterThan(0);
      const oneAccount = JSON.parse((await run(['transactions', 'list', '--account', String(accounts[0].id), '--since', '2026-01-01', '--limit', '700', '--json'])).out) as Array<{ accountId: number; bookingDate: string }>;
      expect(oneAccount.every((t) => t.accountId === accounts[0].id && t.bookingDate >= '2026-01-01')).toBe(true);

      const file = join(dataDir, 'out.csv');
      const exported = await run(['export', '--format', 'csv', '--out', file, '--json']);
      expect(JSON.parse(exported.out)).toMatchObject({ file, rows: expect.any(Number) });
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('booking_date,value_date,bank,account,account_iban,amount,currency,status,counterparty,counterparty_iban,description,category,note,id,transfer_id');
      // a search result exported: exactly what the search lists
      const searched = JSON.parse((await run(['export', '--format', 'json', '--search', word, '--json'])).out) as { content: string };
      const exportedIds = (JSON.parse(searched.content).transactions as Array<{ id: number }>).map((t) => t.id).sort((a, b) => a - b);
      const listed = JSON.parse((await run(['transactions', 'list', '--search', word, '--limit', '700', '--json'])).out) as Array<{ id: number }>;
      expect(exportedIds).toEqual(listed.map((t) => t.id).sort((a, b) => a - b));
      expect(exportedIds.length).toBeLessThan(txs.length);

      const synced = await run(['sync', '--connection', String(connectionId), '--json']);
      expect(synced.code, synced.err).toBe(0);
      expect(JSON.parse(synced.out).runs[0]).toMatchObject({ connectionId, outcome: 'ok' });
      const conns = JSON.parse((await run(['connections', 'list', '--json'])).out);
      expect(conns[0]).toMatchObject({ id: connectionId, provider: 'powens', expiresAt: expect.any(String), daysLeft: expect.any(Number) });
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});
