// A damaged database end to end through the CLI: sync refuses to write into it, `backup restore` brings the data
// back (keeping the damaged file aside), and sync works again. Also `check` and the confirmation of a restore.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteTransaction } from '../../../main/domain/types.js';
import { damageMiddle } from '../../helpers/damage.js';
import { GOOD_SECRET, scriptedRegistry, scriptedWorld } from '../service/scripted-provider.js';
import { followAuthorization, inProcessCli } from './in-process.js';
import { testDatabaseKey, testPassphraseEnv } from '../../helpers/dbkey.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-cli-backup-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const NOW = new Date('2026-11-20T10:00:00.000Z');
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** enough history that the database is a few MiB, so damage in its middle hits transaction pages */
function history(n: number): RemoteTransaction[] {
  return Array.from({ length: n }, (_, i) => ({
    remoteId: `h${i}`, bookingDate: new Date(Date.UTC(2026, 8, 1) + (i % 80) * 86_400_000).toISOString().slice(0, 10),
    amount: -(100 + i), currency: 'EUR', status: 'booked' as const, description: `Card payment ${i} at shop number ${i % 97}`,
    counterpartyName: `Shop ${i % 97}`, raw: { id: `h${i}`, note: 'x'.repeat(200) },
  }));
}

describe('multibank backup / check (in process, scripted aggregator)', () => {
  it('refuses to sync into a damaged database, restores the newest backup after a confirmation, and syncs again', async () => {
    const world = scriptedWorld();
    world.transactions.A = history(3000);
    const dataDir = tempDir();
    const db = join(dataDir, 'multibank.db');
    const run = inProcessCli(dataDir, scriptedRegistry(world), { now: () => NOW });
    expect((await run(['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--client-secret', GOOD_SECRET])).code).toBe(0);
    const linked = await run(['connect', 'powens', '--institution', 'bank-1', '--json', '--timeout', '20'], followAuthorization);
    expect(linked.code, linked.err).toBe(0);
    const count = async () => JSON.parse((await run(['transactions', 'list', '--limit', '5000', '--json'])).out).length as number;
    expect(await count()).toBe(3001);

    const created = await run(['backup', 'create', '--json']);
    expect(created.code, created.err).toBe(0);
    const { name } = JSON.parse(created.out) as { name: string };
    const list = JSON.parse((await run(['backup', 'list', '--json'])).out) as Array<{ name: string; kind: string }>;
    expect(list).toContainEqual(expect.objectContaining({ name, kind: 'manual' }));
    expect(list.some((b) => b.kind === 'daily')).toBe(true);

    damageMiddle(db);
    const before = sha(db);
    const sync = await run(['sync', '--json']);
    expect(sync.code).toBe(1);
    expect(sync.err.trim().split('\n')).toHaveLength(1);
    expect(sync.err.trimEnd()).toMatch(/^multibank: The database file is damaged .*Multibank will not write to it.*multibank backup restore <name>.* \[database_damaged\]$/);
    expect(sha(db)).toBe(before);
    const check = await run(['check']);
    expect(check.code).toBe(1);
    expect(check.err.trimEnd()).toMatch(/failed its integrity check: .+\[database_damaged\]$/);
    // no damaged backup replaces a good one
    expect((await run(['backup', 'create'])).err).toMatch(/\[database_damaged\]/);

    const unconfirmed = await run(['backup', 'restore', name]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err.trimEnd()).toMatch(/Pass --yes to confirm\. \[validation\]$/);
    expect(sha(db)).toBe(before);

    const restored = await run(['backup', 'restore', name, '--yes', '--json']);
    expect(restored.code, restored.err).toBe(0);
    const { keptAside } = JSON.parse(restored.out) as { keptAside: string };
    expect(sha(join(keptAside, 'multibank.db'))).toBe(before);
    expect(await count()).toBe(3001);
    expect((await run(['check'])).out).toBe('The database passed its full integrity check.\n');

    world.transactions.A.push({ remoteId: 'late', bookingDate: '2026-11-19', amount: -999, currency: 'EUR', status: 'booked', description: 'After the restore', raw: { id: 'late' } });
    const again = await run(['sync', '--json']);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out).started).toEqual([1]);
    expect(await count()).toBe(3002);
    expect(existsSync(join(dataDir, 'backups', name))).toBe(true);
  }, 60_000);
});

describe('multibank (spawned) with a damaged preferences file', () => {
  it('says so in one line on stderr, keeps the file aside and carries on with the defaults', async () => {
    const dataDir = tempDir();
    await testDatabaseKey(dataDir);
    writeFileSync(join(dataDir, 'prefs.json'), '{"consentLeadDays": 9,');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', '--data-dir', dataDir, 'settings', '--json'], {
      cwd: join(import.meta.dirname, '..', '..', '..'), env: { ...process.env, ...testPassphraseEnv() }, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const aside = readdirSync(dataDir).find((f) => /^prefs\.broken-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.json$/.test(f))!;
    expect(readFileSync(join(dataDir, aside), 'utf8')).toBe('{"consentLeadDays": 9,');
    expect(r.stderr).toBe(`multibank: Your preferences file was damaged and could not be read. It was kept as ${join(dataDir, aside)}; the default preferences are in use now.\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ consentLeadDays: 7 });
  }, 60_000);
});
