// Settings: appearance, locale, sync schedule, consent notice lead time, secret storage, aggregators.
import { useEffect, useState } from 'react';
import type { ErrorDto, PrefsDto, RequestOf } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery } from '../../app/api.js';
import { useDisplay, type Theme } from '../../app/prefs.js';
import { ErrorBox, Loading, PageHeader } from '../../components/ui.js';
import { formatMoney } from '../../lib/money.js';
import { formatDate } from '../../lib/time.js';
import { useT } from '../../app/i18n.js';
import { FormattedMessage } from 'react-intl';
import { catalogue, LANGUAGES, type Language } from '../../../../locales/index.js';
import { AggregatorForm } from './AggregatorForm.js';
import { Backups, ResetSecrets } from './Backups.js';
import { BaseCurrency } from './BaseCurrency.js';
import { DemoBanks } from './DemoBanks.js';
import { DeleteAllData } from './DeleteAllData.js';
import { LockSettings } from '../lock/LockGate.js';

const LOCALES = ['', 'en-GB', 'en-US', 'de-DE', 'fr-FR', 'sk-SK', 'cs-CZ', 'pl-PL', 'hu-HU'];

export function SettingsPage() {
  const call = useCall();
  const t = useT();
  const display = useDisplay();
  const prefs = useQuery('prefs.get');
  const info = useQuery('app.info');
  const providers = useQuery('providers.list');
  const [current, setCurrent] = useState<PrefsDto | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => { if (prefs.data) setCurrent(prefs.data); }, [prefs.data]);

  async function update(patch: RequestOf<'prefs.set'>) {
    setError(null);
    setSaved(false);
    const previous = current;
    if (current) setCurrent({ ...current, ...patch }); // show the choice at once; main confirms or we roll back
    if (patch.theme) display.setTheme(patch.theme);
    if (patch.language) display.setLanguage(patch.language);
    try {
      const next = await call('prefs.set', patch);
      setCurrent(next);
      if (patch.theme) display.setTheme(next.theme);
      if (patch.language) display.setLanguage(next.language);
      setSaved(true);
    } catch (e) {
      setCurrent(previous);
      if (previous) { display.setTheme(previous.theme); display.setLanguage(previous.language); }
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('settings.saveFailed'), action: null });
    }
  }

  if (prefs.error) return <ErrorBox error={prefs.error} onRetry={prefs.reload} />;
  if (!current) return <Loading />;
  const secrets = info.data?.secretStorage;
  return (
    <>
      <PageHeader title={t('nav.settings')}>{saved ? <span role="status" className="ok-text">{t('saved')}</span> : null}</PageHeader>
      {error ? <ErrorBox error={error} /> : null}
      <div className="two-col">
        <section className="card form" aria-labelledby="h-look">
          <h2 id="h-look">{t('settings.appearance')}</h2>
          <fieldset className="plain">
            <legend>{t('settings.theme')}</legend>
            <div className="row">
              {(['system', 'light', 'dark'] as Theme[]).map((theme) => (
                <label key={theme} className="check">
                  <input type="radio" name="theme" value={theme} checked={current.theme === theme} onChange={() => update({ theme })} /> {t(`settings.theme.${theme}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <label htmlFor="language">{t('settings.language')}</label>
          <select id="language" value={current.language} onChange={(e) => update({ language: e.target.value as Language })}>
            {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{catalogue(l)['language.name']}</option>)}
          </select>
          <label htmlFor="locale">{t('settings.formatLocale')}</label>
          <select id="locale" value={display.formatLocale ?? ''} onChange={(e) => display.setFormatLocale(e.target.value || undefined)}>
            {LOCALES.map((l) => <option key={l} value={l}>{l ? new Intl.DisplayNames([l], { type: 'language' }).of(l) + ` (${l})` : t('settings.formatLocale.followLanguage')}</option>)}
          </select>
          <p className="muted small">{t('settings.example')} {formatMoney(123456789, 'EUR', { locale: display.locale })} · {formatMoney(1234567, 'JPY', { locale: display.locale })} · {formatMoney(1234567, 'BHD', { locale: display.locale })} · {formatDate('2026-03-31', display.locale)}</p>
          <BaseCurrency value={current.baseCurrency} onChange={(baseCurrency) => update({ baseCurrency })} />
        </section>
        <section className="card form" aria-labelledby="h-sync">
          <h2 id="h-sync">{t('settings.sync')}</h2>
          <label htmlFor="sync-every">{t('settings.syncEvery')}</label>
          <select id="sync-every" value={current.syncEveryHours} onChange={(e) => update({ syncEveryHours: Number(e.target.value) })}>
            {[1, 2, 4, 6, 12, 24, 48, 168].map((h) => <option key={h} value={h}>{h < 24 ? t('settings.hours', { count: h }) : t('settings.days', { count: h / 24 })}</option>)}
          </select>
          <label htmlFor="lead-days">{t('settings.leadDays')}</label>
          <input id="lead-days" type="number" min={1} max={60} value={current.consentLeadDays}
            onChange={(e) => { const n = Number(e.target.value); if (n >= 1 && n <= 60) void update({ consentLeadDays: n }); }} />
          {secrets ? (
            <>
              <h3>{t('settings.secrets')}</h3>
              <p className="small">
                {!secrets.available ? t('settings.secrets.unavailable') : secrets.plainText ? t('settings.secrets.plain') : t('settings.secrets.ok')}
              </p>
              {secrets.plainText ? (
                <label className="check">
                  <input type="checkbox" checked={current.allowPlainTextSecrets} onChange={(e) => update({ allowPlainTextSecrets: e.target.checked })} />
                  {t('settings.secrets.allow')}
                </label>
              ) : null}
              {info.data?.vaultLocked ? <ResetSecrets reason={info.data.vaultLocked} /> : null}
            </>
          ) : null}
          <LockSettings value={current.lockAfterMinutes} onChange={(lockAfterMinutes) => update({ lockAfterMinutes })} />
          {info.data?.dataDir ? (
            <>
              <h3>{t('settings.data')}</h3>
              <p className="small"><FormattedMessage id="settings.data.where" values={{ dir: <code className="mono">{info.data.dataDir}</code> }} /></p>
            </>
          ) : null}
          {info.data ? <p className="muted small">{t('settings.version', { version: info.data.version })}</p> : null}
        </section>
      </div>
      <DemoBanks providers={providers.data} />
      <Backups database={info.data?.database} />
      <DeleteAllData />
      <section aria-labelledby="h-aggs" className="stack">
        <h2 id="h-aggs">{t('settings.aggregators')}</h2>
        {providers.error ? <ErrorBox error={providers.error} onRetry={providers.reload} /> : !providers.data ? <Loading /> : (
          <div className="two-col">{providers.data.map((p) => <AggregatorForm key={p.id + (p.configured ? '1' : '0')} provider={p} />)}</div>
        )}
      </section>
    </>
  );
}
