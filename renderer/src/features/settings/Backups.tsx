// Backups of the database (made before every migration, once a day, and here on request), the full integrity check,
// and restoring a backup after a confirmation. The replaced database is kept aside, never deleted.
import { useState } from 'react';
import type { BackupDto, DatabaseHealthDto, ErrorDto } from '../../../../preload/contract/channels.js';
import type { Message } from '../../../../preload/contract/message.js';
import { MessageText } from '../../app/message.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { useDisplay } from '../../app/prefs.js';
import { ErrorBox, Loading } from '../../components/ui.js';
import { formatInstant } from '../../lib/time.js';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../app/i18n.js';

const asError = (e: unknown, message: string, action: string): ErrorDto => (e instanceof CallError ? e.error : { code: 'internal', message, action });

export function Backups({ database }: { database: DatabaseHealthDto | undefined }) {
  const call = useCall();
  const t = useT();
  const { bump } = useRevision();
  const { locale } = useDisplay();
  const backups = useQuery('backup.list');
  const [confirming, setConfirming] = useState<BackupDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const when = (b: BackupDto) => formatInstant(b.createdAt, locale);

  async function act(work: () => Promise<string>, failure: string) {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      setStatus(await work());
    } catch (e) {
      setError(asError(e, failure, t('tryAgain')));
    } finally {
      setBusy(false);
    }
  }
  const backUp = () => act(async () => {
    const b = await call('backup.create');
    backups.reload();
    return t('backups.done', { when: when(b) });
  }, t('backups.create.failed'));
  const check = () => act(async () => {
    const h = await call('db.check');
    bump();
    return h.ok ? t('backups.check.ok') : t('backups.check.bad', { problems: h.problems.slice(0, 3).join('; ') });
  }, t('backups.check.failed'));
  const restore = (b: BackupDto) => act(async () => {
    const r = await call('backup.restore', { name: b.name });
    setConfirming(null);
    bump();
    return t('backups.restored', { when: when(r.restored), keptAside: r.keptAside });
  }, t('backups.restore.failed'));

  return (
    <section className="card form" aria-labelledby="h-backups">
      <h2 id="h-backups">{t('backups.title')}</h2>
      {database?.ok === false ? (
        <p><FormattedMessage id="backups.damaged" values={{ strong: (chunks) => <strong>{chunks}</strong> }} /></p>
      ) : null}
      <p className="small">{t('backups.intro')}</p>
      {status ? <p role="status" className="ok-text">{status}</p> : null}
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        <button type="button" onClick={backUp} disabled={busy || database?.ok === false}>{t('backups.create')}</button>
        <button type="button" onClick={check} disabled={busy}>{t('backups.check')}</button>
      </div>
      {backups.error ? <ErrorBox error={backups.error} onRetry={backups.reload} /> : !backups.data ? <Loading /> : !backups.data.length ? (
        <p className="muted">{t('backups.none')}</p>
      ) : (
        <table className="table">
          <thead><tr><th>{t('backups.made')}</th><th>{t('backups.why')}</th><th className="num">{t('backups.size')}</th><th><span className="visually-hidden">{t('backups.restore')}</span></th></tr></thead>
          <tbody>
            {backups.data.map((b) => (
              <tr key={b.name}>
                <td>{when(b)}</td>
                <td>{t(`backups.kind.${b.kind}`)}</td>
                <td className="num">{t('backups.kib', { size: Math.ceil(b.bytes / 1024) })}</td>
                <td><button type="button" onClick={() => { setConfirming(b); setStatus(null); }} disabled={busy} aria-label={t('backups.restoreOne', { when: when(b) })}>{t('backups.restore.open')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirming ? (
        <div className="confirm" role="alertdialog" aria-labelledby="h-restore-confirm">
          <p id="h-restore-confirm">
            {t('backups.restore.confirm', { when: when(confirming) })}
          </p>
          <div className="row">
            <button type="button" className="danger" onClick={() => restore(confirming)} disabled={busy}>{busy ? t('backups.restoring') : t('backups.restore.do')}</button>
            <button type="button" onClick={() => setConfirming(null)} disabled={busy}>{t('cancel')}</button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** Saved secrets whose key is missing: forget them on the user's word; connections and history stay. */
export function ResetSecrets({ reason }: { reason: Message }) {
  const call = useCall();
  const t = useT();
  const { bump } = useRevision();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  async function reset() {
    setError(null);
    try {
      await call('vault.reset');
      setConfirming(false);
      bump();
    } catch (e) {
      setError(asError(e, t('secrets.reset.failed'), t('tryAgain')));
    }
  }
  return (
    <div className="stack">
      <p className="small"><strong><MessageText m={reason} /></strong></p>
      {error ? <ErrorBox error={error} /> : null}
      {!confirming ? <div><button type="button" onClick={() => setConfirming(true)}>{t('secrets.reset.open')}</button></div> : (
        <div className="confirm" role="alertdialog" aria-labelledby="h-reset-confirm">
          <p id="h-reset-confirm">{t('secrets.reset.confirm')}</p>
          <div className="row">
            <button type="button" className="danger" onClick={reset}>{t('secrets.reset')}</button>
            <button type="button" onClick={() => setConfirming(false)}>{t('cancel')}</button>
          </div>
        </div>
      )}
    </div>
  );
}
