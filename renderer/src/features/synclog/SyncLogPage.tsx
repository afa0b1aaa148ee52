// What every sync did: when, for which bank, what changed, how it ended, and what it could not read; a failed or
// partly failed sync offers a redacted problem report to save and send.
import { useState } from 'react';
import type { ErrorDto, SyncRunDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery } from '../../app/api.js';
import { useDisplay } from '../../app/prefs.js';
import { Empty, ErrorBox, Loading, PageHeader } from '../../components/ui.js';
import { formatInstant } from '../../lib/time.js';
import { saveFile } from '../../lib/files.js';
import { MessageText, useErrorText } from '../../app/message.js';
import { useT } from '../../app/i18n.js';

/** a sync that failed or could not read everything: worth a problem report */
export const reportable = (r: SyncRunDto) => r.outcome !== 'running' && (r.outcome !== 'ok' || (r.unreadableCount ?? 0) > 0)
  && r.outcome !== 'skipped' && r.outcome !== 'deferred';

export function ReportButton({ runId }: { runId: number }) {
  const errorText = useErrorText();
  const call = useCall();
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);
  async function save() {
    setBusy(true);
    setError(null);
    try {
      const r = await call('sync.report', { runId });
      saveFile(r.filename, r.mime, r.content);
      setSaved(t('report.saved', { file: r.filename }));
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('report.failed'), action: null });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="small">
      <button type="button" className="ghost" onClick={() => void save()} disabled={busy}>{t('report.save')}</button>
      {saved ? <span role="status" className="ok-text"> {saved}</span> : null}
      {error ? <span role="alert" className="error-text"> {errorText(error).message}</span> : null}
    </div>
  );
}

/** the log's stored words as people say them (the catalogue's synclog.outcome.* and synclog.trigger.*; an unknown one shows as it is) */
const OUTCOMES = new Set(['ok', 'success', 'error', 'cancelled', 'deferred', 'skipped', 'running', 'interrupted']);
const TRIGGERS = new Set(['user', 'schedule', 'startup']);

/** an import's entry: undo it as a whole (its rows a sync has since taken over stay) */
function UndoImportButton({ importId, onDone }: { importId: number; onDone: () => void }) {
  const errorText = useErrorText();
  const call = useCall();
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  async function undo() {
    setBusy(true);
    setError(null);
    try {
      await call('import.undo', { importId });
      onDone();
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('imports.undo.failed'), action: null });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="small">
      <button type="button" className="ghost" onClick={() => void undo()} disabled={busy}>{t('imports.undo')}</button>
      {error ? <span role="alert" className="error-text"> {errorText(error).message}</span> : null}
    </div>
  );
}

export function SyncLogPage() {
  const { locale } = useDisplay();
  const t = useT();
  const log = useQuery('sync.log', { limit: 200 });
  if (log.error) return <ErrorBox error={log.error} onRetry={log.reload} />;
  if (!log.data) return <Loading />;
  return (
    <>
      <PageHeader title={t('nav.sync-log')}><button type="button" onClick={log.reload}>{t('synclog.refresh')}</button></PageHeader>
      {!log.data.length ? <Empty title={t('synclog.empty')}><p>{t('synclog.empty.text')}</p></Empty> : (
        <div className="card table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('synclog.caption')}</caption>
            <thead>
              <tr><th scope="col">{t('synclog.started')}</th><th scope="col">{t('link.step.bank')}</th><th scope="col">{t('synclog.trigger')}</th><th scope="col">{t('synclog.range')}</th><th scope="col" className="num">{t('synclog.new')}</th><th scope="col" className="num">{t('synclog.updated')}</th><th scope="col" className="num">{t('synclog.removed')}</th><th scope="col" className="num">{t('synclog.notRead')}</th><th scope="col">{t('synclog.outcome')}</th><th scope="col" className="num">{t('synclog.time')}</th></tr>
            </thead>
            <tbody>
              {log.data.map((r) => (
                <tr key={r.id}>
                  <td>{formatInstant(r.startedAt, locale)}</td>
                  <td>{r.institutionName ?? t('synclog.all')}</td>
                  <td>
                    {r.import ? <>{t('synclog.import', { file: r.import.fileName })}{r.import.undoneAt ? <div className="small muted">{t('synclog.import.undone', { count: r.import.removed ?? 0 })}</div>
                      : <UndoImportButton importId={r.import.id} onDone={log.reload} />}</> : TRIGGERS.has(r.trigger) ? t(`synclog.trigger.${r.trigger}`) : r.trigger}
                  </td>
                  <td className="small">{r.requestedFrom ?? '…'} → {r.requestedTo ?? '…'}</td>
                  <td className="num">{r.newCount}</td>
                  <td className="num">{r.updatedCount}</td>
                  <td className="num">{r.retiredCount}</td>
                  <td className="num">{r.unreadableCount ?? 0}</td>
                  <td>
                    <span className={`badge badge-${r.outcome === 'ok' || r.outcome === 'success' ? 'ok' : r.outcome === 'running' ? 'info' : 'bad'}`}>{OUTCOMES.has(r.outcome) ? t(`synclog.outcome.${r.outcome}`) : r.outcome}</span>
                    {r.error ? <div className="small muted"><MessageText m={r.error} /></div> : r.errorMessage ? <div className="small muted">{r.errorMessage}</div> : null}
                    {r.unreadableCount ? <div className="small">⚠ {t('unreadable.count', { count: r.unreadableCount })}{r.unreadableReason ? ` (${r.unreadableReason})` : ''}{t('synclog.unreadable.rest')}</div> : null}
                    {reportable(r) ? <ReportButton runId={r.id} /> : null}
                  </td>
                  <td className="num">{r.durationMs != null ? t('synclog.seconds', { s: r.durationMs / 1000 }) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
