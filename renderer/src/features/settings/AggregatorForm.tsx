// Set up one aggregator: base URL (its sandbox or production host), client credentials and its own options.
// main makes a test call with them before anything is saved; the secret goes to the vault and never comes back.
import { useState, type FormEvent } from 'react';
import type { ErrorDto, ProviderDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall } from '../../app/api.js';
import { ErrorBox, PlainTextOptIn } from '../../components/ui.js';
import { addressLabel } from '../../lib/providers.js';
import { useIntl } from 'react-intl';
import { useT } from '../../app/i18n.js';

/** "pollIntervalMs" -> "Poll interval (ms)", "idpUrl" -> "IdP URL": option names as people read them. */
export function optionLabel(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').split(' ');
  const unit = words.at(-1) === 'Ms' ? ' (ms)' : '';
  const text = (unit ? words.slice(0, -1) : words).map((w) => (/^(url|id|idp|ca|pkce)$/i.test(w) ? w.toUpperCase().replace('IDP', 'IdP') : w.toLowerCase())).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + unit;
}

/** Aggregators with something a person must know to set them up, beyond their fields (the catalogue's aggregator.notes.<id>). */
const SETUP_NOTES = new Set(['powens', 'enablebanking']);

/** Aggregators whose client credentials go by other names (the catalogue's aggregator.<id>.clientId / .clientSecret). */
const OWN_CREDENTIAL_LABELS = new Set(['enablebanking']);

export function AggregatorForm({ provider, onSaved }: { provider: ProviderDto; onSaved?: (p: ProviderDto) => void }) {
  const call = useCall();
  const t = useT();
  const { messages } = useIntl();
  /** an option's label from the catalogue, else made from its name (an option added later) */
  const optionText = (name: string) => (messages[`aggregator.option.${name}`] ? t(`aggregator.option.${name}`) : optionLabel(name));
  const credentials = OWN_CREDENTIAL_LABELS.has(provider.id) ? `aggregator.${provider.id}` : 'aggregator';
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl ?? '');
  const [clientId, setClientId] = useState(provider.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [options, setOptions] = useState<Record<string, string>>(() => ({ ...provider.options }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [saved, setSaved] = useState(false);
  const id = `agg-${provider.id}`;

  function submit(e: FormEvent) {
    e.preventDefault();
    void save();
  }

  async function save() {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const opts = Object.fromEntries(Object.entries(options).filter(([, v]) => v.trim() !== ''));
      const p = await call('providers.configure', {
        provider: provider.id as 'powens', baseUrl: baseUrl.trim(), clientId: clientId.trim(),
        ...(clientSecret ? { clientSecret } : {}), options: opts,
      });
      setClientSecret('');
      setSaved(true);
      onSaved?.(p);
    } catch (err) {
      setError(err instanceof CallError ? err.error : { code: 'internal', message: t('save.failed'), action: null });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-label={t('aggregator.form', { provider: provider.name })}>
      <h3>{provider.name} {provider.configured ? <span className="badge badge-ok">{t('aggregator.configured')}</span> : null}</h3>
      {provider.configured ? <p className="small muted">{addressLabel(provider.baseUrl, t)}</p> : null}
      {SETUP_NOTES.has(provider.id) ? <p className="small muted">{t(`aggregator.notes.${provider.id}`)}</p> : null}
      <label htmlFor={`${id}-url`}>{t('aggregator.baseUrl')}</label>
      <input id={`${id}-url`} type="url" required value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://…" />
      <label htmlFor={`${id}-client`}>{t(`${credentials}.clientId`)}</label>
      <input id={`${id}-client`} required value={clientId} onChange={(e) => setClientId(e.target.value)} autoComplete="off" />
      <label htmlFor={`${id}-secret`}>{t(`${credentials}.clientSecret`)}{provider.configured ? ` ${t('aggregator.secret.keep')}` : ''}</label>
      <input id={`${id}-secret`} type="password" required={!provider.configured} value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} autoComplete="new-password" />
      {provider.optionNames.map((name) => (
        <div key={name} className="field">
          <label htmlFor={`${id}-opt-${name}`}>{optionText(name)}</label>
          <input
            id={`${id}-opt-${name}`} type={/secret|passphrase|password/i.test(name) ? 'password' : 'text'} autoComplete="off"
            value={options[name] ?? ''} onChange={(e) => setOptions({ ...options, [name]: e.target.value })}
          />
        </div>
      ))}
      {error?.code === 'secret_storage_unavailable' ? <PlainTextOptIn error={error} retry={save} onError={setError} />
        : error ? <ErrorBox error={error} /> : null}
      {saved ? <p role="status" className="ok-text">{t('aggregator.saved', { provider: provider.name })}</p> : null}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>{busy ? t('aggregator.checking') : t('aggregator.save')}</button>
      </div>
    </form>
  );
}
