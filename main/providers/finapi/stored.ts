// What finAPI keeps between calls: the finAPI user and its tokens (vault), the bank connection's id, and a link under
// way (read with ../stored.ts). A missing user or password is told apart by the provider (the user is gone: reconnect).
import { z } from 'zod';

export const FinapiSecrets = z.object({
  userId: z.string().optional(),
  userPassword: z.string().optional(),
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
  /** ISO instant */
  accessTokenExpiresAt: z.string().optional(),
  /** '1': the finAPI user was made for this connection alone and is deleted with it */
  ownUser: z.string().optional(),
  /** the web form a background update asked for; Renew opens it */
  renewWebFormId: z.string().optional(),
}).catchall(z.string());
export type FinapiSecrets = z.output<typeof FinapiSecrets>;

export const FinapiRemote = z.object({ userId: z.string().optional(), bankConnectionId: z.string().optional() }).passthrough();

export const LinkPending = z.object({
  provider: z.literal('finapi'),
  mode: z.enum(['import', 'renew']),
  webFormId: z.string().min(1),
  secrets: z.object({ userId: z.string(), userPassword: z.string() }).catchall(z.string().optional()),
  /** the user was created for this link alone (no install-wide user store) */
  ownUser: z.boolean(),
  bankConnectionId: z.string().optional(),
  /** the web form reached COMPLETED; what is left is finAPI's download */
  formDone: z.boolean().optional(),
});
export type LinkPending = z.output<typeof LinkPending>;
