// The app lock in the renderer (issue 22). While main says "locked", only the lock screen is rendered: the app's
// screens are unmounted, so every query result, account name and amount they held is dropped with them. The idle
// timer (Settings: off, 1, 5, 15, 60 minutes without input) asks main to lock.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ErrorDto } from '../../../../preload/contract/channels.js';
import type { LockStatusDto } from '../../../../preload/contract/lock.js';
import { useApi } from '../../app/api.js';
import { ErrorBox, Loading } from '../../components/ui.js';
import { I18nProvider, PSEUDO, pseudoRequested, useT } from '../../app/i18n.js';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

export function LockGate({ children }: { children: ReactNode }) {
  const api = useApi();
  const [status, setStatus] = useState<LockStatusDto | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);

  useEffect(() => {
    let live = true;
    const refresh = () => void api.call('lock.status').then((r) => { if (!live) return; if (r.ok) setStatus(r.value); else setError(r.error); });
    refresh();
    const off = api.on('lock.changed', refresh);
    return () => { live = false; off(); };
  }, [api]);

  const minutes = status && !status.locked ? status.lockAfterMinutes : 0;
  useEffect(() => {
    if (!minutes) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => { clearTimeout(timer); timer = setTimeout(() => void api.call('lock.lock'), minutes * 60_000); };
    for (const e of ACTIVITY) window.addEventListener(e, arm, { passive: true });
    arm();
    return () => { clearTimeout(timer); for (const e of ACTIVITY) window.removeEventListener(e, arm); };
  }, [api, minutes]);

  if (error && !status) return <main className="standalone"><ErrorBox error={error} /></main>;
  if (!status) return <Loading />;
  // main refuses the preferences while locked, but says the chosen language: the lock screen speaks it
  if (status.locked) return <I18nProvider language={pseudoRequested() ? PSEUDO : status.language}><LockScreen status={status} onChange={setStatus} /></I18nProvider>;
  return <>{children}</>;
}

function LockScreen({ status, onChange }: { status: LockStatusDto; onChange: (s: LockStatusDto) => void }) {
  const api = useApi();
  const t = useT();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);
  const choosing = status.unlockWith === 'new_passphrase';
  useEffect(() => { document.documentElement.lang = status.language; }, [status.language]);
  async function unlock(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (choosing && passphrase !== again) {
      setError({ code: 'validation', message: t('lock.mismatch'), action: t('lock.mismatch.action') });
      return;
    }
    setBusy(true);
    const r = await api.call('lock.unlock', status.unlockWith === 'click' ? {} : { passphrase });
    setBusy(false);
    setPassphrase('');
    setAgain('');
    if (r.ok) onChange(r.value); else setError(r.error);
  }
  return (
    <main className="standalone" aria-labelledby="h-locked">
      <section className="card form">
        <h1 id="h-locked">{t('lock.title')}</h1>
        <form onSubmit={(e) => void unlock(e)} aria-label={t('lock.form')}>
          {choosing ? (
            <p className="small">{t('lock.choose.hint')}</p>
          ) : null}
          {status.unlockWith !== 'click' ? (
            <>
              <label htmlFor="unlock-passphrase">{choosing ? t('lock.choose.label') : t('lock.passphrase.label')}</label>
              <input id="unlock-passphrase" type="password" autoComplete={choosing ? 'new-password' : 'current-password'} autoFocus value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
            </>
          ) : <p className="small">{t('lock.keyring.hint')}</p>}
          {choosing ? (
            <>
              <label htmlFor="unlock-again">{t('lock.again.label')}</label>
              <input id="unlock-again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
            </>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>{choosing ? t('lock.submit.choose') : t('lock.submit.unlock')}</button>
        </form>
        {error ? <ErrorBox error={error} /> : null}
      </section>
    </main>
  );
}

/** Settings: lock after how long without input, and lock now. */
export function LockSettings({ value, onChange }: { value: LockStatusDto['lockAfterMinutes']; onChange: (m: LockStatusDto['lockAfterMinutes']) => void }) {
  const api = useApi();
  const t = useT();
  return (
    <>
      <h3>{t('settings.lock.title')}</h3>
      <label htmlFor="lock-after">{t('settings.lock.after')}</label>
      <select id="lock-after" value={value} onChange={(e) => onChange(Number(e.target.value) as LockStatusDto['lockAfterMinutes'])}>
        {([0, 1, 5, 15, 60] as const).map((m) => <option key={m} value={m}>{m === 0 ? t('settings.lock.never') : t('settings.lock.minutes', { minutes: m })}</option>)}
      </select>
      <p className="small muted">{t('settings.lock.note')}</p>
      <button type="button" onClick={() => void api.call('lock.lock')}>{t('settings.lock.now')}</button>
    </>
  );
}
