// Backups of the database (made before every migration, once a day, and here on request), the full integrity check,
// and restoring a backup after a confirmation. The replaced database is kept aside, never deleted.
import { useState } from 'react';
import type { BackupDto, DatabaseHealthDto, ErrorDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { useDisplay } from '../../app/prefs.js';
import { ErrorBox, Loading } from '../../components/ui.js';
import { formatInstant } from '../../lib/time.js';

const KIND: Record<BackupDto['kind'], string> = { daily: 'Daily', 'pre-migration': 'Before an update', manual: 'Made by you' };
const asError = (e: unknown, message: string): ErrorDto => (e instanceof CallError ? e.error : { code: 'internal', message, action: 'Try again.' });

export function Backups({ database }: { database: DatabaseHealthDto | undefined }) {
  const call = useCall();
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
      setError(asError(e, failure));
    } finally {
      setBusy(false);
    }
  }
  const backUp = () => act(async () => {
    const b = await call('backup.create');
    backups.reload();
    return `Backed up (${when(b)}).`;
  }, 'Could not back up the database.');
  const check = () => act(async () => {
    const h = await call('db.check');
    bump();
    return h.ok ? 'The database passed its full integrity check.' : `The database failed its integrity check: ${h.problems.slice(0, 3).join('; ')}`;
  }, 'Could not check the database.');
  const restore = (b: BackupDto) => act(async () => {
    const r = await call('backup.restore', { name: b.name });
    setConfirming(null);
    bump();
    return `Restored the backup from ${when(r.restored)}. The database it replaced is kept in ${r.keptAside}.`;
  }, 'Could not restore the backup.');

  return (
    <section className="card form" aria-labelledby="h-backups">
      <h2 id="h-backups">Backups</h2>
      {database?.ok === false ? (
        <p><strong>Your database is damaged, so Multibank does not write to it.</strong> Restore a backup below; the damaged file is kept aside.</p>
      ) : null}
      <p className="small">Multibank backs up the database before every update of its format and once a day (keeping the last 7 of each), into the backups folder of your data.</p>
      {status ? <p role="status" className="ok-text">{status}</p> : null}
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        <button type="button" onClick={backUp} disabled={busy || database?.ok === false}>Back up now</button>
        <button type="button" onClick={check} disabled={busy}>Check the database</button>
      </div>
      {backups.error ? <ErrorBox error={backups.error} onRetry={backups.reload} /> : !backups.data ? <Loading /> : !backups.data.length ? (
        <p className="muted">No backups yet.</p>
      ) : (
        <table className="table">
          <thead><tr><th>Made</th><th>Why</th><th className="num">Size</th><th><span className="visually-hidden">Restore</span></th></tr></thead>
          <tbody>
            {backups.data.map((b) => (
              <tr key={b.name}>
                <td>{when(b)}</td>
                <td>{KIND[b.kind]}</td>
                <td className="num">{Math.ceil(b.bytes / 1024).toLocaleString(locale)} KiB</td>
                <td><button type="button" onClick={() => { setConfirming(b); setStatus(null); }} disabled={busy} aria-label={`Restore the backup from ${when(b)}`}>Restore…</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirming ? (
        <div className="confirm" role="alertdialog" aria-labelledby="h-restore-confirm">
          <p id="h-restore-confirm">
            Replace the database with the backup from {when(confirming)}? Whatever changed after it is not in it (the next sync fetches the
            transactions again). The current database is kept aside in the backups folder, not deleted.
          </p>
          <div className="row">
            <button type="button" className="danger" onClick={() => restore(confirming)} disabled={busy}>{busy ? 'Restoring…' : 'Restore this backup'}</button>
            <button type="button" onClick={() => setConfirming(null)} disabled={busy}>Cancel</button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** Saved secrets whose key is missing: forget them on the user's word; connections and history stay. */
export function ResetSecrets({ reason }: { reason: string }) {
  const call = useCall();
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
      setError(asError(e, 'Could not reset the saved secrets.'));
    }
  }
  return (
    <div className="stack">
      <p className="small"><strong>{reason}</strong></p>
      {error ? <ErrorBox error={error} /> : null}
      {!confirming ? <div><button type="button" onClick={() => setConfirming(true)}>Reset saved secrets…</button></div> : (
        <div className="confirm" role="alertdialog" aria-labelledby="h-reset-confirm">
          <p id="h-reset-confirm">Forget every saved aggregator secret and bank sign-in? Your connections, accounts and history stay; you then enter the aggregators' credentials again and sign in to each bank again.</p>
          <div className="row">
            <button type="button" className="danger" onClick={reset}>Reset saved secrets</button>
            <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </div>
      )}
    </div>
  );
}
