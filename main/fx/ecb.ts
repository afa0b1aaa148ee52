// The ECB's euro foreign exchange reference rates, as the ECB publishes them under /stats/eurofxref/:
//   eurofxref-daily.xml     the latest business day
//   eurofxref-hist-90d.xml  the last 90 days
//   eurofxref-hist.xml      every day since 1999 (a few MB)
// (the same data also comes as CSV inside eurofxref.zip / eurofxref-hist.zip; the XML needs no unzipping).
// Each file is a gesmes:Envelope holding <Cube><Cube time="YYYY-MM-DD"><Cube currency="USD" rate="1.0705"/>...</Cube></Cube>,
// newest day first; a rate is units of the currency per 1 EUR. Published around 16:00 CET on TARGET business days.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const ECB_DEFAULT_HOST = 'https://www.ecb.europa.eu';

export const ECB_FILES = {
  daily: '/stats/eurofxref/eurofxref-daily.xml',
  hist90d: '/stats/eurofxref/eurofxref-hist-90d.xml',
  hist: '/stats/eurofxref/eurofxref-hist.xml',
} as const;

/** one published rate: `rate` units of `currency` per 1 EUR, kept as the ECB's decimal text */
export interface EcbRate { date: string; currency: string; rate: string }

const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, parseAttributeValue: false,
  isArray: (name) => name === 'Cube',
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Z]{3}$/;
const RATE = /^\d{1,9}(\.\d{1,10})?$/;

/** The rates of one eurofxref XML file (daily, 90 days or full history). Throws on anything that is not one. */
export function parseEurofxrefXml(xml: string): EcbRate[] {
  if (XMLValidator.validate(xml) !== true) throw new Error('The exchange-rate file is not well-formed XML.');
  const doc = parser.parse(xml) as { Envelope?: { Cube?: Array<{ Cube?: Array<{ time?: string; Cube?: Array<{ currency?: string; rate?: string }> }> }> } };
  const days = doc.Envelope?.Cube?.[0]?.Cube;
  if (!days) throw new Error('The exchange-rate file holds no rates (no Envelope/Cube/Cube).');
  const out: EcbRate[] = [];
  for (const day of days) {
    if (!day.time || !DATE.test(day.time)) throw new Error(`The exchange-rate file has a day without a date (${String(day.time)}).`);
    for (const c of day.Cube ?? []) {
      // a row we cannot read is left out: a missing rate is reported as missing, never guessed
      if (c.currency && CODE.test(c.currency) && c.rate && RATE.test(c.rate.trim()) && Number(c.rate) > 0) {
        out.push({ date: day.time, currency: c.currency, rate: c.rate.trim() });
      }
    }
  }
  return out;
}
