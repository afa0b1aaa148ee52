// "Import a statement" on the account page and the accounts list: the person picks a file (the sandboxed page reads
// only the file they chose; no path crosses to main), main previews it (what would be added, matched, skipped; the
// balance after the import against the file's closing balance), then imports it, and the import can be undone as a
// whole. From the accounts list the file's account is found by its IBAN; when none is, the person picks one or
// creates a manual account for it (a bank no aggregator covers).
import { useRef, useState } from 'react';
import type { AccountDto, ErrorDto } from '../../../../preload/contract/channels.js';
import { MAX_STATEMENT_BYTES, type CsvMapping, type ImportResultDto } from '../../../../preload/contract/imports.js';
import { CallError, useCall, useRevision } from '../../app/api.js';
import { DateText, ErrorBox, Money } from '../../components/ui.js';
import { CsvMappingForm } from './CsvMappingForm.js';
import { ChooseImportAccount, type ImportTarget } from './ManualAccount.js';
import { useErrorText } from '../../app/message.js';
import { FormattedMessage } from 'react-intl';
import { useT, type Translate } from '../../app/i18n.js';

const asError = (e: unknown, t: Translate): ErrorDto => (e instanceof CallError ? e.error : { code: 'internal', message: t('import.unreadable'), action: t('tryAgain') });

/** the file's bytes as base64, in chunks (a spread of a large array would overflow the call stack) */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** `account`: import into it (the account page); none: the file's account is found, chosen or created (the accounts list) */
export function ImportStatement({ account }: { account?: AccountDto }) {
  const call = useCall();
  const errorText = useErrorText();
  const t = useT();
  const { bump } = useRevision();
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  type Request = { fileName: string; content: string; csvMapping?: CsvMapping } & ImportTarget;
  const [pending, setPending] = useState<{ request: Request; preview: ImportResultDto } | null>(null);
  /** a CSV whose layout has no mapping yet: its columns, for the mapping form */
  const [unmapped, setUnmapped] = useState<{ request: Request; headers: string[] } | null>(null);
  /** the file's account is not known: the person picks or creates one */
  const [unplaced, setUnplaced] = useState<{ request: Request; reason: string } | null>(null);
  const [done, setDone] = useState<ImportResultDto | null>(null);
  const [undone, setUndone] = useState<number | null>(null);

  async function work(step: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try { await step(); } catch (e) { setError(asError(e, t)); } finally { setBusy(false); }
  }
  const choose = (file: File | undefined) => work(async () => {
    setPending(null); setUnmapped(null); setUnplaced(null); setDone(null); setUndone(null);
    if (!file) return;
    if (file.size > MAX_STATEMENT_BYTES) {
      throw new CallError({ code: 'bad_file', message: t('import.tooLarge', { size: Math.round(file.size / 1048576), max: MAX_STATEMENT_BYTES / 1048576 }), action: t('import.tooLarge.action') });
    }
    const request: Request = { fileName: file.name, content: await base64Of(file), ...(account ? { accountId: account.id } : {}) };
    const kind = await call('import.inspect', { fileName: request.fileName, content: request.content });
    if (kind.headers && !kind.mapping) { setUnmapped({ request, headers: kind.headers }); return; }
    await preview(request);
  });
  /** preview the import; a file whose account is not known asks where it goes */
  async function preview(request: Request) {
    try {
      setPending({ request, preview: await call('import.preview', request) });
    } catch (e) {
      if (!(e instanceof CallError) || e.error.code !== 'import_account_unknown' || account) throw e;
      setUnplaced({ request, reason: errorText(e.error).message });
    }
  }
  const mapped = (csvMapping: CsvMapping) => work(async () => {
    if (!unmapped) return;
    setUnmapped(null);
    await preview({ ...unmapped.request, csvMapping });
  });
  const placed = (target: ImportTarget) => work(async () => {
    if (!unplaced) return;
    const { fileName, content, csvMapping } = unplaced.request;
    const request: Request = { fileName, content, ...(csvMapping ? { csvMapping } : {}), ...target };
    setPending({ request, preview: await call('import.preview', request) });
    setUnplaced(null);
  });
  const run = () => work(async () => {
    if (!pending) return;
    const result = await call('import.run', pending.request);
    setPending(null);
    setDone(result);
    if (input.current) input.current.value = ''; // the same file may be chosen again
    bump();
  });
  const undo = () => work(async () => {
    if (!done?.importId) return;
    const r = await call('import.undo', { importId: done.importId });
    setDone(null);
    setUndone(r.removed);
    bump();
  });
  const reset = () => { setPending(null); setUnmapped(null); setUnplaced(null); setError(null); if (input.current) input.current.value = ''; };

  if (!open) return <button type="button" onClick={() => setOpen(true)}>{t('import.title')}</button>;
  const p = pending?.preview;
  return (
    <section className="card form import-statement" aria-labelledby="h-import">
      <h2 id="h-import">{t('import.title')}</h2>
      <p className="small">{t('import.intro')}</p>
      <label>
        {t('import.file')}
        <input ref={input} type="file" accept=".xml,.053,.sta,.mt940,.940,.txt,.ofx,.qfx,.csv" disabled={busy} onChange={(e) => void choose(e.target.files?.[0])} />
      </label>
      {busy ? <p role="status" className="muted">{t('import.reading')}</p> : null}
      {error ? <ErrorBox error={error} /> : null}
      {unmapped ? <CsvMappingForm headers={unmapped.headers} currency={account?.currency ?? 'EUR'} busy={busy} onSubmit={(m) => void mapped(m)} /> : null}
      {unplaced ? <ChooseImportAccount reason={unplaced.reason} busy={busy} onChoose={(target) => void placed(target)} onCancel={reset} /> : null}
      {p ? (
        <div className="import-preview" role="region" aria-label={t('import.preview')}>
          <p><FormattedMessage id={account ? 'import.preview.what' : p.newAccount ? 'import.preview.whatNew' : 'import.preview.whatInto'} values={{
            file: p.fileName, format: p.format === 'camt053' ? 'CAMT.053' : p.format.toUpperCase(), account: p.accountName,
            from: <DateText date={p.dateFrom} />, to: <DateText date={p.dateTo} />, strong: (chunks) => <strong>{chunks}</strong>,
          }} /></p>
          <ul className="import-counts">
            <li>{t('import.preview.add', { count: p.added })}</li>
            <li>{t('import.preview.matched', { count: p.matched })}</li>
            <li>{t('import.preview.skipped', { count: p.skipped })}</li>
          </ul>
          {p.closing ? (
            <p className="import-balance">
              <FormattedMessage id="import.preview.closing" values={{ date: <DateText date={p.closing.date} />, amount: <Money minor={p.closing.amount} currency={p.currency} /> }} />{' '}
              {p.balanceAfter === null ? t('import.preview.closing.becomes')
                : p.balanceAfter === p.closing.amount ? t('import.preview.closing.same')
                  : <FormattedMessage id="import.preview.closing.gap" values={{ amount: <Money minor={p.balanceAfter} currency={p.currency} /> }} />}
            </p>
          ) : null}
          {p.sample.length ? (
            <table className="import-sample">
              <caption className="muted small">{t('import.preview.sample')}</caption>
              <tbody>
                {p.sample.map((r, i) => (
                  <tr key={i}><td><DateText date={r.bookingDate} /></td><td>{r.counterpartyName ?? ''} {r.description}</td><td><Money minor={r.amount} currency={r.currency} signed /></td></tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void run()}>{p.added ? t('import.run', { count: p.added }) : t('import.run.none')}</button>
            <button type="button" disabled={busy} onClick={reset}>{t('cancel')}</button>
          </div>
        </div>
      ) : null}
      {done ? (
        <p role="status" className="ok-text">
          {t('import.done', { file: done.fileName, added: done.added, matched: done.matched })}
          {/* on the account page its list of imports (AccountImports) undoes it */}
          {account ? null : <>{' '}<a href={`#/account/${done.accountId}`}>{t('import.done.open', { name: done.accountName })}</a>{' '}
            <button type="button" className="link" disabled={busy} onClick={() => void undo()}>{t('imports.undo')}</button></>}
        </p>
      ) : null}
      {undone !== null ? <p role="status" className="ok-text">{t('import.undone', { count: undone })}</p> : null}
    </section>
  );
}
