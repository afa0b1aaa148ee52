// The base currency (issue 19): net worth and every account are also shown in it, at the ECB's reference rates, so
// the choice is the euro or a currency the ECB publishes a rate for.
const CURRENCIES = ['EUR', 'USD', 'JPY', 'CZK', 'DKK', 'GBP', 'HUF', 'PLN', 'RON', 'SEK', 'CHF', 'ISK', 'NOK', 'TRY', 'AUD', 'BRL', 'CAD',
  'CNY', 'HKD', 'IDR', 'ILS', 'INR', 'KRW', 'MXN', 'MYR', 'NZD', 'PHP', 'SGD', 'THB', 'ZAR'];
import { useT } from '../../app/i18n.js';
import { useDisplay } from '../../app/prefs.js';

export function BaseCurrency({ value, onChange }: { value: string; onChange: (currency: string) => void }) {
  const t = useT();
  const { locale } = useDisplay();
  const names = new Intl.DisplayNames(locale, { type: 'currency' });
  // a code set elsewhere (CLI, an older file) stays selectable
  const list = !/^[A-Z]{3}$/.test(value) || CURRENCIES.includes(value) ? CURRENCIES : [value, ...CURRENCIES];
  return (
    <>
      <label htmlFor="base-currency">{t('settings.baseCurrency')}</label>
      <select id="base-currency" value={value} onChange={(e) => onChange(e.target.value)}>
        {list.map((c) => <option key={c} value={c}>{c} · {names.of(c)}</option>)}
      </select>
    </>
  );
}
