// 5. Secrets at rest: end-to-end flows through the real service with a real log file and prefs file (configure the four
// aggregators with their client secrets, link through each with the bank password, sync, renew, a failing sync, a forged
// redirect, exports saved to files, a removal). Then the raw bytes of every file in the data dir (database, WAL, SHM,
// prefs, log, exports) are searched for every token, password and client secret the sandbox issued or was given:
// plain, URL-encoded, JSON-escaped, base64 (standard and URL-safe) and hex. None may be found.
// The database is encrypted (issue 22): the same search, over every file but the exports the user saved (plain on
// purpose), finds no transaction text, IBAN, amount, account or counterparty name either (database, WAL, SHM, backups, log, prefs).
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultibankService } from '../../main/service/index.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { recordFigures } from './figures.js';
import { DEMO, link, openService, PROVIDERS, tempDir, wireTap } from './harness.js';

/** JSON keys whose string values are secrets (tokens, passwords, client secrets), in anything the sandbox sent */
const SECRET_KEY = /token|secret|password|passwd|assertion|verifier|api_?key/i;
/** names that look secret but hold metadata (OIDC discovery's token_endpoint, token_type, *_methods_supported...) */
const NOT_SECRET_KEY = /endpoint|supported|type|url|uri|expires|lifetime/i;
const MIN_SECRET = 8;

function collectSecrets(value: unknown, out: Set<string>, key = ''): void {
  if (typeof value === 'string') { if (SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key) && value.length >= MIN_SECRET) out.add(value); return; }
  if (Array.isArray(value)) { for (const v of value) collectSecrets(v, out, key); return; }
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collectSecrets(v, out, k);
}

/** the spellings a secret could take in a file */
function encodings(secret: string): string[] {
  const b = Buffer.from(secret, 'utf8');
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), b.toString('base64'), b.toString('base64').replace(/=+$/, ''),
    b.toString('base64url'), b.toString('hex'), b.toString('hex').toUpperCase()])];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('secrets at rest', () => {
  let sandbox: RunningSandbox;
  let service: MultibankService;
  let dataDir: string;
  /** everything the sandbox answered the app, as it crossed the wire (Everifin's OIDC answers are not in the served log) */
  const wire = wireTap();

  beforeAll(async () => {
    sandbox = await startSandbox({ now: '2026-06-15T12:00:00Z' });
    dataDir = tempDir('secrets');
    service = await openService({ dataDir, cipherKey: '12'.repeat(32), databaseKey: '34'.repeat(32), sandbox, logToFile: true, fetch: wire.fetch });
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function scan(secrets: Set<string>, spellings: (s: string) => string[] = encodings, skip?: RegExp) {
    const needles = [...secrets].flatMap((s) => spellings(s).map((e) => ({ secret: s, bytes: Buffer.from(e, 'utf8') })));
    let bytes = 0;
    const found: string[] = [];
    for (const file of filesUnder(dataDir).filter((f) => !skip?.test(f.slice(dataDir.length + 1)))) {
      const data = readFileSync(file);
      bytes += data.length;
      for (const n of needles) if (data.includes(n.bytes)) found.push(`${file.slice(dataDir.length + 1)}: ${n.secret.slice(0, 6)}… as ${n.bytes.toString().slice(0, 12)}…`);
    }
    return { bytes, found, files: filesUnder(dataDir).length };
  }

  it('after linking, syncing, renewing, failing, exporting and removing, no file holds a token, password or client secret', async () => {
    await service.call('demo.start', undefined);
    const ids: number[] = [];
    for (const p of PROVIDERS) {
      const done = await link(service, p);
      ids.push(done.connectionId);
      await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    }
    await service.idle();
    // a second sync, renewals (new tokens), a failing sync, a forged redirect
    await service.call('sync.run', {});
    await service.idle();
    await link(service, 'finapi', DEMO, ids[PROVIDERS.indexOf('finapi')]);
    await link(service, 'everifin', DEMO, ids[PROVIDERS.indexOf('everifin')]);
    await service.idle();
    sandbox.world.faults.add('*', { kind: 'server_error', status: 500 }, 20);
    await service.call('sync.run', {});
    await service.idle();
    sandbox.world.faults.clear();
    await service.handleRedirect('multibank://oauth/callback?code=forged-code-123456&state=forged-state-123456789012345');
    // exports, saved where a person would save them
    mkdirSync(join(dataDir, 'exports'));
    for (const format of ['csv', 'ofx', 'json'] as const) {
      const e = await service.call('export.run', { format });
      expect(e.rows).toBeGreaterThan(0);
      writeFileSync(join(dataDir, 'exports', e.filename), e.content);
    }
    // removals: one that the aggregator confirms, one it no longer knows (logged as skipped)
    await service.call('connections.remove', { connectionId: ids[PROVIDERS.indexOf('banqware')], deleteLocalData: false });
    await sandbox.emulators.powens.control!.reset({});
    await service.call('connections.remove', { connectionId: ids[PROVIDERS.indexOf('powens')], deleteLocalData: false });

    // what the sandbox issued and was given: every answer's secret-looking values, its client secrets, the bank password
    const secrets = new Set<string>([DEMO.password]);
    for (const e of sandbox.world.served.list()) collectSecrets(e.body, secrets);
    for (const body of wire.bodies) collectSecrets(body, secrets);
    for (const [k, d] of Object.entries(sandbox.describe())) if (k !== 'control' && typeof d === 'object') collectSecrets(d, secrets);
    // the search must have something to find: tokens of every aggregator and the client secrets
    expect(secrets.size).toBeGreaterThan(10);
    for (const p of PROVIDERS) expect([...secrets], p).toContain((sandbox.describe()[p] as { clientSecret: string }).clientSecret);
    expect(readFileSync(join(dataDir, 'multibank.log'), 'utf8').length).toBeGreaterThan(0);

    // the search finds what is there: a canary file with one token, base64-encoded
    const canary = join(dataDir, 'canary.bin');
    writeFileSync(canary, Buffer.from(`xx${Buffer.from([...secrets][1]).toString('base64')}xx`));
    expect(scan(secrets).found.length).toBeGreaterThan(0);
    rmSync(canary);

    // the user's data: every transaction text, counterparty, IBAN and amount (as a decimal, as banks send it), account names
    await service.call('backup.create', undefined);
    const userData = new Set<string>();
    const accounts = await service.call('accounts.list', undefined);
    for (const a of accounts) for (const v of [a.name, a.iban]) if (v && v.length >= 6) userData.add(v);
    const rows = await service.call('transactions.list', { limit: 5000, sort: 'date_desc' });
    expect(rows.rows.length).toBeGreaterThan(50);
    for (const t of rows.rows) {
      for (const v of [t.description, t.counterpartyName, t.counterpartyIban]) if (v && v.length >= 6) userData.add(v);
      const decimal = (Math.abs(t.amount) / 100).toFixed(2);
      if (decimal.length >= 6) { userData.add(decimal); userData.add(decimal.replace('.', ',')); }
    }
    const plainSpellings = (v: string) => [...new Set([v, JSON.stringify(v).slice(1, -1)])];
    const notExports = /^exports\//;
    // the search finds what is there: a canary file with one counterparty name
    const userCanary = join(dataDir, 'canary.txt');
    writeFileSync(userCanary, `xx${rows.rows.find((t) => t.counterpartyName)!.counterpartyName}xx`);
    expect(scan(userData, plainSpellings, notExports).found.length).toBeGreaterThan(0);
    rmSync(userCanary);

    const open = scan(secrets); // with the WAL still in use
    const openData = scan(userData, plainSpellings, notExports);
    await service.close();
    const closed = scan(secrets); // after the checkpoint at close
    const closedData = scan(userData, plainSpellings, notExports);
    expect(open.found).toEqual([]);
    expect(closed.found).toEqual([]);
    expect(openData.found).toEqual([]);
    expect(closedData.found).toEqual([]);
    expect(filesUnder(dataDir).map((f) => f.slice(dataDir.length + 1))).toEqual(expect.arrayContaining(['multibank.db', 'multibank.log', expect.stringMatching(/^backups\/multibank-.*-manual\.db$/)]));
    recordFigures('user data at rest', { valuesSearched: userData.size, filesScanned: openData.files + closedData.files, valuesFound: openData.found.length + closedData.found.length });
    recordFigures('secrets', { secretsSearched: secrets.size, filesScanned: open.files + closed.files, bytesScanned: open.bytes + closed.bytes, secretsFound: open.found.length + closed.found.length });
  }, 240_000);
});
