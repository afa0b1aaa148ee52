// Remove every linked bank and delete its accounts, transactions, categories and notes from this computer.
import { useState } from 'react';
import type { ErrorDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { ErrorBox } from '../../components/ui.js';

export function DeleteAllData() {
  const call = useCall();
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
      setError(e instanceof CallError ? e.error : { code: 'internal', message: 'Could not delete everything.', action: 'Try again.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card form" aria-labelledby="h-delete">
      <h2 id="h-delete">Delete local data</h2>
      {done ? <p role="status" className="ok-text">Every bank and its data was removed from this computer.</p> : null}
      {!banks.length ? <p className="muted">No bank data is stored on this computer.</p> : !confirming ? (
        <div><button type="button" onClick={() => { setConfirming(true); setDone(false); }}>Delete all bank data…</button></div>
      ) : (
        <div className="confirm" role="alertdialog" aria-labelledby="h-delete-confirm">
          <p id="h-delete-confirm">
            This removes {banks.length} linked bank{banks.length === 1 ? '' : 's'} ({banks.map((b) => b.institutionName).join(', ')}) and deletes
            their {accounts.data?.length ?? 0} account{accounts.data?.length === 1 ? '' : 's'}, every transaction, your categories and notes from this computer. Access at the aggregators is withdrawn. Your aggregator settings and preferences stay.
          </p>
          {error ? <ErrorBox error={error} /> : null}
          <div className="row">
            <button type="button" className="danger" onClick={remove} disabled={busy}>{busy ? 'Deleting…' : 'Delete everything listed'}</button>
            <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </div>
      )}
    </section>
  );
}
