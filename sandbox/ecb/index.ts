// An emulated copy of the ECB's euro foreign exchange reference rates, in the files' real format (the gesmes:Envelope
// XML of /stats/eurofxref/eurofxref-daily.xml, -hist-90d.xml and -hist.xml; see main/fx/ecb.ts): one rate per
// currency per TARGET business day up to the world's clock, today's only after the ECB's publication time
// (16:00 CET, taken here as 15:00 UTC). The figures are invented (smooth, seeded); the calendar and the format are not.
import { Router, type Emulator } from '../core/http.js';
import type { World } from '../core/world.js';

/** the currencies the ECB publishes, with a typical rate and the number of decimals it publishes them with */
const CURRENCIES: Array<[string, number, number]> = [
  ['USD', 1.08, 4], ['JPY', 162, 2], ['CZK', 25.1, 3], ['DKK', 7.46, 4], ['GBP', 0.85, 5], ['HUF', 395, 2], ['PLN', 4.3, 4],
  ['RON', 4.97, 4], ['SEK', 11.3, 4], ['CHF', 0.95, 4], ['ISK', 149, 2], ['NOK', 11.5, 4], ['TRY', 36, 4], ['AUD', 1.62, 4],
  ['BRL', 5.9, 4], ['CAD', 1.47, 4], ['CNY', 7.8, 4], ['HKD', 8.4, 4], ['IDR', 17500, 2], ['ILS', 4.0, 4], ['INR', 90, 4],
  ['KRW', 1470, 2], ['MXN', 19.5, 4], ['MYR', 5.05, 4], ['NZD', 1.76, 4], ['PHP', 62.5, 3], ['SGD', 1.45, 4], ['THB', 39.3, 3],
  ['ZAR', 19.5, 4],
];

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Easter Sunday (Gregorian, anonymous algorithm) as ms */
function easter(year: number): number {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

/** TARGET closing days: weekends, New Year's Day, Good Friday, Easter Monday, 1 May, 25 and 26 December */
export function isTargetDay(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  const wd = new Date(ms).getUTCDay();
  if (wd === 0 || wd === 6) return false;
  const md = date.slice(5);
  if (['01-01', '05-01', '12-25', '12-26'].includes(md)) return false;
  const e = easter(Number(date.slice(0, 4)));
  return ms !== e - 2 * DAY && ms !== e + DAY;
}

/** the invented rate of one currency on one day: its typical rate moved smoothly, the same for the same seed */
export function emulatedRate(seed: number, currency: string, date: string): string {
  const [, typical, decimals] = CURRENCIES.find(([c]) => c === currency)!;
  const phase = [...currency].reduce((s, ch) => s + ch.charCodeAt(0), seed % 97);
  const t = Date.parse(`${date}T00:00:00Z`) / DAY;
  return (typical * (1 + 0.03 * Math.sin(t / 40 + phase) + 0.005 * Math.sin(t / 3 + phase))).toFixed(decimals);
}

/** the business days with a published rate, newest first, from `days` calendar days back up to the clock */
function publishedDays(now: Date, days: number): string[] {
  const today = iso(now.getTime());
  const out: string[] = [];
  for (let i = 0; i < days; i++) {
    const d = iso(now.getTime() - i * DAY);
    if (d === today && now.getUTCHours() < 15) continue;
    if (isTargetDay(d)) out.push(d);
  }
  return out;
}

export function eurofxrefXml(seed: number, days: string[]): string {
  const cubes = days.map((d) => `\t\t<Cube time='${d}'>\n${CURRENCIES.map(([c]) => `\t\t\t<Cube currency='${c}' rate='${emulatedRate(seed, c, d)}'/>`).join('\n')}\n\t\t</Cube>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
${cubes.join('\n')}
\t</Cube>
</gesmes:Envelope>
`;
}

export function createEcbEmulator(world: World): Emulator {
  const xml = (days: number, newestOnly = false) => () => {
    const published = publishedDays(world.clock.now(), days);
    return { status: 200, headers: { 'content-type': 'text/xml' }, body: eurofxrefXml(world.seed, newestOnly ? published.slice(0, 1) : published) };
  };
  const router = new Router()
    .get('/stats/eurofxref/eurofxref-daily.xml', xml(10, true))
    .get('/stats/eurofxref/eurofxref-hist-90d.xml', xml(90))
    // the real file reaches back to 1999; two years are enough for a demo world
    .get('/stats/eurofxref/eurofxref-hist.xml', xml(731));
  return { name: 'ecb', router, describe: () => ({ files: ['eurofxref-daily.xml', 'eurofxref-hist-90d.xml', 'eurofxref-hist.xml'].map((f) => `/stats/eurofxref/${f}`) }) };
}
