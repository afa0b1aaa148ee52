// What one persistent fault costs: a sync of a real provider (Enable Banking's client against its emulator over HTTP)
// through the sync engine, counting the requests. Retries live only in the shared HTTP client (one request and its 2
// retries); the engine repeats nothing: a rate limit defers the connection by its Retry-After, a 5xx fails the run.
import { afterEach, describe, expect, it } from 'vitest';
import { createSyncEngine } from '../../../main/sync/engine.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { cleanupDirs, freshDb } from './scripted.js';
import { fixedClock } from '../../helpers/clock.js';
import { contextFor, link, startEnableBanking } from '../providers/enablebanking/harness.js';

afterEach(cleanupDirs);

/** far more faults than any retry budget: the fault is persistent */
const PERSISTENT = 100;

async function setup() {
  let requests = 0;
  const counting: typeof fetch = (input, init) => { requests++; return fetch(input, init); };
  const env = await startEnableBanking({ fetch: counting });
  const ctx = contextFor(await link(env));
  const { db } = freshDb();
  // the engine's own clock stands still (the emulator's runs on), so a deferral is exactly Retry-After from it
  const clock = fixedClock(env.world.clock.now());
  const repos = createRepositories(db, { now: clock.now });
  const conn = repos.connections.create({ provider: 'enablebanking', institutionName: env.bank.name, remote: ctx.remote });
  const engine = createSyncEngine({ db, now: clock.now, resolve: () => ({ provider: env.provider, ctx }) });
  const sync = async () => {
    requests = 0;
    const r = await engine.sync(conn.id, { trigger: 'user' });
    return { r, requests };
  };
  return { env, clock, repos, conn, sync };
}

describe('retry budget', () => {
  it('one persistent 429 costs 3 requests and defers the connection by its Retry-After', async () => {
    const s = await setup();
    try {
      s.env.world.faults.add('enablebanking', { kind: 'rate_limit', retryAfterSec: 1 }, PERSISTENT);
      const { r, requests } = await s.sync();
      expect(requests).toBe(3);
      expect(r.outcome).toBe('deferred');
      expect(r.deferredUntil).toBe(new Date(s.clock.now().getTime() + 1000).toISOString());
      expect(s.repos.connections.get(s.conn.id)).toMatchObject({ lastErrorCode: 'rate_limited', nextAttemptReason: 'rate_limited' });
      // a long Retry-After is not waited in-line at all: one request
      s.env.world.faults.clear();
      s.env.world.faults.add('enablebanking', { kind: 'rate_limit', retryAfterSec: 3600 }, PERSISTENT);
      s.clock.advance(1001);
      const long = await s.sync();
      expect(long.requests).toBe(1);
      expect(long.r.deferredUntil).toBe(new Date(s.clock.now().getTime() + 3_600_000).toISOString());
    } finally {
      s.env.close();
    }
  });

  it('one persistent 503 costs 3 requests and fails the run as bank_unavailable', async () => {
    const s = await setup();
    try {
      s.env.world.faults.add('enablebanking', { kind: 'server_error', status: 503 }, PERSISTENT);
      const { r, requests } = await s.sync();
      expect(requests).toBe(3);
      expect(r.outcome).toBe('error');
      expect(r.error?.code).toBe('bank_unavailable');
    } finally {
      s.env.close();
    }
  });
});
