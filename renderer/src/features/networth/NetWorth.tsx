// Net worth in the base currency on the accounts page (issue 19): the total, each account's balance in the base
// currency with the date of its rate, and the month-end totals as a chart (recharts, already the app's chart library).
// One networth.get per page: the provider loads it, the pieces read it.
import { createContext, useContext, type ReactNode } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { NetWorthDto } from '../../../../preload/contract/networth.js';
import { useQuery, type Query } from '../../app/api.js';
import { useDisplay } from '../../app/prefs.js';
import { DateText, ErrorBox, Loading, Money } from '../../components/ui.js';
import { currencyExponent, formatMoney } from '../../lib/money.js';
import { formatDate } from '../../lib/time.js';
import { FormattedMessage } from 'react-intl';
import { useList, useT } from '../../app/i18n.js';
import { MessageText, useMessageText } from '../../app/message.js';

const NetWorthContext = createContext<Query<NetWorthDto> | null>(null);

export function NetWorthProvider({ children }: { children: ReactNode }) {
  const query = useQuery('networth.get');
  return <NetWorthContext.Provider value={query}>{children}</NetWorthContext.Provider>;
}

/** the total, what it leaves out, and the chart */
export function NetWorthSummary() {
  const { locale } = useDisplay();
  const t = useT();
  const text = useMessageText();
  const list = useList();
  const nw = useContext(NetWorthContext);
  if (!nw) return null;
  if (nw.error) return <ErrorBox error={nw.error} onRetry={nw.reload} />;
  if (!nw.data) return <Loading label={t('networth.loading')} />;
  const { base, history } = nw.data;
  const major = (minor: number) => minor / 10 ** currencyExponent(base);
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  return (
    <section className="card chart-card" aria-labelledby="h-networth">
      <div className="total">
        <h2 id="h-networth" className="total-label">{t('networth.title', { base })}</h2>
        <Money minor={nw.data.total} currency={base} className="total-amount" />
        <div className="muted small">{t('networth.rates')} · <DateText date={nw.data.date} /> · {t('networth.change')}</div>
      </div>
      {nw.data.missingNotices.map((m) => <p key={text(m)} className="notice small" role="status">{t('networth.missing', { what: text(m) })}</p>)}
      {nw.data.ratesNotice ? <p className="notice small" role="status"><MessageText m={nw.data.ratesNotice} /></p> : null}
      <div className="chart" role="img" aria-label={t('networth.chart', { base, from: formatDate(history[0]?.date, locale), to: formatDate(history.at(-1)?.date, locale) })}>
        <ResponsiveContainer width="100%" height={220}>
          <AreaChart data={history.map((p) => ({ ...p, value: major(p.total) }))}>
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis dataKey="date" tickFormatter={(d: string) => formatDate(d, locale, { month: 'short', year: '2-digit' })} stroke="var(--muted)" />
            <YAxis tickFormatter={(v: number) => compact.format(v)} width={56} stroke="var(--muted)" />
            <Tooltip
              separator=": "
              formatter={(_v, _n, item) => {
                const p = item.payload as { total: number; missing: string[] };
                return [formatMoney(p.total, base, { locale }) + (p.missing.length ? ` ${t('networth.without', { what: list(p.missing) })}` : ''), t('networth.tooltip')];
              }}
              labelFormatter={(d) => formatDate(String(d), locale)}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }}
            />
            <Area type="monotone" dataKey="value" stroke="var(--accent)" strokeWidth={2} fill="var(--accent)" fillOpacity={0.12} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

/** one account's balance in the base currency and the day of its rate, or why there is none */
export function InBaseCurrency({ accountId, currency }: { accountId: number; currency: string }) {
  const nw = useContext(NetWorthContext)?.data;
  const t = useT();
  const row = nw?.accounts.find((a) => a.accountId === accountId);
  if (!nw || !row || currency === nw.base) return null;
  if (row.inBase === null) return <span className="muted small" data-testid="in-base">{row.notice && <MessageText m={row.notice} />}</span>;
  return (
    <span className="muted small" data-testid="in-base">
      ≈ <Money minor={row.inBase} currency={nw.base} /> · <FormattedMessage id="networth.rateOf" values={{ date: <DateText date={row.rateDate} /> }} />
    </span>
  );
}
