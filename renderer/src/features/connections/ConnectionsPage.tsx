// The consent centre: every connection's state, expiry countdown, and Renew / Reconnect / Remove.
import { useState } from 'react';
import type { ConnectionDto, ErrorDto, RevocationDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { useDisplay } from '../../app/prefs.js';
import { ConsentBadge, Empty, ErrorBox, LastSync, Loading, PageHeader } from '../../components/ui.js';
import { countdown, formatInstant } from '../../lib/time.js';
import { providerName } from '../../lib/providers.js';
import { MessageText } from '../../app/message.js';

/**
 * The one button a connection needs, by its consent state. The aggregators' messages name these buttons
 * ("… Choose Renew.", "… Choose Reconnect."), so the labels and the messages must stay the same words.
 */
export function primaryAction(c: ConnectionDto): { label: string; renew: boolean } | null {
  switch (c.state) {
    case 'expiring': case 'expired': case 'needs_user': case 'action_at_bank': return { label: 'Renew', renew: true };
    case 'revoked': return { label: 'Reconnect', renew: true };
    default: return null;
  }
}

/** The consent centre's Renew / Reconnect link for a connection (also on the accounts overview). */
export function RenewLink({ connection: c }: { connection: ConnectionDto }) {
  const action = primaryAction(c);
  if (!action) return null;
  return <a className="button primary" href={`#/link?provider=${c.provider}&renew=${c.id}`}>{action.label}</a>;
}

/** errors after which removing from this computer only is offered: the aggregator was not reached or did not agree */
const LOCAL_ONLY_AFTER = new Set(['network', 'demo_not_running', 'timeout', 'bank_unavailable', 'rate_limited', 'bad_response', 'auth_failed', 'internal']);

/**
 * Removed from this computer, but the access at the aggregator is still to be withdrawn: say so, say how to do it by
 * hand, and offer asking the aggregator again (Multibank also tries once at each start).
 */
function PendingRevocations() {
  const call = useCall();
  const pending = useQuery('revocations.list');
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<{ id: number; error: ErrorDto } | null>(null);
  async function act(r: RevocationDto, channel: 'revocations.retry' | 'revocations.forget') {
    setBusy(r.connectionId);
    setError(null);
    try {
      await call(channel, { connectionId: r.connectionId });
      pending.reload();
    } catch (e) {
      setError({ id: r.connectionId, error: e instanceof CallError ? e.error : { code: 'internal', message: 'That did not work.', action: null } });
    } finally {
      setBusy(null);
    }
  }
  if (!pending.data?.length) return null;
  return (
    <section className="stack" aria-label="Access still to withdraw">
      <h2>Access still to withdraw</h2>
      <ul className="stack plain">
        {pending.data.map((r) => (
          <li key={r.connectionId} className="card" aria-label={`${r.institutionName} access at ${providerName(r.provider)}`}>
            <p><strong>{r.institutionName}</strong> was removed from this computer, but {providerName(r.provider)} could not be reached, so its access to your bank was not withdrawn. Multibank asks again each time it starts.</p>
            <p className="small">To withdraw it yourself: {r.howTo}</p>
            {error?.id === r.connectionId ? <ErrorBox error={{ ...error.error, action: null }} /> : null}
            <div className="row">
              <button type="button" className="primary" disabled={busy !== null} onClick={() => act(r, 'revocations.retry')}>{busy === r.connectionId ? 'Asking…' : `Revoke at ${providerName(r.provider)} again`}</button>
              <button type="button" disabled={busy !== null} onClick={() => act(r, 'revocations.forget')}>I withdrew it myself</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ConnectionsPage() {
  const { locale } = useDisplay();
  const call = useCall();
  const { bump } = useRevision();
  const connections = useQuery('connections.list');
  const [removing, setRemoving] = useState<ConnectionDto | null>(null);
  const [deleteLocal, setDeleteLocal] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);

  async function remove(localOnly = false) {
    if (!removing) return;
    setError(null);
    try {
      await call('connections.remove', { connectionId: removing.id, deleteLocalData: deleteLocal, localOnly });
      setRemoving(null);
      bump();
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: 'Could not remove.', action: null });
    }
  }

  if (connections.error) return <ErrorBox error={connections.error} onRetry={connections.reload} />;
  if (!connections.data) return <Loading />;
  return (
    <>
      <PageHeader title="Connections"><a className="button" href="#/link">Link a bank</a></PageHeader>
      {error && !removing ? <ErrorBox error={error} /> : null}
      <PendingRevocations />
      {!connections.data.length ? <Empty title="No banks linked"><a className="button primary" href="#/link">Link a bank</a></Empty> : (
        <ul className="stack plain">
          {connections.data.map((c) => {
            const left = countdown(c.expiresAt);
            return (
              <li key={c.id} className="card connection" aria-label={c.institutionName}>
                <div className="connection-head">
                  <div>
                    <h2>{c.institutionName}</h2>
                    <div className="muted small">via {providerName(c.provider)} · {c.accountCount} account{c.accountCount === 1 ? '' : 's'} · <LastSync at={c.lastSuccessAt} /></div>
                    {c.holderName ? <div className="small">Account holder: {c.holderName}</div> : null}
                  </div>
                  <ConsentBadge state={c.state} />
                </div>
                <dl className="fields compact">
                  <dt>Access until</dt>
                  <dd>{c.expiresAt ? <>{formatInstant(c.expiresAt, locale)}{left ? <span className={c.state === 'expiring' ? 'countdown soon' : 'countdown'}> · {left} left</span> : null}</> : 'No expiry reported'}</dd>
                  {/* a retrying connection's message says what happened; the others' say what to do */}
                  {c.message ? <><dt>{c.state === 'failing' ? 'What happened' : 'What to do'}</dt><dd>{c.notice ? <MessageText m={c.notice} /> : c.message}</dd></> : null}
                  {/* older rows may have a code without its message: the code's own words */}
                  {c.lastErrorCode ? <><dt>Last problem</dt><dd><MessageText m={c.lastError ?? { id: `error.${c.lastErrorCode}` }} /></dd></> : null}
                  {c.nextSyncAt ? <><dt>Next sync</dt><dd>{formatInstant(c.nextSyncAt, locale)}</dd></> : null}
                </dl>
                <div className="row">
                  <RenewLink connection={c} />
                  {c.state === 'action_at_bank' ? <span className="muted">First do what your bank asks on its website, then choose Renew.</span> : null}
                  {['active', 'expiring', 'failing'].includes(c.state) ? (
                    <button type="button" onClick={() => call('sync.run', { connectionId: c.id }).catch((e) => setError(e instanceof CallError ? e.error : null))} aria-label={`Sync ${c.institutionName} now`}>Sync now</button>
                  ) : null}
                  <button type="button" onClick={() => { setRemoving(c); setDeleteLocal(false); }}>Remove…</button>
                </div>
                {removing?.id === c.id ? (
                  <div className="confirm" role="alertdialog" aria-label={`Remove ${c.institutionName}`}>
                    <p>Multibank will stop syncing {c.institutionName} and ask {providerName(c.provider)} to end access.</p>
                    <label className="check"><input type="checkbox" checked={deleteLocal} onChange={(e) => setDeleteLocal(e.target.checked)} /> Also delete its {c.accountCount} account{c.accountCount === 1 ? '' : 's'} and all their transactions, categories and notes from this computer</label>
                    {error && LOCAL_ONLY_AFTER.has(error.code) ? (
                      <ErrorBox error={{ ...error, action: null }}>
                        <button type="button" className="danger" onClick={() => remove(true)}>Remove from this computer</button>
                      </ErrorBox>
                    ) : error ? <ErrorBox error={error} /> : null}
                    <div className="row">
                      <button type="button" className="danger" onClick={() => remove()}>Remove {c.institutionName}</button>
                      <button type="button" onClick={() => setRemoving(null)}>Cancel</button>
                    </div>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
