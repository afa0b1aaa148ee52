// "Export these transactions": the rows the list shows (same search and filters), as CSV, OFX or JSON.
import { useState } from 'react';
import type { ErrorDto, RequestOf } from '../../../../preload/contract/channels.js';
import { CallError, useCall } from '../../app/api.js';
import { ErrorBox } from '../../components/ui.js';
import { saveFile } from '../export/ExportPage.js';

type ExportRequest = RequestOf<'export.run'>;

export function ExportThese({ filter }: { filter: Omit<ExportRequest, 'format'> }) {
  const call = useCall();
  const [format, setFormat] = useState<ExportRequest['format']>('csv');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);

  async function run() {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await call('export.run', { format, ...filter });
      saveFile(r.filename, r.mime, r.content);
      setDone(`Saved ${r.filename} with ${r.rows} transaction${r.rows === 1 ? '' : 's'}.`);
    } catch (err) {
      setError(err instanceof CallError ? err.error : { code: 'internal', message: 'Export failed.', action: null });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="filters export-these">
      <label>Export format
        <select value={format} onChange={(e) => setFormat(e.target.value as ExportRequest['format'])}>
          <option value="csv">CSV</option><option value="ofx">OFX (booked only)</option><option value="json">JSON</option>
        </select>
      </label>
      <button type="button" onClick={run} disabled={busy}>{busy ? 'Exporting…' : 'Export these transactions'}</button>
      {done ? <span role="status" className="ok-text">{done}</span> : null}
      {error ? <ErrorBox error={error} /> : null}
    </div>
  );
}
