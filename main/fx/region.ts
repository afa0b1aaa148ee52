// The default base currency: the currency of the locale's region, where it is one the ECB publishes (or the euro);
// EUR for a locale without a region or a region not listed here.

const EURO_AREA = 'AT BE BG HR CY EE FI FR DE GR IE IT LV LT LU MT NL PT SK SI ES AD MC SM VA ME XK'.split(' ');

const REGION_CURRENCY: Record<string, string> = {
  ...Object.fromEntries(EURO_AREA.map((r) => [r, 'EUR'])),
  CZ: 'CZK', PL: 'PLN', HU: 'HUF', RO: 'RON', SE: 'SEK', DK: 'DKK', NO: 'NOK', IS: 'ISK', CH: 'CHF', LI: 'CHF', GB: 'GBP',
  TR: 'TRY', US: 'USD', CA: 'CAD', MX: 'MXN', BR: 'BRL', AU: 'AUD', NZ: 'NZD', JP: 'JPY', CN: 'CNY', HK: 'HKD', SG: 'SGD',
  IN: 'INR', KR: 'KRW', ID: 'IDR', MY: 'MYR', PH: 'PHP', TH: 'THB', IL: 'ILS', ZA: 'ZAR',
};

/** 'sk-SK' -> EUR, 'cs-CZ' -> CZK, 'en' -> EUR (no region), anything unreadable -> EUR */
export function currencyOfLocale(locale: string | undefined): string {
  try {
    const region = locale ? new Intl.Locale(locale.replace('_', '-').split('.')[0]).region : undefined;
    return (region && REGION_CURRENCY[region]) ?? 'EUR';
  } catch {
    return 'EUR';
  }
}

/** the machine's locale as this process sees it (LANG/LC_* in Node, the system language in Electron) */
export const systemLocale = (): string => Intl.DateTimeFormat().resolvedOptions().locale;
