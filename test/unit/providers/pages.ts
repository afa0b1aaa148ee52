// Following a provider's transaction cursors to the end, for the provider tests.
import type { ConnectionContext, Provider } from '../../../main/providers/provider.js';
import type { RemoteTransaction } from '../../../main/domain/types.js';

/** a cursor that never ends is a bug: fail instead of looping */
const MAX_PAGES = 1000;

/** every transaction of an account in a window, following cursors; `pages` counts the requests */
export async function allPages(provider: Pick<Provider, 'fetchTransactions'>, ctx: ConnectionContext, accountId: string, window: { from: string; to: string }) {
  const rows: RemoteTransaction[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    if (pages === MAX_PAGES) throw new Error(`more than ${MAX_PAGES} pages of transactions`);
    const page = await provider.fetchTransactions(ctx, accountId, { ...window, cursor });
    rows.push(...page.transactions);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { rows, pages };
}
