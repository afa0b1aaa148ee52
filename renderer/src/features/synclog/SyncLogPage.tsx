// What every sync did: when, for which bank, what changed, and how it ended.
import { useQuery } from '../../app/api.js';
import { useDisplay } from '../../app/prefs.js';
import { Empty, ErrorBox, Loading, PageHeader } from '../../components/ui.js';
import { formatInstant } from '../../lib/time.js';

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
              <tr><th scope="col">Started</th><th scope="col">Bank</th><th scope="col">Trigger</th><th scope="col">Range</th><th scope="col" className="num">New</th><th scope="col" className="num">Updated</th><th scope="col" className="num">Removed</th><th scope="col">Outcome</th><th scope="col" className="num">Time</th></tr>
            </thead>
            <tbody>
              {log.data.map((r) => (
                <tr key={r.id}>
                  <td>{formatInstant(r.startedAt, locale)}</td>
                  <td>{r.institutionName ?? 'All'}</td>
                  <td>{r.trigger}</td>
                  <td className="small">{r.requestedFrom ?? '…'} → {r.requestedTo ?? '…'}</td>
                  <td className="num">{r.newCount}</td>
                  <td className="num">{r.updatedCount}</td>
                  <td className="num">{r.retiredCount}</td>
                  <td>
                    <span className={`badge badge-${r.outcome === 'ok' || r.outcome === 'success' ? 'ok' : r.outcome === 'running' ? 'info' : 'bad'}`}>{r.outcome}</span>
                    {r.errorMessage ? <div className="small muted">{r.errorMessage}</div> : null}
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
