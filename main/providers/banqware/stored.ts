// What Banqware keeps between calls: a linked consent's ids (no per-connection secrets: the tenant's credentials are
// the app's), and a link under way (read with ../stored.ts).
import { z } from 'zod';

export const BanqwareRemote = z.object({
  userId: z.string().min(1),
  consentId: z.string().min(1),
  bankId: z.string().optional(),
  bankIdType: z.string().optional(),
  institutionName: z.string().optional(),
  holderName: z.string().optional(),
}).passthrough();
export type BanqwareRemote = z.output<typeof BanqwareRemote>;

export const BanqwarePending = z.object({
  userId: z.string().min(1),
  consentId: z.string().min(1),
  bankId: z.string(),
  bankIdType: z.string().optional(),
  authorizationUrl: z.string().nullish(),
  /** the person came back from the bank (or a poll found the consent still requested) */
  returned: z.boolean().optional(),
  /** a renewal's consent, deleted once the new one is given */
  previousConsentId: z.string().nullish(),
}).passthrough();
