// The last step of a link: which of the bank's accounts to keep. Accounts another connection already holds are named as
// such and left unchosen, and the user may renew that connection instead (one copy of each account's history).
// After a renewal the same step says what it does: the accounts continue (with their history), none is added.
import { useState } from 'react';
import type { AccountDto, AlreadyLinkedDto, ErrorDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useRevision } from '../../app/api.js';
import { navigate } from '../../app/router.js';
import { ErrorBox, Money } from '../../components/ui.js';
import { maskIban } from '../../lib/iban.js';
import { useT } from '../../app/i18n.js';

export function ChooseAccounts({ connectionId, accounts, alreadyLinked, renewal = false }: {
  connectionId: number; accounts: AccountDto[]; alreadyLinked: AlreadyLinkedDto[]; renewal?: boolean;
}) {
  const call = useCall();
  const t = useT();
  const { bump } = useRevision();
  const linkedElsewhere = new Map(alreadyLinked.map((l) => [l.accountId, l]));
  /** the connections holding some of these accounts, once each */
  const existing = [...new Map(alreadyLinked.map((l) => [l.connectionId, l])).values()];
  // a renewal starts from what the user kept before (new links: every account not already linked elsewhere)
  const [chosen, setChosen] = useState<Set<number>>(() => new Set(accounts.filter((a) => a.selected && !linkedElsewhere.has(a.id)).map((a) => a.id)));
  const [error, setError] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);
  /** an Everifin connection spans the banks its user connected there: name each account's */
  const severalBanks = new Set(accounts.map((a) => a.bankName)).size > 1;
  const toggle = (id: number) => setChosen((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  const fail = (e: unknown, message: string) => setError(e instanceof CallError ? e.error : { code: 'internal', message, action: null });

  async function save() {
    setBusy(true);
    try {
      await call('link.chooseAccounts', { connectionId, accountIds: [...chosen] });
      bump();
      navigate('/accounts');
    } catch (e) {
      fail(e, t('link.choice.failed'));
    } finally {
      setBusy(false);
    }
  }

  /** drop this new connection and renew the one that already holds the accounts */
  async function renewInstead(other: AlreadyLinkedDto) {
    setBusy(true);
    try {
      await call('connections.remove', { connectionId, deleteLocalData: true });
      bump();
      navigate(`/link?provider=${other.provider}&renew=${other.connectionId}`);
    } catch (e) {
      fail(e, t('link.choose.removeFailed'));
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-label={t('link.choose.label')}>
      {renewal ? (
        <>
          <h2>{t('link.choose.renewed')}</h2>
          <p>{t('link.choose.renewed.text')}</p>
        </>
      ) : <h2>{t('link.choose.title')}</h2>}
      {existing.map((other) => (
        <div key={other.connectionId} className="notice" role="status">
          <p>
            {t('link.choose.elsewhere', { which: alreadyLinked.filter((l) => l.connectionId === other.connectionId).length === accounts.length ? 'all' : 'some', bank: other.institutionName })}
          </p>
          <div><button type="button" className="primary" disabled={busy} onClick={() => renewInstead(other)}>{t('link.choose.renewInstead', { bank: other.institutionName })}</button></div>
        </div>
      ))}
      {!accounts.length ? <p>{t('link.choose.none')}</p> : (
        <fieldset className="plain">
          <legend className="visually-hidden">{t('nav.accounts')}</legend>
          {accounts.map((a) => (
            <label key={a.id} className="check account-choice">
              <input type="checkbox" checked={chosen.has(a.id)} onChange={() => toggle(a.id)} />
              <span className="account-name">
                <span className="name">{a.name}</span>
                <span className="muted small mono">{maskIban(a.iban) ?? a.number ?? ''} · {a.currency}</span>
                {severalBanks ? <span className="muted small">{a.bankName}</span> : null}
                {linkedElsewhere.has(a.id) ? <span className="muted small">{t('link.choose.linkedThrough', { bank: linkedElsewhere.get(a.id)!.institutionName })}</span> : null}
              </span>
              <Money minor={a.balanceCurrent} currency={a.currency} />
            </label>
          ))}
        </fieldset>
      )}
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        <button type="button" className={existing.length ? undefined : 'primary'} onClick={save} disabled={busy || (!chosen.size && accounts.length > 0)}>
          {busy ? t('saving') : t(renewal ? 'link.choose.continueWith' : 'link.choose.add', { count: chosen.size })}
        </button>
      </div>
    </section>
  );
}
