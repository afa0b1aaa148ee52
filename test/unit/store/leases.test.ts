// A sync lease held by another live process whose connection also holds the write lock (its writer was mid-step when
// the process was stopped): taking the lease says who holds it, once busy_timeout runs out, instead of failing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, openDatabaseFile } from '../../../main/store/db.js';
import { createLeases } from '../../../main/store/leases.js';
import { createRepositories } from '../../../main/store/repositories.js';

const dirs: string[] = [];
const tempFile = () => { const d = mkdtempSync(join(tmpdir(), 'mb-lease-')); dirs.push(d); return join(d, 'multibank.db'); };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function twoConnections() {
  const file = tempFile();
  const a = openDatabase(file);
  const connectionId = createRepositories(a).connections.create({ provider: 'powens', institutionName: 'Bank', remote: {} }).id;
  const b = openDatabaseFile(file);
  // the test's own wait for the lock: short, the outcome is the same as after the real 5 s
  b.pragma('busy_timeout = 50');
  return { a, b, connectionId };
}

it('a held lease whose holder also holds the write lock: the second taker is told who holds it', () => {
  const { a, b, connectionId } = twoConnections();
  const held = createLeases(a).take(connectionId, () => 1);
  expect(held).toEqual({ runId: 1 });
  a.exec('BEGIN IMMEDIATE');
  let started = 0;
  const second = createLeases(b).take(connectionId, () => ++started);
  expect(second).toMatchObject({ heldBy: { pid: process.pid, runId: 1 } });
  expect(started).toBe(0);
  a.exec('ROLLBACK');
  a.close();
  b.close();
});

it('a write lock held without a live lease: the busy database is still an error (nobody to name)', () => {
  const { a, b, connectionId } = twoConnections();
  a.exec('BEGIN IMMEDIATE');
  expect(() => createLeases(b).take(connectionId, () => 1)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
  a.exec('ROLLBACK');
  a.close();
  b.close();
});
