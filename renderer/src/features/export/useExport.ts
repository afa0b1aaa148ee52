// One export action for the Export page and the transactions list: main builds the file, the browser saves it,
// and the caller shows busy / saved / error.
import { useState } from 'react';
import type { ErrorDto, RequestOf } from '../../../../preload/contract/channels.js';
import { CallError, useCall } from '../../app/api.js';
import { saveFile } from '../../lib/files.js';
import { useT } from '../../app/i18n.js';

export function useExport() {
  const call = useCall();
  const t = useT();
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
      setDone(t('export.done', { file: r.filename, count: r.rows }));
    } catch (err) {
      setError(err instanceof CallError ? err.error : { code: 'internal', message: t('export.failed'), action: null });
    } finally {
      setBusy(false);
    }
  }

  return { run, busy, done, error };
}
