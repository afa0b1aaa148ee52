// The sync log's writes (sync_runs): a run starts, finishes, or is found interrupted. Reads are in queries.ts (syncLog).
import type { Db } from './db.js';
import { stmt } from './repositories.js';

/** What a finished run records. */
export interface RunEnd {
  finishedAt: string; outcome: string; errorCode: string | null; errorMessage: string | null;
  requestedFrom: string | null; requestedTo: string | null; servedFrom: string | null; servedTo: string | null;
  counts: { new: number; updated: number; retired: number; unchanged: number };
  durationMs: number; detailsJson: string | null;
}

const COUNTED = "user_present = 0 AND started_at > ? AND outcome NOT IN ('deferred', 'skipped')";

export class SyncRunRepo {
  constructor(private db: Db) {}

  start(connectionId: number, trigger: string, userPresent: boolean, at: string): number {
    return Number(stmt(this.db, 'INSERT INTO sync_runs (connection_id, trigger, user_present, started_at) VALUES (?, ?, ?, ?)')
      .run(connectionId, trigger, userPresent ? 1 : 0, at).lastInsertRowid);
  }

  finish(runId: number, r: RunEnd): void {
    stmt(this.db, `UPDATE sync_runs SET finished_at = ?, requested_from = ?, requested_to = ?, served_from = ?, served_to = ?,
        new_count = ?, updated_count = ?, retired_count = ?, unchanged_count = ?, outcome = ?, error_code = ?, error_message = ?,
        duration_ms = ?, details_json = ? WHERE id = ?`)
      .run(r.finishedAt, r.requestedFrom, r.requestedTo, r.servedFrom, r.servedTo, r.counts.new, r.counts.updated, r.counts.retired,
        r.counts.unchanged, r.outcome, r.errorCode, r.errorMessage, r.durationMs, r.detailsJson, runId);
  }

  /** the outcome alone (when the full record could not be written) */
  finishBare(runId: number, r: Pick<RunEnd, 'finishedAt' | 'outcome' | 'errorCode' | 'errorMessage'>): void {
    stmt(this.db, 'UPDATE sync_runs SET finished_at = ?, outcome = ?, error_code = ?, error_message = ? WHERE id = ?')
      .run(r.finishedAt, r.outcome, r.errorCode, r.errorMessage, runId);
  }

  recordUnreadable(runId: number, count: number, reason: string | null): void {
    stmt(this.db, 'UPDATE sync_runs SET unreadable_count = ?, unreadable_reason = ? WHERE id = ?').run(count, reason, runId);
  }

  runningIds(): number[] {
    return stmt(this.db, "SELECT id FROM sync_runs WHERE outcome = 'running'").pluck().all() as number[];
  }

  markInterrupted(runId: number, message: string, at: string): void {
    stmt(this.db, `UPDATE sync_runs SET outcome = 'interrupted', error_code = 'internal', error_message = ?, finished_at = coalesce(finished_at, ?)
      WHERE id = ? AND outcome = 'running'`).run(message, at, runId);
  }

  /** unattended runs of the connection since `since` that count against its daily budget */
  unattendedSince(connectionId: number, since: string): number {
    return stmt(this.db, `SELECT count(*) FROM sync_runs WHERE connection_id = ? AND ${COUNTED}`).pluck().get(connectionId, since) as number;
  }

  oldestUnattendedSince(connectionId: number, since: string): string | undefined {
    return stmt(this.db, `SELECT started_at FROM sync_runs WHERE connection_id = ? AND ${COUNTED} ORDER BY started_at LIMIT 1`).pluck()
      .get(connectionId, since) as string | undefined;
  }
}
