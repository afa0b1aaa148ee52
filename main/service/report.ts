// "Save a problem report": a diagnostics file for one sync that a user can send without giving anything away.
// It holds what we asked (method, path with ids masked, status), the shape of each answer with every value replaced by
// its type, our error in words with every number and IBAN masked, and the shapes of the rows we could not read.
// No token, header, query value, IBAN, name, amount or free text goes in.
import type { SyncRunDto, UnreadableRowDto } from '../../preload/contract/channels.js';
import { shapedEntries, typeShape, type Trace } from '../providers/trace.js';

/** Our own words with anything that could be a person's data masked: IBANs, quoted text, every digit. */
export function scrubText(s: string | null | undefined): string | null {
  if (s == null) return null;
  return s
    .replace(/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}\b/g, '[iban]')
    .replace(/"[^"]*"|'[^']*'|«[^»]*»/g, '[text]')
    .replace(/\d/g, '#');
}

export function problemReport(
  run: SyncRunDto & { provider: string | null },
  trace: Trace | null,
  aside: UnreadableRowDto[],
  meta: { version: string; now: Date },
): { filename: string; mime: string; content: string } {
  const report = {
    report: 'Multibank problem report',
    format: 1,
    app: meta.version,
    createdAt: meta.now.toISOString(),
    privacy: 'Every value of the answers is replaced by its type, ids in paths are masked, digits in messages are #. '
      + 'No token, password, IBAN, name, amount or description is included.',
    sync: {
      provider: run.provider,
      trigger: run.trigger,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: run.durationMs,
      outcome: run.outcome,
      error: run.errorCode ? { code: run.errorCode, message: scrubText(run.errorMessage), ...(trace?.failure ? { technical: scrubText(trace.failure) } : {}) } : null,
      counts: { new: run.newCount, updated: run.updatedCount, retired: run.retiredCount, unchanged: run.unchangedCount },
      unreadable: { count: run.unreadableCount ?? 0, reason: scrubText(run.unreadableReason) },
    },
    requests: trace
      ? { recorded: trace.entries.length, leftOut: trace.dropped, entries: shapedEntries(trace).map((e) => (e.problem ? { ...e, problem: scrubText(e.problem) } : e)) }
      : { recorded: 0, note: 'The requests of this sync are no longer in memory (Multibank keeps them for its latest syncs until it closes). Sync again and save the report right after.' },
    rowsKeptAside: aside.map((r) => ({ reason: scrubText(r.reason), firstSeenAt: r.firstSeenAt, shape: typeShape(r.raw) })),
  };
  return {
    filename: `multibank-problem-report-${run.id}.json`,
    mime: 'application/json',
    content: JSON.stringify(report, null, 2) + '\n',
  };
}
