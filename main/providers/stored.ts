// What Multibank kept between calls for one connection (its `remote` ids, its vault `secrets`) and for one link under
// way (`pending`) is read back through each provider's zod schemas (its stored.ts), here at the provider boundary:
// data that does not parse is a clear error that asks for a renewal, never a crash deeper in.
import type { z } from 'zod';
import { ProviderError } from './provider.js';
import { noteProblem } from './trace.js';

export function readStored<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  // where and which kind of problem, never the value (it may be a token)
  const issue = r.error.issues[0];
  noteProblem(`stored ${what}: ${issue?.path.join('.') || 'record'} ${issue?.code ?? ''}`.trim());
  throw new ProviderError('consent_expired', 'The stored sign-in data for this connection cannot be read; renew it.', { providerCode: 'unreadable_stored_data' });
}

/** A link under way whose kept state does not parse cannot go on: it is started again. */
export function readPending<S extends z.ZodType>(schema: S, data: unknown, aggregator: string): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new ProviderError('link_expired', `This ${aggregator} link is no longer valid. Start again.`);
}
