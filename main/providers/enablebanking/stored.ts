// What Enable Banking keeps between calls: a linked session's ids (no secrets: the key is the application's), and a
// link under way (read with ../stored.ts).
import { z } from 'zod';

export const EnableBankingRemote = z.object({ sessionId: z.string().optional(), aspspName: z.string().optional(), aspspCountry: z.string().optional() }).passthrough();
export type EnableBankingRemote = z.output<typeof EnableBankingRemote>;

export const Pending = z.object({
  v: z.literal(1),
  purpose: z.enum(['link', 'renew']),
  aspspName: z.string(),
  aspspCountry: z.string(),
  redirectUrl: z.string(),
  state: z.string(),
  /** a renewal's old session, closed once the new one is authorised */
  oldSessionId: z.string().nullable(),
});
export type Pending = z.output<typeof Pending>;
