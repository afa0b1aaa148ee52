// Transactions: search as you type, filters, sort, the virtual list and the detail panel; `/` searches, Esc closes.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AccountDto, TransactionDto } from '../../../../preload/contract/channels.js';
import { useQuery } from '../../app/api.js';
import { ErrorBox, Empty, Loading, PageHeader } from '../../components/ui.js';
import { TransactionList } from './TransactionList.js';
import { TransactionDetail } from './TransactionDetail.js';
import { ExportThese } from './ExportThese.js';
import { CategoryFilter, NO_CATEGORY } from './CategoryFilter.js';
import { useTransactionPages, type TxFilter } from './useTransactionPages.js';
import { useT, type Translate } from '../../app/i18n.js';

type Sort = NonNullable<TxFilter['sort']>;

/** what the search box takes (the contract's limit): longer input is cut, never sent to fail */
export const SEARCH_MAX = 200;

/** A Min/Max amount as typed: the size to filter by ("12.50"), or why it cannot be used. */
export function readSize(text: string, t: Translate): { size?: string; problem?: string } {
  const typed = text.trim();
  if (!typed) return {};
  if (typed.startsWith('-')) return { problem: t('tx.amount.minus', { size: typed.slice(1).trim() }) };
  const m = /^\+?(\d{1,11})(?:[.,](\d{0,4}))?$/.exec(typed);
  if (!m) return { problem: t('tx.amount.notAmount', { text: typed }) };
  return { size: m[2] ? `${m[1]}.${m[2]}` : m[1] };
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return v;
}

export function TransactionsPage({ params }: { params: URLSearchParams }) {
  const accounts = useQuery('accounts.list');
  const t = useT();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [accountId, setAccountId] = useState(params.get('account') ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [minText, setMinText] = useState('');
  const [maxText, setMaxText] = useState('');
  const [direction, setDirection] = useState<'' | 'in' | 'out'>('');
  const [status, setStatus] = useState<'' | 'pending' | 'booked'>('');
  const [sort, setSort] = useState<Sort>('date_desc');
  const [showHidden, setShowHidden] = useState(false);
  // a category name, NO_CATEGORY, or '' for all
  const [category, setCategory] = useState(params.get('category') ?? '');
  const [activeIndex, setActiveIndex] = useState(-1);
  const [open, setOpen] = useState<TransactionDto | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listWrap = useRef<HTMLDivElement>(null);

  const accountMap = useMemo(() => new Map((accounts.data ?? []).map((a) => [a.id, a])), [accounts.data]);
  const banks = useMemo(() => {
    const byBank = new Map<number, AccountDto[]>();
    for (const a of accounts.data ?? []) if (a.selected) byBank.set(a.connectionId, [...(byBank.get(a.connectionId) ?? []), a]);
    return [...byBank.entries()];
  }, [accounts.data]);
  // "12" = one account, "bank:3" = every account of connection 3
  const chosenAccounts = accountId.startsWith('bank:')
    ? (accounts.data ?? []).filter((a) => a.selected && a.connectionId === Number(accountId.slice(5))).map((a) => a.id)
    : accountId ? [Number(accountId)] : [];
  // Min/Max are sizes (no sign; Direction says in or out); a field that cannot be read turns the amount filter off, and says so
  const min = readSize(minText, t);
  const max = readSize(maxText, t);
  const amountProblem = min.problem ? `${t('tx.min')}: ${min.problem}` : max.problem ? `${t('tx.max')}: ${max.problem}`
    : min.size && max.size && Number(min.size) > Number(max.size) ? t('tx.amount.swapped') : null;
  const sizes = amountProblem ? {} : { ...(min.size ? { minSize: min.size } : {}), ...(max.size ? { maxSize: max.size } : {}) };
  // amounts sort by size within each currency: say so when the list holds several
  const shownCurrencies = [...new Set((chosenAccounts.length ? chosenAccounts.map((id) => accountMap.get(id)) : (accounts.data ?? []).filter((a) => a.selected))
    .map((a) => a?.currency).filter((c): c is string => !!c))].sort();
  // short pause: the FTS query itself takes a few ms, so results follow the typing closely (bench: ui_search_ms)
  const debouncedSearch = useDebounced(search.trim(), 80);

  // which transactions: the list shows them (sorted), "Export these transactions" writes the same ones
  const which: Omit<TxFilter, 'sort'> = {
    ...(chosenAccounts.length ? { accountIds: chosenAccounts } : {}),
    ...(debouncedSearch ? { search: debouncedSearch } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...sizes,
    ...(direction ? { direction } : {}),
    ...(status ? { status } : {}),
    ...(showHidden ? { includeHidden: true } : {}),
    ...(category ? { category: category === NO_CATEGORY ? null : category } : {}),
  };
  const filter: TxFilter = { sort, ...which };
  const pages = useTransactionPages(filter);
  const filterKey = JSON.stringify(filter);
  useEffect(() => { setActiveIndex(-1); }, [filterKey]);

  // `/` jumps to search from anywhere on this screen (except while typing in a field)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      const typing = el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
      if (e.key === '/' && !typing) { e.preventDefault(); searchRef.current?.focus(); searchRef.current?.select(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  function closeDetail() {
    setOpen(null);
    listWrap.current?.querySelector<HTMLElement>('[role="listbox"]')?.focus();
  }
  const clear = () => { setSearch(''); setAccountId(''); setFrom(''); setTo(''); setMinText(''); setMaxText(''); setDirection(''); setStatus(''); setShowHidden(false); setCategory(''); };
  // FTS finds words and numbers: a search of only signs or emoji has nothing to look for (main then finds nothing)
  const nothingToSearch = debouncedSearch !== '' && !/[\p{L}\p{N}]/u.test(debouncedSearch);
  const filtered = !!(debouncedSearch || accountId || from || to || minText || maxText || direction || status || showHidden || category);

  return (
    <div className="tx-page">
      <PageHeader title={t('nav.transactions')} />
      <section role="search" className="tx-toolbar" aria-label={t('tx.toolbar')}>
        <div className="search-box">
          <label htmlFor="tx-search" className="visually-hidden">{t('tx.search')}</label>
          <input
            id="tx-search" ref={searchRef} type="search" placeholder={t('tx.search.placeholder')} value={search}
            maxLength={SEARCH_MAX} aria-describedby="tx-search-hint" onChange={(e) => setSearch(e.target.value.slice(0, SEARCH_MAX))}
            onKeyDown={(e) => {
              if (e.key === 'Escape') { if (search) setSearch(''); else (e.target as HTMLInputElement).blur(); }
              if (e.key === 'ArrowDown' || e.key === 'Enter') { e.preventDefault(); listWrap.current?.querySelector<HTMLElement>('[role="listbox"]')?.focus(); }
            }}
          />
          <p id="tx-search-hint" className="tx-hint muted small" aria-live="polite">
            {search.length >= SEARCH_MAX ? t('tx.search.tooLong', { max: SEARCH_MAX })
              : nothingToSearch ? t('tx.search.nothing', { text: debouncedSearch }) : null}
          </p>
        </div>
        <div className="filters">
          <label>{t('manual.account')}
            <select value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value="">{t('tx.accounts.all')}</option>
              {banks.map(([connectionId, ofBank]) => (
                <optgroup key={connectionId} label={ofBank[0].institutionName}>
                  {ofBank.length > 1 ? <option value={`bank:${connectionId}`}>{t('tx.accounts.allAt', { bank: ofBank[0].institutionName })}</option> : null}
                  {ofBank.map((a) => <option key={a.id} value={a.id}>{a.name} · {a.bankName}</option>)}
                </optgroup>
              ))}
            </select>
          </label>
          <label>{t('tx.from')}<input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
          <label>{t('tx.to')}<input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
          <label>{t('tx.min')}
            <input inputMode="decimal" value={minText} onChange={(e) => setMinText(e.target.value)} aria-invalid={!!min.problem || (!!amountProblem && !max.problem)} aria-describedby="tx-amount-hint" size={8} />
          </label>
          <label>{t('tx.max')}
            <input inputMode="decimal" value={maxText} onChange={(e) => setMaxText(e.target.value)} aria-invalid={!!amountProblem && !min.problem} aria-describedby="tx-amount-hint" size={8} />
          </label>
          <label>{t('tx.direction')}
            <select value={direction} onChange={(e) => setDirection(e.target.value as typeof direction)}>
              <option value="">{t('tx.direction.both')}</option><option value="in">{t('account.in')}</option><option value="out">{t('account.out')}</option>
            </select>
          </label>
          <label>{t('tx.status')}
            <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <option value="">{t('tx.status.both')}</option><option value="booked">{t('tx.booked')}</option><option value="pending">{t('tx.pending')}</option>
            </select>
          </label>
          <label>{t('tx.sort')}
            <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
              <option value="date_desc">{t('tx.sort.newest')}</option><option value="date_asc">{t('tx.sort.oldest')}</option>
              <option value="amount_desc">{t('tx.sort.largest')}</option><option value="amount_asc">{t('tx.sort.smallest')}</option>
            </select>
          </label>
          <CategoryFilter value={category} onChange={setCategory} />
          <label className="check"><input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> {t('tx.showHidden')}</label>
          {filtered ? <button type="button" className="ghost" onClick={clear}>{t('tx.clear')}</button> : null}
        </div>
        <p id="tx-amount-hint" className="tx-hint field-error" aria-live="polite">{amountProblem ? `${amountProblem} ${t('tx.amount.off')}` : null}</p>
        {sort.startsWith('amount') && shownCurrencies.length > 1 ? (
          <p className="tx-hint muted small">{t('tx.sort.perCurrency', { currencies: shownCurrencies.join(', ') })}</p>
        ) : null}
        <ExportThese filter={which} />
      </section>
      <div className={`tx-body${open ? ' with-detail' : ''}`}>
        <div className="tx-list-wrap card" ref={listWrap}>
          {pages.error && !pages.count ? <ErrorBox error={pages.error} /> :
            !pages.count && pages.loading ? <Loading label={t('tx.loading')} /> :
            !pages.count ? (
              <Empty title={nothingToSearch ? t('tx.empty.nothing') : filtered ? t('tx.empty.filtered') : t('tx.empty')}>
                <p>{nothingToSearch ? t('tx.empty.nothing.text') : filtered ? t('tx.empty.filtered.text') : t('tx.empty.text')}</p>
              </Empty>
            ) : (
              <TransactionList
                count={pages.count} hasMore={pages.hasMore} row={pages.row} showing={pages.showing} accounts={accountMap} search={debouncedSearch}
                activeIndex={activeIndex} setActiveIndex={setActiveIndex} onOpen={setOpen} onEscape={() => (open ? closeDetail() : searchRef.current?.focus())}
              />
            )}
        </div>
        {open ? <TransactionDetail id={open.id} account={accountMap.get(open.accountId)} onClose={closeDetail} onSaved={pages.replaceRow} /> : null}
      </div>
    </div>
  );
}
