// Accounts overview: totals per currency, then accounts grouped by bank connection.
import type { AccountDto, ConnectionDto } from '../../../../preload/contract/channels.js';
import { useQuery } from '../../app/api.js';
import { ConsentBadge, Empty, ErrorBox, LastSync, Loading, Money, PageHeader } from '../../components/ui.js';
import { maskIban } from '../../lib/iban.js';
import { providerName } from '../../lib/providers.js';
import { primaryAction, RenewLink } from '../connections/ConnectionsPage.js';
import { InBaseCurrency, NetWorthProvider, NetWorthSummary } from '../networth/NetWorth.js';
import { SameAccountSources, shownCopies } from './SameAccount.js';
import { ImportStatement } from './ImportStatement.js';
import { useT, type Translate } from '../../app/i18n.js';
import { MessageText } from '../../app/message.js';

const ACCOUNT_TYPES = new Set(['current', 'savings', 'card', 'loan', 'investment', 'other']);
/** an account type in words; a type main may add later is shown as it comes */
const typeLabel = (type: string, t: Translate) => (ACCOUNT_TYPES.has(type) ? t(`account.type.${type}`) : type);

export function groupByConnection(accounts: AccountDto[], connections: ConnectionDto[]) {
  const byId = new Map(connections.map((c) => [c.id, c]));
  const groups = new Map<number, { connection: ConnectionDto | undefined; name: string; accounts: AccountDto[] }>();
  for (const a of accounts) {
    const g = groups.get(a.connectionId) ?? { connection: byId.get(a.connectionId), name: a.institutionName, accounts: [] };
    g.accounts.push(a);
    groups.set(a.connectionId, g);
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function Overview() {
  const t = useT();
  const accounts = useQuery('accounts.list');
  const connections = useQuery('connections.list');
  const totals = useQuery('overview.totals');

  const error = accounts.error ?? connections.error;
  if (error) return <ErrorBox error={error} onRetry={() => { accounts.reload(); connections.reload(); }} />;
  if (!accounts.data || !connections.data) return <Loading label={t('accounts.loading')} />;

  const shown = shownCopies(accounts.data);
  if (!shown.length) {
    return (
      <>
        <PageHeader title={t('nav.accounts')} />
        <ImportStatement />
        <Empty title={t('accounts.empty')}>
          <p>{t('accounts.empty.text')}</p>
          <a className="button primary" href="#/link">{t('nav.linkBank')}</a>
        </Empty>
      </>
    );
  }

  return (
    <NetWorthProvider>
      <PageHeader title={t('nav.accounts')} />
      <ImportStatement />
      <section aria-label={t('accounts.totals')} className="totals">
        {totals.error ? <ErrorBox error={totals.error} onRetry={totals.reload} /> : null}
        {(totals.data ?? []).map((total) => (
          <div key={total.currency} className="card total">
            <div className="total-label">{t('accounts.totalIn', { currency: total.currency })}</div>
            <Money minor={total.total} currency={total.currency} className="total-amount" />
            <div className="muted">{t('accounts.count', { count: total.accounts })}</div>
          </div>
        ))}
      </section>
      <NetWorthSummary />
      {groupByConnection(shown, connections.data).map((g) => (
        <section key={g.name + (g.connection?.id ?? '')} className="card bank" aria-label={g.name}>
          <header className="bank-header">
            <div className="bank-avatar" aria-hidden="true">{g.name.slice(0, 1)}</div>
            <div className="bank-title">
              <h2>{g.name}</h2>
              <div className="muted small">
                {t('via', { provider: providerName(g.connection?.provider ?? g.accounts[0].provider, t) })} · <LastSync at={g.connection?.lastSuccessAt ?? g.accounts[0].lastSuccessAt} />
              </div>
            </div>
            {g.connection ? <ConsentBadge state={g.connection.state} errorCode={g.connection.lastErrorCode} /> : null}
            {g.connection ? <RenewLink connection={g.connection} /> : null}
          </header>
          {/* what the bank needs, in the same words as the consent centre (its messages name the button beside them) */}
          {g.connection?.message && primaryAction(g.connection, t) ? <p className="bank-message small">{g.connection.notice ? <MessageText m={g.connection.notice} /> : g.connection.message}</p> : null}
          <ul className="account-list">
            {g.accounts.map((a) => (
              <li key={a.id}>
                <a className="account-row" href={`#/account/${a.id}`} aria-label={`${a.name}, ${typeLabel(a.type, t)}`}>
                  <div className="account-name">
                    <span className="name">{a.name}</span>
                    <span className="muted small mono">{maskIban(a.iban) ?? a.number ?? ''} · {typeLabel(a.type, t)} · {a.currency}</span>
                    {/* a connection that spans banks (Everifin) names each account's bank */}
                    {a.bankName !== g.name ? <span className="muted small">{a.bankName}</span> : null}
                  </div>
                  <div className="account-balance">
                    <Money minor={a.balanceCurrent} currency={a.currency} className="balance" />
                    {a.balanceAvailable != null && a.balanceAvailable !== a.balanceCurrent ? (
                      <span className="muted small">{t('accounts.available')} <Money minor={a.balanceAvailable} currency={a.currency} /></span>
                    ) : null}
                    <InBaseCurrency accountId={a.id} currency={a.currency} />
                  </div>
                </a>
                <SameAccountSources account={a} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </NetWorthProvider>
  );
}
