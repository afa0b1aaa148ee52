// The app in the user's language: Settings switches it at once (stored by main), money and dates follow the language
// unless a format locale of its own is chosen, and each language formats money and dates its own way.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Channel, MultibankApi, PrefsDto, Result } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { DisplayProvider, localeOfLanguage } from '../../../renderer/src/app/prefs.js';
import { SettingsPage } from '../../../renderer/src/features/settings/SettingsPage.js';
import { Money, DateText } from '../../../renderer/src/components/ui.js';
import { formatMoney } from '../../../renderer/src/lib/money.js';
import { formatDate } from '../../../renderer/src/lib/time.js';

afterEach(() => { cleanup(); localStorage.clear(); });

const PREFS: PrefsDto = { language: 'en', theme: 'system', syncEveryHours: 6, consentLeadDays: 7, allowPlainTextSecrets: false, baseCurrency: 'EUR', lockAfterMinutes: 15 };

/** main as far as Settings needs it: preferences kept in memory, every prefs.set recorded */
function fakeMain() {
  let prefs = { ...PREFS };
  const sets: unknown[] = [];
  const answers: Partial<Record<Channel, () => unknown>> = {
    'prefs.get': () => prefs,
    'prefs.set': () => prefs,
    'app.info': () => ({ version: '0.1.0', demo: false, secretStorage: { available: true, plainText: false, optedIn: false } }),
    'providers.list': () => [],
    'demo.status': () => ({ state: 'off', problem: null, notice: null, providers: [] }),
    'backup.list': () => [],
    'connections.list': () => [],
    'accounts.list': () => [],
  };
  const api: MultibankApi = {
    async call(channel, request) {
      if (channel === 'prefs.set') { sets.push(request); prefs = { ...prefs, ...(request as Partial<PrefsDto>) }; }
      return { ok: true, value: answers[channel]?.() ?? null } as Result<never>;
    },
    on: () => () => {},
  };
  return { api, sets };
}

describe('choosing the language', () => {
  it('Settings switches every word at once and asks main to store the choice', async () => {
    const main = fakeMain();
    render(
      <ApiProvider api={main.api}>
        <DisplayProvider initialTheme="system" initialLanguage="en">
          <SettingsPage />
          <Money minor={123456} currency="EUR" />
        </DisplayProvider>
      </ApiProvider>,
    );
    await screen.findByRole('heading', { name: 'Settings' });
    expect(screen.getByText('€1,234.56')).toBeTruthy();
    // each language is offered in its own name
    const select = screen.getByLabelText('Language') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['English', 'Deutsch', 'Français', 'Slovenčina', 'Polski']);

    fireEvent.change(select, { target: { value: 'de' } });
    await screen.findByRole('heading', { name: 'Einstellungen' });
    expect(screen.getByRole('heading', { name: 'Darstellung' })).toBeTruthy();
    expect(screen.getByText('1.234,56 €')).toBeTruthy(); // money follows the language
    expect(main.sets).toEqual([{ language: 'de' }]);
    expect(document.documentElement.lang).toBe('de');

    fireEvent.change(screen.getByLabelText('Sprache'), { target: { value: 'pl' } });
    await screen.findByRole('heading', { name: 'Ustawienia' });
    expect(screen.getByText('1234,56 €')).toBeTruthy();
  });

  it('a format locale chosen apart from the language wins over it', async () => {
    const main = fakeMain();
    render(
      <ApiProvider api={main.api}>
        <DisplayProvider initialTheme="system" initialLanguage="fr">
          <SettingsPage />
          <Money minor={123456} currency="EUR" />
        </DisplayProvider>
      </ApiProvider>,
    );
    await screen.findByRole('heading', { name: 'Paramètres' });
    expect(screen.getByText('1 234,56 €')).toBeTruthy(); // the queries see narrow and no-break spaces as spaces
    fireEvent.change(screen.getByLabelText('Format des montants et des dates'), { target: { value: 'de-DE' } });
    await waitFor(() => expect(screen.getByText('1.234,56 €')).toBeTruthy());
    expect(screen.getByRole('heading', { name: 'Paramètres' })).toBeTruthy(); // the words stay French
    expect(main.sets).toEqual([]); // the format locale stays in this browser profile
  });

  it('the language\'s locale is the user\'s own regional variant when the browser lists one', () => {
    expect(localeOfLanguage('de', ['de-AT', 'en-GB'])).toBe('de-AT');
    expect(localeOfLanguage('fr', ['de-DE', 'fr_CH'])).toBe('fr_CH');
    expect(localeOfLanguage('pl', ['en-US'])).toBe('pl');
  });
});

describe('money and dates per language', () => {
  it('groups and marks decimals as each language does', () => {
    // (\u00a0 no-break space, \u202f narrow no-break space: what the locales put between digits and before the symbol)
    expect(formatMoney(123456, 'EUR', { locale: 'de' })).toBe('1.234,56\u00a0€');
    expect(formatMoney(123456, 'EUR', { locale: 'fr' })).toBe('1\u202f234,56\u00a0€');
    expect(formatMoney(123456, 'EUR', { locale: 'sk' })).toBe('1\u00a0234,56\u00a0€');
    expect(formatMoney(123456, 'EUR', { locale: 'pl' })).toBe('1234,56\u00a0€'); // Polish groups from five digits on
    expect(formatMoney(-123456789, 'PLN', { locale: 'pl' })).toBe('-1\u00a0234\u00a0567,89\u00a0zł');
    expect(formatMoney(123456, 'EUR', { locale: 'en' })).toBe('€1,234.56');
    expect(formatMoney(-5000, 'EUR', { locale: 'de', signed: true })).toBe('-50,00\u00a0€');
  });

  it('writes a date as each language does', () => {
    expect(formatDate('2026-03-31', 'de')).toBe('31.03.2026');
    expect(formatDate('2026-03-31', 'fr')).toBe('31 mars 2026');
    expect(formatDate('2026-03-31', 'sk')).toBe('31. 3. 2026');
    expect(formatDate('2026-03-31', 'pl')).toBe('31 mar 2026');
    expect(formatDate('2026-03-31', 'en')).toBe('Mar 31, 2026');
  });

  it('the components format in the shown language', () => {
    render(<DisplayProvider initialTheme="system" initialLanguage="sk"><DateText date="2026-12-24" /> <Money minor={-999} currency="CZK" signed /></DisplayProvider>);
    expect(screen.getByText('24. 12. 2026')).toBeTruthy();
    expect(screen.getByText('-9,99 Kč')).toBeTruthy();
  });
});
