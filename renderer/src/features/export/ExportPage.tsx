// Export transactions as CSV, OFX or JSON for some accounts, a date range and a search; main builds the file, the browser saves it.
import { useState, type FormEvent } from 'react';
import type { ErrorDto, RequestOf } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery } from '../../app/api.js';
import { ErrorBox, Loading, PageHeader } from '../../components/ui.js';

type Format = RequestOf<'export.run'>['format'];

export function saveFile(filename: string, mime: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportPage() {
  const call = useCall();
  const accounts = useQuery('accounts.list');
  const [format, setFormat] = useState<Format>('csv');
  const [accountIds, setAccountIds] = useState<Set<number>>(new Set());
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await call('export.run', { format, ...(accountIds.size ? { accountIds: [...accountIds] } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(search.trim() ? { search: search.trim() } : {}) });
      saveFile(r.filename, r.mime, r.content);
      setDone(`Saved ${r.filename} with ${r.rows} transaction${r.rows === 1 ? '' : 's'}.`);
    } catch (err) {
      setError(err instanceof CallError ? err.error : { code: 'internal', message: 'Export failed.', action: null });
    } finally {
      setBusy(false);
    }
  }

  if (accounts.error) return <ErrorBox error={accounts.error} onRetry={accounts.reload} />;
  if (!accounts.data) return <Loading />;
  return (
    <>
      <PageHeader title="Export" />
      <form className="card form" onSubmit={submit} aria-label="Export transactions">
        <fieldset className="plain">
          <legend>Format</legend>
          <div className="row">
            {(['csv', 'ofx', 'json'] as const).map((f) => (
              <label key={f} className="check"><input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} /> {f.toUpperCase()}</label>
            ))}
          </div>
        </fieldset>
        <fieldset className="plain">
          <legend>Accounts (none ticked = all)</legend>
          {accounts.data.filter((a) => a.selected).map((a) => (
            <label key={a.id} className="check">
              <input type="checkbox" checked={accountIds.has(a.id)} onChange={() => setAccountIds((s) => { const n = new Set(s); if (n.has(a.id)) n.delete(a.id); else n.add(a.id); return n; })} />
              {a.name} · {a.institutionName} · {a.currency}
            </label>
          ))}
        </fieldset>
        <div className="row">
          <label>From<input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
          <label>To<input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        </div>
        <label htmlFor="export-search">Only transactions matching (description or counterparty, as in search)</label>
        <input id="export-search" type="search" value={search} maxLength={200} onChange={(e) => setSearch(e.target.value)} />
        {error ? <ErrorBox error={error} /> : null}
        {done ? <p role="status" className="ok-text">{done}</p> : null}
        <div className="row"><button type="submit" className="primary" disabled={busy}>{busy ? 'Exporting…' : 'Export'}</button></div>
      </form>
    </>
  );
}
