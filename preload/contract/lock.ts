// The app lock (issue 22): while locked, main answers every other channel with `locked` and sends no events; the
// renderer shows only the lock screen and holds none of the user's data.
import { z } from 'zod';
import type { LanguageCode } from './channels.js';

/** minutes without input before the app locks itself; 0 = never */
export const LOCK_AFTER_MINUTES = [0, 1, 5, 15, 60] as const;
export type LockAfterMinutes = (typeof LOCK_AFTER_MINUTES)[number];

const none = z.undefined().or(z.object({}).strict());
export const lockRequests = {
  'lock.status': none,
  /** lock now (the user's button, or the renderer's idle timer) */
  'lock.lock': none,
  /** the passphrase when the data is kept under one; nothing when the OS keyring holds the key */
  'lock.unlock': z.object({ passphrase: z.string().max(1024).optional() }).strict(),
};
export type LockChannel = keyof typeof lockRequests;
export const LOCK_CHANNELS = Object.keys(lockRequests) as LockChannel[];

export interface LockStatusDto {
  locked: boolean;
  /** what unlocking takes: the data's passphrase; a new one (the first start without an OS keyring: it encrypts the
   *  data); or only a click (the OS keyring holds the key; the OS guards the session) */
  unlockWith: 'passphrase' | 'new_passphrase' | 'click';
  /** the preference, so the renderer's idle timer needs no other call */
  lockAfterMinutes: LockAfterMinutes;
  /** the language the user chose (not private data), so the lock screen speaks it */
  language: LanguageCode;
}
export type LockResults = { [C in LockChannel]: LockStatusDto };
