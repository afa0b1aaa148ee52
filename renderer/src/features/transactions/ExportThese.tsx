// "Export these transactions": the rows the list shows (same search and filters), as CSV, OFX or JSON.
import { useState } from 'react';
import type { RequestOf } from '../../../../preload/contract/channels.js';
import { ErrorBox } from '../../components/ui.js';
import { useExport } from '../export/useExport.js';
import { useT } from '../../app/i18n.js';

type ExportRequest = RequestOf<'export.run'>;

export function ExportThese({ filter }: { filter: Omit<ExportRequest, 'format'> }) {
  const [format, setFormat] = useState<ExportRequest['format']>('csv');
  const { run, busy, done, error } = useExport();
  const t = useT();

  return (
    <div className="filters export-these">
      <label>{t('export.format')}
        <select value={format} onChange={(e) => setFormat(e.target.value as ExportRequest['format'])}>
          <option value="csv">CSV</option><option value="ofx">{t('export.format.ofx')}</option><option value="json">JSON</option>
        </select>
      </label>
      <button type="button" onClick={() => run({ format, ...filter })} disabled={busy}>{busy ? t('export.running') : t('export.these')}</button>
      {done ? <span role="status" className="ok-text">{done}</span> : null}
      {error ? <ErrorBox error={error} /> : null}
    </div>
  );
}
