// Sync leases: at most one process syncs a connection at a time. A lease names its owner (a random id per sync
// engine, the process id and the host) and expires unless renewed; it is taken, renewed and released in short
// transactions. A lease is taken over when it expired, or when its owner process on this host is gone.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './db.js';
import { stmt } from './repositories.js';

export interface LeaseHolder { owner: string; pid: number; host: string; runId: number | null; expiresAt: string }

export interface Leases {
  readonly owner: string;
  /** take the connection's lease and, in the same transaction, start its run (`start` returns the run id);
   *  when another live owner holds it, nothing is written and that holder is returned */
  take(connectionId: number, start: () => number): { runId: number } | { heldBy: LeaseHolder };
  /** move the expiry on; false when the lease is no longer ours (it expired and another process took it) */
  renew(connectionId: number): boolean;
  release(connectionId: number): void;
  /** runs whose lease is held by a live owner (any other 'running' run was interrupted) */
  liveRunIds(): Set<number>;
}

export interface LeaseOptions {
  /** how long a lease lives without renewal (default 60 s); wall-clock time: leases are about processes, not the app's
   *  (possibly simulated) clock */
  ttlMs?: number;
}

interface LeaseRaw { owner: string; pid: number; host: string; run_id: number | null; expires_at: string }
const toHolder = (r: LeaseRaw): LeaseHolder => ({ owner: r.owner, pid: r.pid, host: r.host, runId: r.run_id, expiresAt: r.expires_at });

const HOST = hostname();

/** whether a process of this host still runs (EPERM: it runs, as another user) */
export function processAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

export function createLeases(db: Db, opts: LeaseOptions = {}): Leases {
  const ttl = opts.ttlMs ?? 60_000;
  const now = Date.now;
  const owner = randomUUID();
  const expiry = () => new Date(now() + ttl).toISOString();
  const live = (h: LeaseHolder) => Date.parse(h.expiresAt) > now() && (h.host !== HOST || processAlive(h.pid));

  return {
    owner,
    take(connectionId, start) {
      const heldBy = (): LeaseHolder | null => {
        const r = stmt(db, 'SELECT * FROM sync_leases WHERE connection_id = ?').get(connectionId) as LeaseRaw | undefined;
        return r && r.owner !== owner && live(toHolder(r)) ? toHolder(r) : null;
      };
      try {
        return db.transaction(() => {
          const holder = heldBy();
          if (holder) return { heldBy: holder };
          const runId = start();
          stmt(db, `INSERT INTO sync_leases (connection_id, owner, pid, host, run_id, expires_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(connection_id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
              run_id = excluded.run_id, expires_at = excluded.expires_at`).run(connectionId, owner, process.pid, HOST, runId, expiry());
          return { runId };
        }).immediate();
      } catch (e) {
        // the holder may also hold the write lock for longer than busy_timeout (its writer mid-step when its process
        // was stopped): the lease is still readable (WAL), so the sync says who holds it instead of failing unexplained
        const holder = (e as { code?: unknown }).code === 'SQLITE_BUSY' ? heldBy() : null;
        if (holder) return { heldBy: holder };
        throw e;
      }
    },
    renew(connectionId) {
      return stmt(db, 'UPDATE sync_leases SET expires_at = ? WHERE connection_id = ? AND owner = ?').run(expiry(), connectionId, owner).changes === 1;
    },
    release(connectionId) {
      stmt(db, 'DELETE FROM sync_leases WHERE connection_id = ? AND owner = ?').run(connectionId, owner);
    },
    liveRunIds() {
      const rows = (stmt(db, 'SELECT * FROM sync_leases WHERE run_id IS NOT NULL').all() as LeaseRaw[]).map(toHolder);
      return new Set(rows.filter(live).map((h) => h.runId!));
    },
  };
}
