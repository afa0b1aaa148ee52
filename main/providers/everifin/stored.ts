// What Everifin keeps between calls: a linked user's tokens (refresh-token rotation), and a link under way (read with
// ../stored.ts). The Everifin user id (remote.userId) is only compared, never sent.
import { z } from 'zod';

export const EverifinSecrets = z.object({
  accessToken: z.string().optional(),
  accessExpiresAt: z.string().optional(),
  refreshToken: z.string().optional(),
  refreshExpiresAt: z.string().optional(),
}).passthrough();

export const EverifinPending = z.object({
  state: z.string(),
  redirectUri: z.string(),
  codeVerifier: z.string().optional(),
  /** a renewal: the Everifin user who must sign in again */
  renewalOf: z.string().nullish(),
}).passthrough();
