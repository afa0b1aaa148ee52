// IBANs with valid ISO 13616 check digits (and valid national check digits where the country has them).
import type { Rng } from './rng.js';

/** mod-97 of a numeric string of any length */
function mod97(digits: string): number {
  let r = 0;
  for (let i = 0; i < digits.length; i += 7) r = Number(String(r) + digits.slice(i, i + 7)) % 97;
  return r;
}

function lettersToDigits(s: string): string {
  return s.toUpperCase().replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
}

/** Build an IBAN from a country code and BBAN, computing the two check digits. */
export function makeIban(country: string, bban: string): string {
  const check = 98 - mod97(lettersToDigits(bban + country + '00'));
  return country + String(check).padStart(2, '0') + bban;
}

export function isValidIban(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  const len = IBAN_LENGTHS[s.slice(0, 2)];
  if (len !== undefined && s.length !== len) return false;
  return mod97(lettersToDigits(s.slice(4) + s.slice(0, 4))) === 1;
}

export const IBAN_LENGTHS: Record<string, number> = {
  SK: 24, CZ: 24, PL: 28, DE: 22, FR: 27, HU: 28, AT: 20, NL: 18, GB: 22, ES: 24, IT: 27, BE: 16, IE: 22, LT: 20, BH: 22,
};

/** Czech/Slovak account number check: weights 6,3,7,9,10,5,8,4,2,1 over the 10-digit number; prefix weights 10,5,8,4,2,1. */
function czskAccount(rng: Rng): { prefix: string; number: string } {
  const w10 = [6, 3, 7, 9, 10, 5, 8, 4, 2, 1];
  for (;;) {
    const n = rng.digits(10);
    const s = [...n].reduce((a, d, i) => a + Number(d) * w10[i], 0);
    if (s % 11 === 0 && n !== '0000000000') return { prefix: '000000', number: n };
  }
}

/** French RIB key: 97 - ((89*bank + 15*branch + 3*account) mod 97) */
function ribKey(bank: string, branch: string, account: string): string {
  const k = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * mod97(account)) % 97);
  return String(k).padStart(2, '0');
}

/** Hungarian check digit: weights 9,7,3,1 repeated; (10 - sum mod 10) mod 10 */
function huCheck(digits: string): string {
  const w = [9, 7, 3, 1];
  const s = [...digits].reduce((a, d, i) => a + Number(d) * w[i % 4], 0);
  return String((10 - (s % 10)) % 10);
}

/** A random, checksum-valid IBAN for a country and (optional) national bank code. */
export function randomIban(rng: Rng, country: string, bankCode?: string): string {
  switch (country) {
    case 'SK':
    case 'CZ': {
      const { prefix, number } = czskAccount(rng);
      return makeIban(country, (bankCode ?? rng.pick(['0900', '1100', '0200', '7500', '0800', '0300'])).padStart(4, '0') + prefix + number);
    }
    case 'PL': {
      // 8-digit sort code whose last digit is a check digit (weights 3,9,7,1,3,9,7)
      let sort = bankCode ?? '1020' + rng.digits(3);
      if (sort.length === 7) {
        const w = [3, 9, 7, 1, 3, 9, 7];
        const s = [...sort].reduce((a, d, i) => a + Number(d) * w[i], 0);
        sort += String((10 - (s % 10)) % 10);
      }
      return makeIban('PL', sort.slice(0, 8) + rng.digits(16));
    }
    case 'DE':
      return makeIban('DE', (bankCode ?? '100' + rng.digits(5)) + rng.digits(10));
    case 'FR': {
      const bank = bankCode ?? rng.pick(['30004', '30003', '20041', '10107', '30066']);
      const branch = rng.digits(5);
      const account = rng.digits(11);
      return makeIban('FR', bank + branch + account + ribKey(bank, branch, account));
    }
    case 'HU': {
      const bank = (bankCode ?? rng.pick(['117', '104', '116', '120'])) + rng.digits(4);
      const first = bank + huCheck(bank);
      const acct = rng.digits(15);
      return makeIban('HU', first + acct + huCheck(acct));
    }
    case 'AT': return makeIban('AT', (bankCode ?? '1' + rng.digits(4)) + rng.digits(11));
    case 'NL': return makeIban('NL', (bankCode ?? rng.pick(['INGB', 'ABNA', 'RABO'])) + rng.digits(10));
    case 'GB': return makeIban('GB', (bankCode ?? rng.pick(['NWBK', 'BARC', 'LOYD'])) + rng.digits(6) + rng.digits(8));
    case 'IE': return makeIban('IE', (bankCode ?? 'AIBK') + rng.digits(6) + rng.digits(8));
    case 'BH': return makeIban('BH', (bankCode ?? rng.pick(['NBOB', 'BBKU'])) + rng.digits(14));
    default:
      throw new RangeError(`No IBAN format for ${country}`);
  }
}
