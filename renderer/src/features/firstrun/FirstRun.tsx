// First run: try the demo banks, or set up a real aggregator.
import { useState } from 'react';
import type { ErrorDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { navigate } from '../../app/router.js';
import { ErrorBox, Loading, PlainTextOptIn } from '../../components/ui.js';
import { AggregatorForm } from '../settings/AggregatorForm.js';
import { useT } from '../../app/i18n.js';

export function FirstRun({ onSkip }: { onSkip: () => void }) {
  const call = useCall();
  const t = useT();
  const { bump } = useRevision();
  const providers = useQuery('providers.list');
  const [mode, setMode] = useState<'choose' | 'setup'>('choose');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);

  async function startDemo() {
    setBusy(true);
    setError(null);
    try {
      await call('demo.start');
      onSkip();
      navigate('/link');
      bump();
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('firstRun.demo.failed'), action: null });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="first-run" aria-labelledby="welcome">
      <h1 id="welcome">{t('firstRun.welcome')}</h1>
      <p className="lead">{t('firstRun.lead')}</p>
      {mode === 'choose' ? (
        <div className="choice-grid">
          <div className="card choice">
            <h2>{t('firstRun.demo.title')}</h2>
            <p>{t('firstRun.demo.text')}</p>
            <button type="button" className="primary" onClick={startDemo} disabled={busy}>{busy ? t('firstRun.demo.starting') : t('firstRun.demo.start')}</button>
          </div>
          <div className="card choice">
            <h2>{t('firstRun.real.title')}</h2>
            <p>{t('firstRun.real.text')}</p>
            <button type="button" onClick={() => setMode('setup')}>{t('firstRun.real.setup')}</button>
          </div>
        </div>
      ) : providers.error ? <ErrorBox error={providers.error} onRetry={providers.reload} />
        : !providers.data ? <Loading />
        : (
          <div className="stack">
            {!providers.data.length ? <p>{t('firstRun.noAggregators')}</p> : null}
            {providers.data.map((p) => (
              <AggregatorForm key={p.id} provider={p} onSaved={() => { onSkip(); navigate('/link?provider=' + p.id); bump(); }} />
            ))}
            <div><button type="button" onClick={() => setMode('choose')}>{t('back')}</button></div>
          </div>
        )}
      {error?.code === 'secret_storage_unavailable' ? <PlainTextOptIn error={error} retry={startDemo} onError={setError} />
        : error ? <ErrorBox error={error} onRetry={startDemo} /> : null}
    </section>
  );
}
