// One export action for the Export page and the transactions list: main builds the file, the browser saves it,
// and the caller shows busy / saved / error.
import { useState } from 'react';
import type { ErrorDto, RequestOf } from '../../../../preload/contract/channels.js';
import { CallError, useCall } from '../../app/api.js';
import { saveFile } from '../../lib/files.js';

export function useExport() {
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);

  async function run(request: RequestOf<'export.run'>) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await call('export.run', request);
      saveFile(r.filename, r.mime, r.content);
      setDone(`Saved ${r.filename} with ${r.rows} transaction${r.rows === 1 ? '' : 's'}.`);
    } catch (err) {
      setError(err instanceof CallError ? err.error : { code: 'internal', message: 'Export failed.', action: null });
    } finally {
      setBusy(false);
    }
  }

  return { run, busy, done, error };
}
