// The account page's list of the statement files imported into it (file, when, rows new/matched/skipped), each
// undone as a whole after a confirmation: the rows that import added go (rows an aggregator has since taken over stay).
import { useState } from 'react';
import type { AccountDto, ErrorDto } from '../../../../preload/contract/channels.js';
import type { StatementImportDto } from '../../../../preload/contract/imports.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { DateText, ErrorBox } from '../../components/ui.js';
import { useDisplay } from '../../app/prefs.js';
import { formatInstant } from '../../lib/time.js';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../app/i18n.js';

export function AccountImports({ account }: { account: AccountDto }) {
  const imports = useQuery('import.list', { accountId: account.id });
  const t = useT();
  if (imports.error) return <ErrorBox error={imports.error} onRetry={imports.reload} />;
  if (!imports.data?.length) return null;
  return (
    <section className="card account-imports" aria-labelledby="h-imports">
      <h2 id="h-imports">{t('imports.title')}</h2>
      <ul className="plain-list">
        {imports.data.map((i) => <ImportRow key={i.id} imp={i} />)}
      </ul>
    </section>
  );
}

function ImportRow({ imp }: { imp: StatementImportDto }) {
  const { locale } = useDisplay();
  const t = useT();
  const call = useCall();
  const { bump } = useRevision();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  const undo = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('import.undo', { importId: imp.id });
      setAsking(false);
      bump();
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('imports.undo.failed'), action: t('tryAgain') });
    } finally { setBusy(false); }
  };
  return (
    <li aria-label={t('imports.item', { file: imp.fileName, when: formatInstant(imp.importedAt, locale) })}>
      <div className="row">
        <span className="grow">
          <strong>{imp.fileName}</strong> <span className="muted small">{t('imports.imported', { when: formatInstant(imp.importedAt, locale) })} · <FormattedMessage id="dateRange" values={{ from: <DateText date={imp.dateFrom} />, to: <DateText date={imp.dateTo} /> }} /></span>
          <br />
          <span className="small">{t('imports.counts', { added: imp.added, matched: imp.matched, skipped: imp.skipped })}</span>
          {imp.undoneAt ? <span className="muted small"> · {t('imports.undone', { when: formatInstant(imp.undoneAt, locale) })}</span> : null}
        </span>
        {imp.undoneAt || asking ? null : <button type="button" className="ghost" onClick={() => setAsking(true)}>{t('imports.undo')}</button>}
      </div>
      {asking ? (
        <div className="confirm" role="group" aria-label={t('imports.undoOne', { file: imp.fileName })}>
          <p>{t('imports.undo.confirm', { count: imp.added })}</p>
          {error ? <ErrorBox error={error} /> : null}
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void undo()}>{t('imports.undo.do')}</button>
            <button type="button" className="ghost" disabled={busy} onClick={() => setAsking(false)}>{t('keepIt')}</button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
