// First run: try the demo banks, or set up a real aggregator.
import { useState } from 'react';
import type { ErrorDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { navigate } from '../../app/router.js';
import { ErrorBox, Loading, PlainTextOptIn } from '../../components/ui.js';
import { AggregatorForm } from '../settings/AggregatorForm.js';

export function FirstRun({ onSkip }: { onSkip: () => void }) {
  const call = useCall();
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
      setError(e instanceof CallError ? e.error : { code: 'internal', message: 'The demo banks did not start.', action: null });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="first-run" aria-labelledby="welcome">
      <h1 id="welcome">Welcome to Multibank</h1>
      <p className="lead">All your bank accounts in one calm place, stored on this computer and browsable offline.</p>
      {mode === 'choose' ? (
        <div className="choice-grid">
          <div className="card choice">
            <h2>Try it with demo banks</h2>
            <p>Local demo banks with a few years of realistic history. Nothing leaves this computer.</p>
            <button type="button" className="primary" onClick={startDemo} disabled={busy}>{busy ? 'Starting demo banks…' : 'Try with demo banks'}</button>
          </div>
          <div className="card choice">
            <h2>Connect your real banks</h2>
            <p>Use your own account at Powens, finAPI, Everifin, Banqware or Enable Banking to reach your banks through open banking.</p>
            <button type="button" onClick={() => setMode('setup')}>Set up an aggregator</button>
          </div>
        </div>
      ) : providers.error ? <ErrorBox error={providers.error} onRetry={providers.reload} />
        : !providers.data ? <Loading />
        : (
          <div className="stack">
            {!providers.data.length ? <p>No aggregators are available in this build.</p> : null}
            {providers.data.map((p) => (
              <AggregatorForm key={p.id} provider={p} onSaved={() => { onSkip(); navigate('/link?provider=' + p.id); bump(); }} />
            ))}
            <div><button type="button" onClick={() => setMode('choose')}>Back</button></div>
          </div>
        )}
      {error?.code === 'secret_storage_unavailable' ? <PlainTextOptIn error={error} retry={startDemo} onError={setError} />
        : error ? <ErrorBox error={error} onRetry={startDemo} /> : null}
    </section>
  );
}
