// The account page's list of the statement files imported into it (file, when, rows new/matched/skipped), each
// undone as a whole after a confirmation: the rows that import added go (rows an aggregator has since taken over stay).
import { useState } from 'react';
import type { AccountDto, ErrorDto } from '../../../../preload/contract/channels.js';
import type { StatementImportDto } from '../../../../preload/contract/imports.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { DateText, ErrorBox } from '../../components/ui.js';
import { useDisplay } from '../../app/prefs.js';
import { formatInstant } from '../../lib/time.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function AccountImports({ account }: { account: AccountDto }) {
  const imports = useQuery('import.list', { accountId: account.id });
  if (imports.error) return <ErrorBox error={imports.error} onRetry={imports.reload} />;
  if (!imports.data?.length) return null;
  return (
    <section className="card account-imports" aria-labelledby="h-imports">
      <h2 id="h-imports">Imported statements</h2>
      <ul className="plain-list">
        {imports.data.map((i) => <ImportRow key={i.id} imp={i} />)}
      </ul>
    </section>
  );
}

function ImportRow({ imp }: { imp: StatementImportDto }) {
  const { locale } = useDisplay();
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
      setError(e instanceof CallError ? e.error : { code: 'internal', message: 'The import could not be undone.', action: 'Try again.' });
    } finally { setBusy(false); }
  };
  return (
    <li aria-label={`${imp.fileName}, imported ${formatInstant(imp.importedAt, locale)}`}>
      <div className="row">
        <span className="grow">
          <strong>{imp.fileName}</strong> <span className="muted small">imported {formatInstant(imp.importedAt, locale)} · <DateText date={imp.dateFrom} /> to <DateText date={imp.dateTo} /></span>
          <br />
          <span className="small">{imp.added} new · {imp.matched} matched · {imp.skipped} skipped</span>
          {imp.undoneAt ? <span className="muted small"> · undone {formatInstant(imp.undoneAt, locale)}</span> : null}
        </span>
        {imp.undoneAt || asking ? null : <button type="button" className="ghost" onClick={() => setAsking(true)}>Undo this import</button>}
      </div>
      {asking ? (
        <div className="confirm" role="group" aria-label={`Undo the import of ${imp.fileName}`}>
          <p>Remove the {plural(imp.added, 'transaction')} this import added? Transactions a bank sync has since confirmed stay.</p>
          {error ? <ErrorBox error={error} /> : null}
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void undo()}>Undo the import</button>
            <button type="button" className="ghost" disabled={busy} onClick={() => setAsking(false)}>Keep it</button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
