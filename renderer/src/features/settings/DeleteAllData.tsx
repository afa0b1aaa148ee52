// Remove every linked bank and delete its accounts, transactions, categories and notes from this computer.
import { useState } from 'react';
import type { ErrorDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { ErrorBox } from '../../components/ui.js';
import { useList, useT } from '../../app/i18n.js';

export function DeleteAllData() {
  const call = useCall();
  const t = useT();
  const list = useList();
  const { bump } = useRevision();
  const connections = useQuery('connections.list');
  const accounts = useQuery('accounts.list');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [done, setDone] = useState(false);
  const banks = connections.data ?? [];

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      for (const c of banks) await call('connections.remove', { connectionId: c.id, deleteLocalData: true });
      setConfirming(false);
      setDone(true);
      bump();
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('deleteAll.failed'), action: t('tryAgain') });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card form" aria-labelledby="h-delete">
      <h2 id="h-delete">{t('deleteAll.title')}</h2>
      {done ? <p role="status" className="ok-text">{t('deleteAll.done')}</p> : null}
      {!banks.length ? <p className="muted">{t('deleteAll.nothing')}</p> : !confirming ? (
        <div><button type="button" onClick={() => { setConfirming(true); setDone(false); }}>{t('deleteAll.open')}</button></div>
      ) : (
        <div className="confirm" role="alertdialog" aria-labelledby="h-delete-confirm">
          <p id="h-delete-confirm">
            {t('deleteAll.confirm', { banks: banks.length, names: list(banks.map((b) => b.institutionName)), accounts: accounts.data?.length ?? 0 })}
          </p>
          {error ? <ErrorBox error={error} /> : null}
          <div className="row">
            <button type="button" className="danger" onClick={remove} disabled={busy}>{busy ? t('deleteAll.deleting') : t('deleteAll.do')}</button>
            <button type="button" onClick={() => setConfirming(false)}>{t('cancel')}</button>
          </div>
        </div>
      )}
    </section>
  );
}
