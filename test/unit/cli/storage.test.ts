// `multibank sync` when the database cannot be written: a read-only file, a full disk (SQLite's page limit reached
// half-way through the sync), a damaged file. Each fails with a plain message and a non-zero exit, and no run is left
// 'running' in the sync log.
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteTransaction } from '../../../main/domain/types.js';
import type { MultibankService, ServiceOptions } from '../../../main/service/index.js';
import { openDatabase, type Db } from '../../../main/store/db.js';
import { KEY_FILE } from '../../../main/vault/dbkey.js';
import { GOOD_SECRET, scriptedRegistry, scriptedWorld, type ScriptedWorld } from '../service/scripted-provider.js';
import { followAuthorization, inProcessCli } from './in-process.js';
import { testDatabaseKey, testPassphraseEnv } from '../../helpers/dbkey.js';

const NOW = new Date('2026-11-20T10:00:00.000Z');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** a linked scripted connection, synced once unless `firstSync` is false; `extra` changes how later runs open the service */
async function linked(world: ScriptedWorld = scriptedWorld(), firstSync = true) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mb-cli-storage-'));
  dirs.push(dataDir);
  const extra: Partial<ServiceOptions> & { onOpen?(s: MultibankService): void } = { now: () => NOW };
  const run = inProcessCli(dataDir, scriptedRegistry(world), extra);
  expect((await run(['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--client-secret', GOOD_SECRET])).code).toBe(0);
  const link = await run(['connect', 'powens', '--institution', 'bank-1', '--json', '--timeout', '20', ...(firstSync ? [] : ['--no-sync'])], followAuthorization);
  expect(link.code, link.err).toBe(0);
  const file = join(dataDir, 'multibank.db');
  const runs = () => {
    const db = new Database(file, { readonly: true });
    try { return db.prepare('select id, outcome, error_code from sync_runs order by id').all() as Array<{ id: number; outcome: string; error_code: string | null }>; } finally { db.close(); }
  };
  // --no-sync: the first sync is cancelled as soon as it starts
  expect(runs()).toEqual([{ id: 1, outcome: firstSync ? 'ok' : 'cancelled', error_code: firstSync ? null : 'cancelled' }]);
  return { dataDir, file, run, extra, runs };
}

const oneLine = (err: string) => {
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  return err.trim();
};

describe('multibank sync when the database cannot be written', () => {
  it('a read-only database: exit 1, a plain message, no run recorded (IPC errors say the same)', async () => {
    const { file, run, extra, runs } = await linked();
    // chmod stops writes except for root, who writes anyway: as root the database is opened read-only instead
    const root = process.getuid?.() === 0;
    if (root) extra.openDatabase = (f) => { const db = new Database(f, { readonly: true }); db.pragma('busy_timeout = 5000'); return db; };
    else chmodSync(file, 0o444);
    try {
      const r = await run(['sync']);
      expect(r.code).toBe(1);
      expect(oneLine(r.err)).toMatch(/^multibank: Sync of connection 1 failed: Multibank could not write to its database because the file or its folder is read-only\. .*Make the data folder writable .* \[database_read_only\]$/);
      const json = await run(['sync', '--json']);
      expect(JSON.parse(json.out).runs).toEqual([expect.objectContaining({ id: null, connectionId: 1, outcome: 'error', errorCode: 'database_read_only' })]);
      // any other write through the request channel: the same code, not [internal]
      const remove = await run(['connections', 'remove', '1']);
      expect(oneLine(remove.err)).toMatch(/read-only.*\[database_read_only\]$/);
    } finally {
      if (!root) chmodSync(file, 0o644);
    }
    expect(runs()).toEqual([{ id: 1, outcome: 'ok', error_code: null }]);
  });

  it('a full disk half-way through: exit 1, "the disk is full", the run closed as an error; the next sync completes', async () => {
    const world = scriptedWorld();
    // rows with long descriptions over the 91 days the scripted aggregator serves (maxHistoryDays 90): two chunks, each a
    // page of its own, half of the rows today, so the second page needs far more room than pages the first one freed
    world.transactions.A = Array.from({ length: 910 }, (_, i): RemoteTransaction => ({
      remoteId: `big-${i}`, bookingDate: new Date(NOW.getTime() - (i < 455 ? 1 + (i % 90) : 0) * 86_400_000).toISOString().slice(0, 10), amount: -(i + 1),
      currency: 'EUR', status: 'booked', description: `Card payment ${i} `.padEnd(300, 'x'), counterpartyName: `Shop ${i % 97}`, raw: { id: i },
    }));
    const { file, run, extra, runs } = await linked(world, false);
    let db: Db | null = null;
    let limited = false;
    extra.openDatabase = (f) => (db = openDatabase(f));
    // after the first page of this sync is committed, the database may not grow any more: SQLITE_FULL on the next page
    extra.onOpen = (service) => service.on('sync.progress', (p) => {
      if (p.phase !== 'transactions' || limited) return;
      limited = true;
      db!.pragma(`max_page_count = ${db!.pragma('page_count', { simple: true }) as number}`);
    });
    const r = await run(['sync']);
    expect(limited).toBe(true);
    const committed = new Database(file, { readonly: true });
    const before = committed.prepare("select count(*) from transactions where remote_id like 'big-%'").pluck().get() as number;
    committed.close();
    // the pages before the full one are kept (the next sync resumes after them), the full one left nothing half-written
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(910);
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toBe('multibank: Sync of connection 1 failed: Multibank could not write to its database because the disk is full. Nothing was lost. Free some space and sync again. [disk_full]');
    expect(runs()[1]).toEqual({ id: 2, outcome: 'error', error_code: 'disk_full' });

    // space again: the next sync goes on from the committed pages and ends with every row
    extra.openDatabase = undefined;
    extra.onOpen = undefined;
    const again = await run(['sync', '--json']);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out).runs).toEqual([expect.objectContaining({ id: 3, connectionId: 1, outcome: 'ok', errorCode: null })]);
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare("select count(*) from transactions where remote_id like 'big-%'").pluck().get()).toBe(910);
    } finally {
      check.close();
    }
  }, 60_000);

  it('a damaged database file: a plain message, not [internal]', async () => {
    const { file, run } = await linked();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
    closeSync(fd);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    const r = await run(['sync']);
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toMatch(/^multibank: The database file .* cannot be read at all; nothing was changed\. .*multibank backup restore <name>.* \[database_damaged\]$/);
  });
});

describe('multibank on a read-only data folder (spawned)', () => {
  it('exits 1 with the read-only message, whoever runs it', async () => {
    const { spawn } = await import('node:child_process');
    const root = join(import.meta.dirname, '..', '..', '..');
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-cli-rodir-'));
    dirs.push(dataDir);
    await testDatabaseKey(dataDir);
    const cli = (args: string[], asUser?: number) => new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', '--data-dir', dataDir, ...args], {
        cwd: root, env: { ...process.env, ...testPassphraseEnv() }, stdio: ['ignore', 'ignore', 'pipe'], ...(asUser !== undefined ? { uid: asUser, gid: asUser } : {}),
      });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect((await cli(['connections', 'list'])).code).toBe(0);
    // chmod does not stop root: then the CLI runs as the unprivileged user "nobody", for whom the folder is read-only
    const user = process.getuid?.() === 0 ? 65534 : undefined;
    chmodSync(join(dataDir, 'multibank.db'), 0o444);
    chmodSync(join(dataDir, KEY_FILE), 0o444); // readable by that user too: the database is what is read-only here
    chmodSync(dataDir, 0o555);
    try {
      const r = await cli(['sync'], user);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toMatch(/^multibank: Multibank could not write to its database because the file or its folder is read-only\. .* \[database_read_only\]$/);
    } finally {
      chmodSync(dataDir, 0o755);
    }
  }, 60_000);
});

describe('multibank sync while another process syncs the same connection', () => {
  it('says so, exits 1, and reports no run of the other process as its own', async () => {
    const { file, run, runs } = await linked();
    // another live Multibank process (this test's own pid: alive) holds the connection's lease for its run
    const db = new Database(file);
    const other = Number(db.prepare(`INSERT INTO sync_runs (connection_id, trigger, user_present, started_at) VALUES (1, 'user', 1, ?)`).run(NOW.toISOString()).lastInsertRowid);
    db.prepare(`INSERT INTO sync_leases (connection_id, owner, pid, host, run_id, expires_at) VALUES (1, 'another-process', ?, ?, ?, '9999-01-01T00:00:00.000Z')`)
      .run(process.pid, hostname(), other);
    db.close();
    const r = await run(['sync', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).runs).toEqual([expect.objectContaining({ id: null, connectionId: 1, outcome: 'skipped', errorCode: 'already_syncing' })]);
    expect(oneLine(r.err)).toMatch(/^multibank: Sync of connection 1 did not run: Scripted Bank is already syncing in another Multibank window or process \(process \d+\); .*Wait for that sync to finish.* \[already_syncing\]$/);
    // the other process's run is untouched (still running: its owner lives), and no run of this one was added
    expect(runs()).toEqual([{ id: 1, outcome: 'ok', error_code: null }, { id: other, outcome: 'running', error_code: null }]);
  });
});
