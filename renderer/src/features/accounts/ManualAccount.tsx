// Manual accounts: accounts of a bank no aggregator covers, filled only from statement files. The import dialog
// creates one when the file's account is not known; the account page deletes one (with everything imported into it).
import { useState, type FormEvent } from 'react';
import type { AccountDto } from '../../../../preload/contract/channels.js';
import type { NewManualAccount } from '../../../../preload/contract/imports.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { ErrorBox } from '../../components/ui.js';
import { useT } from '../../app/i18n.js';

/** the provider id of the connection that holds a manual account (main/store/repositories.ts MANUAL_PROVIDER) */
export const MANUAL_PROVIDER = 'manual';

/** where a file goes: an account here, a new manual account, or (neither) the account the file names */
export interface ImportTarget { accountId?: number; newAccount?: NewManualAccount }

/** The file's account is not known (no IBAN, or one no account here has): pick an account, or create a manual one. */
export function ChooseImportAccount({ reason, busy, onChoose, onCancel }: {
  reason: string; busy: boolean; onChoose: (t: ImportTarget) => void; onCancel: () => void;
}) {
  const accounts = useQuery('accounts.list');
  const t = useT();
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [accountId, setAccountId] = useState('');
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState('');
  const [iban, setIban] = useState('');
  const [bankName, setBankName] = useState('');
  const choices = (accounts.data ?? []).filter((a) => a.selected);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'existing') { onChoose({ accountId: Number(accountId) }); return; }
    onChoose({ newAccount: {
      name: name.trim(), ...(currency.trim() ? { currency: currency.trim().toUpperCase() } : {}),
      ...(iban.trim() ? { iban: iban.trim() } : {}), ...(bankName.trim() ? { bankName: bankName.trim() } : {}),
    } });
  };
  return (
    <form className="choose-import-account" aria-label={t('manual.form')} onSubmit={submit}>
      <p className="small">{reason}</p>
      <fieldset>
        <legend>{t('manual.into')}</legend>
        <label><input type="radio" name="import-into" checked={mode === 'new'} onChange={() => setMode('new')} /> {t('manual.into.new')}</label>
        <label><input type="radio" name="import-into" checked={mode === 'existing'} disabled={!choices.length} onChange={() => setMode('existing')} /> {t('manual.into.existing')}</label>
      </fieldset>
      {mode === 'existing' ? (
        <label>
          {t('manual.account')}
          <select value={accountId} onChange={(e) => setAccountId(e.target.value)} required>
            <option value="">{t('manual.account.choose')}</option>
            {choices.map((a) => <option key={a.id} value={a.id}>{a.name} · {a.bankName} · {a.currency}</option>)}
          </select>
        </label>
      ) : (
        <>
          <label>{t('manual.name')}<input value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} /></label>
          <label>{t('manual.currency')} <span className="muted small">{t('manual.currency.hint')}</span>
            <input value={currency} maxLength={3} pattern="[A-Za-z]{3}" title={t('currency.code.title')} onChange={(e) => setCurrency(e.target.value)} />
          </label>
          <label>{t('manual.iban')} <span className="muted small">{t('manual.iban.hint')}</span><input value={iban} maxLength={42} onChange={(e) => setIban(e.target.value)} /></label>
          <label>{t('manual.bank')} <span className="muted small">{t('optional')}</span><input value={bankName} maxLength={100} onChange={(e) => setBankName(e.target.value)} /></label>
        </>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('manual.preview')}</button>
        <button type="button" disabled={busy} onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}

/** "Delete this account" on a manual account's page, after a confirmation; then back to the accounts list. */
export function DeleteManualAccount({ account }: { account: AccountDto }) {
  const call = useCall();
  const t = useT();
  const { bump } = useRevision();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  if (account.provider !== MANUAL_PROVIDER) return null;
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('import.removeManualAccount', { accountId: account.id });
      window.location.hash = '#/accounts';
      bump();
    } catch (e) {
      setError(e instanceof CallError ? e : new CallError({ code: 'internal', message: t('manual.delete.failed'), action: t('tryAgain') }));
      setBusy(false);
    }
  };
  if (!asking) return <button type="button" className="ghost" onClick={() => setAsking(true)}>{t('manual.delete')}</button>;
  return (
    <div className="confirm card" role="group" aria-label={t('manual.deleteOne', { name: account.name })}>
      <p>{t('manual.delete.confirm', { name: account.name })}</p>
      {error ? <ErrorBox error={error.error} /> : null}
      <div className="row">
        <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>{t('manual.deleteOne', { name: account.name })}</button>
        <button type="button" className="ghost" disabled={busy} onClick={() => setAsking(false)}>{t('keepIt')}</button>
      </div>
    </div>
  );
}
