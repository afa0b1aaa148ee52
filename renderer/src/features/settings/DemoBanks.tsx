// Settings → Demo banks: whether the local demo banks run (and where), start them, stop them.
import { useState } from 'react';
import type { DemoStatusDto, ErrorDto, ProviderDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useEvent, useQuery, useRevision } from '../../app/api.js';
import { ErrorBox, PlainTextOptIn } from '../../components/ui.js';
import { useT } from '../../app/i18n.js';
import { MessageText } from '../../app/message.js';

export function DemoBanks({ providers }: { providers: ProviderDto[] | undefined }) {
  const call = useCall();
  const t = useT();
  const { bump } = useRevision();
  const status = useQuery('demo.status');
  const [live, setLive] = useState<DemoStatusDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  useEvent('demo.changed', setLive);
  const s = live ?? status.data;

  async function act(channel: 'demo.start' | 'demo.stop') {
    setBusy(true);
    setError(null);
    try {
      await call(channel);
      setLive(null);
      bump(); // the aggregators' addresses and the "Demo" badge
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('demo.noAnswer'), action: null });
    } finally {
      setBusy(false);
    }
  }
  const start = () => act('demo.start');
  const name = (id: string) => providers?.find((p) => p.id === id)?.name ?? id;

  return (
    <section className="card form" aria-labelledby="h-demo">
      <h2 id="h-demo">{t('demo.title')}</h2>
      {status.error ? <ErrorBox error={status.error} onRetry={status.reload} /> : !s ? null : (
        <>
          <p role="status">{t(`demo.state.${s.state satisfies DemoStatusDto['state']}`)}{s.notice && <> <MessageText m={s.notice} /></>}</p>
          {s.state === 'running' && s.providers.length ? (
            <ul className="plain small" aria-label={t('demo.aggregators')}>
              {s.providers.map((p) => <li key={p.id}>{name(p.id)} <code className="mono">{p.baseUrl}</code></li>)}
            </ul>
          ) : null}
          <div className="row">
            {s.state === 'running' ? <button type="button" onClick={() => act('demo.stop')} disabled={busy}>{busy ? t('demo.stopping') : t('demo.stop')}</button>
              : <button type="button" className="primary" onClick={start} disabled={busy || s.state === 'starting'}>{busy || s.state === 'starting' ? t('firstRun.demo.starting') : t('demo.start')}</button>}
          </div>
        </>
      )}
      {error?.code === 'secret_storage_unavailable' ? <PlainTextOptIn error={error} retry={start} onError={setError} />
        : error ? <ErrorBox error={error} /> : null}
    </section>
  );
}
