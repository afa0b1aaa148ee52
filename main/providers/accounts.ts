// Reading one account of a listing: an amount of it that cannot be read exactly (a balance with more decimals than
// its currency has) is left empty, the account and its other amounts are listed, so that one odd amount fails only
// itself, never the listing (issue 16: fail only the row it concerns).
import type { RemoteAccount } from '../domain/types.js';
import { ProviderError } from './provider.js';

const unreadableAmount = (e: unknown) => e instanceof ProviderError || e instanceof RangeError;

/** `map(account)`; when that meets an unreadable amount, `map` again with each such field of `amounts` set to null. */
export function mapAccountAlone<A extends object>(account: A, map: (a: A) => RemoteAccount, amounts: ReadonlyArray<keyof A>): RemoteAccount {
  try {
    return map(account);
  } catch (e) {
    if (!unreadableAmount(e)) throw e;
  }
  const withNull = (fields: ReadonlyArray<keyof A>): A => ({ ...account, ...Object.fromEntries(fields.map((f) => [f, null])) });
  const odd = amounts.filter((field) => {
    try {
      map(withNull(amounts.filter((f) => f !== field)));
      return false;
    } catch (e) {
      if (unreadableAmount(e)) return true;
      throw e;
    }
  });
  return map(withNull(odd));
}
