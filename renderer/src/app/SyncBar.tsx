// "Sync now" with live progress from sync.progress events.
import { useState } from 'react';
import type { ErrorDto, EventOf } from '../../../preload/contract/channels.js';
import { CallError, useCall, useEvent, useQuery } from './api.js';
import { useErrorText, useMessageText } from './message.js';
import { useT, type Translate } from './i18n.js';

type Progress = EventOf<'sync.progress'>;

export function describeProgress(p: Progress, t: Translate): string {
  const c = p.counts;
  const counts = c.new || c.updated || c.retired ? ` · ${t('sync.progress.counts', { new: c.new, updated: c.updated, removed: c.retired })}` : '';
  return `${t(`sync.phase.${p.phase}`)}${p.phase === 'transactions' && p.pages ? ` ${t('sync.progress.page', { page: p.pages })}` : ''}${counts}`;
}

export function SyncBar() {
  const text = useMessageText();
  const errorText = useErrorText();
  const call = useCall();
  const t = useT();
  const connections = useQuery('connections.list');
  const [progress, setProgress] = useState<Record<number, Progress>>({});
  const [error, setError] = useState<ErrorDto | null>(null);
  const [nothing, setNothing] = useState(false);

  useEvent('sync.progress', (p) => setProgress((all) => ({ ...all, [p.connectionId]: p })));

  const active = Object.values(progress).filter((p) => p.phase !== 'done' && p.phase !== 'error');
  const finished = Object.values(progress).filter((p) => p.phase === 'done' || p.phase === 'error');
  const running = active.length > 0;
  const names = new Map((connections.data ?? []).map((c) => [c.id, c.institutionName]));

  async function syncNow() {
    setError(null);
    setNothing(false);
    setProgress({});
    try {
      const { started } = await call('sync.run', {});
      setNothing(started.length === 0);
    } catch (e) {
      if (e instanceof CallError) setError(e.error);
    }
  }

  if (!connections.data?.length) return null;
  return (
    <section className="sync-bar" aria-label={t('sync.label')}>
      <div className="sync-status" role="status" aria-live="polite">
        {running ? (
          <>
            <span className="spinner" aria-hidden="true" />
            {active.map((p) => (
              <span key={p.connectionId} className="sync-line">{names.get(p.connectionId) ?? t('sync.bank')}: {describeProgress(p, t)}</span>
            ))}
          </>
        ) : error ? (
          <span className="sync-line error-text">{errorText(error).message} {errorText(error).action}</span>
        ) : nothing ? (
          <span className="sync-line">{t('sync.nothing')} <a href="#/connections">{t('sync.nothing.link')}</a></span>
        ) : finished.length ? (
          <span className="sync-line">
            {finished.map((p) => `${names.get(p.connectionId) ?? t('sync.bank')}: ${p.phase === 'error' ? (p.msg ? text(p.msg) : p.message) || t('sync.failed') : describeProgress(p, t)}`).join(' · ')}
          </span>
        ) : null}
      </div>
      <button type="button" className="primary" onClick={syncNow} disabled={running}>
        {running ? t('sync.running') : t('sync.now')}
      </button>
    </section>
  );
}
