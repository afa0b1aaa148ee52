// The consent centre: every connection's state, expiry countdown, and Renew / Reconnect / Remove.
import { useState } from 'react';
import type { ConnectionDto, ErrorDto, RevocationDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { useDisplay } from '../../app/prefs.js';
import { ConsentBadge, Empty, ErrorBox, LastSync, Loading, PageHeader } from '../../components/ui.js';
import { countdown, formatInstant } from '../../lib/time.js';
import { providerName } from '../../lib/providers.js';
import { MessageText, useMessageText } from '../../app/message.js';
import { FormattedMessage } from 'react-intl';
import { useT, type Translate } from '../../app/i18n.js';

/**
 * The one button a connection needs, by its consent state. The aggregators' messages name these buttons
 * ("… Choose Renew.", "… Choose Reconnect."), so the labels and the messages must stay the same words.
 */
export function primaryAction(c: ConnectionDto, t: Translate): { label: string; renew: boolean } | null {
  switch (c.state) {
    case 'expiring': case 'expired': case 'needs_user': case 'action_at_bank': return { label: t('consent.renew'), renew: true };
    case 'revoked': return { label: t('consent.reconnect'), renew: true };
    default: return null;
  }
}

/** The consent centre's Renew / Reconnect link for a connection (also on the accounts overview). */
export function RenewLink({ connection: c }: { connection: ConnectionDto }) {
  const t = useT();
  const action = primaryAction(c, t);
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
  const text = useMessageText();
  const call = useCall();
  const t = useT();
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
      setError({ id: r.connectionId, error: e instanceof CallError ? e.error : { code: 'internal', message: t('connections.revoke.failed'), action: null } });
    } finally {
      setBusy(null);
    }
  }
  if (!pending.data?.length) return null;
  return (
    <section className="stack" aria-label={t('connections.pending')}>
      <h2>{t('connections.pending')}</h2>
      <ul className="stack plain">
        {pending.data.map((r) => (
          <li key={r.connectionId} className="card" aria-label={t('connections.pending.item', { bank: r.institutionName, provider: providerName(r.provider, t) })}>
            <p><FormattedMessage id="connections.pending.explain" values={{ bank: r.institutionName, provider: providerName(r.provider, t), strong: (chunks) => <strong>{chunks}</strong> }} /></p>
            <p className="small">{t('connections.pending.howTo', { howTo: text(r.howTo) })}</p>
            {error?.id === r.connectionId ? <ErrorBox error={{ ...error.error, action: null }} /> : null}
            <div className="row">
              <button type="button" className="primary" disabled={busy !== null} onClick={() => act(r, 'revocations.retry')}>{busy === r.connectionId ? t('connections.pending.asking') : t('connections.pending.retry', { provider: providerName(r.provider, t) })}</button>
              <button type="button" disabled={busy !== null} onClick={() => act(r, 'revocations.forget')}>{t('connections.pending.forget')}</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ConnectionsPage() {
  const { locale } = useDisplay();
  const t = useT();
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
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('connections.remove.failed'), action: null });
    }
  }

  if (connections.error) return <ErrorBox error={connections.error} onRetry={connections.reload} />;
  if (!connections.data) return <Loading />;
  return (
    <>
      <PageHeader title={t('nav.connections')}><a className="button" href="#/link">{t('nav.linkBank')}</a></PageHeader>
      {error && !removing ? <ErrorBox error={error} /> : null}
      <PendingRevocations />
      {!connections.data.length ? <Empty title={t('connections.empty')}><a className="button primary" href="#/link">{t('nav.linkBank')}</a></Empty> : (
        <ul className="stack plain">
          {connections.data.map((c) => {
            const left = countdown(c.expiresAt, Date.now(), locale);
            return (
              <li key={c.id} className="card connection" aria-label={c.institutionName}>
                <div className="connection-head">
                  <div>
                    <h2>{c.institutionName}</h2>
                    <div className="muted small">{t('via', { provider: providerName(c.provider, t) })} · {t('accounts.count', { count: c.accountCount })} · <LastSync at={c.lastSuccessAt} /></div>
                    {c.holderName ? <div className="small">{t('connections.holder', { name: c.holderName })}</div> : null}
                  </div>
                  <ConsentBadge state={c.state} errorCode={c.lastErrorCode} />
                </div>
                <dl className="fields compact">
                  <dt>{t('connections.until')}</dt>
                  <dd>{c.expiresAt ? <>{formatInstant(c.expiresAt, locale)}{left ? <span className={c.state === 'expiring' ? 'countdown soon' : 'countdown'}> · {t('connections.left', { left })}</span> : null}</> : t('connections.noExpiry')}</dd>
                  {/* a retrying connection's message says what happened; the others' say what to do */}
                  {c.message ? <><dt>{c.state === 'failing' ? t('connections.whatHappened') : t('connections.whatToDo')}</dt><dd>{c.notice ? <MessageText m={c.notice} /> : c.message}</dd></> : null}
                  {/* older rows may have a code without its message: the code's own words */}
                  {c.lastErrorCode ? <><dt>{t('connections.lastProblem')}</dt><dd><MessageText m={c.lastError ?? { id: `error.${c.lastErrorCode}` }} /></dd></> : null}
                  {/* the demo banks stay stopped until the user starts them: retrying cannot help, so say where */}
                  {c.state === 'failing' && c.lastErrorCode === 'demo_not_running' ? <><dt>{t('connections.whatToDo')}</dt><dd><MessageText m={{ id: 'action.demo_not_running' }} /> <a href="#/settings">{t('error.go.settings')}</a></dd></> : null}
                  {c.nextSyncAt ? <><dt>{t('connections.nextSync')}</dt><dd>{formatInstant(c.nextSyncAt, locale)}</dd></> : null}
                </dl>
                <div className="row">
                  <RenewLink connection={c} />
                  {c.state === 'action_at_bank' ? <span className="muted">{t('connections.actionAtBank')}</span> : null}
                  {['active', 'expiring', 'failing'].includes(c.state) ? (
                    <button type="button" onClick={() => call('sync.run', { connectionId: c.id }).catch((e) => setError(e instanceof CallError ? e.error : null))} aria-label={t('connections.syncOne', { bank: c.institutionName })}>{t('sync.now')}</button>
                  ) : null}
                  <button type="button" onClick={() => { setRemoving(c); setDeleteLocal(false); }}>{t('connections.remove')}</button>
                </div>
                {removing?.id === c.id ? (
                  <div className="confirm" role="alertdialog" aria-label={t('connections.removeOne', { bank: c.institutionName })}>
                    <p>{t('connections.remove.explain', { bank: c.institutionName, provider: providerName(c.provider, t) })}</p>
                    <label className="check"><input type="checkbox" checked={deleteLocal} onChange={(e) => setDeleteLocal(e.target.checked)} /> {t('connections.remove.deleteLocal', { count: c.accountCount })}</label>
                    {error && LOCAL_ONLY_AFTER.has(error.code) ? (
                      <ErrorBox error={{ ...error, action: null }}>
                        <button type="button" className="danger" onClick={() => remove(true)}>{t('connections.remove.localOnly')}</button>
                      </ErrorBox>
                    ) : error ? <ErrorBox error={error} /> : null}
                    <div className="row">
                      <button type="button" className="danger" onClick={() => remove()}>{t('connections.removeOne', { bank: c.institutionName })}</button>
                      <button type="button" onClick={() => setRemoving(null)}>{t('cancel')}</button>
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
