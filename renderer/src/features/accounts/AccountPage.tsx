// One account: balance history, monthly money in vs out, spending by category and the biggest counterparties (recharts).
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery, type Query } from '../../app/api.js';
import { NO_CATEGORY } from '../transactions/CategoryFilter.js';
import { useDisplay } from '../../app/prefs.js';
import { DateText, Empty, ErrorBox, LastSync, Loading, Money, PageHeader } from '../../components/ui.js';
import { maskIban } from '../../lib/iban.js';
import { providerName } from '../../lib/providers.js';
import { currencyExponent, formatMoney } from '../../lib/money.js';
import { formatDate } from '../../lib/time.js';
import { AccountImports } from './AccountImports.js';
import { ImportStatement } from './ImportStatement.js';
import { DeleteManualAccount } from './ManualAccount.js';
import { UnreadableNotice } from './UnreadableNotice.js';
import { HistoryGapNotice } from './HistoryGapNotice.js';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../app/i18n.js';

/** Chart axes need numbers in major units; labels are formatted from minor units exactly. */
const major = (minor: number, currency: string) => minor / 10 ** currencyExponent(currency);

export function AccountPage({ accountId }: { accountId: number }) {
  const { locale } = useDisplay();
  const t = useT();
  const accounts = useQuery('accounts.list');
  const history = useQuery('accounts.balanceHistory', { accountId });
  const monthly = useQuery('accounts.monthly', { accountId, months: 12 });
  const top = useQuery('accounts.topCounterparties', { accountId, limit: 8 });
  const byCategory = useQuery('accounts.spendingByCategory', { accountId, months: 12 });

  if (accounts.error) return <ErrorBox error={accounts.error} onRetry={accounts.reload} />;
  if (!accounts.data) return <Loading />;
  const account = accounts.data.find((a) => a.id === accountId);
  if (!account) return <Empty title={t('account.gone')}><a href="#/accounts">{t('error.go.accounts')}</a></Empty>;
  const cur = account.currency;
  const fmt = (minor: number) => formatMoney(minor, cur, { locale });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const maxTop = Math.max(1, ...(top.data ?? []).map((c) => Math.abs(c.total)));

  return (
    <div className="account-page">
      <PageHeader title={account.name}>
        <a className="button" href={`#/transactions?account=${account.id}`}>{t('account.seeTransactions')}</a>
        <DeleteManualAccount account={account} />
      </PageHeader>
      <ImportStatement account={account} />
      <AccountImports account={account} />
      <p className="muted">
        {account.bankName} {t('via', { provider: providerName(account.provider, t) })} · <span className="mono">{maskIban(account.iban) ?? account.number ?? ''}</span> · {account.currency} · <LastSync at={account.lastSuccessAt} />
      </p>
      <UnreadableNotice accountId={account.id} />
      <HistoryGapNotice accountId={account.id} />
      <section className="totals" aria-label={t('account.balances')}>
        <div className="card total">
          <div className="total-label">{t('account.current')}</div>
          <Money minor={account.balanceCurrent} currency={cur} className="total-amount" />
          <div className="muted small"><FormattedMessage id="account.asOf" values={{ date: <DateText date={account.balanceCurrentDate} /> }} /></div>
        </div>
        <div className="card total">
          <div className="total-label">{t('accounts.available')}</div>
          <Money minor={account.balanceAvailable} currency={cur} className="total-amount" />
        </div>
      </section>

      <section className="card chart-card" aria-labelledby="h-balance">
        <h2 id="h-balance">{t('account.history')}</h2>
        {history.error ? <ErrorBox error={history.error} onRetry={history.reload} /> : !history.data ? <Loading /> : history.data.length < 2 ? (
          <p className="muted">{t('account.history.short')}</p>
        ) : (
          <div className="chart" role="img" aria-label={t('account.history.chart', { from: formatDate(history.data[0].date, locale), to: formatDate(history.data[history.data.length - 1].date, locale) })}>
            <ResponsiveContainer width="100%" height={260}>
              <AreaChart data={history.data.map((p) => ({ date: p.date, value: major(p.balance, cur), minor: p.balance }))}>
                <defs>
                  <linearGradient id="bal" x1="0" y1="0" x2="0" y2="1">
                    <stop offset="0%" stopColor="var(--accent)" stopOpacity={0.35} />
                    <stop offset="100%" stopColor="var(--accent)" stopOpacity={0.02} />
                  </linearGradient>
                </defs>
                <CartesianGrid stroke="var(--grid)" vertical={false} />
                <XAxis dataKey="date" tickFormatter={(d: string) => formatDate(d, locale, { month: 'short', year: '2-digit' })} minTickGap={40} stroke="var(--muted)" />
                <YAxis tickFormatter={(v: number) => compact.format(v)} width={56} stroke="var(--muted)" />
                <Tooltip
                  separator=": "
                  formatter={(_v, _n, item) => [fmt((item.payload as { minor: number }).minor), t('account.balance')]}
                  labelFormatter={(d) => formatDate(String(d), locale)}
                  contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }}
                />
                <Area type="monotone" dataKey="value" stroke="var(--accent)" strokeWidth={2} fill="url(#bal)" isAnimationActive={false} />
              </AreaChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>

      <div className="two-col">
        <section className="card chart-card" aria-labelledby="h-monthly">
          <h2 id="h-monthly">{t('account.monthly')}</h2>
          {monthly.error ? <ErrorBox error={monthly.error} onRetry={monthly.reload} /> : !monthly.data ? <Loading /> : !monthly.data.length ? (
            <p className="muted">{t('account.monthly.none')}</p>
          ) : (
            <div className="chart" role="img" aria-label={t('account.monthly.chart')}>
              <ResponsiveContainer width="100%" height={240}>
                <BarChart data={monthly.data.map((m) => ({ month: m.month, income: major(m.income, cur), spending: major(Math.abs(m.spending), cur), inMinor: m.income, outMinor: Math.abs(m.spending) }))}>
                  <CartesianGrid stroke="var(--grid)" vertical={false} />
                  <XAxis dataKey="month" tickFormatter={(m: string) => formatDate(`${m}-01`, locale, { month: 'short' })} stroke="var(--muted)" />
                  <YAxis tickFormatter={(v: number) => compact.format(v)} width={56} stroke="var(--muted)" />
                  <Tooltip
                    separator=": "
                    formatter={(_v, name, item) => [fmt(name === t('account.in') ? (item.payload as { inMinor: number }).inMinor : (item.payload as { outMinor: number }).outMinor), name]}
                    labelFormatter={(m) => formatDate(`${String(m)}-01`, locale, { month: 'long', year: 'numeric' })}
                    contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }}
                  />
                  <Legend />
                  <Bar dataKey="income" name={t('account.in')} fill="var(--in)" radius={[4, 4, 0, 0]} isAnimationActive={false} />
                  <Bar dataKey="spending" name={t('account.out')} fill="var(--out)" radius={[4, 4, 0, 0]} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </section>
        <SpendingByCategory accountId={account.id} data={byCategory} fmt={fmt} major={(m) => major(m, cur)} />
        <section className="card" aria-labelledby="h-top">
          <h2 id="h-top">{t('account.top')}</h2>
          {top.error ? <ErrorBox error={top.error} onRetry={top.reload} /> : !top.data ? <Loading /> : !top.data.length ? (
            <p className="muted">{t('account.top.none')}</p>
          ) : (
            <ol className="top-list">
              {top.data.map((c) => (
                <li key={c.name}>
                  <div className="top-line"><span>{c.name}</span><Money minor={c.total} currency={cur} signed /></div>
                  <div className="meter" aria-hidden="true"><span style={{ width: `${(Math.abs(c.total) / maxTop) * 100}%` }} className={c.total < 0 ? 'out' : 'in'} /></div>
                  <div className="muted small">{t('transactions.count', { count: c.count })}</div>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </div>
  );
}

/** Money out per category over the last 12 months; each category links to the account's transactions in it. */
function SpendingByCategory({ accountId, data, fmt, major }: {
  accountId: number; data: Query<Array<{ category: string | null; spending: number; count: number }>>; fmt: (minor: number) => string; major: (minor: number) => number;
}) {
  const t = useT();
  const rows = (data.data ?? []).map((c) => ({ name: c.category ?? t('category.none'), category: c.category, value: major(c.spending), minor: c.spending, count: c.count }));
  return (
    <section className="card chart-card" aria-labelledby="h-categories">
      <h2 id="h-categories">{t('account.byCategory')}</h2>
      {data.error ? <ErrorBox error={data.error} onRetry={data.reload} /> : !data.data ? <Loading /> : !rows.length ? (
        <p className="muted">{t('account.byCategory.none')}</p>
      ) : (
        <>
          <div className="chart" role="img" aria-label={t('account.byCategory.chart', { rows: rows.map((r) => `${r.name} ${fmt(r.minor)}`).join(', ') })}>
            <ResponsiveContainer width="100%" height={Math.max(120, rows.length * 30 + 30)}>
              <BarChart layout="vertical" data={rows} margin={{ left: 8, right: 16 }}>
                <CartesianGrid stroke="var(--grid)" horizontal={false} />
                <XAxis type="number" hide />
                <YAxis type="category" dataKey="name" width={110} stroke="var(--muted)" interval={0} />
                <Tooltip
                  separator=": "
                  formatter={(_v, _n, item) => [`${fmt((item.payload as { minor: number }).minor)} · ${t('transactions.count', { count: (item.payload as { count: number }).count })}`, t('account.spent')]}
                  contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }}
                />
                <Bar dataKey="value" name={t('account.spent')} fill="var(--out)" radius={[0, 4, 4, 0]} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ul className="plain-list small">
            {rows.map((r) => (
              <li key={r.name} className="row">
                <a className="grow" href={`#/transactions?account=${accountId}&category=${encodeURIComponent(r.category ?? NO_CATEGORY)}`}>{r.name}</a>
                <span>{fmt(r.minor)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
