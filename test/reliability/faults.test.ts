// 2. Fault matrix: each of the five aggregators x each sandbox fault, through the real service and clients over HTTP.
// Enough consecutive faults are queued that the HTTP client's retries cannot absorb them, so the fault must surface:
// the connection shows a clear error code and message, the sync log has the run, and no data row changed (accounts,
// balances, transactions, remote ids and cursors of that connection are byte-for-byte the same). After each fault the
// queue is cleared and a clean sync must succeed again.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionDto, SyncRunDto } from '../../preload/contract/channels.js';
import type { ProviderId } from '../../main/domain/types.js';
import type { MultibankService } from '../../main/service/index.js';
import type { Fault } from '../../sandbox/core/world.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { recordFigures } from './figures.js';
import { link, openService, PROVIDERS, tempDir } from './harness.js';

/** the aggregators of the matrix: the harness's four and Enable Banking */
const MATRIX = [...PROVIDERS, 'enablebanking'] as const satisfies readonly ProviderId[];
type MatrixProvider = (typeof MATRIX)[number];

/** queued per provider: far more than any retry budget (HTTP client retries x engine retries) */
const FAULT_COUNT = 40;

/** For schema drift: a field each aggregator's sync answers carry and the client needs (named per provider; Enable
 *  Banking's sync reads account uids from the stored session, so its drift hits the balances list). */
const DRIFT_FIELD: Record<MatrixProvider, string> = { powens: 'id', finapi: 'id', everifin: 'id', banqware: 'id', enablebanking: 'balances' };

interface TransportFault { name: string; fault: (p: MatrixProvider) => Fault; codes: string[]; outcome: 'error' | 'deferred' }
const TRANSPORT_FAULTS: TransportFault[] = [
  { name: '5xx', fault: () => ({ kind: 'server_error', status: 503 }), codes: ['bank_unavailable'], outcome: 'error' },
  // longer than the engine waits in-line: the connection is deferred and says so
  { name: '429 with Retry-After', fault: () => ({ kind: 'rate_limit', retryAfterSec: 120 }), codes: ['rate_limited'], outcome: 'deferred' },
  { name: 'malformed JSON', fault: () => ({ kind: 'malformed' }), codes: ['bad_response'], outcome: 'error' },
  { name: 'truncated JSON', fault: () => ({ kind: 'truncated' }), codes: ['network', 'bad_response'], outcome: 'error' },
  { name: 'dropped connection', fault: () => ({ kind: 'drop' }), codes: ['network'], outcome: 'error' },
  { name: 'schema drift: missing field', fault: (p) => ({ kind: 'schema_drift', field: DRIFT_FIELD[p] }), codes: ['bad_response'], outcome: 'error' },
  { name: 'schema drift: renamed field', fault: (p) => ({ kind: 'schema_drift', field: DRIFT_FIELD[p], renameTo: `${DRIFT_FIELD[p]}_renamed` }), codes: ['bad_response'], outcome: 'error' },
  // held longer than the client's 20 s timeout (a client that gives up later sees the connection closed)
  { name: 'timeout', fault: () => ({ kind: 'timeout', delayMs: 25_000 }), codes: ['timeout', 'network'], outcome: 'error' },
];

/**
 * How each emulator makes an access token stop working, and what the user should then see. Powens' user tokens are
 * permanent (the client renews a refused one with its client credentials); Banqware has no token of the user's own:
 * there a token that stops working is the consent ending.
 */
const TOKEN_EXPIRY: Record<MatrixProvider, { action: string; expect: 'recovers' | string[] }> = {
  powens: { action: 'revokeTokens', expect: 'recovers' },
  finapi: { action: 'expireTokens', expect: 'recovers' },
  everifin: { action: 'expire-access', expect: 'recovers' },
  banqware: { action: 'expire', expect: ['consent_expired'] },
  // Enable Banking signs its own short-lived JWT per request: what stops working is the session, i.e. the consent
  enablebanking: { action: 'expire', expect: ['consent_expired'] },
};
/**
 * How each emulator withdraws consent at the aggregator, and the codes the user may see. Powens: the user and its
 * connections are gone there. Everifin: a revoked sign-in mid-sync answers the token refresh with invalid_grant
 * "Session not active", the same answer as an ended sign-in, so the client can only say "sign in again" (expired).
 */
const REVOKE: Record<MatrixProvider, { action: string; codes: string[]; states: string[] }> = {
  powens: { action: 'reset', codes: ['consent_revoked'], states: ['revoked'] },
  finapi: { action: 'revokeConsent', codes: ['consent_revoked'], states: ['revoked'] },
  everifin: { action: 'revoke', codes: ['consent_revoked', 'consent_expired'], states: ['revoked', 'expired'] },
  banqware: { action: 'revoke', codes: ['consent_revoked'], states: ['revoked'] },
  enablebanking: { action: 'revoke', codes: ['consent_revoked'], states: ['revoked'] },
};

describe('fault matrix: five aggregators x every sandbox fault', () => {
  let sandbox: RunningSandbox;
  let service: MultibankService;
  let dataDir: string;
  let db: Database.Database;
  const connection = {} as Record<ProviderId, number>;
  let faultsTried = 0;
  /** what happens at the aggregator when a connection reaches phase 'accounts' of its next sync */
  const midSync = new Map<number, () => unknown>();

  beforeAll(async () => {
    sandbox = await startSandbox({ now: '2026-06-15T12:00:00Z' });
    dataDir = tempDir('faults');
    service = await openService({ dataDir, cipherKey: 'ab'.repeat(32), sandbox });
    service.on('sync.progress', (p) => {
      if (p.phase !== 'accounts') return;
      const hook = midSync.get(p.connectionId);
      midSync.delete(p.connectionId);
      hook?.();
    });
    await service.call('demo.start', undefined);
    for (const p of MATRIX) {
      const done = await link(service, p);
      connection[p] = done.connectionId;
      await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    }
    await service.idle();
    db = new Database(join(dataDir, 'multibank.db'), { readonly: true });
  }, 120_000);
  afterAll(async () => {
    db?.close();
    await service?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** the connection's rows in every data table */
  const snapshot = (connectionId: number) => {
    const acc = 'select id from accounts where connection_id = ?';
    return JSON.stringify([
      db.prepare('select * from accounts where connection_id = ? order by id').raw().all(connectionId),
      db.prepare(`select * from balances where account_id in (${acc}) order by 1, 2, 3`).raw().all(connectionId),
      db.prepare(`select * from transactions where account_id in (${acc}) order by id`).raw().all(connectionId),
      db.prepare(`select * from transaction_remote_ids where account_id in (${acc}) order by 1, 2`).raw().all(connectionId),
      db.prepare(`select * from sync_cursors where account_id in (${acc}) order by 1`).raw().all(connectionId),
    ]);
  };
  const runs = (id: number) => db.prepare('select count(*) from sync_runs where connection_id = ?').pluck().get(id) as number;

  /** sync every given connection at once; the last sync-log entry and the connection of each */
  async function syncAll(ids: number[]) {
    for (const id of ids) await service.call('sync.run', { connectionId: id });
    await service.idle();
    const conns = await service.call('connections.list', undefined);
    return Object.fromEntries(await Promise.all(ids.map(async (id) =>
      [id, { run: (await service.call('sync.log', { connectionId: id, limit: 1 }))[0], conn: conns.find((c) => c.id === id)! }] as const)));
  }

  const clearMessage = (m: string | null | undefined) => {
    expect(m).toBeTruthy();
    expect(m!.length).toBeGreaterThan(15);
    expect(m).not.toMatch(/^undefined|\[object|TypeError|ReferenceError|\bat .+:\d+:\d+/);
  };

  it('every connection syncs cleanly before the faults', async () => {
    const r = await syncAll(MATRIX.map((p) => connection[p]));
    for (const p of MATRIX) expect(r[connection[p]].run, p).toMatchObject({ outcome: 'ok' });
  });

  for (const f of TRANSPORT_FAULTS) {
    it(`${f.name}: a clear error, a sync-log entry, no changed row, and the next clean sync works`, async () => {
      const ids = MATRIX.map((p) => connection[p]);
      const before = Object.fromEntries(ids.map((id) => [id, { snap: snapshot(id), runs: runs(id) }]));
      for (const p of MATRIX) sandbox.world.faults.add(p, f.fault(p), FAULT_COUNT);
      const r = await syncAll(ids);
      sandbox.world.faults.clear();
      for (const p of MATRIX) {
        const id = connection[p];
        const { run, conn } = r[id];
        const what = `${p} / ${f.name}: ${JSON.stringify(run)}`;
        expect(runs(id), what).toBe(before[id].runs + 1);
        expect(run.outcome, what).toBe(f.outcome);
        expect(f.codes, what).toContain(run.errorCode);
        clearMessage(run.errorMessage);
        expect(conn.lastErrorCode, what).toBe(run.errorCode);
        clearMessage(conn.lastErrorMessage);
        expect(snapshot(id), `${what}: data rows changed`).toBe(before[id].snap);
        faultsTried++;
      }
      // a deferral lasts until its Retry-After: let the world's clock pass it
      if (f.outcome === 'deferred') sandbox.world.clock.advance(130_000);
      const again = await syncAll(ids);
      for (const p of MATRIX) expect(again[connection[p]].run, `${p} after ${f.name}`).toMatchObject({ outcome: 'ok' });
    }, 150_000);
  }

  /**
   * Access withdrawn mid-sync (after the refresh step asked the bank): either this sync fails with one of `codes` and
   * changes no row, or it still completes from what the aggregator already held, and then the next sync fails so.
   */
  async function expectSurfaced(p: ProviderId, first: { run: SyncRunDto; conn: ConnectionDto }, before: string, codes: string[]) {
    const id = connection[p];
    let { run, conn } = first;
    let snap = before;
    if (run.outcome === 'ok') {
      snap = snapshot(id);
      ({ run, conn } = (await syncAll([id]))[id]);
    }
    const what = `${p}: ${JSON.stringify(run)}`;
    expect(run.outcome, what).toBe('error');
    expect(codes, what).toContain(run.errorCode);
    clearMessage(run.errorMessage);
    expect(conn.lastErrorCode, what).toBe(run.errorCode);
    expect(snapshot(id), `${what}: data rows changed`).toBe(snap);
    return conn;
  }

  it('token expired mid-sync: the client renews it, or the user is told to reconnect; nothing half-written', async () => {
    const ids = MATRIX.map((p) => connection[p]);
    const before = Object.fromEntries(ids.map((id) => [id, snapshot(id)]));
    for (const p of MATRIX) midSync.set(connection[p], () => sandbox.emulators[p].control![TOKEN_EXPIRY[p].action]({}));
    const r = await syncAll(ids);
    for (const p of MATRIX) {
      const id = connection[p];
      const want = TOKEN_EXPIRY[p].expect;
      if (want === 'recovers') {
        expect(r[id].run.outcome, `${p}: ${JSON.stringify(r[id].run)}`).toBe('ok');
        // and again: the renewed token is the one stored
        expect((await syncAll([id]))[id].run.outcome, p).toBe('ok');
      } else {
        await expectSurfaced(p, r[id], before[id], want);
        // renew, so the next case starts from a working connection
        await link(service, p, undefined, id);
        await service.idle();
      }
      faultsTried++;
    }
  }, 150_000);

  it('consent revoked mid-sync: revoked (or sign in again) on the connection, a sync-log entry, no changed row', async () => {
    const ids = MATRIX.map((p) => connection[p]);
    const before = Object.fromEntries(ids.map((id) => [id, snapshot(id)]));
    for (const p of MATRIX) midSync.set(connection[p], () => sandbox.emulators[p].control![REVOKE[p].action]({}));
    const r = await syncAll(ids);
    for (const p of MATRIX) {
      const conn = await expectSurfaced(p, r[connection[p]], before[connection[p]], REVOKE[p].codes);
      expect(REVOKE[p].states, p).toContain(conn.state);
      faultsTried++;
    }
    recordFigures('faults', { faultsTried, aggregators: MATRIX.length, faultKinds: TRANSPORT_FAULTS.length + 2 });
  }, 150_000);
});
