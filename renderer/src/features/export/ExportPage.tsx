// Export transactions as CSV, OFX or JSON for some accounts, a date range, a category and a search; main builds the file, the browser saves it.
import { useState, type FormEvent } from 'react';
import type { RequestOf } from '../../../../preload/contract/channels.js';
import { useQuery } from '../../app/api.js';
import { ErrorBox, Loading, PageHeader } from '../../components/ui.js';
import { CategoryFilter, NO_CATEGORY } from '../transactions/CategoryFilter.js';
import { useExport } from './useExport.js';
import { useT } from '../../app/i18n.js';

type Format = RequestOf<'export.run'>['format'];

export function ExportPage() {
  const accounts = useQuery('accounts.list');
  const t = useT();
  const exporter = useExport();
  const [format, setFormat] = useState<Format>('csv');
  const [accountIds, setAccountIds] = useState<Set<number>>(new Set());
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');

  function submit(e: FormEvent) {
    e.preventDefault();
    void exporter.run({ format, ...(accountIds.size ? { accountIds: [...accountIds] } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(search.trim() ? { search: search.trim() } : {}),
      ...(category ? { category: category === NO_CATEGORY ? null : category } : {}) });
  }

  if (accounts.error) return <ErrorBox error={accounts.error} onRetry={accounts.reload} />;
  if (!accounts.data) return <Loading />;
  return (
    <>
      <PageHeader title={t('nav.export')} />
      <form className="card form" onSubmit={submit} aria-label={t('export.label')}>
        <fieldset className="plain">
          <legend>{t('export.formatLegend')}</legend>
          <div className="row">
            {(['csv', 'ofx', 'json'] as const).map((f) => (
              <label key={f} className="check"><input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} /> {f.toUpperCase()}</label>
            ))}
          </div>
        </fieldset>
        <fieldset className="plain">
          <legend>{t('export.accounts')}</legend>
          {accounts.data.filter((a) => a.selected).map((a) => (
            <label key={a.id} className="check">
              <input type="checkbox" checked={accountIds.has(a.id)} onChange={() => setAccountIds((s) => { const n = new Set(s); if (n.has(a.id)) n.delete(a.id); else n.add(a.id); return n; })} />
              {a.name} · {a.bankName} · {a.currency}
            </label>
          ))}
        </fieldset>
        <div className="row">
          <label>{t('tx.from')}<input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
          <label>{t('tx.to')}<input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
          <CategoryFilter value={category} onChange={setCategory} />
        </div>
        <label htmlFor="export-search">{t('export.search')}</label>
        <input id="export-search" type="search" value={search} maxLength={200} onChange={(e) => setSearch(e.target.value)} />
        {exporter.error ? <ErrorBox error={exporter.error} /> : null}
        {exporter.done ? <p role="status" className="ok-text">{exporter.done}</p> : null}
        <div className="row"><button type="submit" className="primary" disabled={exporter.busy}>{exporter.busy ? t('export.running') : t('export.do')}</button></div>
      </form>
    </>
  );
}
