// What Powens keeps between calls: a linked connection's ids and token, and a link under way (read with ../stored.ts).
import { z } from 'zod';
import { CredentialsField } from './schemas.js';

export const PowensRemote = z.object({ userId: z.string().min(1), connectionId: z.union([z.string().min(1), z.number()]), connectorUuid: z.string().optional() }).passthrough();
export const PowensSecrets = z.object({ token: z.string().min(1) }).passthrough();

/** Provider-private link state (kept in main; it holds the user token, so it never crosses IPC). */
export const Pending = z.object({
  v: z.literal(1),
  purpose: z.enum(['link', 'renew']),
  userId: z.string(),
  token: z.string(),
  permanent: z.boolean(),
  connectorUuid: z.string(),
  connectorName: z.string(),
  sources: z.array(z.object({ name: z.string().nullable(), mechanism: z.string() })),
  fields: z.array(CredentialsField),
  sourceIndex: z.number().int(),
  connectionId: z.string().nullable(),
  redirectUri: z.string(),
  state: z.string(),
  step: z.enum(['webauth', 'credentials', 'info', 'password', 'decoupled', 'validating']),
  rounds: z.number().int(),
});
export type Pending = z.output<typeof Pending>;
