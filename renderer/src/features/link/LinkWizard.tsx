// Linking a bank: aggregator → bank → the bank's own page (or a form, or a wait for approval) → choose accounts.
import { useEffect, useRef, useState } from 'react';
import type { ErrorDto, LinkStepDto, ProviderDto, RequestOf } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useEvent, useQuery } from '../../app/api.js';
import { navigate } from '../../app/router.js';
import { Empty, ErrorBox, Loading, PageHeader } from '../../components/ui.js';
import { addressLabel } from '../../lib/providers.js';
import { useDebounced } from '../transactions/TransactionsPage.js';
import { ChooseAccounts } from './ChooseAccounts.js';
import { CredentialsForm } from './CredentialsForm.js';
import { MatchAccounts } from './MatchAccounts.js';
import { useT } from '../../app/i18n.js';
import { MessageText } from '../../app/message.js';

type ProviderId = RequestOf<'link.begin'>['provider'];

/**
 * A new address (e.g. "renew instead" from the account choice) starts a fresh wizard, and so does each `restartRequest`
 * ("Link a bank" in the sidebar, clicked while the wizard is open). While a sign-in is under way at the aggregator or
 * bank, the wizard asks first, and starting again cancels that sign-in.
 */
export function LinkWizard({ params, restartRequest = 0 }: { params: URLSearchParams; restartRequest?: number }) {
  const t = useT();
  const [generation, setGeneration] = useState(0);
  const [asking, setAsking] = useState(false);
  /** cancels the sign-in under way; null when none is (nothing is lost by starting again) */
  const inFlight = useRef<(() => Promise<unknown>) | null>(null);
  const seen = useRef(restartRequest);
  const restart = () => {
    setAsking(false);
    inFlight.current = null;
    navigate('/link');
    setGeneration((g) => g + 1);
  };
  useEffect(() => {
    if (restartRequest === seen.current) return;
    seen.current = restartRequest;
    if (inFlight.current) setAsking(true); else restart();
  }, [restartRequest]);

  return (
    <>
      {asking ? (
        <div className="confirm" role="alertdialog" aria-labelledby="h-restart-link">
          <p id="h-restart-link">{t('link.restart.ask')}</p>
          <div className="row">
            <button type="button" className="primary" onClick={() => { void inFlight.current?.().catch(() => {}); restart(); }}>{t('link.restart')}</button>
            <button type="button" onClick={() => setAsking(false)}>{t('link.restart.no')}</button>
          </div>
        </div>
      ) : null}
      <Wizard key={`${generation}:${params.toString()}`} params={params} onInFlight={(cancel) => { inFlight.current = cancel; }} />
    </>
  );
}

function Wizard({ params, onInFlight }: { params: URLSearchParams; onInFlight: (cancel: (() => Promise<unknown>) | null) => void }) {
  const providers = useQuery('providers.list');
  const t = useT();
  const renewId = params.get('renew') ? Number(params.get('renew')) : undefined;
  const [provider, setProvider] = useState<ProviderDto | null>(null);
  const [started, setStarted] = useState<{ institutionId?: string } | null>(renewId ? {} : null);
  const wanted = params.get('provider');

  useEffect(() => {
    if (!providers.data || provider) return;
    const configured = providers.data.filter((p) => p.configured);
    const pick = configured.find((p) => p.id === wanted) ?? (configured.length === 1 ? configured[0] : undefined);
    if (pick) setProvider(pick);
  }, [providers.data, provider, wanted]);

  if (providers.error) return <ErrorBox error={providers.error} onRetry={providers.reload} />;
  if (!providers.data) return <Loading />;
  const configured = providers.data.filter((p) => p.configured);

  return (
    <div className="wizard">
      <PageHeader title={renewId ? t('link.renewTitle') : t('nav.linkBank')} />
      <ol className="steps" aria-label={t('link.steps')}>
        <li aria-current={!provider ? 'step' : undefined}>{t('link.step.aggregator')}</li>
        <li aria-current={provider && !started ? 'step' : undefined}>{t('link.step.bank')}</li>
        <li aria-current={started ? 'step' : undefined}>{t('link.step.signIn')}</li>
      </ol>
      {!configured.length ? (
        <Empty title={t('link.noAggregator')}>
          <p>{t('link.noAggregator.text')}</p>
          <a className="button primary" href="#/settings">{t('error.go.settings')}</a>
        </Empty>
      ) : !provider ? (
        <div className="choice-grid">
          {configured.map((p) => (
            <button key={p.id} type="button" className="card choice-button" onClick={() => setProvider(p)}>
              <strong>{p.name}</strong>
              <span className="muted small">{addressLabel(p.baseUrl, t)}</span>
            </button>
          ))}
        </div>
      ) : !started ? (
        <InstitutionPicker provider={provider} onPick={(institutionId) => setStarted({ institutionId })} onBack={() => setProvider(null)} />
      ) : (
        <LinkFlow provider={provider.id as ProviderId} institutionId={started.institutionId} renewConnectionId={renewId} onRestart={() => setStarted(null)} onInFlight={onInFlight} />
      )}
    </div>
  );
}

/** The bank step. An aggregator without a bank list (Everifin: banks are chosen on its own page) gets no search box, only Continue. */
function InstitutionPicker({ provider, onPick, onBack }: { provider: ProviderDto; onPick: (id?: string) => void; onBack: () => void }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 250);
  const list = useQuery('institutions.list', { provider: provider.id as ProviderId, query: q });
  /** null until the unfiltered list has answered */
  const [listless, setListless] = useState<boolean | null>(null);
  useEffect(() => { if (q === '' && !list.loading && list.data) setListless(list.data.length === 0); }, [q, list.loading, list.data]);
  const back = <div className="row"><button type="button" onClick={onBack}>{t('back')}</button></div>;
  const label = t('link.chooseBank');
  if (list.error && listless === null) return <section className="card" aria-label={label}><ErrorBox error={list.error} onRetry={list.reload} />{back}</section>;
  if (listless === null) return <section className="card" aria-label={label}><Loading label={t('link.chooseBank.loading')} />{back}</section>;
  if (listless) {
    return (
      <section className="card stack" aria-label={label}>
        <h2>{t('link.chooseBank.at', { provider: provider.name })}</h2>
        <p>{t('link.chooseBank.onItsPage', { provider: provider.name })}</p>
        <div className="row">
          <button type="button" className="primary" onClick={() => onPick(undefined)} autoFocus>{t('link.chooseBank.continueTo', { provider: provider.name })}</button>
          <button type="button" onClick={onBack}>{t('back')}</button>
        </div>
      </section>
    );
  }
  return (
    <section className="card" aria-label={label}>
      <h2>{t('link.chooseBank.at', { provider: provider.name })}</h2>
      <label htmlFor="bank-search">{t('link.chooseBank.search')}</label>
      <input id="bank-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('link.chooseBank.search.placeholder')} autoFocus />
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : !list.data ? <Loading label={t('link.chooseBank.loading')} /> : !list.data.length ? (
        <p className="muted">{t('link.chooseBank.noMatch', { query: q })}</p>
      ) : (
        <ul className="institutions plain" aria-label={t('link.chooseBank.list')}>
          {list.data.map((i) => (
            <li key={i.id}>
              <button type="button" className="institution" onClick={() => onPick(i.id)}>
                <span className="bank-avatar" aria-hidden="true">{i.name.slice(0, 1)}</span>
                <span>{i.name}</span>
                {i.country ? <span className="muted small">{i.country}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      )}
      {back}
    </section>
  );
}

function LinkFlow({ provider, institutionId, renewConnectionId, onRestart, onInFlight }: {
  provider: ProviderId; institutionId?: string; renewConnectionId?: number; onRestart: () => void; onInFlight: (cancel: (() => Promise<unknown>) | null) => void;
}) {
  const call = useCall();
  const t = useT();
  const [step, setStep] = useState<LinkStepDto | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState(false);
  const begun = useRef(false);

  const fail = (e: unknown) => setError(e instanceof CallError ? e.error : { code: 'internal', message: t('link.failed'), action: t('link.failed.action') });

  useEffect(() => {
    if (begun.current) return; // StrictMode runs effects twice in development
    begun.current = true;
    call('link.begin', { provider, ...(institutionId ? { institutionId } : {}), ...(renewConnectionId ? { renewConnectionId } : {}) }).then(setStep, fail);
  }, []);

  useEvent('link.changed', (s) => { if (step && s.linkId === step.linkId) setStep(s); });

  // a sign-in is under way until the accounts are offered (by then the connection exists and nothing is lost)
  useEffect(() => {
    onInFlight(step && step.kind !== 'done' && !error ? () => call('link.cancel', { linkId: step.linkId }) : null);
  }, [step, error]);
  useEffect(() => () => onInFlight(null), []);

  // a redirect step waits for the browser to come back; a wait step polls as main asks
  useEffect(() => {
    if (!step || (step.kind !== 'wait' && !(step.kind === 'redirect' && opened))) return;
    const delay = step.kind === 'wait' ? Math.max(500, step.pollAfterMs) : 2000;
    const timer = setTimeout(() => { call('link.poll', { linkId: step.linkId }).then(setStep, fail); }, delay);
    return () => clearTimeout(timer);
  }, [step, opened]);

  async function cancel() {
    if (step) await call('link.cancel', { linkId: step.linkId }).catch(() => {});
    navigate('/accounts');
  }

  if (error) return <ErrorBox error={error}><button type="button" onClick={onRestart}>{t('link.restart')}</button></ErrorBox>;
  if (!step) return <Loading label={t('link.preparing')} />;
  switch (step.kind) {
    case 'redirect':
      return (
        <section className="card stack" aria-label={t('link.redirect.label')}>
          <h2>{t('link.redirect.title')}</h2>
          <p>{t('link.redirect.text')}</p>
          <div className="row">
            <button type="button" className="primary" onClick={() => { window.open(step.url, '_blank'); setOpened(true); }}>
              {opened ? t('link.redirect.openAgain') : t('link.redirect.open')}
            </button>
            <button type="button" onClick={cancel}>{t('cancel')}</button>
          </div>
          {step.paste ? <PasteBack linkId={step.linkId} onStep={setStep} onFail={fail} />
            : opened ? <div role="status" className="loading"><span className="spinner" aria-hidden="true" />{t('link.redirect.waiting')}</div> : null}
        </section>
      );
    case 'form':
      return (
        <CredentialsForm
          key={step.fields.map((f) => f.name).join('|') + (step.message ?? '')}
          fields={step.fields} message={step.message} skippable={step.skippable} busy={busy} onCancel={cancel}
          onSubmit={async (values) => {
            setBusy(true);
            try { setStep(await call('link.submit', { linkId: step.linkId, values })); } catch (e) { fail(e); } finally { setBusy(false); }
          }}
        />
      );
    case 'wait':
      return (
        <section className="card stack" aria-label={t('link.wait.label')}>
          <h2>{t('link.wait.title')}</h2>
          <div role="status" className="loading"><span className="spinner" aria-hidden="true" />{step.notice ? <MessageText m={step.notice} /> : step.message}</div>
          <div><button type="button" onClick={cancel}>{t('cancel')}</button></div>
        </section>
      );
    case 'match':
      return <MatchAccounts step={step} onAnswered={setStep} onCancel={cancel} />;
    case 'done':
      return <ChooseAccounts connectionId={step.connectionId} accounts={step.accounts} alreadyLinked={step.alreadyLinked} renewal={renewConnectionId !== undefined} />;
  }
}

/** The bank returns to an HTTPS page of the user's own (Enable Banking): its address is pasted here and sent to main. */
export function PasteBack({ linkId, onStep, onFail }: { linkId: string; onStep: (s: LinkStepDto) => void; onFail: (e: unknown) => void }) {
  const call = useCall();
  const t = useT();
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);
  async function send(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try { onStep(await call('link.submit', { linkId, values: { url } })); } catch (err) {
      // a wrong paste can be corrected; anything else ends the link
      if (err instanceof CallError && err.error.code === 'validation') setProblem(err.error); else onFail(err);
    } finally { setBusy(false); }
  }
  return (
    <form className="stack" onSubmit={send} aria-label={t('link.paste.label')}>
      <label htmlFor="paste-back">{t('link.paste.text')}</label>
      <input id="paste-back" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" autoComplete="off" />
      {problem ? <ErrorBox error={problem} /> : null}
      <div><button type="submit" className="primary" disabled={busy}>{t('continue')}</button></div>
    </form>
  );
}
