// Reading one account of a listing: an account whose balance cannot be read exactly is still listed, without a
// balance, so that one odd amount fails only that balance, never the listing (issue 16: fail only the row it concerns).
import type { RemoteAccount } from '../domain/types.js';
import { ProviderError } from './provider.js';

/** `map(account)`, or when an amount of it cannot be read exactly (ProviderError / RangeError), `map(noBalance(account))`. */
export function mapAccountAlone<A>(account: A, map: (a: A) => RemoteAccount, noBalance: (a: A) => A): RemoteAccount {
  try {
    return map(account);
  } catch (e) {
    if (!(e instanceof ProviderError || e instanceof RangeError)) throw e;
    return map(noBalance(account));
  }
}
