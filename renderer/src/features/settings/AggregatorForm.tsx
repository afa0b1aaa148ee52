// Set up one aggregator: base URL (its sandbox or production host), client credentials and its own options.
// main makes a test call with them before anything is saved; the secret goes to the vault and never comes back.
import { useState, type FormEvent } from 'react';
import type { ErrorDto, ProviderDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall } from '../../app/api.js';
import { ErrorBox, PlainTextOptIn } from '../../components/ui.js';
import { addressLabel } from '../../lib/providers.js';

/** "pollIntervalMs" -> "Poll interval (ms)", "idpUrl" -> "IdP URL": option names as people read them. */
export function optionLabel(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').split(' ');
  const unit = words.at(-1) === 'Ms' ? ' (ms)' : '';
  const text = (unit ? words.slice(0, -1) : words).map((w) => (/^(url|id|idp|ca|pkce)$/i.test(w) ? w.toUpperCase().replace('IDP', 'IdP') : w.toLowerCase())).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + unit;
}

/** What a person must know to set an aggregator up, beyond its fields. */
export const SETUP_NOTES: Record<string, string> = {
  powens: 'Banks that sign you in on their own page work with the fields above. For banks where you type your bank login '
    + 'into Multibank, Powens requires every value to be end-to-end encrypted with the public key of your Powens API domain: '
    + 'paste that key from the Powens console into Credentials key (a JWK, or a PEM key with its Credentials key ID). '
    + 'Without it, Multibank links such banks only through their own sign-in page, or tells you it cannot.',
  enablebanking: 'Register your own application in the Enable Banking control panel (enablebanking.com/cp): upload the public '
    + 'certificate of an RSA key you made, and list an https:// redirect URL (any page you control; it only has to show the address). '
    + 'For personal use a production application in restricted mode works once you link your own accounts there. Enter the '
    + 'application ID, paste the whole private key (PEM, it stays sealed on this computer and signs each request), and the same '
    + 'redirect URL. When you link a bank, your browser ends on that page: copy its address from the address bar and paste it into Multibank.',
};

/** Aggregators whose client credentials go by other names. */
const CREDENTIAL_LABELS: Record<string, { clientId: string; clientSecret: string }> = {
  enablebanking: { clientId: 'Application ID', clientSecret: 'Private key (PEM)' },
};

export function AggregatorForm({ provider, onSaved }: { provider: ProviderDto; onSaved?: (p: ProviderDto) => void }) {
  const call = useCall();
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
      setError(err instanceof CallError ? err.error : { code: 'internal', message: 'Could not save.', action: null });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-label={`${provider.name} settings`}>
      <h3>{provider.name} {provider.configured ? <span className="badge badge-ok">Configured</span> : null}</h3>
      {provider.configured ? <p className="small muted">{addressLabel(provider.baseUrl)}</p> : null}
      {SETUP_NOTES[provider.id] ? <p className="small muted">{SETUP_NOTES[provider.id]}</p> : null}
      <label htmlFor={`${id}-url`}>Base URL (the aggregator's sandbox or production address)</label>
      <input id={`${id}-url`} type="url" required value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://…" />
      <label htmlFor={`${id}-client`}>{CREDENTIAL_LABELS[provider.id]?.clientId ?? 'Client ID'}</label>
      <input id={`${id}-client`} required value={clientId} onChange={(e) => setClientId(e.target.value)} autoComplete="off" />
      <label htmlFor={`${id}-secret`}>{CREDENTIAL_LABELS[provider.id]?.clientSecret ?? 'Client secret'}{provider.configured ? ' (leave empty to keep the stored one; a new address needs it again)' : ''}</label>
      <input id={`${id}-secret`} type="password" required={!provider.configured} value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} autoComplete="new-password" />
      {provider.optionNames.map((name) => (
        <div key={name} className="field">
          <label htmlFor={`${id}-opt-${name}`}>{optionLabel(name)}</label>
          <input
            id={`${id}-opt-${name}`} type={/secret|passphrase|password/i.test(name) ? 'password' : 'text'} autoComplete="off"
            value={options[name] ?? ''} onChange={(e) => setOptions({ ...options, [name]: e.target.value })}
          />
        </div>
      ))}
      {error?.code === 'secret_storage_unavailable' ? <PlainTextOptIn error={error} retry={save} onError={setError} />
        : error ? <ErrorBox error={error} /> : null}
      {saved ? <p role="status" className="ok-text">Checked with {provider.name} and saved.</p> : null}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Checking…' : 'Test and save'}</button>
      </div>
    </form>
  );
}
