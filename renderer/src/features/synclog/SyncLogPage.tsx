// What every sync did: when, for which bank, what changed, how it ended, and what it could not read; a failed or
// partly failed sync offers a redacted problem report to save and send.
import { useState } from 'react';
import type { ErrorDto, SyncRunDto } from '../../../../preload/contract/channels.js';
import { unreadableText } from '../../../../preload/contract/unreadable.js';
import { CallError, useCall, useQuery } from '../../app/api.js';
import { useDisplay } from '../../app/prefs.js';
import { Empty, ErrorBox, Loading, PageHeader } from '../../components/ui.js';
import { formatInstant } from '../../lib/time.js';
import { saveFile } from '../../lib/files.js';
import { MessageText, useErrorText } from '../../app/message.js';

/** a sync that failed or could not read everything: worth a problem report */
export const reportable = (r: SyncRunDto) => r.outcome !== 'running' && (r.outcome !== 'ok' || (r.unreadableCount ?? 0) > 0)
  && r.outcome !== 'skipped' && r.outcome !== 'deferred';

export function ReportButton({ runId }: { runId: number }) {
  const errorText = useErrorText();
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);
  async function save() {
    setBusy(true);
    setError(null);
    try {
      const r = await call('sync.report', { runId });
      saveFile(r.filename, r.mime, r.content);
      setSaved(`Saved ${r.filename}`);
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: 'The report could not be made.', action: null });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="small">
      <button type="button" className="ghost" onClick={() => void save()} disabled={busy}>Save a problem report</button>
      {saved ? <span role="status" className="ok-text"> {saved}</span> : null}
      {error ? <span role="alert" className="error-text"> {errorText(error).message}</span> : null}
    </div>
  );
}

/** the log's stored words as people say them (an unknown one shows as it is) */
const OUTCOME: Record<string, string> = {
  ok: 'Done', success: 'Done', error: 'Failed', cancelled: 'Cancelled', deferred: 'Postponed', skipped: 'Skipped', running: 'Running', interrupted: 'Interrupted',
};
const TRIGGER: Record<string, string> = { user: 'You', schedule: 'Scheduled', startup: 'At start' };

/** an import's entry: undo it as a whole (its rows a sync has since taken over stay) */
function UndoImportButton({ importId, onDone }: { importId: number; onDone: () => void }) {
  const errorText = useErrorText();
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  async function undo() {
    setBusy(true);
    setError(null);
    try {
      await call('import.undo', { importId });
      onDone();
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: 'The import could not be undone.', action: null });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="small">
      <button type="button" className="ghost" onClick={() => void undo()} disabled={busy}>Undo this import</button>
      {error ? <span role="alert" className="error-text"> {errorText(error).message}</span> : null}
    </div>
  );
}

export function SyncLogPage() {
  const { locale } = useDisplay();
  const log = useQuery('sync.log', { limit: 200 });
  if (log.error) return <ErrorBox error={log.error} onRetry={log.reload} />;
  if (!log.data) return <Loading />;
  return (
    <>
      <PageHeader title="Sync log"><button type="button" onClick={log.reload}>Refresh</button></PageHeader>
      {!log.data.length ? <Empty title="No syncs yet"><p>Every sync shows up here with what it changed.</p></Empty> : (
        <div className="card table-wrap">
          <table className="table">
            <caption className="visually-hidden">Sync runs, newest first</caption>
            <thead>
              <tr><th scope="col">Started</th><th scope="col">Bank</th><th scope="col">Trigger</th><th scope="col">Range</th><th scope="col" className="num">New</th><th scope="col" className="num">Updated</th><th scope="col" className="num">Removed</th><th scope="col" className="num">Not read</th><th scope="col">Outcome</th><th scope="col" className="num">Time</th></tr>
            </thead>
            <tbody>
              {log.data.map((r) => (
                <tr key={r.id}>
                  <td>{formatInstant(r.startedAt, locale)}</td>
                  <td>{r.institutionName ?? 'All'}</td>
                  <td>
                    {r.import ? <>Import of {r.import.fileName}{r.import.undoneAt ? <div className="small muted">undone: {r.import.removed ?? 0} removed</div>
                      : <UndoImportButton importId={r.import.id} onDone={log.reload} />}</> : TRIGGER[r.trigger] ?? r.trigger}
                  </td>
                  <td className="small">{r.requestedFrom ?? '…'} → {r.requestedTo ?? '…'}</td>
                  <td className="num">{r.newCount}</td>
                  <td className="num">{r.updatedCount}</td>
                  <td className="num">{r.retiredCount}</td>
                  <td className="num">{r.unreadableCount ?? 0}</td>
                  <td>
                    <span className={`badge badge-${r.outcome === 'ok' || r.outcome === 'success' ? 'ok' : r.outcome === 'running' ? 'info' : 'bad'}`}>{OUTCOME[r.outcome] ?? r.outcome}</span>
                    {r.error ? <div className="small muted"><MessageText m={r.error} /></div> : r.errorMessage ? <div className="small muted">{r.errorMessage}</div> : null}
                    {r.unreadableCount ? <div className="small">⚠ {unreadableText(r.unreadableCount)}{r.unreadableReason ? ` (${r.unreadableReason})` : ''}; the rest was stored. The next sync tries again.</div> : null}
                    {reportable(r) ? <ReportButton runId={r.id} /> : null}
                  </td>
                  <td className="num">{r.durationMs != null ? `${(r.durationMs / 1000).toFixed(1)} s` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
